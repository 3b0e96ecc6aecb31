//! Strategy 2: `POST virtualEndpoint/bulkActions` (`cloudPcBulkReprovision`) with the Cloud PC
//! ids, then the action's `status` and `actionSummary` followed until it completes.
//!
//! ## How per-device categories are settled
//!
//! Graph's `actionSummary` gives counts, not devices. The ledger stays per device (every device
//! in exactly one category; its counts are what the results view shows, with Graph's summary
//! beside them in [`super::outcome::BulkActionInfo`]):
//!
//! 1. Created: every device of the action is `Pending` (queued by Graph).
//! 2. Each poll reads the bulk action. When Graph counts more devices as settled (successful +
//!    failed + not supported) or in progress than the ledger does, the unsettled devices are
//!    read (Cloud PC + action history, batched, at most `max_reads_per_poll` per poll, least
//!    recently read first) and each is placed by its own reprovision action
//!    ([`super::follow::judge`]): active → `InProgress`, done → `Successful`, failed →
//!    `Failed` with the action's status detail, gone → `NotFound`.
//! 3. When the action completes, every still unsettled device is read. Those still
//!    inconclusive are settled by elimination when Graph's counts leave exactly one
//!    possibility (e.g. 2 devices left and 2 more `notSupportedCount` than the ledger has →
//!    both `NotSupported`, reason [`codes::FROM_SUMMARY`]); otherwise they become `Unknown`
//!    ([`codes::UNSETTLED`]) for [`super::follow::reconcile`] to check.
//!
//! Graph's `failedCount` covers devices the ledger calls `Failed` or `NotFound`.

use std::time::Duration;

use super::follow::{apply_sighting, observe};
use super::outcome::{codes, Category, Change, Reason, RunLedger};
use super::run_per_device::SendReport;
use super::sink::{CancelFlag, RunSink};
use crate::graph::calls;
use crate::graph::client::GraphClient;
use crate::graph::error::ErrorKind;
use crate::graph::models::{
    BulkActionStatus, CloudPcBulkAction, CloudPcBulkActionSummary, CloudPcBulkReprovision,
};
use crate::graph::parse;
use crate::graph::transport::{Sleeper, TokenProvider, Transport};

/// Timings and bounds of following a bulk action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkActionOptions {
    /// Wait between reads of the bulk action.
    pub poll_interval: Duration,
    /// Reads of the bulk action at most (then following stops; it can be resumed).
    pub max_polls: u32,
    /// Devices read per poll at most while the action runs.
    pub max_reads_per_poll: usize,
    /// Consecutive failed reads of the bulk action before following stops.
    pub max_poll_failures: u32,
}

impl Default for BulkActionOptions {
    fn default() -> Self {
        BulkActionOptions {
            poll_interval: Duration::from_secs(15),
            max_polls: 4 * 60 * 3,
            max_reads_per_poll: 100,
            max_poll_failures: 5,
        }
    }
}

/// How following the bulk action ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkEnd {
    /// Graph says the action completed; every device is settled.
    Completed,
    /// Following stopped first (rounds used up, stopped by the operator, or reads failing);
    /// the action goes on in Graph and can be followed again.
    StoppedFollowing(String),
    /// There was nothing to follow (creation failed or no device was pending).
    NotCreated,
}

/// What a bulk-action run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkActionReport {
    pub send: SendReport,
    pub bulk_action_id: Option<String>,
    pub polls: u32,
    pub end: BulkEnd,
}

