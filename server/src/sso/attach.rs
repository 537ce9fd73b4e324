//! Puts the single sign-on session on SDK calls from the console's own pages: a gRPC-Web call
//! with no `authorization` of its own, for a cluster the session serves, from the console's
//! origin, carrying a session cookie that opens, is sent on with `authorization: bearer <ID
//! token>`, refreshed first when due (the response stores the new cookie). A session that
//! cannot go on is answered UNAUTHENTICATED ("Your single sign-on session has ended…") and
//! its cookie removed, so the app returns the user to sign-in.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{AUTHORIZATION, SET_COOKIE};
use http::HeaderValue;

use super::Sso;
use console_model::CLUSTER_HEADER;

pub async fn attach(State(sso): State<Arc<Sso>>, mut request: Request, next: Next) -> Response {
    let headers = request.headers();
    if headers.contains_key(AUTHORIZATION) || !sso.has_session_cookie(headers) {
        return next.run(request).await;
    }
    let cluster = headers
        .get(CLUSTER_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    // A cookie rides on any request the browser sends: only the console's own pages may
    // spend it (a page elsewhere cannot send the gRPC-Web content type without CORS either).
    if !sso.from_console(headers) || !sso.covers(cluster) {
        return next.run(request).await;
    }
    let Some(session) = sso.session(headers) else {
        // Tampered or sealed by another deployment: a guest, and the cookie goes.
        let mut response = next.run(request).await;
        for cookie in sso.forget() {
            response.headers_mut().append(SET_COOKIE, cookie);
        }
        return response;
    };
    let (session, refreshed) = match sso.current(session).await {
        Ok(current) => current,
        Err(ended) => {
            let words = ended.words();
            let status = tonic::Status::unauthenticated(words.clone());
            let mut response = status.into_http::<tonic::body::Body>().into_response();
            // The sign-in screen the app goes back to says why.
            for cookie in sso.forget().into_iter().chain(sso.notice(&words)) {
                response.headers_mut().append(SET_COOKIE, cookie);
            }
            return response;
        }
    };
    let Ok(mut bearer) = HeaderValue::from_str(&format!("bearer {}", session.id_token)) else {
        return next.run(request).await;
    };
    bearer.set_sensitive(true);
    request.headers_mut().insert(AUTHORIZATION, bearer);
    let mut response = next.run(request).await;
    if refreshed {
        for cookie in sso.store(&session) {
            response.headers_mut().append(SET_COOKIE, cookie);
        }
    }
    response
}
