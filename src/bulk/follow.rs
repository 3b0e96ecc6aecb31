//! After the requests: reading the devices (status and remote action results) until they are
//! provisioned again or failed ([`follow`]), and settling `Unknown` devices ([`reconcile`]).
//! Nothing here sends a destructive request: only GETs.
//!
//! The run's reprovision is the latest `Reprovision` remote action result that started after
//! the device's request went out (less [`CLOCK_SLACK_MS`] for clock skew), from
//! `retrieveCloudPcRemoteActionResults` or the Cloud PC's `lastRemoteActionResult`.

use std::time::Duration;

use super::outcome::{codes, Category, Change, FollowPhase, Reason, RunLedger, Tracking};
use super::sink::{CancelFlag, RunSink};
use super::strategy::Strategy;
use super::time::{iso8601, parse_iso8601, Millis};
use crate::graph::calls;
use crate::graph::client::GraphClient;
use crate::graph::error::{ErrorKind, GraphError};
use crate::graph::models::{ActionState, CloudPc, CloudPcRemoteActionResult, CloudPcStatus};
use crate::graph::parse;
use crate::graph::transport::{Sleeper, TokenProvider, Transport};

/// Tolerated difference between the browser's clock and Graph's.
pub const CLOCK_SLACK_MS: Millis = 2 * 60 * 1000;

/// What one read of a device says about the run's reprovision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// No reprovision since the request and the status is as before (`provisioned`/`failed`).
    NotStarted,
    /// The reprovision is `pending`.
    Queued,
    /// The reprovision is `active`, or the status is `provisioning`.
    Running,
    /// The reprovision is `done` (or the device is provisioned again after running).
    Done,
    /// The reprovision failed or was canceled.
    Failed(Reason),
    /// Graph says the reprovision is not supported for the device.
    NotSupported(Reason),
    /// The Cloud PC does not exist (404).
    Gone(Reason),
    /// Nothing conclusive (another status, or the device could not be read).
    Unclear(String),
}

/// One device read: the Cloud PC and its action history (each may have failed).
#[derive(Debug, Clone)]
pub struct Sighting {
    pub pc: Result<CloudPc, GraphError>,
    pub actions: Result<Vec<CloudPcRemoteActionResult>, GraphError>,
}

/// The run's reprovision among `actions` and `pc.lastRemoteActionResult`: the latest
/// `Reprovision` started (or, without a start, updated) at or after `since - CLOCK_SLACK_MS`.
pub fn run_action<'a>(
    pc: Option<&'a CloudPc>,
    actions: &'a [CloudPcRemoteActionResult],
    since: Millis,
) -> Option<&'a CloudPcRemoteActionResult> {
    let floor = since.saturating_sub(CLOCK_SLACK_MS);
    let when = |a: &CloudPcRemoteActionResult| {
        a.start_date_time
            .as_deref()
            .and_then(parse_iso8601)
            .or_else(|| a.last_updated_date_time.as_deref().and_then(parse_iso8601))
    };
    actions
        .iter()
        .chain(pc.and_then(|p| p.last_remote_action_result.as_ref()))
        .filter(|a| a.is_action("reprovision"))
        .filter_map(|a| when(a).filter(|t| *t >= floor).map(|t| (t, a)))
        .max_by_key(|(t, _)| *t)
        .map(|(_, a)| a)
}

