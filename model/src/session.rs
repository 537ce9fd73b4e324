//! The console's single sign-on, as both sides name it: console-server answers these paths
//! (the backend-for-frontend that holds the tokens) and the app links to them and reads the
//! words that mean a session has ended.

/// Starts a sign-in at the provider; `?return=PATH` is where the user lands afterwards.
pub const LOGIN_PATH: &str = "/auth/login";
/// Where the provider sends the user back (the redirect URI is the console's address + this).
pub const CALLBACK_PATH: &str = "/auth/callback";
/// Who is signed in (JSON), and what the sign-in screen should say.
pub const SESSION_PATH: &str = "/auth/session";
/// Ends the console's session and the provider's (a form POST).
pub const LOGOUT_PATH: &str = "/auth/logout";
/// The screen users sign in on.
pub const SIGN_IN_SCREEN: &str = "/settings";

/// How an SDK call answered by console-server (UNAUTHENTICATED) begins when the session it
/// carried can no longer be refreshed: the app sends the user back to sign in.
pub const SESSION_ENDED: &str = "Your single sign-on session has ended";
