//! Outcome accounting of a bulk run: every target device is in exactly one [`Category`] at every
//! moment, so the counts always add up to the number of targets.
//!
//! The invariant holds by construction: the [`RunLedger`] keeps one [`DeviceOutcome`] per Cloud
//! PC id (duplicates are dropped when the ledger is made, devices are never added or removed
//! afterwards), each with exactly one category, and every count is derived from those entries.
//! Categories change only through [`RunLedger::apply`] / [`RunLedger::transition`], which refuse
//! moves that would hide work (e.g. an `Unknown` device straight back to `Pending`, which would
//! let it be re-sent without a check; see [`Category::may_become`]).

use serde::{Deserialize, Serialize};

use super::strategy::Strategy;
use super::time::Millis;
use crate::graph::error::GraphError;
use crate::graph::models::{CloudPc, CloudPcBulkActionSummary, ReprovisionParams};
use crate::graph::transport::HttpResponse;

/// Where a device of a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Category {
    /// Waiting: nothing sent for it yet, or queued by Graph (a bulk action's `pending`).
    /// [`DeviceOutcome::never_sent`] tells the never-sent ones apart.
    Pending,
    /// Its request is on the wire, or Graph is carrying out its reprovision.
    InProgress,
    /// Graph accepted (per-device, seed) or completed (bulk action) its reprovision.
    Successful,
    /// Graph refused it, or the reprovision failed, or it was never sent (reason says which).
    Failed,
    NotFound,
    /// Set aside before sending (preflight) or refused by Graph as not supported.
    NotSupported,
    /// It is not known whether its reprovision started: check (reconcile) before any re-send.
    Unknown,
}

impl Category {
    /// Every category, in display order.
    pub const ALL: [Category; 7] = [
        Category::Successful,
        Category::Failed,
        Category::NotFound,
        Category::NotSupported,
        Category::Pending,
        Category::InProgress,
        Category::Unknown,
    ];

    /// Operator-facing name.
    pub fn label(self) -> &'static str {
        match self {
            Category::Pending => "Pending",
            Category::InProgress => "In progress",
            Category::Successful => "Successful",
            Category::Failed => "Failed",
            Category::NotFound => "Not found",
            Category::NotSupported => "Not supported",
            Category::Unknown => "Unknown",
        }
    }

    /// Stable machine name (as in JSON and CSV).
    pub fn key(self) -> &'static str {
        match self {
            Category::Pending => "pending",
            Category::InProgress => "inProgress",
            Category::Successful => "successful",
            Category::Failed => "failed",
            Category::NotFound => "notFound",
            Category::NotSupported => "notSupported",
            Category::Unknown => "unknown",
        }
    }

    /// No request or Graph work outstanding for the device (progress counts these as done).
    pub fn is_done(self) -> bool {
        !matches!(self, Category::Pending | Category::InProgress)
    }

    /// Whether a device may move from `self` to `to`. Staying put (to update the reason) is
    /// always allowed. Refused: `Unknown` back to `Pending` (it must be checked first, and
    /// becomes `Failed` "not started" when it did not start, from where an approved retry may
    /// take it); `Failed` to `Unknown`; anything out of `NotFound` and `NotSupported`;
    /// `Successful` except to `Failed` (its reprovision failed later) or `NotFound`.
    pub fn may_become(self, to: Category) -> bool {
        use Category::*;
        if self == to {
            return true;
        }
        match self {
            Pending | InProgress => true,
            Unknown => to != Pending,
            Failed => to != Unknown,
            Successful => matches!(to, Failed | NotFound),
            NotFound | NotSupported => false,
        }
    }
}

/// Who produced a [`Reason`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ReasonSource {
    /// Graph's answer (its `error.code`, or a status/action detail it reported).
    #[default]
    Graph,
    /// The console's own rule (preflight, reconcile, page closed…); codes in [`codes`].
    Console,
}

