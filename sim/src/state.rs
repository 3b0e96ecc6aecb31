//! Tenant state and its state machine over (simulated) time.
//!
//! The simulator is a small discrete-event simulation: carrying out a reprovision changes the
//! Cloud PC at once (`status` → `provisioning`, a `pending` remote action result) and schedules
//! later events (the action becomes `active`; the PC ends `provisioned`, or `failed` for a
//! seeded share). Bulk actions schedule one dispatch per device. Events are applied in time
//! order whenever the state is read or written, and by a background ticker, so the state seen
//! through the API is always exactly the state at the current simulated instant.

use crate::clock::Clock;
use crate::log::{BoundedLog, Operation};
use crate::model::{
    image_for_os, reprovision_allowed_from, reprovision_supported, BulkActionSummary,
    BulkRemoteActionResult, CloudPc, RemoteActionResult,
};
use crate::tenant::{failure_detail, Tenant, User};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};

/// Durations (in simulated seconds) and outcome shares of the state machine.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Timing {
    /// From a reprovision being accepted to its action result becoming `active`.
    pub action_start_secs: f64,
    /// From a reprovision being accepted to the Cloud PC being `provisioned` (or `failed`).
    pub provisioning_secs: f64,
    /// Share (0..1) of reprovisions that end `failed`, decided by the seed.
    pub reprovision_failure_rate: f64,
    /// From a bulk action being created (or retried) to its first device being dispatched.
    pub bulk_dispatch_secs: f64,
    /// Between two devices of a bulk action being dispatched.
    pub bulk_stagger_secs: f64,
    /// Share (0..1) of devices that the seed bulk endpoint reports in `failedDeviceIds` even
    /// though they were eligible (an injected failure: nothing is carried out for them).
    pub seed_bulk_failure_rate: f64,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            action_start_secs: 5.0,
            provisioning_secs: 60.0,
            reprovision_failure_rate: 0.05,
            bulk_dispatch_secs: 5.0,
            bulk_stagger_secs: 1.0,
            seed_bulk_failure_rate: 0.02,
        }
    }
}

/// How a reprovision reached the simulator (the operation log's `via`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    CloudPc,
    Me,
    User,
    ManagedDevice,
    SeedBulk,
    BulkAction(String),
}

impl Via {
    pub fn label(&self) -> &'static str {
        match self {
            Via::CloudPc => "cloudPCs/{id}/reprovision",
            Via::Me => "me/cloudPCs/{id}/reprovision",
            Via::User => "users/{id}/cloudPCs/{id}/reprovision",
            Via::ManagedDevice => "managedDevices/{id}/reprovisionCloudPc",
            Via::SeedBulk => "managedDevices/bulkReprovisionCloudPc",
            Via::BulkAction(_) => "bulkActions/{id}",
        }
    }
}

/// The parameters of a reprovision (admin path only).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReprovisionParams {
    pub os_version: Option<String>,
    pub user_account_type: Option<String>,
}

impl ReprovisionParams {
    fn as_json(&self) -> Option<Value> {
        if self.os_version.is_none() && self.user_account_type.is_none() {
            return None;
        }
        Some(json!({"osVersion": self.os_version, "userAccountType": self.user_account_type}))
    }
}

/// Why a reprovision was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The product type does not support it (Windows 365 Business, Dev Box…).
    NotSupported,
    /// The status does not allow it (only `provisioned` and `failed` do).
    Ineligible(String),
}

#[derive(Debug, Clone)]
struct InFlight {
    attempt: u32,
    fails: bool,
    action_idx: usize,
    bulk: Option<(usize, usize)>,
}

/// One Cloud PC with its history and in-flight action.
#[derive(Debug, Clone)]
pub struct PcEntry {
    pub pc: CloudPc,
    pub history: Vec<RemoteActionResult>,
    attempts: u32,
    in_flight: Option<InFlight>,
}

/// The state of one device in a bulk action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ItemState {
    Pending,
    InProgress,
    Succeeded,
    Failed,
    NotSupported,
}

#[derive(Debug, Clone)]
struct BulkItem {
    cloud_pc_id: String,
    pc: Option<usize>,
    state: ItemState,
    round: u32,
}

