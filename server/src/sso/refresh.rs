//! One refresh per session at a time: a page makes several calls at once, and providers that
//! rotate refresh tokens revoke the whole grant when an old one is used again. Calls carrying
//! the same session (its refresh and ID tokens: the key) share one answer for a short while;
//! the session that answer made is another key, refreshed in its turn.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;

/// How long an answer is shared: calls still carrying the old cookie get the new tokens.
const SHARED_FOR: Duration = Duration::from_secs(60);

type Answer = Arc<OnceCell<Result<super::Session, String>>>;

#[derive(Default)]
pub struct Refresher {
    // Keyed by a hash of the session's tokens: the tokens themselves are not kept here.
    answers: Mutex<HashMap<[u8; 32], (Instant, Answer)>>,
}

impl Refresher {
    /// `refresh()`'s answer for the session `key` names, run once however many ask at once.
    pub async fn refresh<F, Fut>(&self, key: &str, refresh: F) -> Result<super::Session, String>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<super::Session, String>>,
    {
        let key: [u8; 32] = Sha256::digest(key.as_bytes()).into();
        let answer = {
            let mut answers = self.answers.lock().unwrap_or_else(|p| p.into_inner());
            answers.retain(|_, (at, _)| at.elapsed() < SHARED_FOR);
            answers
                .entry(key)
                .or_insert_with(|| (Instant::now(), Arc::new(OnceCell::new())))
                .1
                .clone()
        };
        answer.get_or_init(refresh).await.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn session(id: &str) -> super::super::Session {
        super::super::Session {
            id_token: id.into(),
            refresh_token: Some("r2".into()),
            issued_at: 0,
            expires_at: 30,
        }
    }

    #[tokio::test]
    async fn calls_at_once_share_one_refresh() {
        let refresher = Arc::new(Refresher::default());
        let asked = Arc::new(AtomicUsize::new(0));
        let calls = (0..8).map(|_| {
            let (refresher, asked) = (refresher.clone(), asked.clone());
            tokio::spawn(async move {
                refresher
                    .refresh("r1", || async move {
                        asked.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Ok(session("new"))
                    })
                    .await
            })
        });
        for call in futures::future::join_all(calls).await {
            assert_eq!(call.unwrap().unwrap().id_token, "new");
        }
        assert_eq!(asked.load(Ordering::SeqCst), 1);
        // Another session is another refresh.
        let other = refresher
            .refresh("other", || async { Err("invalid_grant".to_string()) })
            .await;
        assert_eq!(other.unwrap_err(), "invalid_grant");
    }
}
