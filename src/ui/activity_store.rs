//! The session's activity log as shared state: every page that acts (a bulk run, a retry, an
//! import) records here, and the activity page shows and exports it. Kept in memory only: it
//! lives as long as the tab, like the session.

use leptos::prelude::*;

use crate::bulk::activity::{ActivityEntry, ActivityKind, ActivityLog};
use crate::bulk::outcome::{Reason, RunLedger};
use crate::bulk::time::Millis;
use crate::graph::error::GraphError;
use crate::graph::models::ReprovisionParams;

#[derive(Clone, Copy)]
pub struct SessionActivity {
    pub log: RwSignal<ActivityLog>,
}

impl SessionActivity {
    pub fn new() -> Self {
        Self {
            log: RwSignal::new(ActivityLog::default()),
        }
    }
}

impl Default for SessionActivity {
    fn default() -> Self {
        Self::new()
    }
}

pub fn now() -> Millis {
    js_sys::Date::now() as Millis
}

/// The session's log, captured when a component is created (async tasks have no context to
/// look it up in); a detached one where none is provided (component tests).
pub fn use_activity() -> SessionActivity {
    use_context::<SessionActivity>().unwrap_or_default()
}

impl SessionActivity {
    /// Adds an entry to the session's log.
    pub fn record(&self, entry: ActivityEntry) {
        self.log.update(|log| log.push(entry));
    }

    /// Records an action on a run's devices: the ledger's counts as the outcome, their
    /// request-ids.
    pub fn record_run(
        &self,
        kind: ActivityKind,
        action: &str,
        ledger: &RunLedger,
        targets: &[String],
    ) {
        self.record(ActivityEntry::for_run(now(), kind, action, ledger, targets));
    }

    /// Records the start of a run on `ids` ("Reprovision 4 Cloud PCs (per device)").
    pub fn record_run_start(&self, ledger: &RunLedger, ids: &[String]) {
        let action = format!(
            "Reprovision {} Cloud PCs ({})",
            ids.len(),
            ledger.strategy.label().to_lowercase()
        );
        self.record_run(ActivityKind::StartRun, &action, ledger, ids);
    }

    /// Records a single reprovision (from a row or a device page) and Graph's answer.
    pub fn record_single(
        &self,
        id: &str,
        name: &str,
        params: &ReprovisionParams,
        result: &Result<(), GraphError>,
    ) {
        let keep = "keep current";
        let action = format!(
            "Reprovision {name} (one Cloud PC; OS {}, account {})",
            params.os_version.as_ref().map_or(keep, |v| v.as_str()),
            params
                .user_account_type
                .as_ref()
                .map_or(keep, |v| v.as_str()),
        );
        let outcome = match result {
            Ok(()) => "Accepted by Graph".to_string(),
            Err(e) => format!("Not accepted: {}", Reason::from_error(e).summary()),
        };
        let mut entry = ActivityEntry::new(
            now(),
            ActivityKind::StartRun,
            &action,
            vec![id.to_string()],
            &outcome,
        );
        if let Err(e) = result {
            entry.request_ids.extend(e.request_id.clone());
        }
        self.record(entry);
    }

    /// Records how a run ended (followed to the end, or stopped), from the ledger as it is now.
    pub fn record_run_end(&self, ledger: RwSignal<Option<RunLedger>>, stopped: bool) {
        ledger.with_untracked(|l| {
            if let Some(l) = l {
                let ids: Vec<String> = l
                    .devices()
                    .iter()
                    .map(|d| d.target.cloud_pc_id.clone())
                    .collect();
                let (kind, verb) = if stopped {
                    (ActivityKind::StopRun, "Stopped")
                } else {
                    (ActivityKind::Follow, "Finished")
                };
                self.record_run(kind, &format!("{verb}: {}", l.display_name), l, &ids);
            }
        });
    }
}