/// Why a device is in its category: what Microsoft support asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reason {
    pub source: ReasonSource,
    pub code: Option<String>,
    pub message: String,
    pub status: Option<u16>,
    pub request_id: Option<String>,
    pub client_request_id: Option<String>,
    pub date: Option<String>,
}

/// Codes of the console's own reasons.
pub mod codes {
    /// Preflight: the status does not allow a reprovision.
    pub const STATUS_NOT_ELIGIBLE: &str = "statusNotEligible";
    /// Preflight: no Intune managed device id (Windows 365 Business) for the seed strategy.
    pub const NO_MANAGED_DEVICE: &str = "noManagedDevice";
    /// Preflight: `getSupportedCloudPcRemoteActions` says reprovision is disabled.
    pub const REPROVISION_DISABLED: &str = "reprovisionDisabled";
    /// Graph accepted the request.
    pub const ACCEPTED: &str = "accepted";
    /// Reconcile: no sign that the reprovision started; may be re-sent with approval.
    pub const NOT_STARTED: &str = "notStarted";
    /// The page closed while the device's request was on the wire.
    pub const INTERRUPTED: &str = "interrupted";
    /// Graph's answer did not mention the device.
    pub const NOT_IN_ANSWER: &str = "notInAnswer";
    /// The run was stopped before the device's request was sent.
    pub const NOT_SENT: &str = "notSent";
    /// Graph's bulk action finished but the device's own outcome could not be read.
    pub const UNSETTLED: &str = "unsettled";
    /// The device's outcome was derived from the bulk action's counts.
    pub const FROM_SUMMARY: &str = "fromActionSummary";
    /// The reprovision action ended `failed`/`canceled` in the action history.
    pub const ACTION_FAILED: &str = "reprovisionFailed";
}

impl Reason {
    /// The reason of a failed Graph exchange.
    pub fn from_error(e: &GraphError) -> Reason {
        Reason {
            source: ReasonSource::Graph,
            code: e.code.clone(),
            message: e.message.clone(),
            status: e.status,
            request_id: e.request_id.clone(),
            client_request_id: e.client_request_id.clone(),
            date: e.date.clone(),
        }
    }

    /// The console's own reason.
    pub fn console(code: &str, message: impl Into<String>) -> Reason {
        Reason {
            source: ReasonSource::Console,
            code: Some(code.to_owned()),
            message: message.into(),
            ..Reason::default()
        }
    }

    /// A 2xx answer's ids (the accepted request's `request-id`).
    pub fn accepted(resp: &HttpResponse, message: impl Into<String>) -> Reason {
        let header = |n: &str| resp.header(n).map(str::to_owned);
        Reason {
            source: ReasonSource::Graph,
            code: Some(codes::ACCEPTED.to_owned()),
            message: message.into(),
            status: Some(resp.status),
            request_id: header("request-id"),
            client_request_id: header("client-request-id"),
            date: header("date"),
        }
    }

    /// Copies the exchange ids of `other` (keeping this reason's code and message).
    pub fn with_ids_of(mut self, other: &Reason) -> Reason {
        self.status = self.status.or(other.status);
        self.request_id = self.request_id.or_else(|| other.request_id.clone());
        self.client_request_id = self
            .client_request_id
            .or_else(|| other.client_request_id.clone());
        self.date = self.date.or_else(|| other.date.clone());
        self
    }

    /// `code: message` (either alone when the other is missing).
    pub fn summary(&self) -> String {
        match &self.code {
            Some(c) if !self.message.is_empty() => format!("{c}: {}", self.message),
            Some(c) => c.clone(),
            None => self.message.clone(),
        }
    }

    /// True for the console's code `code`.
    pub fn is_console(&self, code: &str) -> bool {
        self.source == ReasonSource::Console && self.code.as_deref() == Some(code)
    }
}

/// One device targeted by a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Target {
    pub cloud_pc_id: String,
    pub name: String,
    pub user: Option<String>,
    /// Null for Windows 365 Business Cloud PCs.
    pub managed_device_id: Option<String>,
}