/// Creates the bulk action for the devices of `ids` that are `Pending` in the sink's ledger
/// (named after the ledger's `display_name`), then follows it ([`follow_bulk_action`]).
pub async fn run_bulk_action<T, A, S, K>(
    client: &GraphClient<T, A, S>,
    sink: &K,
    ids: &[String],
    options: &BulkActionOptions,
    cancel: &CancelFlag,
) -> BulkActionReport
where
    T: Transport,
    A: TokenProvider,
    S: Sleeper,
    K: RunSink,
{
    sink.apply(Change::Started { at: sink.now() });
    let (display_name, chosen) = sink.with_ledger(|l| {
        let chosen: Vec<String> = ids
            .iter()
            .filter(|id| {
                l.device(id)
                    .is_some_and(|d| d.category == Category::Pending && !d.awaiting_answer)
            })
            .cloned()
            .collect();
        (l.display_name.clone(), chosen)
    });
    let send = SendReport {
        sent: chosen.len(),
        not_sent: ids.len() - chosen.len(),
        canceled: cancel.is_canceled(),
    };
    let mut report = BulkActionReport {
        send,
        bulk_action_id: None,
        polls: 0,
        end: BulkEnd::NotCreated,
    };
    if chosen.is_empty() || cancel.is_canceled() {
        report.send.sent = 0;
        report.send.not_sent = ids.len();
        sink.apply(Change::Finished { at: sink.now() });
        return report;
    }
    sink.apply(Change::Sent {
        ids: chosen.clone(),
        at: sink.now(),
    });
    let body = CloudPcBulkReprovision {
        display_name,
        cloud_pc_ids: chosen.clone(),
        scheduled_during_maintenance_window: false,
    };
    let created = client
        .send(&calls::create_bulk_reprovision(&body))
        .await
        .and_then(|resp| parse::bulk_action(&resp).map(|a| (resp, a)));
    let at = sink.now();
    match created {
        Ok((resp, action)) => {
            sink.apply(Change::BulkActionCreated {
                id: action.id.clone(),
                at,
            });
            let reason = Reason::accepted(
                &resp,
                format!(
                    "Queued in bulk action {} (HTTP {}).",
                    action.id, resp.status
                ),
            );
            for id in &chosen {
                sink.apply(Change::Device {
                    id: id.clone(),
                    to: Category::Pending,
                    reason: Some(reason.clone()),
                    at,
                });
            }
            report.bulk_action_id = Some(action.id.clone());
            if action.action_summary.is_some() || action.status.is_some() {
                sink.apply(Change::BulkActionRead {
                    status: action.status.as_ref().map(|s| s.as_str().to_owned()),
                    summary: action.action_summary,
                    at,
                });
            }
        }
        Err(e) => {
            let to = if e.outcome_unknown() {
                Category::Unknown
            } else {
                Category::Failed
            };
            let reason = Reason::from_error(&e);
            for id in &chosen {
                sink.apply(Change::Device {
                    id: id.clone(),
                    to,
                    reason: Some(reason.clone()),
                    at,
                });
            }
            sink.apply(Change::Finished { at: sink.now() });
            return report;
        }
    }
    let followed = follow_bulk_action(client, sink, options, cancel).await;
    report.polls = followed.polls;
    report.end = followed.end;
    report
}

/// Follows the ledger's bulk action until it completes (see the module documentation).
/// Read-only: used after creation, after a retry, and after a reload.
pub async fn follow_bulk_action<T, A, S, K>(
    client: &GraphClient<T, A, S>,
    sink: &K,
    options: &BulkActionOptions,
    cancel: &CancelFlag,
) -> BulkActionReport
where
    T: Transport,
    A: TokenProvider,
    S: Sleeper,
    K: RunSink,
{
    let mut report = BulkActionReport {
        send: SendReport::default(),
        bulk_action_id: sink.with_ledger(|l| l.bulk_action.as_ref().map(|b| b.id.clone())),
        polls: 0,
        end: BulkEnd::NotCreated,
    };
    let Some(action_id) = report.bulk_action_id.clone() else {
        return report;
    };
    sink.apply(Change::Started { at: sink.now() });
    let mut failures = 0u32;
    report.end = loop {
        if cancel.is_canceled() {
            break BulkEnd::StoppedFollowing("Stopped by the operator.".into());
        }
        if report.polls >= options.max_polls {
            break BulkEnd::StoppedFollowing(format!(
                "Stopped following after {} reads; the bulk action goes on in Graph.",
                report.polls
            ));
        }
        client.sleeper().sleep(options.poll_interval).await;
        report.polls += 1;
        let action = match client
            .send(&calls::get_bulk_action(&action_id))
            .await
            .and_then(|r| parse::bulk_action(&r))
        {
            Ok(a) => {
                failures = 0;
                a
            }
            Err(e) => {
                failures += 1;
                if e.kind == ErrorKind::NotFound || failures >= options.max_poll_failures {
                    break BulkEnd::StoppedFollowing(format!(
                        "The bulk action could not be read: {e}"
                    ));
                }
                continue;
            }
        };
        sink.apply(Change::BulkActionRead {
            status: action.status.as_ref().map(|s| s.as_str().to_owned()),
            summary: action.action_summary,
            at: sink.now(),
        });
        let completed = is_completed(&action);
        settle(client, sink, &action, completed, options.max_reads_per_poll).await;
        if completed {
            break BulkEnd::Completed;
        }
    };
    sink.apply(Change::Finished { at: sink.now() });
    report
}

