//! The session's activity log: everything this operator did (time, action, targets, outcome,
//! request-ids), exportable as CSV and JSON. No tokens: texts are scrubbed on entry.

use serde::{Deserialize, Serialize};

use super::export::csv_document;
use super::outcome::{Category, RunLedger};
use super::redact::scrub;
use super::time::{iso8601, Millis};

/// What the operator did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ActivityKind {
    Preflight,
    StartRun,
    StopRun,
    Retry,
    Reconcile,
    Follow,
    RestoreRun,
    Export,
    Other,
}

impl ActivityKind {
    pub fn key(self) -> &'static str {
        match self {
            ActivityKind::Preflight => "preflight",
            ActivityKind::StartRun => "startRun",
            ActivityKind::StopRun => "stopRun",
            ActivityKind::Retry => "retry",
            ActivityKind::Reconcile => "reconcile",
            ActivityKind::Follow => "follow",
            ActivityKind::RestoreRun => "restoreRun",
            ActivityKind::Export => "export",
            ActivityKind::Other => "other",
        }
    }
}

/// One thing the operator did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityEntry {
    pub at: Millis,
    pub kind: ActivityKind,
    /// What, in words (e.g. "Reprovision 40 Cloud PCs (bulk action)").
    pub action: String,
    pub run_id: Option<String>,
    /// Cloud PC ids acted on.
    pub targets: Vec<String>,
    /// Outcome in words (e.g. "38 successful, 2 failed").
    pub outcome: String,
    /// `request-id`s of the Graph exchanges involved.
    pub request_ids: Vec<String>,
}

impl ActivityEntry {
    pub fn new(
        at: Millis,
        kind: ActivityKind,
        action: &str,
        targets: Vec<String>,
        outcome: &str,
    ) -> ActivityEntry {
        ActivityEntry {
            at,
            kind,
            action: scrub(action).into_owned(),
            run_id: None,
            targets,
            outcome: scrub(outcome).into_owned(),
            request_ids: Vec::new(),
        }
    }

    /// An entry about a run: its id, `targets`, the ledger's counts as the outcome and the
    /// request-ids of those devices.
    pub fn for_run(
        at: Millis,
        kind: ActivityKind,
        action: &str,
        ledger: &RunLedger,
        targets: &[String],
    ) -> ActivityEntry {
        let mut e = ActivityEntry::new(at, kind, action, targets.to_vec(), &counts_phrase(ledger));
        e.run_id = Some(ledger.run_id.clone());
        for id in targets {
            if let Some(rid) = ledger
                .device(id)
                .and_then(|d| d.reason.as_ref())
                .and_then(|r| r.request_id.clone())
            {
                if !e.request_ids.contains(&rid) {
                    e.request_ids.push(rid);
                }
            }
        }
        if let Some(b) = &ledger.bulk_action {
            e.outcome.push_str(&format!(" (bulk action {})", b.id));
        }
        e
    }
}

/// "3 successful, 1 failed, 2 not supported" (non-empty categories, display order).
pub fn counts_phrase(ledger: &RunLedger) -> String {
    let c = ledger.counts();
    let parts: Vec<String> = Category::ALL
        .iter()
        .filter(|&&k| c.get(k) > 0)
        .map(|&k| format!("{} {}", c.get(k), k.label().to_lowercase()))
        .collect();
    if parts.is_empty() {
        "no devices".into()
    } else {
        parts.join(", ")
    }
}

/// The session's log, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityLog {
    entries: Vec<ActivityEntry>,
}

impl ActivityLog {
    pub fn push(&mut self, entry: ActivityEntry) {
        self.entries.push(entry);
    }

    pub fn entries(&self) -> &[ActivityEntry] {
        &self.entries
    }

    pub fn to_csv(&self) -> String {
        let rows = self.entries.iter().map(|e| {
            vec![
                iso8601(e.at),
                e.kind.key().to_owned(),
                e.action.clone(),
                e.run_id.clone().unwrap_or_default(),
                e.targets.len().to_string(),
                e.targets.join(" "),
                e.outcome.clone(),
                e.request_ids.join(" "),
            ]
        });
        csv_document(
            &[
                "time",
                "kind",
                "action",
                "runId",
                "targetCount",
                "targets",
                "outcome",
                "requestIds",
            ],
            rows,
        )
    }

    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Row<'a> {
            time: String,
            #[serde(flatten)]
            entry: &'a ActivityEntry,
        }
        let rows: Vec<Row<'_>> = self
            .entries
            .iter()
            .map(|entry| Row {
                time: iso8601(entry.at),
                entry,
            })
            .collect();
        serde_json::to_string_pretty(&rows).expect("activity serializes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::outcome::{Change, Reason, Target};
    use crate::bulk::strategy::Strategy;
    use crate::graph::models::ReprovisionParams;

    #[test]
    fn logs_runs_with_counts_and_request_ids_and_exports() {
        let t = |id: &str| Target {
            cloud_pc_id: id.into(),
            name: id.into(),
            ..Target::default()
        };
        let mut l = RunLedger::new(
            "r1",
            Strategy::PerDevice,
            ReprovisionParams::default(),
            "T",
            vec![t("a"), t("b")],
            vec![],
            0,
        );
        let mut ok = Reason::console("accepted", "ok");
        ok.request_id = Some("req-a".into());
        l.apply(&Change::Device {
            id: "a".into(),
            to: Category::Successful,
            reason: Some(ok),
            at: 5,
        })
        .unwrap();
        let mut log = ActivityLog::default();
        log.push(ActivityEntry::for_run(
            1_751_364_000_000,
            ActivityKind::StartRun,
            "Reprovision 2 Cloud PCs, per device",
            &l,
            &["a".into(), "b".into()],
        ));
        log.push(ActivityEntry::new(
            1_751_364_060_000,
            ActivityKind::Export,
            "Export CSV, Bearer abc.def",
            vec![],
            "=done",
        ));
        let e = &log.entries()[0];
        assert_eq!(e.outcome, "1 successful, 1 pending");
        assert_eq!(e.request_ids, vec!["req-a"]);
        let csv = log.to_csv();
        assert!(
            csv.starts_with("time,kind,action,runId,targetCount,targets,outcome,requestIds\r\n")
        );
        assert!(csv.contains("2025-07-01T10:00:00.000Z,startRun,\"Reprovision 2 Cloud PCs, per device\",r1,2,a b,\"1 successful, 1 pending\",req-a\r\n"), "{csv}");
        assert!(csv.contains(",'=done,"), "{csv}");
        assert!(!csv.contains("abc.def"));
        let json: serde_json::Value = serde_json::from_str(&log.to_json()).unwrap();
        assert_eq!(json[0]["kind"], "startRun");
        assert_eq!(json[0]["time"], "2025-07-01T10:00:00.000Z");
        assert_eq!(json[0]["requestIds"][0], "req-a");
    }
}