impl Target {
    pub fn from_cloud_pc(pc: &CloudPc) -> Target {
        Target {
            cloud_pc_id: pc.id.clone(),
            name: pc.name().to_owned(),
            user: pc.user_principal_name.clone().filter(|u| !u.is_empty()),
            managed_device_id: pc.managed_device_id.clone().filter(|m| !m.is_empty()),
        }
    }
}

/// Where the device itself stands after its request, as last read from Graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FollowPhase {
    /// Nothing seen yet of the reprovision.
    Waiting,
    /// Reprovision pending or active / status `provisioning`.
    Running,
    /// Provisioned again.
    Provisioned,
    /// The reprovision failed.
    Failed,
    /// The Cloud PC no longer exists.
    Gone,
    /// What Graph shows does not say (e.g. a status unrelated to reprovisioning).
    Unclear,
}

impl FollowPhase {
    /// Nothing more to follow.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            FollowPhase::Provisioned | FollowPhase::Failed | FollowPhase::Gone
        )
    }
}

/// The device's state as last read (status and the run's reprovision action).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tracking {
    pub phase: FollowPhase,
    /// `cloudPC.status` as Graph wrote it.
    pub status: Option<String>,
    /// The reprovision's `actionState` as Graph wrote it.
    pub action_state: Option<String>,
    /// The reprovision's `startDateTime` / `lastUpdatedDateTime`.
    pub action_started: Option<String>,
    pub action_updated: Option<String>,
    /// `statusDetail` summary, when Graph gave one.
    pub detail: Option<String>,
    pub checked_at: Millis,
}

/// A category change, with when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Transition {
    pub at: Millis,
    pub from: Category,
    pub to: Category,
}

/// One device of a run and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceOutcome {
    pub target: Target,
    pub category: Category,
    /// Why it is there (for failures: Graph's code and message and the exchange ids; for
    /// successes: the accepting request's ids).
    pub reason: Option<Reason>,
    /// A destructive request for it was sent and has not been answered yet. A run restored
    /// from its journal turns such devices into `Unknown`.
    pub awaiting_answer: bool,
    /// Reprovision requests sent for it (including bulk creation and retries).
    pub attempts: u32,
    pub first_sent_at: Option<Millis>,
    pub last_sent_at: Option<Millis>,
    /// When it entered its current category.
    pub changed_at: Millis,
    pub tracking: Option<Tracking>,
    pub history: Vec<Transition>,
}

impl DeviceOutcome {
    /// Waiting and nothing was ever sent for it.
    pub fn never_sent(&self) -> bool {
        self.category == Category::Pending && self.attempts == 0
    }
}

/// Information about the bulk action behind a run (bulk-action strategy).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkActionInfo {
    pub id: String,
    /// `status` as Graph wrote it (`pending`, `succeeded`, `failed`, or newer).
    pub status: Option<String>,
    /// Graph's own `actionSummary`, shown beside the per-device counts.
    pub summary: Option<CloudPcBulkActionSummary>,
    pub checked_at: Option<Millis>,
}

/// Something that happened to a run.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Reprovision requests for `ids` went out (they become `InProgress`, awaiting an answer).
    Sent { ids: Vec<String>, at: Millis },
    /// A device's outcome (ends any wait for an answer).
    Device {
        id: String,
        to: Category,
        reason: Option<Reason>,
        at: Millis,
    },
    /// The bulk action was created.
    BulkActionCreated { id: String, at: Millis },
    /// A bulk action read.
    BulkActionRead {
        status: Option<String>,
        summary: Option<CloudPcBulkActionSummary>,
        at: Millis,
    },
    /// A device's state read from Graph.
    Tracked { id: String, tracking: Tracking },
    /// The engine's work for the run (requests and following) started.
    Started { at: Millis },
    /// The engine's work for the run ended.
    Finished { at: Millis },
}