/// A `cloudPcBulkAction` (only `cloudPcBulkReprovision` is carried out).
#[derive(Debug, Clone)]
pub struct BulkAction {
    pub id: String,
    pub display_name: String,
    pub created: String,
    pub initiated_by: String,
    pub scheduled_during_maintenance_window: bool,
    cloud_pc_ids: Vec<String>,
    items: Vec<BulkItem>,
    request_id: Option<String>,
}

impl BulkAction {
    pub fn summary(&self) -> BulkActionSummary {
        let mut s = BulkActionSummary::default();
        for i in &self.items {
            match i.state {
                ItemState::Pending => s.pending_count += 1,
                ItemState::InProgress => s.in_progress_count += 1,
                ItemState::Succeeded => s.successful_count += 1,
                ItemState::Failed => s.failed_count += 1,
                ItemState::NotSupported => s.not_supported_count += 1,
            }
        }
        s
    }

    /// `pending` while any device is pending or in progress; then `succeeded` when none failed
    /// and at least one succeeded, else `failed`.
    pub fn status(&self) -> &'static str {
        let s = self.summary();
        if s.pending_count + s.in_progress_count > 0 {
            "pending"
        } else if s.failed_count == 0 && s.successful_count > 0 {
            "succeeded"
        } else {
            "failed"
        }
    }

    /// The Graph JSON of this bulk action.
    pub fn to_json(&self) -> Value {
        json!({
            "@odata.type": "#microsoft.graph.cloudPcBulkReprovision",
            "id": self.id,
            "displayName": self.display_name,
            "status": self.status(),
            "createdDateTime": self.created,
            "initiatedByUserPrincipalName": self.initiated_by,
            "cloudPcIds": self.cloud_pc_ids,
            "scheduledDuringMaintenanceWindow": self.scheduled_during_maintenance_window,
            "actionSummary": self.summary(),
        })
    }

    /// The per-device states (for `/_sim/tenant` and tests).
    pub fn item_states(&self) -> Vec<(String, ItemState)> {
        self.items
            .iter()
            .map(|i| (i.cloud_pc_id.clone(), i.state))
            .collect()
    }
}

#[derive(Debug, Clone)]
enum Event {
    Active {
        pc: usize,
        attempt: u32,
    },
    Finish {
        pc: usize,
        attempt: u32,
    },
    BulkDispatch {
        bulk: usize,
        item: usize,
        round: u32,
    },
}

/// The whole tenant state.
pub struct State {
    pub pcs: Vec<PcEntry>,
    pub users: Vec<User>,
    pub bulk_actions: Vec<BulkAction>,
    by_id: HashMap<String, usize>,
    by_managed: HashMap<String, usize>,
    users_by_key: HashMap<String, usize>,
    bulk_by_id: HashMap<String, usize>,
    events: BTreeMap<(u64, u64), Event>,
    event_seq: u64,
    ops: BoundedLog<Operation>,
    op_seq: u64,
    timing: Timing,
    seed: u64,
    clock: Clock,
}

fn key(s: &str) -> String {
    s.to_ascii_lowercase()
}

fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= b.to_ascii_lowercase() as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn micros(t: f64) -> u64 {
    (t.max(0.0) * 1_000_000.0) as u64
}

impl State {
    pub fn new(
        tenant: Tenant,
        timing: Timing,
        seed: u64,
        clock: Clock,
        op_capacity: usize,
    ) -> Self {
        let mut by_id = HashMap::new();
        let mut by_managed = HashMap::new();
        let pcs: Vec<PcEntry> = tenant
            .cloud_pcs
            .into_iter()
            .zip(
                tenant
                    .history
                    .into_iter()
                    .chain(std::iter::repeat(Vec::new())),
            )
            .enumerate()
            .map(|(i, (pc, history))| {
                by_id.insert(key(&pc.id), i);
                if let Some(m) = &pc.managed_device_id {
                    by_managed.insert(key(m), i);
                }
                PcEntry {
                    pc,
                    history,
                    attempts: 0,
                    in_flight: None,
                }
            })
            .collect();
        let mut users_by_key = HashMap::new();
        for (i, u) in tenant.users.iter().enumerate() {
            users_by_key.insert(key(&u.id), i);
            users_by_key.insert(key(&u.user_principal_name), i);
        }
        State {
            pcs,
            users: tenant.users,
            bulk_actions: Vec::new(),
            by_id,
            by_managed,
            users_by_key,
            bulk_by_id: HashMap::new(),
            events: BTreeMap::new(),
            event_seq: 0,
            ops: BoundedLog::new(op_capacity),
            op_seq: 0,
            timing,
            seed,
            clock,
        }
    }

