//! console-server's own services (openstorage.console.v1: the view and the metrics), which it
//! answers from one shared view of the cluster: a page of volumes, names for pickers, a stream
//! of changes, its health check. An endpoint without them (a bare gRPC-Web proxy in front of a
//! cluster, or a cluster with auth reached through a gateway) says so once; the connection
//! remembers, and from then on the console uses SDK calls without asking again. Whether to ask
//! the view or the SDK is decided here and in the api functions built on it, never in a screen.

use std::future::Future;
use std::sync::{Arc, Mutex};

use crate::error::AppError;
use crate::logic::console_services::Absence;
pub(super) use crate::logic::console_services::Service;
use crate::proto::console::*;
use crate::proto::methods::volume_view;

use super::call::Answers;
use super::Sdk;

/// What one of console-server's services answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Viewed<T> {
    Answered(T),
    /// The endpoint has no such service for this caller, and why (said to the user).
    Absent(String),
}

/// What the connection has learned of console-server's services (`logic::console_services`),
/// shared by the connection's clones.
#[derive(Debug, Clone, Default)]
pub(super) struct ConsoleServices(Arc<Mutex<Absence>>);

impl ConsoleServices {
    fn absent(&self, service: Service) -> Option<String> {
        self.0.lock().ok()?.absent(service)
    }

    fn learn(&self, service: Service, status: &tonic::Status) -> Option<String> {
        let refused = status.code() == tonic::Code::FailedPrecondition;
        let missing = status.code() == tonic::Code::Unimplemented;
        self.0
            .lock()
            .ok()?
            .learn(service, missing, refused.then(|| status.message()))
    }
}

/// Makes a call to one of console-server's services, unless the connection already knows it
/// will not be answered (then the call is never sent); an answer saying so is remembered.
pub(super) async fn ask<T>(
    sdk: &Sdk,
    service: Service,
    call: impl Future<Output = Result<T, tonic::Status>>,
) -> Result<Viewed<T>, AppError> {
    if let Some(reason) = sdk.console.absent(service) {
        return Ok(Viewed::Absent(reason));
    }
    match call.await {
        Ok(answer) => Ok(Viewed::Answered(answer)),
        Err(status) => match sdk.console.learn(service, &status) {
            Some(reason) => Ok(Viewed::Absent(reason)),
            None => Err(status.into()),
        },
    }
}

/// Which page of the volumes table to ask for.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Position {
    #[default]
    First,
    /// Before or after a row, as a page token says.
    Token(String),
    Last,
}

/// One page of the volumes table, filtered and sorted by console-server.
pub async fn page(
    sdk: &Sdk,
    filter: VolumeFilter,
    sort: console_model::table::Sort,
    page_size: usize,
    position: Position,
) -> Result<Viewed<VolumeQueryResponse>, AppError> {
    let (page_token, last_page) = match position {
        Position::First => (String::new(), false),
        Position::Token(token) => (token, false),
        Position::Last => (String::new(), true),
    };
    let request = VolumeQueryRequest {
        filter: Some(filter),
        sort: Some(VolumeSort {
            column: sort.column as i32,
            descending: sort.descending,
        }),
        page_size: page_size as u32,
        page_token,
        last_page,
    };
    ask(sdk, Service::View, sdk.call(volume_view::QUERY, request)).await
}

pub(super) async fn names(
    sdk: &Sdk,
    request: VolumeNamesRequest,
) -> Result<Viewed<VolumeNamesResponse>, AppError> {
    ask(sdk, Service::View, sdk.call(volume_view::NAMES, request)).await
}

/// Changes after `revision` of view `view_id`, as they happen.
pub async fn watch(
    sdk: &Sdk,
    revision: u64,
    view_id: &str,
) -> Result<Viewed<Answers<VolumeWatchEvent>>, AppError> {
    let request = VolumeWatchRequest {
        after_revision: revision,
        view_id: view_id.to_string(),
    };
    ask(sdk, Service::View, sdk.follow(volume_view::WATCH, request)).await
}

/// Whether console-server reaches the cluster, from its own shared check.
pub(super) async fn health(sdk: &Sdk) -> Result<Viewed<ViewHealthResponse>, AppError> {
    let call = sdk.call(volume_view::HEALTH, ViewHealthRequest {});
    ask(sdk, Service::Health, call).await
}