/// Why a change was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LedgerError {
    UnknownDevice(String),
    Refused {
        id: String,
        from: Category,
        to: Category,
    },
}

impl std::fmt::Display for LedgerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LedgerError::UnknownDevice(id) => write!(f, "{id} is not a device of this run"),
            LedgerError::Refused { id, from, to } => {
                write!(f, "{id} cannot go from {} to {}", from.label(), to.label())
            }
        }
    }
}

impl std::error::Error for LedgerError {}

/// Device counts per category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    pub pending: usize,
    pub in_progress: usize,
    pub successful: usize,
    pub failed: usize,
    pub not_found: usize,
    pub not_supported: usize,
    pub unknown: usize,
}

impl Counts {
    pub fn get(&self, c: Category) -> usize {
        match c {
            Category::Pending => self.pending,
            Category::InProgress => self.in_progress,
            Category::Successful => self.successful,
            Category::Failed => self.failed,
            Category::NotFound => self.not_found,
            Category::NotSupported => self.not_supported,
            Category::Unknown => self.unknown,
        }
    }

    fn slot(&mut self, c: Category) -> &mut usize {
        match c {
            Category::Pending => &mut self.pending,
            Category::InProgress => &mut self.in_progress,
            Category::Successful => &mut self.successful,
            Category::Failed => &mut self.failed,
            Category::NotFound => &mut self.not_found,
            Category::NotSupported => &mut self.not_supported,
            Category::Unknown => &mut self.unknown,
        }
    }

    /// The sum over all categories (always the ledger's total).
    pub fn total(&self) -> usize {
        Category::ALL.iter().map(|&c| self.get(c)).sum()
    }

    /// Devices with nothing outstanding.
    pub fn done(&self) -> usize {
        self.total() - self.pending - self.in_progress
    }

    /// The bar: each non-empty category with its share (shares sum to 1), display order.
    pub fn bar(&self) -> Vec<(Category, f64)> {
        let total = self.total();
        if total == 0 {
            return Vec::new();
        }
        Category::ALL
            .iter()
            .filter(|&&c| self.get(c) > 0)
            .map(|&c| (c, self.get(c) as f64 / total as f64))
            .collect()
    }
}

/// Devices done / total and an estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    /// `done / total` (1 for an empty run).
    pub fraction: f64,
    /// Devices done per minute since the run started (set-aside devices excluded).
    pub per_minute: Option<f64>,
    /// Estimated milliseconds until every device is done.
    pub eta_ms: Option<u64>,
}

/// Every device of a run, each in exactly one category, with the run's metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunLedger {
    pub run_id: String,
    pub strategy: Strategy,
    pub params: ReprovisionParams,
    /// The run's name (the bulk action's `displayName`).
    pub display_name: String,
    pub created_at: Millis,
    pub started_at: Option<Millis>,
    pub finished_at: Option<Millis>,
    /// Devices already done when the run started (preflight set-asides), for the estimate.
    pub done_at_start: usize,
    pub bulk_action: Option<BulkActionInfo>,
    devices: Vec<DeviceOutcome>,
}

impl RunLedger {
    /// A ledger with `targets` pending and `set_aside` not supported (with their reasons).
    /// A Cloud PC listed twice is kept once (first occurrence).
    pub fn new(
        run_id: impl Into<String>,
        strategy: Strategy,
        params: ReprovisionParams,
        display_name: impl Into<String>,
        targets: Vec<Target>,
        set_aside: Vec<(Target, Reason)>,
        now: Millis,
    ) -> RunLedger {
        let mut ledger = RunLedger {
            run_id: run_id.into(),
            strategy,
            params,
            display_name: display_name.into(),
            created_at: now,
            started_at: None,
            finished_at: None,
            done_at_start: 0,
            bulk_action: None,
            devices: Vec::with_capacity(targets.len() + set_aside.len()),
        };
        let entries = targets
            .into_iter()
            .map(|t| (t, Category::Pending, None))
            .chain(
                set_aside
                    .into_iter()
                    .map(|(t, r)| (t, Category::NotSupported, Some(r))),
            );
        for (target, category, reason) in entries {
            if ledger.position(&target.cloud_pc_id).is_some() {
                continue;
            }
            ledger.devices.push(DeviceOutcome {
                target,
                category,
                reason,
                awaiting_answer: false,
                attempts: 0,
                first_sent_at: None,
                last_sent_at: None,
                changed_at: now,
                tracking: None,
                history: Vec::new(),
            });
        }
        ledger
    }

