//! The cluster's OpenStorageWatch stream, where it has one: each event names a volume to look
//! at (its content is not trusted; upstream's fake driver invents volumes there).

use std::time::Duration;

use tokio::sync::mpsc;
use tonic::Code;

use super::look::Hint;
use super::LISTING_LIMIT;
use crate::gateway::Upstream;
use crate::proto::open_storage_watch_client::OpenStorageWatchClient;
use crate::proto::{sdk_watch_request, sdk_watch_response, SdkVolumeWatchRequest, SdkWatchRequest};
use crate::volume_view::Entry;

const MAX_WATCH_BACKOFF: Duration = Duration::from_secs(60);

/// Follows the upstream's volume events, sending each volume named as the event describes it. Reconnects with
/// backoff; stops for good only when the upstream has no Watch (the listing carries on).
pub(super) async fn watch(upstream: Upstream, hints: mpsc::UnboundedSender<Hint>) {
    let mut backoff = Duration::from_secs(1);
    loop {
        let (channel, origin) = upstream.channel();
        let mut client = OpenStorageWatchClient::with_origin(channel, origin)
            .max_decoding_message_size(LISTING_LIMIT);
        let request = SdkWatchRequest {
            event_type: Some(sdk_watch_request::EventType::VolumeEvent(
                SdkVolumeWatchRequest::default(),
            )),
        };
        match client.watch(request).await {
            Err(status) if status.code() == Code::Unimplemented => {
                tracing::info!(
                    upstream = %upstream.url,
                    "the upstream has no OpenStorageWatch; the view follows it by listing"
                );
                return;
            }
            Err(status) => {
                tracing::debug!(upstream = %upstream.url, error = %status.message(), "volume watch refused");
            }
            Ok(answer) => {
                backoff = Duration::from_secs(1);
                let mut events = answer.into_inner();
                loop {
                    match events.message().await {
                        Ok(Some(event)) => {
                            if let Some(sdk_watch_response::EventType::VolumeEvent(e)) =
                                event.event_type
                            {
                                let hint = e.volume.and_then(|v| {
                                    let labels = v
                                        .locator
                                        .as_ref()
                                        .map(|l| l.volume_labels.clone())
                                        .unwrap_or_default();
                                    Entry::new(&v, &e.name, &labels)
                                });
                                if let Some(hint) = hint {
                                    if hints.send(Hint::Event(Box::new(hint))).is_err() {
                                        return;
                                    }
                                }
                            }
                        }
                        Ok(None) => break,
                        Err(status) => {
                            tracing::debug!(error = %status.message(), "volume watch ended");
                            break;
                        }
                    }
                }
            }
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(MAX_WATCH_BACKOFF);
    }
}