/// Judges a sighting. `since`: when the device's request went out; `previous`: the last
/// tracking (a device seen running and now `provisioned` without an action record is done).
pub fn judge(
    sighting: &Sighting,
    since: Millis,
    previous: Option<&Tracking>,
    now: Millis,
) -> (Verdict, Tracking) {
    let mut tracking = Tracking {
        phase: FollowPhase::Unclear,
        status: None,
        action_state: None,
        action_started: None,
        action_updated: None,
        detail: None,
        checked_at: now,
    };
    let pc = match &sighting.pc {
        Ok(pc) => pc,
        Err(e) if e.kind == ErrorKind::NotFound => {
            tracking.phase = FollowPhase::Gone;
            return (Verdict::Gone(Reason::from_error(e)), tracking);
        }
        Err(e) => {
            tracking.detail = Some(e.to_string());
            return (
                Verdict::Unclear(format!("The Cloud PC could not be read: {e}")),
                tracking,
            );
        }
    };
    tracking.status = pc.status.as_ref().map(|s| s.as_str().to_owned());
    let actions: &[CloudPcRemoteActionResult] = sighting.actions.as_deref().unwrap_or(&[]);
    let action = run_action(Some(pc), actions, since);
    if let Some(a) = action {
        tracking.action_state = a.action_state.as_ref().map(|s| s.as_str().to_owned());
        tracking.action_started = a.start_date_time.clone();
        tracking.action_updated = a.last_updated_date_time.clone();
        tracking.detail = a.detail().map(|d| d.summary()).filter(|s| !s.is_empty());
    }
    let detail_reason = |fallback: &str| {
        let d = action.and_then(|a| a.detail());
        Reason {
            source: super::outcome::ReasonSource::Graph,
            code: d
                .and_then(|d| d.code.clone())
                .or_else(|| Some(codes::ACTION_FAILED.to_owned())),
            message: d
                .and_then(|d| d.message.clone())
                .unwrap_or_else(|| fallback.to_owned()),
            ..Reason::default()
        }
    };
    let verdict = match action.and_then(|a| a.action_state.as_ref()) {
        Some(ActionState::Pending) => Verdict::Queued,
        Some(ActionState::Active) => Verdict::Running,
        Some(ActionState::Done) => Verdict::Done,
        Some(ActionState::Failed) => Verdict::Failed(detail_reason("The reprovision failed.")),
        Some(ActionState::Canceled) => {
            Verdict::Failed(detail_reason("The reprovision was canceled."))
        }
        Some(ActionState::NotSupported) => Verdict::NotSupported(detail_reason(
            "Graph reports the reprovision as not supported for this Cloud PC.",
        )),
        _ => by_status(pc, previous, sighting.actions.is_ok()),
    };
    tracking.phase = match &verdict {
        Verdict::NotStarted | Verdict::Queued => FollowPhase::Waiting,
        Verdict::Running => FollowPhase::Running,
        Verdict::Done => FollowPhase::Provisioned,
        Verdict::Failed(_) | Verdict::NotSupported(_) => FollowPhase::Failed,
        Verdict::Gone(_) => FollowPhase::Gone,
        Verdict::Unclear(_) => FollowPhase::Unclear,
    };
    (verdict, tracking)
}

fn by_status(pc: &CloudPc, previous: Option<&Tracking>, history_read: bool) -> Verdict {
    let was_running = previous.is_some_and(|t| t.phase == FollowPhase::Running);
    match pc.status.as_ref() {
        Some(CloudPcStatus::Provisioning | CloudPcStatus::PendingProvision) => Verdict::Running,
        Some(CloudPcStatus::Provisioned | CloudPcStatus::ProvisionedWithWarnings)
            if was_running =>
        {
            Verdict::Done
        }
        Some(CloudPcStatus::Failed) if was_running => Verdict::Failed(Reason {
            code: pc
                .detail()
                .and_then(|d| d.code.clone())
                .or_else(|| Some(codes::ACTION_FAILED.to_owned())),
            message: pc
                .detail()
                .map(|d| d.summary())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "The Cloud PC's status is failed after reprovisioning.".into()),
            ..Reason::default()
        }),
        Some(CloudPcStatus::Provisioned | CloudPcStatus::Failed) if history_read => {
            Verdict::NotStarted
        }
        Some(s) => Verdict::Unclear(format!(
            "Status is {s} and no reprovision of this run is in the action history{}.",
            if history_read {
                ""
            } else {
                " (which could not be read)"
            }
        )),
        None => Verdict::Unclear("Graph did not report a status.".into()),
    }
}

/// Reads `ids` (Cloud PC and action history, 2 GETs each, packed in `$batch`es).
pub async fn observe<T: Transport, A: TokenProvider, S: Sleeper>(
    client: &GraphClient<T, A, S>,
    ids: &[String],
) -> Vec<(String, Sighting)> {
    let requests: Vec<_> = ids
        .iter()
        .flat_map(|id| {
            [
                calls::get_cloud_pc(id),
                calls::retrieve_remote_action_results(id),
            ]
        })
        .collect();
    let outcomes = client.send_batch(&requests).await;
    ids.iter()
        .zip(outcomes.chunks(2))
        .map(|(id, pair)| {
            let pc = pair[0]
                .as_ref()
                .map_err(Clone::clone)
                .and_then(parse::cloud_pc);
            let actions = pair[1]
                .as_ref()
                .map_err(Clone::clone)
                .and_then(parse::remote_action_results);
            (id.clone(), Sighting { pc, actions })
        })
        .collect()
}