    pub fn find(&self, cloud_pc_id: &str) -> Option<usize> {
        self.by_id.get(&key(cloud_pc_id)).copied()
    }

    pub fn find_managed(&self, managed_device_id: &str) -> Option<usize> {
        self.by_managed.get(&key(managed_device_id)).copied()
    }

    /// A user by object id or UPN.
    pub fn user(&self, id_or_upn: &str) -> Option<&User> {
        self.users_by_key
            .get(&key(id_or_upn))
            .map(|i| &self.users[*i])
    }

    pub fn bulk(&self, id: &str) -> Option<&BulkAction> {
        self.bulk_by_id
            .get(&key(id))
            .map(|i| &self.bulk_actions[*i])
    }

    pub fn operations(&self) -> Vec<Operation> {
        self.ops.snapshot()
    }

    pub fn timing(&self) -> &Timing {
        &self.timing
    }

    fn schedule(&mut self, at: f64, event: Event) {
        self.event_seq += 1;
        self.events.insert((micros(at), self.event_seq), event);
    }

    fn rng_for(&self, what: &str, id: &str, n: u32) -> ChaCha8Rng {
        ChaCha8Rng::seed_from_u64(
            self.seed
                ^ fnv(what).rotate_left(7)
                ^ fnv(id)
                ^ (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15),
        )
    }

    /// Applies every event due at or before `now`, in time order.
    pub fn settle(&mut self, now: f64) {
        let limit = micros(now);
        while let Some(entry) = self.events.first_entry() {
            if entry.key().0 > limit {
                break;
            }
            let ((at, _), event) = entry.remove_entry();
            self.apply(at as f64 / 1_000_000.0, event);
        }
    }

    fn apply(&mut self, at: f64, event: Event) {
        let stamp = self.clock.stamp(at);
        match event {
            Event::Active { pc, attempt } => {
                let entry = &mut self.pcs[pc];
                let Some(f) = entry.in_flight.as_ref().filter(|f| f.attempt == attempt) else {
                    return;
                };
                let r = &mut entry.history[f.action_idx];
                r.action_state = "active".into();
                r.last_updated_date_time = stamp;
                entry.pc.last_remote_action_result = Some(r.clone());
            }
            Event::Finish { pc, attempt } => {
                let entry = &mut self.pcs[pc];
                if entry
                    .in_flight
                    .as_ref()
                    .is_none_or(|f| f.attempt != attempt)
                {
                    return;
                }
                let f = entry.in_flight.take().unwrap();
                let detail = if f.fails {
                    let mut rng = self.rng_for("detail", &self.pcs[pc].pc.id, attempt);
                    Some(failure_detail(&mut rng))
                } else {
                    None
                };
                let entry = &mut self.pcs[pc];
                let r = &mut entry.history[f.action_idx];
                r.action_state = if f.fails { "failed" } else { "done" }.into();
                r.last_updated_date_time = stamp.clone();
                r.status_detail = detail.clone();
                r.status_details = detail.clone();
                entry.pc.last_remote_action_result = Some(r.clone());
                entry.pc.status = if f.fails { "failed" } else { "provisioned" }.into();
                entry.pc.status_detail = detail.clone();
                entry.pc.status_details = detail;
                entry.pc.last_modified_date_time = Some(stamp.clone());
                if !f.fails {
                    entry.pc.provisioned_date_time = Some(stamp);
                }
                if let Some((b, i)) = f.bulk {
                    let item = &mut self.bulk_actions[b].items[i];
                    if item.state == ItemState::InProgress {
                        item.state = if f.fails {
                            ItemState::Failed
                        } else {
                            ItemState::Succeeded
                        };
                    }
                }
            }
            Event::BulkDispatch { bulk, item, round } => {
                let it = &self.bulk_actions[bulk].items[item];
                if it.round != round || it.state != ItemState::Pending {
                    return;
                }
                let Some(pc) = it.pc else {
                    self.bulk_actions[bulk].items[item].state = ItemState::Failed;
                    return;
                };
                let via = Via::BulkAction(self.bulk_actions[bulk].id.clone());
                let request_id = self.bulk_actions[bulk].request_id.clone();
                let result = self.start_reprovision(
                    pc,
                    &ReprovisionParams::default(),
                    via,
                    request_id,
                    at,
                    Some((bulk, item)),
                );
                self.bulk_actions[bulk].items[item].state = match result {
                    Ok(()) => ItemState::InProgress,
                    Err(Refusal::NotSupported) => ItemState::NotSupported,
                    Err(Refusal::Ineligible(_)) => ItemState::Failed,
                };
            }
        }
    }

