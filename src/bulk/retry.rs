//! Retrying: which devices a retry may include, and carrying it out once the operator approved.
//!
//! - Eligible: `Failed` devices (including `Unknown` ones that [`super::follow::reconcile`]
//!   found not started: they are `Failed` with [`codes::NOT_STARTED`]).
//! - Never: `Unknown` (check first), `Pending`/`InProgress` (outstanding), `Successful`,
//!   `NotFound`, `NotSupported`.
//! - Bulk action: `bulkActions/{id}/retry`, with `cloudPcIds` for a chosen subset, or without a
//!   body for every failed device — refused while the run has `Unknown` devices, since Graph
//!   could then re-send one that may already be reprovisioning.
//! - Other strategies: the chosen devices go back to `Pending` and are run again.

use super::outcome::{codes, Category, Change, Reason, RunLedger};
use super::run_bulk_action::{follow_bulk_action, BulkActionOptions, BulkActionReport};
use super::run_per_device::{run_per_device, SendReport};
use super::run_seed::run_seed;
use super::sink::{CancelFlag, RunSink};
use super::strategy::Strategy;
use crate::graph::calls;
use crate::graph::client::GraphClient;
use crate::graph::request::GraphRequest;
use crate::graph::transport::{Sleeper, TokenProvider, Transport};

/// Why a device cannot be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotRetryable {
    NotInRun,
    /// `Unknown`: reconcile first.
    NeedsCheck,
    /// Still pending or in progress.
    Outstanding,
    /// Successful, not found or not supported.
    Settled(Category),
}

impl NotRetryable {
    pub fn describe(self) -> String {
        match self {
            NotRetryable::NotInRun => "not a device of this run".into(),
            NotRetryable::NeedsCheck => {
                "its outcome is unknown: check it (reconcile) before re-sending".into()
            }
            NotRetryable::Outstanding => "its reprovision is still pending or in progress".into(),
            NotRetryable::Settled(c) => format!("it is {}", c.label().to_lowercase()),
        }
    }
}

/// Whether device `id` may be retried.
pub fn retryable(ledger: &RunLedger, id: &str) -> Result<(), NotRetryable> {
    let d = ledger.device(id).ok_or(NotRetryable::NotInRun)?;
    match d.category {
        Category::Failed => Ok(()),
        Category::Unknown => Err(NotRetryable::NeedsCheck),
        Category::Pending | Category::InProgress => Err(NotRetryable::Outstanding),
        c => Err(NotRetryable::Settled(c)),
    }
}

/// Every retryable device (the default selection).
pub fn retry_candidates(ledger: &RunLedger) -> Vec<String> {
    ledger.ids_in(Category::Failed)
}

/// Devices that reconcile found not started (a subset of the candidates the UI may highlight).
pub fn not_started(ledger: &RunLedger) -> Vec<String> {
    ledger
        .in_category(Category::Failed)
        .into_iter()
        .filter(|d| {
            d.reason
                .as_ref()
                .is_some_and(|r| r.is_console(codes::NOT_STARTED))
        })
        .map(|d| d.target.cloud_pc_id.clone())
        .collect()
}

/// Never-sent `Pending` devices (a stopped or reloaded run), which a resume may send.
pub fn resumable(ledger: &RunLedger) -> Vec<String> {
    ledger
        .devices()
        .iter()
        .filter(|d| d.never_sent() && !d.awaiting_answer)
        .map(|d| d.target.cloud_pc_id.clone())
        .collect()
}

/// A retry the operator can approve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetryPlan {
    /// `POST bulkActions/{id}/retry`; `cloud_pc_ids: None` retries every failed device.
    BulkAction {
        bulk_action_id: String,
        cloud_pc_ids: Option<Vec<String>>,
        /// The ledger devices it affects.
        devices: Vec<String>,
    },
    /// Run these devices again with the run's strategy and parameters.
    ReRun {
        strategy: Strategy,
        devices: Vec<String>,
    },
}

impl RetryPlan {
    pub fn devices(&self) -> &[String] {
        match self {
            RetryPlan::BulkAction { devices, .. } | RetryPlan::ReRun { devices, .. } => devices,
        }
    }

    /// The request a bulk-action retry sends (none for a re-run: its requests are the
    /// strategy's).
    pub fn request(&self) -> Option<GraphRequest> {
        match self {
            RetryPlan::BulkAction {
                bulk_action_id,
                cloud_pc_ids,
                ..
            } => Some(calls::retry_bulk_action(
                bulk_action_id,
                cloud_pc_ids.as_deref(),
            )),
            RetryPlan::ReRun { .. } => None,
        }
    }
}

/// Why no retry plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetryError {
    NothingToRetry,
    /// Some chosen devices cannot be retried.
    NotRetryable(Vec<(String, NotRetryable)>),
    /// "Retry all failed" while some devices are unknown.
    ReconcileFirst(Vec<String>),
}