    /// Number of devices (constant for the life of the ledger).
    pub fn total(&self) -> usize {
        self.devices.len()
    }

    pub fn devices(&self) -> &[DeviceOutcome] {
        &self.devices
    }

    pub fn device(&self, id: &str) -> Option<&DeviceOutcome> {
        self.position(id).map(|i| &self.devices[i])
    }

    /// Devices currently in `c`, in target order.
    pub fn in_category(&self, c: Category) -> Vec<&DeviceOutcome> {
        self.devices.iter().filter(|d| d.category == c).collect()
    }

    /// Cloud PC ids currently in `c`.
    pub fn ids_in(&self, c: Category) -> Vec<String> {
        self.devices
            .iter()
            .filter(|d| d.category == c)
            .map(|d| d.target.cloud_pc_id.clone())
            .collect()
    }

    /// Every category's device list, display order (for expandable lists).
    pub fn grouped(&self) -> Vec<(Category, Vec<&DeviceOutcome>)> {
        Category::ALL
            .iter()
            .map(|&c| (c, self.in_category(c)))
            .collect()
    }

    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for d in &self.devices {
            *counts.slot(d.category) += 1;
        }
        counts
    }

    /// True when no device is pending or in progress.
    pub fn is_settled(&self) -> bool {
        self.devices.iter().all(|d| d.category.is_done())
    }

    /// Done / total, and a rate-based estimate at `now`.
    pub fn progress(&self, now: Millis) -> Progress {
        let counts = self.counts();
        let (done, total) = (counts.done(), counts.total());
        let fraction = if total == 0 {
            1.0
        } else {
            done as f64 / total as f64
        };
        let mut per_minute = None;
        let mut eta_ms = None;
        if let Some(start) = self.started_at {
            let by_run = done.saturating_sub(self.done_at_start);
            let elapsed = now.saturating_sub(start);
            if by_run > 0 && elapsed > 0 {
                per_minute = Some(by_run as f64 * 60_000.0 / elapsed as f64);
                let remaining = (total - done) as u128;
                eta_ms = Some((remaining * u128::from(elapsed) / by_run as u128) as u64);
            } else if done == total {
                eta_ms = Some(0);
            }
        }
        Progress {
            done,
            total,
            fraction,
            per_minute,
            eta_ms,
        }
    }

    /// Moves device `id` to `to` (keeping or replacing its reason).
    pub fn transition(
        &mut self,
        id: &str,
        to: Category,
        reason: Option<Reason>,
        at: Millis,
    ) -> Result<(), LedgerError> {
        let i = self
            .position(id)
            .ok_or_else(|| LedgerError::UnknownDevice(id.to_owned()))?;
        let d = &mut self.devices[i];
        if !d.category.may_become(to) {
            return Err(LedgerError::Refused {
                id: id.to_owned(),
                from: d.category,
                to,
            });
        }
        if d.category != to {
            d.history.push(Transition {
                at,
                from: d.category,
                to,
            });
            d.category = to;
            d.changed_at = at;
        }
        if reason.is_some() || to == Category::Pending {
            d.reason = reason;
        }
        Ok(())
    }

    /// Applies one change. A refused change leaves the ledger as it was.
    pub fn apply(&mut self, change: &Change) -> Result<(), LedgerError> {
        match change {
            Change::Sent { ids, at } => {
                for id in ids {
                    let Some(i) = self.position(id) else {
                        return Err(LedgerError::UnknownDevice(id.clone()));
                    };
                    let from = self.devices[i].category;
                    if !matches!(from, Category::Pending | Category::InProgress) {
                        return Err(LedgerError::Refused {
                            id: id.clone(),
                            from,
                            to: Category::InProgress,
                        });
                    }
                }
                for id in ids {
                    self.transition(id, Category::InProgress, None, *at)?;
                    let i = self.position(id).expect("checked above");
                    let d = &mut self.devices[i];
                    d.awaiting_answer = true;
                    d.attempts += 1;
                    d.first_sent_at.get_or_insert(*at);
                    d.last_sent_at = Some(*at);
                }
                Ok(())
            }
            Change::Device { id, to, reason, at } => {
                self.transition(id, *to, reason.clone(), *at)?;
                let i = self.position(id).expect("transition checked it");
                self.devices[i].awaiting_answer = false;
                Ok(())
            }
            Change::BulkActionCreated { id, at } => {
                self.bulk_action = Some(BulkActionInfo {
                    id: id.clone(),
                    checked_at: Some(*at),
                    ..BulkActionInfo::default()
                });
                Ok(())
            }
            Change::BulkActionRead {
                status,
                summary,
                at,
            } => {
                let info = self.bulk_action.get_or_insert_with(BulkActionInfo::default);
                info.status = status.clone();
                info.summary = *summary;
                info.checked_at = Some(*at);
                Ok(())
            }
            Change::Tracked { id, tracking } => {
                let i = self
                    .position(id)
                    .ok_or_else(|| LedgerError::UnknownDevice(id.clone()))?;
                self.devices[i].tracking = Some(tracking.clone());
                Ok(())
            }
            Change::Started { at } => {
                if self.started_at.is_none() {
                    self.started_at = Some(*at);
                    self.done_at_start = self.counts().done();
                }
                self.finished_at = None;
                Ok(())
            }
            Change::Finished { at } => {
                self.finished_at = Some(*at);
                Ok(())
            }
        }
    }

    /// After a reload: every device whose request was on the wire when the page went away is
    /// `Unknown` (it may or may not have been carried out). Returns their ids.
    pub fn settle_interrupted(&mut self, now: Millis) -> Vec<String> {
        let ids: Vec<String> = self
            .devices
            .iter()
            .filter(|d| d.awaiting_answer)
            .map(|d| d.target.cloud_pc_id.clone())
            .collect();
        for id in &ids {
            let reason = Reason::console(
                codes::INTERRUPTED,
                "The page was closed or reloaded while this device's reprovision request was on \
                 the wire; it is unknown whether Graph carried it out.",
            );
            let _ = self.apply(&Change::Device {
                id: id.clone(),
                to: Category::Unknown,
                reason: Some(reason),
                at: now,
            });
        }
        ids
    }

    /// Calls `f` on every free text of the devices (names, users, reasons, tracking), e.g. to
    /// scrub them before they are written out.
    pub fn for_each_text_mut(&mut self, mut f: impl FnMut(&mut String)) {
        for d in &mut self.devices {
            f(&mut d.target.name);
            if let Some(u) = d.target.user.as_mut() {
                f(u);
            }
            if let Some(r) = d.reason.as_mut() {
                f(&mut r.message);
                for s in [
                    &mut r.code,
                    &mut r.request_id,
                    &mut r.client_request_id,
                    &mut r.date,
                ]
                .into_iter()
                .flatten()
                {
                    f(s);
                }
            }
            if let Some(t) = d.tracking.as_mut() {
                if let Some(s) = t.detail.as_mut() {
                    f(s);
                }
            }
        }
    }

    fn position(&self, id: &str) -> Option<usize> {
        self.devices.iter().position(|d| d.target.cloud_pc_id == id)
    }
}

#[cfg(test)]
mod tests;