    /// Whether a reprovision of this Cloud PC would be accepted now.
    pub fn check_reprovision(&self, pc: usize) -> Result<(), Refusal> {
        let p = &self.pcs[pc].pc;
        if !reprovision_supported(p) {
            return Err(Refusal::NotSupported);
        }
        if !reprovision_allowed_from(&p.status) {
            return Err(Refusal::Ineligible(p.status.clone()));
        }
        Ok(())
    }

    /// Carries out a reprovision at simulated time `now` (call [`State::settle`] first).
    pub fn reprovision(
        &mut self,
        pc: usize,
        params: &ReprovisionParams,
        via: Via,
        request_id: Option<String>,
        now: f64,
    ) -> Result<(), Refusal> {
        self.start_reprovision(pc, params, via, request_id, now, None)
    }

    fn start_reprovision(
        &mut self,
        pc: usize,
        params: &ReprovisionParams,
        via: Via,
        request_id: Option<String>,
        now: f64,
        bulk: Option<(usize, usize)>,
    ) -> Result<(), Refusal> {
        self.check_reprovision(pc)?;
        let stamp = self.clock.stamp(now);
        let attempt = self.pcs[pc].attempts + 1;
        let fails = self
            .rng_for("reprovision", &self.pcs[pc].pc.id, attempt)
            .gen_bool(self.timing.reprovision_failure_rate.clamp(0.0, 1.0));
        let entry = &mut self.pcs[pc];
        entry.attempts = attempt;
        if let Some(os) = &params.os_version {
            entry.pc.os_version = Some(os.clone());
            entry.pc.image_display_name = Some(image_for_os(os).into());
        }
        if let Some(t) = &params.user_account_type {
            entry.pc.user_account_type = Some(t.clone());
        }
        entry.pc.status = "provisioning".into();
        entry.pc.status_detail = None;
        entry.pc.status_details = None;
        entry.pc.last_modified_date_time = Some(stamp.clone());
        let result = RemoteActionResult {
            action_name: "Reprovision".into(),
            action_state: "pending".into(),
            start_date_time: stamp.clone(),
            last_updated_date_time: stamp.clone(),
            cloud_pc_id: entry.pc.id.clone(),
            managed_device_id: entry.pc.managed_device_id.clone(),
            status_detail: None,
            status_details: None,
        };
        entry.pc.last_remote_action_result = Some(result.clone());
        entry.history.push(result);
        entry.in_flight = Some(InFlight {
            attempt,
            fails,
            action_idx: entry.history.len() - 1,
            bulk,
        });
        let op = Operation {
            seq: 0,
            time: stamp,
            kind: "reprovision".into(),
            cloud_pc_id: entry.pc.id.clone(),
            managed_device_id: entry.pc.managed_device_id.clone(),
            params: params.as_json(),
            via: via.label().into(),
            request_id,
            bulk_action_id: match via {
                Via::BulkAction(id) => Some(id),
                _ => None,
            },
        };
        self.op_seq += 1;
        self.ops.push(Operation {
            seq: self.op_seq,
            ..op
        });
        let start = self.timing.action_start_secs.max(0.0);
        let finish = self.timing.provisioning_secs.max(start);
        self.schedule(now + start, Event::Active { pc, attempt });
        self.schedule(now + finish, Event::Finish { pc, attempt });
        Ok(())
    }

