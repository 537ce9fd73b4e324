//! Storage pool resizes and the cluster's jobs (diagnostics collection), as a Portworx cluster
//! runs them: a resize is in progress for a few seconds, then the pool has its new size; a
//! diagnostics job runs per node, then is done, unless cancelled or paused.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use crate::proto::diags_collection_status::State as NodeDiagsState;
use crate::proto::job::State as JobState;
use crate::proto::sdk_storage_pool::{OperationStatus, OperationType, ResizeOperationType};
use crate::proto::*;

const GIB: u64 = 1 << 30;
/// How long a resize takes, and diagnostics collection per node.
pub const RESIZE_TAKES: Duration = Duration::from_secs(4);
pub const DIAGS_PER_NODE: Duration = Duration::from_secs(4);

#[derive(Debug, Clone)]
pub struct Resize {
    pub from: u64,
    pub to: u64,
    started: Instant,
    how: ResizeOperationType,
}

impl Resize {
    pub fn done(&self, now: Instant) -> bool {
        now.duration_since(self.started) >= RESIZE_TAKES
    }

    /// What the pool reports as its last operation.
    pub fn operation(&self, now: Instant) -> StoragePoolOperation {
        let (status, msg) = if self.done(now) {
            (
                OperationStatus::OperationSuccessful,
                format!("Resized pool to {} GiB", self.to / GIB),
            )
        } else {
            (
                OperationStatus::OperationInProgress,
                format!(
                    "Resizing pool from {} GiB to {} GiB",
                    self.from / GIB,
                    self.to / GIB
                ),
            )
        };
        let how = match self.how {
            ResizeOperationType::ResizeTypeAddDisk => "add-disk",
            ResizeOperationType::ResizeTypeResizeDisk => "resize-disk",
            ResizeOperationType::ResizeTypeAuto => "auto",
        };
        StoragePoolOperation {
            r#type: OperationType::OperationResize as i32,
            msg,
            params: [("operation".to_string(), how.to_string())].into(),
            status: status as i32,
        }
    }
}

/// The size a resize asks for, in bytes, or why it cannot be done: the SDK's `size` is the new
/// size in GiB, `percentage` grows the pool by that share of its size.
pub fn target(current: u64, request: &SdkStoragePoolResizeRequest) -> Result<u64, String> {
    use sdk_storage_pool_resize_request::ResizeFactor;
    let to = match request.resize_factor {
        Some(ResizeFactor::Size(gib)) => gib.saturating_mul(GIB),
        Some(ResizeFactor::Percentage(0)) | None => {
            return Err("give a new size or a percentage to grow by".into())
        }
        Some(ResizeFactor::Percentage(p)) => {
            current.saturating_add((u128::from(current) * u128::from(p) / 100) as u64)
        }
    };
    if to <= current {
        return Err(format!(
            "the new size {} GiB is not larger than the pool's {} GiB",
            to / GIB,
            current / GIB
        ));
    }
    Ok(to)
}

#[derive(Debug, Clone)]
pub struct DiagsRun {
    pub job: Job,
    started: Instant,
    /// Time spent before the last pause or cancel, and when it stopped running.
    held: Option<(Duration, Instant)>,
    nodes: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Operations {
    /// Per node id: its pool's resize.
    pub resizes: HashMap<String, Resize>,
    /// Jobs by id, in creation order.
    pub jobs: BTreeMap<String, DiagsRun>,
}

impl Operations {
    pub fn start_resize(
        &mut self,
        node: &str,
        from: u64,
        to: u64,
        how: ResizeOperationType,
        now: Instant,
    ) -> Result<(), String> {
        if self.resizes.get(node).is_some_and(|r| !r.done(now)) {
            return Err("a resize of this pool is already in progress".into());
        }
        let resize = Resize {
            from,
            to,
            started: now,
            how,
        };
        self.resizes.insert(node.to_string(), resize);
        Ok(())
    }

    /// A diagnostics job for `nodes`, running from `now`.
    pub fn collect_diags(
        &mut self,
        request: SdkDiagsCollectRequest,
        nodes: Vec<String>,
        at: prost_types::Timestamp,
        now: Instant,
    ) -> Job {
        let id = format!("diags-{:04}", self.jobs.len() + 1);
        let job = Job {
            id: id.clone(),
            state: JobState::Running as i32,
            r#type: job::Type::CollectDiags as i32,
            create_time: Some(at),
            last_update_time: Some(at),
            job: Some(job::Job::CollectDiags(CollectDiagsJob {
                request: Some(request),
                statuses: Vec::new(),
            })),
        };
        let run = DiagsRun {
            job,
            started: now,
            held: None,
            nodes,
        };
        self.jobs.insert(id.clone(), run);
        self.job(&id, now).expect("just inserted")
    }