/// The category a followed device moves to after `verdict`, if any. Only conclusive verdicts
/// move devices: `Successful` only to `Failed`/`NotFound` (its reprovision failed or the PC is
/// gone); `Pending`/`InProgress`/`Unknown` along the reprovision's progress (never `Unknown`
/// on "not started": only [`reconcile`] concludes that, with its safeguards).
pub fn category_after(current: Category, verdict: &Verdict) -> Option<(Category, Option<Reason>)> {
    use Category::*;
    let next = match (current, verdict) {
        (Successful, Verdict::Failed(r)) => (Failed, Some(r.clone())),
        (Successful | Pending | InProgress, Verdict::Gone(r)) => (NotFound, Some(r.clone())),
        (Pending, Verdict::Running) => (InProgress, None),
        (Unknown, Verdict::Running | Verdict::Queued) => (
            InProgress,
            Some(Reason::console(codes::ACCEPTED, "The reprovision started.")),
        ),
        (Pending | InProgress | Unknown, Verdict::Done) => (
            Successful,
            Some(Reason::console(codes::ACCEPTED, "The reprovision is done.")),
        ),
        (Pending | InProgress | Unknown, Verdict::Failed(r)) => (Failed, Some(r.clone())),
        (Pending | InProgress | Unknown, Verdict::NotSupported(r)) => {
            (NotSupported, Some(r.clone()))
        }
        (Unknown, Verdict::Gone(r)) => (NotFound, Some(r.clone())),
        _ => return None,
    };
    (next.0 != current).then_some(next)
}

/// How often and how long to follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowSchedule {
    /// Wait before the first read (Graph needs a moment to record the action).
    pub first_delay: Duration,
    pub interval: Duration,
    /// Reads at most this many times.
    pub max_rounds: u32,
}

impl Default for FollowSchedule {
    fn default() -> Self {
        // A reprovision takes about an hour: read every minute for up to three hours.
        FollowSchedule {
            first_delay: Duration::from_secs(30),
            interval: Duration::from_secs(60),
            max_rounds: 180,
        }
    }
}

/// What following did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FollowReport {
    pub rounds: u32,
    /// Devices still not provisioned or failed when following stopped.
    pub still_running: usize,
    pub canceled: bool,
}

/// The devices worth reading: requested (attempts > 0) and not `Failed`/`NotFound`/
/// `NotSupported`/`Unknown`, whose tracking is not final.
pub fn to_follow(ledger: &RunLedger) -> Vec<String> {
    ledger
        .devices()
        .iter()
        .filter(|d| {
            d.attempts > 0
                && !d.awaiting_answer
                && matches!(
                    d.category,
                    Category::Pending | Category::InProgress | Category::Successful
                )
                // A final sighting from before the latest request (a retry) says nothing
                // about the reprovision that request started.
                && !d.tracking.as_ref().is_some_and(|t| {
                    t.phase.is_final() && t.checked_at >= d.last_sent_at.unwrap_or(0)
                })
        })
        .map(|d| d.target.cloud_pc_id.clone())
        .collect()
}

/// Follows the sink's devices ([`to_follow`]) on `schedule` until each is provisioned again,
/// failed or gone, the rounds run out, or `cancel` is set. GETs only.
pub async fn follow<T, A, S, K>(
    client: &GraphClient<T, A, S>,
    sink: &K,
    schedule: &FollowSchedule,
    cancel: &CancelFlag,
) -> FollowReport
where
    T: Transport,
    A: TokenProvider,
    S: Sleeper,
    K: RunSink,
{
    let mut report = FollowReport::default();
    while report.rounds < schedule.max_rounds {
        let ids = sink.with_ledger(to_follow);
        if ids.is_empty() || cancel.is_canceled() {
            break;
        }
        let wait = if report.rounds == 0 {
            schedule.first_delay
        } else {
            schedule.interval
        };
        client.sleeper().sleep(wait).await;
        if cancel.is_canceled() {
            break;
        }
        report.rounds += 1;
        for (id, sighting) in observe(client, &ids).await {
            apply_sighting(sink, &id, &sighting);
        }
    }
    report.canceled = cancel.is_canceled();
    report.still_running = sink.with_ledger(to_follow).len();
    report
}

/// Where the devices Graph took on stand after their request, for the results view: one count
/// per [`FollowPhase`] (a device not read yet counts as waiting).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FollowCounts {
    /// Devices followed: read at least once, or answered and not yet read.
    pub followed: usize,
    pub waiting: usize,
    /// Reprovisioning (action pending or active, status `provisioning`).
    pub running: usize,
    /// Provisioned again.
    pub provisioned: usize,
    pub failed: usize,
    pub gone: usize,
    pub unclear: usize,
}