    /// The seed bulk endpoint (`managedDevices/bulkReprovisionCloudPc`): sorts managed device
    /// ids into the four categories and carries out the successful ones.
    pub fn seed_bulk(
        &mut self,
        managed_device_ids: &[String],
        request_id: Option<String>,
        now: f64,
    ) -> BulkRemoteActionResult {
        let mut out = BulkRemoteActionResult {
            odata_type: "microsoft.graph.cloudPcBulkRemoteActionResult",
            ..Default::default()
        };
        let mut seen = std::collections::HashSet::new();
        for id in managed_device_ids {
            if !seen.insert(key(id)) {
                continue;
            }
            let pc = match self.find_managed(id) {
                Some(pc) => pc,
                None => {
                    // A Business Cloud PC has no managed device id; callers who pass its Cloud PC
                    // id learn that it is not supported rather than not found.
                    match self.find(id) {
                        Some(pc) if !reprovision_supported(&self.pcs[pc].pc) => {
                            out.not_supported_device_ids.push(id.clone())
                        }
                        _ => out.not_found_device_ids.push(id.clone()),
                    }
                    continue;
                }
            };
            match self.check_reprovision(pc) {
                Err(Refusal::NotSupported) => out.not_supported_device_ids.push(id.clone()),
                Err(Refusal::Ineligible(_)) => out.failed_device_ids.push(id.clone()),
                Ok(()) => {
                    let attempt = self.pcs[pc].attempts + 1;
                    let injected = self
                        .rng_for("seedbulk", &self.pcs[pc].pc.id, attempt)
                        .gen_bool(self.timing.seed_bulk_failure_rate.clamp(0.0, 1.0));
                    if injected {
                        out.failed_device_ids.push(id.clone());
                    } else {
                        self.reprovision(
                            pc,
                            &ReprovisionParams::default(),
                            Via::SeedBulk,
                            request_id.clone(),
                            now,
                        )
                        .expect("checked above");
                        out.successful_device_ids.push(id.clone());
                    }
                }
            }
        }
        out
    }

    /// Creates a bulk reprovision. Devices are dispatched one by one, later.
    pub fn create_bulk(
        &mut self,
        display_name: String,
        cloud_pc_ids: Vec<String>,
        scheduled: bool,
        initiated_by: String,
        request_id: Option<String>,
        now: f64,
    ) -> &BulkAction {
        let idx = self.bulk_actions.len();
        let mut rng = self.rng_for("bulkid", &format!("{idx}"), self.bulk_actions.len() as u32);
        let id = uuid::Builder::from_random_bytes(rng.gen())
            .into_uuid()
            .hyphenated()
            .to_string();
        let mut seen = std::collections::HashSet::new();
        let mut items = Vec::new();
        for cid in &cloud_pc_ids {
            if !seen.insert(key(cid)) {
                continue;
            }
            let pc = self.find(cid);
            let state = match pc {
                Some(p) if !reprovision_supported(&self.pcs[p].pc) => ItemState::NotSupported,
                _ => ItemState::Pending,
            };
            items.push(BulkItem {
                cloud_pc_id: cid.clone(),
                pc,
                state,
                round: 0,
            });
        }
        self.bulk_actions.push(BulkAction {
            id: id.clone(),
            display_name,
            created: self.clock.stamp(now),
            initiated_by,
            scheduled_during_maintenance_window: scheduled,
            cloud_pc_ids,
            items,
            request_id,
        });
        self.bulk_by_id.insert(key(&id), idx);
        self.dispatch_pending(idx, now);
        &self.bulk_actions[idx]
    }

    fn dispatch_pending(&mut self, bulk: usize, now: f64) {
        let mut k = 0.0;
        let items: Vec<(usize, u32)> = self.bulk_actions[bulk]
            .items
            .iter()
            .enumerate()
            .filter(|(_, i)| i.state == ItemState::Pending)
            .map(|(n, i)| (n, i.round))
            .collect();
        for (item, round) in items {
            let at = now + self.timing.bulk_dispatch_secs + k * self.timing.bulk_stagger_secs;
            self.schedule(at, Event::BulkDispatch { bulk, item, round });
            k += 1.0;
        }
    }