    /// The job as it stands at `now`.
    pub fn job(&self, id: &str, now: Instant) -> Option<Job> {
        let run = self.jobs.get(id)?;
        let mut job = run.job.clone();
        let ran = match run.held {
            Some((ran, _)) => ran,
            None => now.duration_since(run.started),
        };
        let running = job.state == JobState::Running as i32;
        if running && ran >= DIAGS_PER_NODE * run.nodes.len() as u32 {
            job.state = JobState::Done as i32;
        }
        // Nodes are collected one after another.
        let share = DIAGS_PER_NODE;
        let statuses = run
            .nodes
            .iter()
            .enumerate()
            .map(|(i, node)| {
                let begins = share * i as u32;
                let (state, message) = if ran >= begins + share {
                    (NodeDiagsState::Done, format!("diags of {node} collected"))
                } else if ran >= begins && running {
                    (
                        NodeDiagsState::Running,
                        format!("collecting diags of {node}"),
                    )
                } else {
                    (NodeDiagsState::Pending, String::new())
                };
                DiagsCollectionStatus {
                    node: node.clone(),
                    state: state as i32,
                    message,
                }
            })
            .collect();
        if let Some(job::Job::CollectDiags(diags)) = &mut job.job {
            diags.statuses = statuses;
        }
        Some(job)
    }

    pub fn jobs(&self, now: Instant) -> Vec<Job> {
        self.jobs
            .keys()
            .filter_map(|id| self.job(id, now))
            .collect()
    }

    /// Pauses, resumes or cancels a job.
    pub fn update_job(
        &mut self,
        id: &str,
        wanted: JobState,
        at: prost_types::Timestamp,
        now: Instant,
    ) -> Result<(), String> {
        let current = self
            .job(id, now)
            .ok_or_else(|| format!("job {id} not found"))?
            .state;
        let run = self.jobs.get_mut(id).expect("found above");
        let finished = [JobState::Done, JobState::Cancelled, JobState::Failed]
            .iter()
            .any(|s| *s as i32 == current);
        if finished {
            return Err(format!("job {id} has finished and cannot change"));
        }
        match wanted {
            JobState::Paused | JobState::Cancelled => {
                if run.held.is_none() {
                    run.held = Some((now.duration_since(run.started), now));
                }
            }
            JobState::Running => {
                if let Some((ran, _)) = run.held.take() {
                    run.started = now - ran;
                }
            }
            _ => return Err("a job can be paused, resumed (running) or cancelled".into()),
        }
        run.job.state = wanted as i32;
        run.job.last_update_time = Some(at);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sdk_storage_pool_resize_request::ResizeFactor;

    fn request(factor: ResizeFactor) -> SdkStoragePoolResizeRequest {
        SdkStoragePoolResizeRequest {
            uuid: "p".into(),
            resize_factor: Some(factor),
            ..Default::default()
        }
    }

    #[test]
    fn a_resize_grows_by_size_or_percentage() {
        let tib = 1024 * GIB;
        assert_eq!(target(tib, &request(ResizeFactor::Size(2048))), Ok(2 * tib));
        assert_eq!(
            target(tib, &request(ResizeFactor::Percentage(50))),
            Ok(tib + tib / 2)
        );
        assert!(target(tib, &request(ResizeFactor::Size(1024)))
            .unwrap_err()
            .contains("not larger"));
        assert!(target(tib, &request(ResizeFactor::Percentage(0))).is_err());
    }

    #[test]
    fn a_diags_job_runs_node_by_node_unless_paused() {
        let t0 = Instant::now();
        let mut ops = Operations::default();
        let at = prost_types::Timestamp::default();
        let nodes = vec!["a".to_string(), "b".to_string()];
        let job = ops.collect_diags(SdkDiagsCollectRequest::default(), nodes, at, t0);
        assert_eq!(job.state, JobState::Running as i32);
        let later = ops
            .job(&job.id, t0 + DIAGS_PER_NODE + Duration::from_millis(1))
            .unwrap();
        let Some(job::Job::CollectDiags(d)) = later.job else {
            panic!()
        };
        assert_eq!(d.statuses[0].state, NodeDiagsState::Done as i32);
        assert_eq!(d.statuses[1].state, NodeDiagsState::Running as i32);
        ops.update_job(&job.id, JobState::Paused, at, t0 + Duration::from_secs(1))
            .unwrap();
        let paused = ops.job(&job.id, t0 + Duration::from_secs(60)).unwrap();
        assert_eq!(paused.state, JobState::Paused as i32);
        ops.update_job(&job.id, JobState::Running, at, t0 + Duration::from_secs(60))
            .unwrap();
        assert_eq!(
            ops.job(&job.id, t0 + Duration::from_secs(62))
                .unwrap()
                .state,
            JobState::Running as i32
        );
        assert_eq!(
            ops.job(&job.id, t0 + Duration::from_secs(66))
                .unwrap()
                .state,
            JobState::Running as i32,
            "1 s before the pause, 5 s since: 2 s to go"
        );
        assert_eq!(
            ops.job(&job.id, t0 + Duration::from_secs(67))
                .unwrap()
                .state,
            JobState::Done as i32
        );
        assert!(ops
            .update_job(
                &job.id,
                JobState::Cancelled,
                at,
                t0 + Duration::from_secs(67)
            )
            .is_err());
    }
}
