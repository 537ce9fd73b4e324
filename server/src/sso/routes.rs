//! The sign-in's own pages: `/auth/login` (to the provider), `/auth/callback` (back from it),
//! `/auth/session` (who is signed in, for the app) and `/auth/logout` (a form POST that ends
//! the console's session and the provider's). A failed sign-in lands on the sign-in screen
//! with one message saying why; nothing is kept from it.

use std::sync::Arc;

use axum::extract::{Query, Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use http::header::{CACHE_CONTROL, HOST, LOCATION, SET_COOKIE};
use http::{HeaderMap, HeaderValue, StatusCode};
use openidconnect::core::CoreAuthenticationFlow;
use openidconnect::{
    AuthorizationCode, CsrfToken, LogoutRequest, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    PostLogoutRedirectUrl, Scope,
};
use serde::Deserialize;

use super::session::{self, Login, Session, LOGIN_COOKIE, LOGIN_LIFETIME, NOTICE_COOKIE};
use super::{cookies, describe_token_error, Sso};
use crate::unix_time;
use console_model::session::{
    CALLBACK_PATH, LOGIN_PATH, LOGOUT_PATH, SESSION_PATH, SIGN_IN_SCREEN,
};

pub fn router(sso: Arc<Sso>) -> Router {
    Router::new()
        .route(LOGIN_PATH, get(login))
        .route(CALLBACK_PATH, get(callback))
        .route(SESSION_PATH, get(session_info))
        .route(LOGOUT_PATH, post(logout))
        .with_state(sso)
}

fn host(headers: &HeaderMap) -> &str {
    headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost")
}

/// `response` with these cookies set, never cached: every answer here is about one browser.
fn private(mut response: Response, cookies: Vec<HeaderValue>) -> Response {
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    for cookie in cookies {
        headers.append(SET_COOKIE, cookie);
    }
    response
}

/// A 303 to `to`, with these cookies set; never cached.
fn redirect(to: &str, cookies: Vec<HeaderValue>) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(location) = HeaderValue::from_str(to) {
        response.headers_mut().insert(LOCATION, location);
    }
    private(response, cookies)
}

/// Back to the sign-in screen with `notice` to show there (kept in a sealed cookie, read
/// once: never in the address, where anyone could write one).
fn to_sign_in(sso: &Sso, notice: &str, return_to: &str, mut cookies: Vec<HeaderValue>) -> Response {
    tracing::warn!("single sign-on: {notice}");
    cookies.extend(sso.notice(notice));
    let target = format!("{SIGN_IN_SCREEN}?return={}", url_encode(return_to));
    redirect(&target, cookies)
}

fn url_encode(text: &str) -> String {
    openidconnect::url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[derive(Deserialize)]
struct LoginQuery {
    #[serde(rename = "return")]
    return_to: Option<String>,
}

async fn login(
    State(sso): State<Arc<Sso>>,
    Query(query): Query<LoginQuery>,
    request: Request,
) -> Response {
    let return_to = session::return_path(query.return_to.as_deref());
    // Asked now rather than trusted from before: a provider that is down gets a clear word
    // here instead of the browser's error page there (and its keys are fresh).
    if let Err(why) = sso.provider.discover().await {
        return to_sign_in(
            &sso,
            &format!(
                "Sign-in with {} is unavailable: the OpenID provider {} cannot be reached ({why}). Sign in with a token, or try again later.",
                sso.name,
                sso.provider.issuer()
            ),
            &return_to,
            vec![],
        );
    }
    let redirect_uri = format!("{}{CALLBACK_PATH}", sso.base_url(host(request.headers())));
    let client = match sso.client(Some(&redirect_uri)) {
        Ok(client) => client,
        Err(why) => {
            return to_sign_in(
                &sso,
                &format!("Sign-in with {} is unavailable: {why}.", sso.name),
                &return_to,
                vec![],
            )
        }
    };
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut authorize = client.authorize_url(
        CoreAuthenticationFlow::AuthorizationCode,
        CsrfToken::new_random,
        Nonce::new_random,
    );
    for scope in &sso.scopes {
        authorize = authorize.add_scope(Scope::new(scope.clone()));
    }
    let (url, state, nonce) = authorize.set_pkce_challenge(challenge).url();
    let pending = Login {
        state: state.secret().clone(),
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
        redirect_uri,
        return_to,
        started: unix_time::now(),
    };
    let cookie = sso.set_sealed(
        LOGIN_COOKIE,
        &serde_json::to_string(&pending).expect("a login serializes"),
        "/auth",
        Some(time::Duration::seconds(LOGIN_LIFETIME)),
    );
    redirect(url.as_str(), cookie)
}

#[derive(Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
    /// RFC 9207: the issuer that answers, against mix-ups between providers.
    iss: Option<String>,
}