/// Plans a retry of `selection` (or, with `None`, of every failed device).
pub fn plan_retry(
    ledger: &RunLedger,
    selection: Option<&[String]>,
) -> Result<RetryPlan, RetryError> {
    let devices: Vec<String> = match selection {
        Some(ids) => {
            let refused: Vec<(String, NotRetryable)> = ids
                .iter()
                .filter_map(|id| retryable(ledger, id).err().map(|e| (id.clone(), e)))
                .collect();
            if !refused.is_empty() {
                return Err(RetryError::NotRetryable(refused));
            }
            let mut unique = Vec::new();
            for id in ids {
                if !unique.contains(id) {
                    unique.push(id.clone());
                }
            }
            unique
        }
        None => retry_candidates(ledger),
    };
    if devices.is_empty() {
        return Err(RetryError::NothingToRetry);
    }
    if ledger.strategy != Strategy::BulkAction {
        return Ok(RetryPlan::ReRun {
            strategy: ledger.strategy,
            devices,
        });
    }
    // The bulk action was never created (its creation failed): create it again for them.
    let Some(info) = &ledger.bulk_action else {
        return Ok(RetryPlan::ReRun {
            strategy: Strategy::BulkAction,
            devices,
        });
    };
    let cloud_pc_ids = match selection {
        Some(_) => Some(devices.clone()),
        None => {
            let unknown = ledger.ids_in(Category::Unknown);
            if !unknown.is_empty() {
                return Err(RetryError::ReconcileFirst(unknown));
            }
            None
        }
    };
    Ok(RetryPlan::BulkAction {
        bulk_action_id: info.id.clone(),
        cloud_pc_ids,
        devices,
    })
}

/// Puts the plan's devices back to `Pending` (the operator approved).
pub fn begin_retry<K: RunSink>(sink: &K, plan: &RetryPlan) {
    let at = sink.now();
    for id in plan.devices() {
        sink.apply(Change::Device {
            id: id.clone(),
            to: Category::Pending,
            reason: None,
            at,
        });
    }
}

/// What a retry did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetryReport {
    ReRun(SendReport),
    /// A bulk-action run whose action was never created: created again.
    ReCreated(BulkActionReport),
    BulkAction(BulkActionReport),
    /// The retry request itself failed (devices are `Failed` again, or `Unknown` if unclear).
    BulkRetryFailed(Reason),
}

/// Carries out an approved plan: back to `Pending`, then the strategy's requests (re-run) or
/// `bulkActions/{id}/retry` followed by following the action.
pub async fn run_retry<T, A, S, K>(
    client: &GraphClient<T, A, S>,
    sink: &K,
    plan: &RetryPlan,
    options: &BulkActionOptions,
    cancel: &CancelFlag,
) -> RetryReport
where
    T: Transport,
    A: TokenProvider,
    S: Sleeper,
    K: RunSink,
{
    begin_retry(sink, plan);
    match plan {
        RetryPlan::ReRun { strategy, devices } => match strategy {
            Strategy::PerDevice => RetryReport::ReRun(
                run_per_device(
                    client,
                    sink,
                    devices,
                    super::run_per_device::DEFAULT_BATCHES_IN_FLIGHT,
                    cancel,
                )
                .await,
            ),
            Strategy::SeedBulk => RetryReport::ReRun(run_seed(client, sink, devices).await),
            Strategy::BulkAction => RetryReport::ReCreated(
                super::run_bulk_action::run_bulk_action(client, sink, devices, options, cancel)
                    .await,
            ),
        },
        RetryPlan::BulkAction { devices, .. } => {
            let request = plan.request().expect("a bulk action plan has a request");
            sink.apply(Change::Sent {
                ids: devices.clone(),
                at: sink.now(),
            });
            let answer = client.send(&request).await;
            let at = sink.now();
            match answer {
                Ok(resp) => {
                    let reason = Reason::accepted(
                        &resp,
                        format!("Graph accepted the retry (HTTP {}).", resp.status),
                    );
                    for id in devices {
                        sink.apply(Change::Device {
                            id: id.clone(),
                            to: Category::Pending,
                            reason: Some(reason.clone()),
                            at,
                        });
                    }
                    RetryReport::BulkAction(follow_bulk_action(client, sink, options, cancel).await)
                }
                Err(e) => {
                    let to = if e.outcome_unknown() {
                        Category::Unknown
                    } else {
                        Category::Failed
                    };
                    let reason = Reason::from_error(&e);
                    for id in devices {
                        sink.apply(Change::Device {
                            id: id.clone(),
                            to,
                            reason: Some(reason.clone()),
                            at,
                        });
                    }
                    RetryReport::BulkRetryFailed(reason)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