impl FollowCounts {
    /// Every followed device provisioned again, failed or gone.
    pub fn is_over(&self) -> bool {
        self.provisioned + self.failed + self.gone == self.followed
    }
}

/// Counts the run's followed devices by phase.
pub fn follow_counts(ledger: &RunLedger) -> FollowCounts {
    let mut c = FollowCounts::default();
    for d in ledger.devices() {
        // A request still on the wire is not followed yet.
        let accepted = d.attempts > 0
            && !d.awaiting_answer
            && matches!(
                d.category,
                Category::Pending | Category::InProgress | Category::Successful
            );
        let phase = match &d.tracking {
            Some(t) => t.phase,
            None if accepted => FollowPhase::Waiting,
            None => continue,
        };
        c.followed += 1;
        *match phase {
            FollowPhase::Waiting => &mut c.waiting,
            FollowPhase::Running => &mut c.running,
            FollowPhase::Provisioned => &mut c.provisioned,
            FollowPhase::Failed => &mut c.failed,
            FollowPhase::Gone => &mut c.gone,
            FollowPhase::Unclear => &mut c.unclear,
        } += 1;
    }
    c
}

/// Judges one sighting against the ledger and records the tracking and any category change.
pub fn apply_sighting<K: RunSink>(sink: &K, id: &str, sighting: &Sighting) -> Option<Verdict> {
    let now = sink.now();
    let (since, previous, current) = sink.with_ledger(|l| {
        l.device(id).map(|d| {
            (
                d.last_sent_at.or(l.started_at).unwrap_or(l.created_at),
                d.tracking.clone(),
                d.category,
            )
        })
    })?;
    let (verdict, tracking) = judge(sighting, since, previous.as_ref(), now);
    sink.apply(Change::Tracked {
        id: id.to_owned(),
        tracking,
    });
    if let Some((to, reason)) = category_after(current, &verdict) {
        // Keep the ids of the request that started the reprovision: support asks for them.
        let reason = reason.map(|r| keep_ids(sink, id, r));
        sink.apply(Change::Device {
            id: id.to_owned(),
            to,
            reason,
            at: now,
        });
    }
    Some(verdict)
}

/// Options of [`reconcile`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReconcileOptions {
    /// "Not started" is concluded only this long after the device's request went out (Graph
    /// records actions with some delay); younger devices stay `Unknown`.
    pub min_age: Duration,
}

impl Default for ReconcileOptions {
    fn default() -> Self {
        ReconcileOptions {
            min_age: Duration::from_secs(120),
        }
    }
}

/// What reconciling decided.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReconcileReport {
    /// The reprovision started (now `InProgress`, `Successful` or `Failed` by its state).
    pub started: Vec<String>,
    /// It did not start: now `Failed` with [`codes::NOT_STARTED`], eligible for an
    /// operator-approved re-send.
    pub not_started: Vec<String>,
    /// Gone or not supported.
    pub other: Vec<String>,
    /// Still `Unknown` (unreadable, inconclusive or too recent).
    pub still_unknown: Vec<String>,
    /// Bulk-action runs whose creation was ambiguous: the bulk action found by its name.
    pub bulk_action_found: Option<String>,
}