async fn callback(
    State(sso): State<Arc<Sso>>,
    Query(query): Query<CallbackQuery>,
    request: Request,
) -> Response {
    // The sign-in this answers is used up, whatever the answer.
    let cleared = cookies::clear(LOGIN_COOKIE, "/auth", sso.attrs);
    let pending = sso
        .read_sealed(request.headers(), LOGIN_COOKIE)
        .and_then(|json| serde_json::from_str::<Login>(&json).ok());
    let Some(pending) = pending else {
        return to_sign_in(
            &sso,
            "This sign-in does not match one started in this browser (it was used already, started elsewhere, or took over 10 minutes). Sign in again.",
            "/",
            cleared,
        );
    };
    let return_to = pending.return_to.clone();
    let fail = |notice: String| to_sign_in(&sso, &notice, &return_to, cleared.clone());
    let state_matches = query.state.as_deref().is_some_and(|state| {
        use sha2::Digest;
        // Compared as digests, so the comparison's time says nothing about the secret.
        sha2::Sha256::digest(state.as_bytes()) == sha2::Sha256::digest(pending.state.as_bytes())
    });
    if !state_matches {
        return fail("The answer from the provider does not match the sign-in started here (its state differs), so it was refused. Sign in again.".into());
    }
    if let Some(iss) = &query.iss {
        if !sso.provider.is_issuer(iss) {
            return fail(format!(
                "The answer came from {iss}, not from {}, so it was refused. Sign in again.",
                sso.provider.issuer()
            ));
        }
    }
    if let Some(error) = &query.error {
        let why = match &query.error_description {
            Some(description) => format!("{error}: {description}"),
            None => error.clone(),
        };
        return fail(format!(
            "Sign-in at {} was cancelled or refused ({why}).",
            sso.name
        ));
    }
    if unix_time::now() - pending.started > LOGIN_LIFETIME {
        return fail("This sign-in took over 10 minutes and has expired. Sign in again.".into());
    }
    let Some(code) = query.code else {
        return fail("The provider sent the user back without an authorization code.".into());
    };
    match exchange(&sso, &pending, code).await {
        Ok(session) => {
            tracing::info!("single sign-on: a user signed in");
            let mut cookies = cleared.clone();
            cookies.extend(sso.store(&session));
            redirect(&pending.return_to, cookies)
        }
        Err(why) => fail(format!("Sign-in with {} failed: {why}.", sso.name)),
    }
}

/// The authorization code for tokens (with the PKCE verifier), and the ID token verified
/// against the sign-in's nonce.
async fn exchange(sso: &Sso, pending: &Login, code: String) -> Result<Session, String> {
    use openidconnect::{OAuth2TokenResponse, TokenResponse};
    let client = sso.client(Some(&pending.redirect_uri))?;
    let response = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| e.to_string())?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
        .request_async(sso.provider.http())
        .await
        .map_err(|e| describe_token_error(&e))?;
    let raw = response
        .id_token()
        .ok_or("the provider answered without an ID token (is `openid` among --oidc-scopes?)")?
        .to_string();
    let nonce = Nonce::new(pending.nonce.clone());
    let verified = sso
        .provider
        .verify(&raw, Some(&nonce))
        .await
        .map_err(|why| format!("its ID token was refused: {why}"))?;
    Ok(Session {
        id_token: raw,
        refresh_token: response.refresh_token().map(|t| t.secret().clone()),
        issued_at: verified.issued_at,
        expires_at: verified.expires_at,
    })
}

/// Who is signed in, for the app: the provider (and whether it can be reached), the user, and
/// a message for the sign-in screen. The session is refreshed here when due.
async fn session_info(State(sso): State<Arc<Sso>>, request: Request) -> Response {
    let headers = request.headers();
    let mut cookies = Vec::new();
    // Read once: the cookie goes, whether it opened or not.
    let mut notice = sso.read_notice(headers);
    if cookies::read(headers, NOTICE_COOKIE).is_some() {
        cookies.extend(cookies::clear(NOTICE_COOKIE, "/", sso.attrs));
    }
    let mut user = serde_json::Value::Null;
    match sso.session(headers) {
        Some(session) => match sso.current(session).await {
            Ok((session, refreshed)) => {
                if refreshed {
                    cookies.extend(sso.store(&session));
                }
                user = sso.user(&session);
            }
            Err(ended) => {
                let words = ended.words();
                // Kept for the sign-in screen too: the app goes there on this answer.
                cookies.extend(sso.forget().into_iter().chain(sso.notice(&words)));
                notice = Some(words);
            }
        },
        None if sso.has_session_cookie(headers) => cookies.extend(sso.forget()),
        None => {}
    }
    let available = sso.provider.metadata().err();
    let body = serde_json::json!({
        "provider": {
            "name": sso.name,
            "issuer": sso.provider.issuer(),
            "available": available.is_none(),
            "why": available,
            "clusters": sso.clusters,
            "default_cluster": sso.default_cluster,
        },
        "user": user,
        "notice": notice,
    });
    private(axum::Json(body).into_response(), cookies)
}

/// Ends the console's session and answers where the page goes next: the provider's sign-out
/// (RP-initiated logout with the ID token as the hint) when it offers one, which comes back
/// to the sign-in screen, or that screen. Only the console's own pages may ask (`Origin`).
async fn logout(State(sso): State<Arc<Sso>>, request: Request) -> Response {
    let headers = request.headers();
    if !sso.from_console(headers) {
        return (
            StatusCode::FORBIDDEN,
            "Sign out from the console's own page.\n",
        )
            .into_response();
    }
    let session = sso.session(headers);
    let cookies = sso.forget();
    let back = format!("{}{SIGN_IN_SCREEN}", sso.base_url(host(headers)));
    let end_session = sso
        .provider
        .metadata()
        .ok()
        .and_then(|metadata| metadata.additional_metadata().end_session_endpoint.clone());
    let location = match (session, end_session) {
        (Some(session), Some(endpoint)) => {
            let mut logout = LogoutRequest::from(endpoint).set_client_id(
                openidconnect::ClientId::new(sso.provider.client_id().to_string()),
            );
            if let Ok(hint) = session.id_token.parse::<openidconnect::core::CoreIdToken>() {
                logout = logout.set_id_token_hint(&hint);
            }
            if let Ok(url) = PostLogoutRedirectUrl::new(back.clone()) {
                logout = logout.set_post_logout_redirect_uri(url);
            }
            logout.http_get_url().to_string()
        }
        _ => SIGN_IN_SCREEN.to_string(),
    };
    // The page goes there itself: a form posted here could not be redirected to the provider
    // under the console's `form-action 'self'`.
    private(
        axum::Json(serde_json::json!({ "location": location })).into_response(),
        cookies,
    )
}