/// Graph says the action is over: status `succeeded`/`failed` (or newer, not `pending`) and
/// nothing pending or in progress in its summary.
pub fn is_completed(action: &CloudPcBulkAction) -> bool {
    let status_done = match &action.status {
        Some(BulkActionStatus::Pending) | None => false,
        Some(_) => true,
    };
    status_done
        && action
            .action_summary
            .as_ref()
            .is_none_or(CloudPcBulkActionSummary::is_settled)
}

/// The ledger devices that belong to the bulk action: its `cloudPcIds` when Graph lists them,
/// else every device sent at least once.
pub fn members(ledger: &RunLedger, action: &CloudPcBulkAction) -> Vec<String> {
    ledger
        .devices()
        .iter()
        .filter(|d| {
            if action.cloud_pc_ids.is_empty() {
                d.attempts > 0
            } else {
                action
                    .cloud_pc_ids
                    .iter()
                    .any(|id| id.eq_ignore_ascii_case(&d.target.cloud_pc_id))
            }
        })
        .map(|d| d.target.cloud_pc_id.clone())
        .collect()
}

/// Ledger counts over `members` in Graph's terms: (successful, failed incl. not found,
/// not supported, in progress, unsettled ids least recently read first).
fn ledger_view(ledger: &RunLedger, members: &[String]) -> (u32, u32, u32, u32, Vec<String>) {
    let (mut ok, mut failed, mut ns, mut running) = (0, 0, 0, 0);
    let mut unsettled = Vec::new();
    for id in members {
        let Some(d) = ledger.device(id) else { continue };
        match d.category {
            Category::Successful => ok += 1,
            Category::Failed | Category::NotFound => failed += 1,
            Category::NotSupported => ns += 1,
            Category::InProgress => {
                running += 1;
                unsettled.push((d.tracking.as_ref().map(|t| t.checked_at), id.clone()));
            }
            Category::Pending | Category::Unknown => {
                unsettled.push((d.tracking.as_ref().map(|t| t.checked_at), id.clone()))
            }
        }
    }
    unsettled.sort();
    (
        ok,
        failed,
        ns,
        running,
        unsettled.into_iter().map(|(_, id)| id).collect(),
    )
}

async fn settle<T, A, S, K>(
    client: &GraphClient<T, A, S>,
    sink: &K,
    action: &CloudPcBulkAction,
    completed: bool,
    max_reads: usize,
) where
    T: Transport,
    A: TokenProvider,
    S: Sleeper,
    K: RunSink,
{
    let summary = action.action_summary.unwrap_or_default();
    let members = sink.with_ledger(|l| members(l, action));
    let (ok, failed, ns, running, unsettled) = sink.with_ledger(|l| ledger_view(l, &members));
    if unsettled.is_empty() {
        return;
    }
    let graph_settled =
        summary.successful_count + summary.failed_count + summary.not_supported_count;
    let needs_read =
        completed || graph_settled > ok + failed + ns || summary.in_progress_count != running;
    if needs_read {
        let take = if completed {
            unsettled.len()
        } else {
            max_reads.min(unsettled.len())
        };
        for (id, sighting) in observe(client, &unsettled[..take]).await {
            apply_sighting(sink, &id, &sighting);
        }
    }
    if !completed {
        return;
    }
    let (ok, failed, ns, _, unsettled) = sink.with_ledger(|l| ledger_view(l, &members));
    if unsettled.is_empty() {
        return;
    }
    let deltas = [
        (
            Category::Successful,
            summary.successful_count.saturating_sub(ok),
        ),
        (
            Category::Failed,
            summary.failed_count.saturating_sub(failed),
        ),
        (
            Category::NotSupported,
            summary.not_supported_count.saturating_sub(ns),
        ),
    ];
    let positive: Vec<_> = deltas.iter().filter(|(_, n)| *n > 0).collect();
    let at = sink.now();
    let (to, reason) = match positive.as_slice() {
        [(category, n)] if *n as usize == unsettled.len() => (
            *category,
            Reason::console(
                codes::FROM_SUMMARY,
                format!(
                    "Graph's bulk action counts leave only this outcome for the device ({} more {} than the devices read).",
                    n,
                    category.label().to_lowercase()
                ),
            ),
        ),
        _ => (
            Category::Unknown,
            Reason::console(
                codes::UNSETTLED,
                "The bulk action completed but this device's own outcome could not be read; reconcile to check it.",
            ),
        ),
    };
    for id in unsettled {
        sink.apply(Change::Device {
            id,
            to,
            reason: Some(reason.clone()),
            at,
        });
    }
}

#[cfg(test)]
mod tests;