    /// Retries the failed devices of a bulk action (all of them, or those of `only`).
    /// Returns how many were retried, or `None` for an unknown bulk action.
    pub fn retry_bulk(
        &mut self,
        id: &str,
        only: Option<&[String]>,
        request_id: Option<String>,
        now: f64,
    ) -> Option<usize> {
        let idx = *self.bulk_by_id.get(&key(id))?;
        let wanted: Option<std::collections::HashSet<String>> =
            only.map(|ids| ids.iter().map(|i| key(i)).collect());
        let b = &mut self.bulk_actions[idx];
        let mut n = 0;
        for item in b.items.iter_mut() {
            let selected = wanted
                .as_ref()
                .is_none_or(|w| w.contains(&key(&item.cloud_pc_id)));
            if item.state == ItemState::Failed && selected {
                item.state = ItemState::Pending;
                item.round += 1;
                n += 1;
            }
        }
        if n > 0 {
            b.request_id = request_id;
            self.dispatch_pending(idx, now);
        }
        Some(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenant;

    fn state_with(timing: Timing) -> State {
        let clock = Clock::new(1.0);
        let t = tenant::generate(400, 3, &clock);
        State::new(t, timing, 3, clock, 10_000)
    }

    fn first(state: &State, pred: impl Fn(&CloudPc) -> bool) -> usize {
        state
            .pcs
            .iter()
            .position(|e| pred(&e.pc))
            .expect("tenant has such a PC")
    }

    fn no_failures() -> Timing {
        Timing {
            reprovision_failure_rate: 0.0,
            seed_bulk_failure_rate: 0.0,
            ..Timing::default()
        }
    }

    #[test]
    fn reprovision_moves_through_the_states() {
        let mut s = state_with(no_failures());
        let pc = first(&s, |p| {
            p.status == "provisioned" && p.product_type.as_deref() == Some("enterprise")
        });
        let params = ReprovisionParams {
            os_version: Some("windows10".into()),
            user_account_type: Some("administrator".into()),
        };
        s.reprovision(pc, &params, Via::CloudPc, Some("r1".into()), 100.0)
            .unwrap();
        let e = &s.pcs[pc];
        assert_eq!(e.pc.status, "provisioning");
        assert_eq!(e.pc.os_version.as_deref(), Some("windows10"));
        assert_eq!(e.pc.user_account_type.as_deref(), Some("administrator"));
        assert_eq!(e.history.last().unwrap().action_state, "pending");
        // Not eligible while provisioning.
        assert_eq!(
            s.check_reprovision(pc),
            Err(Refusal::Ineligible("provisioning".into()))
        );
        s.settle(104.0);
        assert_eq!(s.pcs[pc].history.last().unwrap().action_state, "pending");
        s.settle(105.0);
        assert_eq!(s.pcs[pc].history.last().unwrap().action_state, "active");
        assert_eq!(s.pcs[pc].pc.status, "provisioning");
        s.settle(160.0);
        let e = &s.pcs[pc];
        assert_eq!(e.pc.status, "provisioned");
        let r = e.history.last().unwrap();
        assert_eq!(r.action_state, "done");
        assert_ne!(r.start_date_time, r.last_updated_date_time);
        assert_eq!(e.pc.last_remote_action_result.as_ref(), Some(r));
        let ops = s.operations();
        assert_eq!(ops.len(), 1);
        assert_eq!(ops[0].via, "cloudPCs/{id}/reprovision");
        assert_eq!(ops[0].params.as_ref().unwrap()["osVersion"], "windows10");
    }

    #[test]
    fn a_seeded_share_fails() {
        let mut s = state_with(Timing {
            reprovision_failure_rate: 1.0,
            ..Timing::default()
        });
        let pc = first(&s, |p| {
            p.status == "provisioned" && p.product_type.as_deref() == Some("enterprise")
        });
        s.reprovision(pc, &ReprovisionParams::default(), Via::CloudPc, None, 0.0)
            .unwrap();
        s.settle(60.0);
        let e = &s.pcs[pc];
        assert_eq!(e.pc.status, "failed");
        assert!(e.pc.status_detail.is_some());
        let r = e.history.last().unwrap();
        assert_eq!(r.action_state, "failed");
        assert!(r.status_detail.is_some());
        // From failed, reprovisioning is allowed again.
        assert!(s.check_reprovision(pc).is_ok());
    }

    #[test]
    fn refusals() {
        let s = state_with(no_failures());
        let business = first(&s, |p| p.product_type.as_deref() == Some("business"));
        assert_eq!(s.check_reprovision(business), Err(Refusal::NotSupported));
        let grace = first(&s, |p| {
            p.status == "inGracePeriod" && p.product_type.as_deref() != Some("business")
        });
        assert_eq!(
            s.check_reprovision(grace),
            Err(Refusal::Ineligible("inGracePeriod".into()))
        );
    }

    #[test]
    fn seed_bulk_sorts_into_four_categories() {
        let mut s = state_with(no_failures());
        let ok = first(&s, |p| {
            p.status == "provisioned" && p.managed_device_id.is_some()
        });
        let bad = first(&s, |p| {
            p.status == "deprovisioning" && p.managed_device_id.is_some()
        });
        let business = first(&s, |p| p.product_type.as_deref() == Some("business"));
        let ok_id = s.pcs[ok].pc.managed_device_id.clone().unwrap();
        let bad_id = s.pcs[bad].pc.managed_device_id.clone().unwrap();
        let business_id = s.pcs[business].pc.id.clone();
        let ids = vec![
            ok_id.clone(),
            bad_id.clone(),
            business_id.clone(),
            "nope".to_string(),
        ];
        let r = s.seed_bulk(&ids, None, 0.0);
        assert_eq!(r.successful_device_ids, vec![ok_id]);
        assert_eq!(r.failed_device_ids, vec![bad_id]);
        assert_eq!(r.not_supported_device_ids, vec![business_id]);
        assert_eq!(r.not_found_device_ids, vec!["nope".to_string()]);
        assert_eq!(s.operations().len(), 1);
        assert_eq!(
            s.operations()[0].via,
            "managedDevices/bulkReprovisionCloudPc"
        );
    }

    #[test]
    fn bulk_actions_progress_and_retry() {
        let mut s = state_with(no_failures());
        let a = first(&s, |p| {
            p.status == "provisioned" && p.product_type.as_deref() == Some("enterprise")
        });
        let b = first(&s, |p| {
            p.status == "deprovisioning" && p.product_type.as_deref() != Some("business")
        });
        let c = first(&s, |p| p.product_type.as_deref() == Some("business"));
        let ids: Vec<String> = [a, b, c].iter().map(|i| s.pcs[*i].pc.id.clone()).collect();
        let bulk = s
            .create_bulk(
                "Weekly".into(),
                ids,
                false,
                "admin@x".into(),
                Some("req".into()),
                0.0,
            )
            .clone();
        assert_eq!(bulk.status(), "pending");
        assert_eq!(bulk.summary().pending_count, 2);
        assert_eq!(bulk.summary().not_supported_count, 1);
        s.settle(5.0);
        let now = s.bulk(&bulk.id).unwrap().summary();
        assert_eq!(now.in_progress_count, 1);
        s.settle(6.0);
        let now = s.bulk(&bulk.id).unwrap().summary();
        assert_eq!((now.in_progress_count, now.failed_count), (1, 1));
        s.settle(100.0);
        let done = s.bulk(&bulk.id).unwrap();
        assert_eq!(done.summary().successful_count, 1);
        assert_eq!(done.status(), "failed");
        assert_eq!(s.operations().len(), 1);
        assert_eq!(
            s.operations()[0].bulk_action_id.as_deref(),
            Some(bulk.id.as_str())
        );
        // Make the ineligible PC eligible and retry the failed device.
        s.pcs[b].pc.status = "failed".into();
        assert_eq!(s.retry_bulk(&bulk.id, None, None, 100.0), Some(1));
        assert_eq!(s.bulk(&bulk.id).unwrap().status(), "pending");
        s.settle(200.0);
        let done = s.bulk(&bulk.id).unwrap();
        assert_eq!(done.summary().successful_count, 2);
        assert_eq!(done.summary().not_supported_count, 1);
        assert_eq!(done.status(), "succeeded");
        assert_eq!(s.operations().len(), 2);
        assert_eq!(s.retry_bulk("unknown", None, None, 200.0), None);
    }
}