/// Settles the ledger's `Unknown` devices from their status and action history. Never re-sends
/// anything. For a bulk-action run whose creation got no clear answer, first looks for the
/// bulk action by the run's display name: if it exists, its devices are `InProgress` (follow
/// the bulk action next); if the list shows it does not, the devices did not start.
pub async fn reconcile<T, A, S, K>(
    client: &GraphClient<T, A, S>,
    sink: &K,
    options: &ReconcileOptions,
) -> ReconcileReport
where
    T: Transport,
    A: TokenProvider,
    S: Sleeper,
    K: RunSink,
{
    let mut report = ReconcileReport::default();
    let (unknown, strategy, bulk_known, display_name) = sink.with_ledger(|l| {
        (
            l.ids_in(Category::Unknown),
            l.strategy,
            l.bulk_action.is_some(),
            l.display_name.clone(),
        )
    });
    if unknown.is_empty() {
        return report;
    }
    if strategy == Strategy::BulkAction && !bulk_known {
        match client.list_bulk_actions(|_| {}).await {
            Ok(actions) => {
                if let Some(found) = actions
                    .iter()
                    .find(|a| a.display_name.as_deref() == Some(display_name.as_str()))
                {
                    let at = sink.now();
                    sink.apply(Change::BulkActionCreated {
                        id: found.id.clone(),
                        at,
                    });
                    for id in &unknown {
                        let reason = Reason::console(
                            codes::ACCEPTED,
                            format!(
                                "The bulk action {} exists: Graph received the request.",
                                found.id
                            ),
                        );
                        sink.apply(Change::Device {
                            id: id.clone(),
                            to: Category::InProgress,
                            reason: Some(keep_ids(sink, id, reason)),
                            at,
                        });
                    }
                    report.started = unknown;
                    report.bulk_action_found = Some(found.id.clone());
                    return report;
                }
                // Not there: the devices' own state decides below.
            }
            Err(e) => {
                report.still_unknown = unknown.clone();
                let at = sink.now();
                for id in &unknown {
                    let reason = Reason::console(
                        codes::INTERRUPTED,
                        format!("Could not list bulk actions to check whether the run's bulk action exists: {e}"),
                    );
                    sink.apply(Change::Device {
                        id: id.clone(),
                        to: Category::Unknown,
                        reason: Some(keep_ids(sink, id, reason)),
                        at,
                    });
                }
                return report;
            }
        }
    }
    let bulk_running = strategy == Strategy::BulkAction
        && sink.with_ledger(|l| {
            l.bulk_action
                .as_ref()
                .is_some_and(|b| matches!(b.status.as_deref(), None | Some("pending")))
        });
    for (id, sighting) in observe(client, &unknown).await {
        let now = sink.now();
        let (since, previous) = sink
            .with_ledger(|l| {
                l.device(&id).map(|d| {
                    (
                        d.last_sent_at.or(l.started_at).unwrap_or(l.created_at),
                        d.tracking.clone(),
                    )
                })
            })
            .unwrap_or((now, None));
        let (verdict, tracking) = judge(&sighting, since, previous.as_ref(), now);
        sink.apply(Change::Tracked {
            id: id.clone(),
            tracking,
        });
        let old_enough = now.saturating_sub(since) >= options.min_age.as_millis() as Millis;
        let (to, reason, bucket) = match verdict {
            Verdict::Queued | Verdict::Running => (
                Category::InProgress,
                Reason::console(codes::ACCEPTED, "The reprovision started (found in the action history or status)."),
                &mut report.started,
            ),
            Verdict::Done => (
                Category::Successful,
                Reason::console(codes::ACCEPTED, "The reprovision ran (done in the action history)."),
                &mut report.started,
            ),
            Verdict::Failed(r) => (Category::Failed, r, &mut report.started),
            Verdict::NotSupported(r) => (Category::NotSupported, r, &mut report.other),
            Verdict::Gone(r) => (Category::NotFound, r, &mut report.other),
            Verdict::NotStarted if old_enough && !bulk_running => (
                Category::Failed,
                Reason::console(
                    codes::NOT_STARTED,
                    format!(
                        "No reprovision in the action history since {} and the status is unchanged: it did not start. It may be sent again with your approval.",
                        iso8601(since)
                    ),
                ),
                &mut report.not_started,
            ),
            Verdict::NotStarted => (
                Category::Unknown,
                Reason::console(
                    codes::INTERRUPTED,
                    if bulk_running {
                        "The bulk action is still running; the device may not have been dispatched yet. Check again later."
                    } else {
                        "No sign of the reprovision yet, but the request is recent; check again in a few minutes."
                    },
                ),
                &mut report.still_unknown,
            ),
            Verdict::Unclear(why) => (
                Category::Unknown,
                Reason::console(codes::INTERRUPTED, why),
                &mut report.still_unknown,
            ),
        };
        bucket.push(id.clone());
        let reason = keep_ids(sink, &id, reason);
        sink.apply(Change::Device {
            id,
            to,
            reason: Some(reason),
            at: now,
        });
    }
    report
}

/// `reason` with the exchange ids of the device's current reason (the request that left it
/// unknown), so support can still trace it.
fn keep_ids<K: RunSink>(sink: &K, id: &str, reason: Reason) -> Reason {
    match sink.with_ledger(|l| l.device(id).and_then(|d| d.reason.clone())) {
        Some(old) => reason.with_ids_of(&old),
        None => reason,
    }
}

#[cfg(test)]
mod tests;
