//! Which cluster answers an SDK call: the one its `x-openstorage-cluster` metadata names, the
//! first without it. An unknown name is NOT_FOUND with the names served, never another
//! cluster's answer.

use axum::extract::Request;
use axum::response::IntoResponse;
use axum::Router;
use tower::ServiceExt;

use super::service::FleetService;
use super::Cluster;
use console_model::CLUSTER_HEADER;

/// One router for every cluster's SDK, and the Fleet service that lists them. A call naming
/// no cluster reaches the first, as before there were several.
pub fn router(clusters: &[Cluster]) -> Router {
    let named: Vec<(String, Router)> = clusters
        .iter()
        .map(|c| (c.name.clone(), c.sdk.clone()))
        .collect();
    let fleet = FleetService::new(
        clusters
            .iter()
            .map(|c| (c.name.clone(), c.health.is_upstream())),
    );
    let sdks = Router::new().fallback(move |mut req: Request| {
        let target = pick(&named, &req);
        // Addressed to this console: not forwarded, or an upstream console-server would
        // look for a cluster of that name among its own.
        req.headers_mut().remove(CLUSTER_HEADER);
        async move {
            match target {
                Ok(sdk) => match sdk.oneshot(req).await {
                    Ok(response) => response,
                    Err(never) => match never {},
                },
                Err(status) => status.into_http::<tonic::body::Body>().into_response(),
            }
        }
    });
    tonic::service::Routes::new(fleet.server())
        .into_axum_router()
        .fallback_service(sdks)
}

fn pick(named: &[(String, Router)], req: &Request) -> Result<Router, tonic::Status> {
    let Some(value) = req.headers().get(CLUSTER_HEADER) else {
        return Ok(named[0].1.clone());
    };
    let wanted = value.to_str().unwrap_or_default().trim();
    named
        .iter()
        .find(|(name, _)| name == wanted)
        .map(|(_, sdk)| sdk.clone())
        .ok_or_else(|| {
            let served: Vec<&str> = named.iter().map(|(n, _)| n.as_str()).collect();
            tonic::Status::not_found(format!(
                "this console serves no cluster named {wanted:?}; it serves {}",
                served.join(", ")
            ))
        })
}
