//! A whole run as the console drives it: from the confirmation ([`drive`]: send by the run's
//! strategy, settle what came back unclear, follow the devices until they are provisioned again
//! or failed) and from a journal after a reload ([`resume`]: settle what the reload left open,
//! then go on following). Resuming only reads: it never sends a reprovision.

use super::follow::{follow, reconcile, FollowReport, ReconcileReport};
use super::outcome::Category;
use super::pace::RunPace;
use super::run_bulk_action::{follow_bulk_action, run_bulk_action};
use super::run_per_device::{run_per_device, DEFAULT_BATCHES_IN_FLIGHT};
use super::run_seed::run_seed;
use super::sink::{CancelFlag, RunSink};
use super::strategy::Strategy;
use crate::graph::client::GraphClient;
use crate::graph::transport::{Sleeper, TokenProvider, Transport};

/// Reconcile rounds at most for devices that are still unknown because their request is too
/// recent to conclude (each round waits the pace's `reconcile.min_age` first).
pub const RECONCILE_ROUNDS: u32 = 3;

/// What driving or resuming did after the requests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DriveReport {
    /// Devices that the reload found never sent, now `Failed` ("not sent").
    pub never_sent: Vec<String>,
    /// Every reconcile round, in order.
    pub reconciled: Vec<ReconcileReport>,
    pub followed: Option<FollowReport>,
}

/// Sends the reprovisions of the ledger's never-sent pending devices by its strategy, then
/// [`settle_and_follow`].
pub async fn drive<T, A, S, K>(
    client: &GraphClient<T, A, S>,
    sink: &K,
    pace: &RunPace,
    cancel: &CancelFlag,
) -> DriveReport
where
    T: Transport,
    A: TokenProvider,
    S: Sleeper,
    K: RunSink,
{
    let (strategy, ids) = sink.with_ledger(|l| {
        let ids: Vec<String> = l
            .devices()
            .iter()
            .filter(|d| d.never_sent())
            .map(|d| d.target.cloud_pc_id.clone())
            .collect();
        (l.strategy, ids)
    });
    match strategy {
        Strategy::PerDevice => {
            run_per_device(client, sink, &ids, DEFAULT_BATCHES_IN_FLIGHT, cancel).await;
        }
        Strategy::BulkAction => {
            run_bulk_action(client, sink, &ids, &pace.bulk_action, cancel).await;
        }
        Strategy::SeedBulk => {
            run_seed(client, sink, &ids).await;
        }
    }
    settle_and_follow(client, sink, pace, cancel).await
}

/// After a reload: devices never sent become `Failed` ("not sent"; only the operator may send
/// them), then [`settle_and_follow`]. Expects the ledger from [`super::journal::RunJournal::restore`]
/// (requests that were on the wire already `Unknown`).
pub async fn resume<T, A, S, K>(
    client: &GraphClient<T, A, S>,
    sink: &K,
    pace: &RunPace,
    cancel: &CancelFlag,
) -> DriveReport
where
    T: Transport,
    A: TokenProvider,
    S: Sleeper,
    K: RunSink,
{
    let never_sent = sink.with_ledger(|l| {
        l.devices()
            .iter()
            .filter(|d| d.never_sent())
            .map(|d| d.target.cloud_pc_id.clone())
            .collect::<Vec<_>>()
    });
    let at = sink.now();
    for id in &never_sent {
        sink.apply(super::outcome::Change::Device {
            id: id.clone(),
            to: Category::Failed,
            reason: Some(super::outcome::Reason::console(
                super::outcome::codes::NOT_SENT,
                "The page was closed or reloaded before this device's reprovision was sent: \
                 nothing was sent for it. Run it again if it still needs reprovisioning.",
            )),
            at,
        });
    }
    let mut report = settle_and_follow(client, sink, pace, cancel).await;
    report.never_sent = never_sent;
    report
}

/// Reconciles `Unknown` devices (GETs only; again after `min_age` while some are too recent to
/// conclude, at most [`RECONCILE_ROUNDS`] times), then follows: the bulk action when the run
/// has one, else the devices themselves.
pub async fn settle_and_follow<T, A, S, K>(
    client: &GraphClient<T, A, S>,
    sink: &K,
    pace: &RunPace,
    cancel: &CancelFlag,
) -> DriveReport
where
    T: Transport,
    A: TokenProvider,
    S: Sleeper,
    K: RunSink,
{
    let mut report = DriveReport::default();
    for round in 0..RECONCILE_ROUNDS {
        if cancel.is_canceled() || sink.with_ledger(|l| l.counts().unknown == 0) {
            break;
        }
        if round > 0 {
            client.sleeper().sleep(pace.reconcile.min_age).await;
        }
        let r = reconcile(client, sink, &pace.reconcile).await;
        let again = !r.still_unknown.is_empty();
        report.reconciled.push(r);
        if !again {
            break;
        }
    }
    if cancel.is_canceled() {
        return report;
    }
    let bulk_action = sink.with_ledger(|l| {
        l.strategy == Strategy::BulkAction
            && l.bulk_action.is_some()
            && l.devices()
                .iter()
                .any(|d| matches!(d.category, Category::Pending | Category::InProgress))
    });
    if bulk_action {
        follow_bulk_action(client, sink, &pace.bulk_action, cancel).await;
        // The bulk action may leave devices unknown (their own outcome unreadable).
        if sink.with_ledger(|l| l.counts().unknown > 0) && !cancel.is_canceled() {
            report
                .reconciled
                .push(reconcile(client, sink, &pace.reconcile).await);
        }
    }
    report.followed = Some(follow(client, sink, &pace.follow, cancel).await);
    report
}

#[cfg(test)]
mod tests;
