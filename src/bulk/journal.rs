//! The run journal: what a bulk run needs to survive a reload or a closed tab (targets,
//! parameters, outcomes so far, the bulk action id, times), as versioned JSON the UI keeps in
//! the browser's storage under [`RunJournal::storage_key`]. Never tokens: the ledger holds none,
//! and every text is scrubbed ([`super::redact`]) on the way out anyway.
//!
//! On return, [`RunJournal::restore`] gives the ledger back with every device whose request was
//! on the wire turned `Unknown`; the UI then offers [`super::follow::reconcile`] and never
//! re-sends anything without the operator.

use serde::{Deserialize, Serialize};

use super::follow::follow_counts;
use super::outcome::RunLedger;
use super::redact::scrub_owned;
use super::time::Millis;

/// The journal format written by this version.
pub const JOURNAL_VERSION: u32 = 1;

/// Prefix of the storage keys of run journals (one key per run).
pub const STORAGE_KEY_PREFIX: &str = "cloudpc-console.bulk-run.";

/// A saved run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunJournal {
    pub version: u32,
    pub saved_at: Millis,
    /// The operator who ran it (their UPN; not a credential), to offer only their own runs.
    pub operator: Option<String>,
    pub ledger: RunLedger,
}

/// Why a journal could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JournalError {
    Unreadable(String),
    /// Written by a newer console.
    UnsupportedVersion(u32),
}

impl std::fmt::Display for JournalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JournalError::Unreadable(e) => write!(f, "the saved run could not be read: {e}"),
            JournalError::UnsupportedVersion(v) => write!(
                f,
                "the saved run has format {v}, newer than this console's {JOURNAL_VERSION}"
            ),
        }
    }
}

impl std::error::Error for JournalError {}

impl RunJournal {
    /// A journal of `ledger` as it is at `now` (texts scrubbed).
    pub fn capture(ledger: &RunLedger, operator: Option<&str>, now: Millis) -> RunJournal {
        let mut ledger = ledger.clone();
        scrub_ledger(&mut ledger);
        RunJournal {
            version: JOURNAL_VERSION,
            saved_at: now,
            operator: operator.map(str::to_owned),
            ledger,
        }
    }

    /// The browser storage key of this run.
    pub fn storage_key(&self) -> String {
        storage_key(&self.ledger.run_id)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("journals serialize")
    }

    pub fn from_json(text: &str) -> Result<RunJournal, JournalError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| JournalError::Unreadable(e.to_string()))?;
        let version = value
            .get("version")
            .and_then(serde_json::Value::as_u64)
            .ok_or_else(|| JournalError::Unreadable("no version".into()))?;
        if version != u64::from(JOURNAL_VERSION) {
            return Err(JournalError::UnsupportedVersion(
                u32::try_from(version).unwrap_or(u32::MAX),
            ));
        }
        serde_json::from_value(value).map_err(|e| JournalError::Unreadable(e.to_string()))
    }

    /// The ledger to continue with: devices whose request was on the wire are `Unknown`
    /// (returned as the second value: the ones to reconcile first).
    pub fn restore(self, now: Millis) -> (RunLedger, Vec<String>) {
        let mut ledger = self.ledger;
        let interrupted = ledger.settle_interrupted(now);
        (ledger, interrupted)
    }

    /// True when the run still needs the operator: something outstanding or unknown, or devices
    /// Graph took on not yet seen provisioned again or failed.
    pub fn needs_attention(&self) -> bool {
        let c = self.ledger.counts();
        c.pending + c.in_progress + c.unknown > 0 || !follow_counts(&self.ledger).is_over()
    }
}

/// The storage key of run `run_id`.
pub fn storage_key(run_id: &str) -> String {
    format!("{STORAGE_KEY_PREFIX}{run_id}")
}

/// Among saved journals (the texts under [`STORAGE_KEY_PREFIX`]), the most recently saved one
/// of `operator` that still needs attention ([`RunJournal::needs_attention`]): the run to offer
/// to reconcile on return. Unreadable or foreign journals are skipped.
pub fn latest_unfinished<I>(texts: I, operator: Option<&str>) -> Option<RunJournal>
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    texts
        .into_iter()
        .filter_map(|t| RunJournal::from_json(t.as_ref()).ok())
        .filter(|j| j.needs_attention())
        .filter(|j| operator.is_none() || j.operator.as_deref() == operator)
        .max_by_key(|j| j.saved_at)
}

fn scrub_ledger(ledger: &mut RunLedger) {
    scrub_owned(&mut ledger.display_name);
    ledger.for_each_text_mut(scrub_owned);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::outcome::{codes, Category, Change, Reason, Target};
    use crate::bulk::strategy::Strategy;
    use crate::graph::error::{ErrorKind, GraphError};
    use crate::graph::models::{OsVersion, ReprovisionParams};

    fn ledger() -> RunLedger {
        let t = |id: &str| Target {
            cloud_pc_id: id.into(),
            name: format!("CPC-{id}"),
            user: Some(format!("{id}@contoso.com")),
            managed_device_id: Some(format!("m-{id}")),
        };
        let mut l = RunLedger::new(
            "run-42",
            Strategy::PerDevice,
            ReprovisionParams {
                os_version: Some(OsVersion::Windows11),
                user_account_type: None,
            },
            "Ticket 42",
            vec![t("a"), t("b"), t("c"), t("d")],
            vec![(
                t("e"),
                Reason::console(codes::STATUS_NOT_ELIGIBLE, "Status is provisioning."),
            )],
            1000,
        );
        l.apply(&Change::Started { at: 1000 }).unwrap();
        l.apply(&Change::Sent {
            ids: vec!["a".into(), "b".into(), "c".into()],
            at: 1100,
        })
        .unwrap();
        let mut e = GraphError::new(
            ErrorKind::Forbidden,
            "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_nature echoed",
        );
        e.request_id = Some("req-b".into());
        l.apply(&Change::Device {
            id: "b".into(),
            to: Category::Failed,
            reason: Some(Reason::from_error(&e)),
            at: 1200,
        })
        .unwrap();
        l.apply(&Change::Device {
            id: "a".into(),
            to: Category::Successful,
            reason: None,
            at: 1200,
        })
        .unwrap();
        l
    }

    #[test]
    fn round_trips_and_turns_in_flight_devices_unknown() {
        let l = ledger();
        let j = RunJournal::capture(&l, Some("helpdesk@contoso.com"), 2000);
        assert_eq!(j.storage_key(), "cloudpc-console.bulk-run.run-42");
        assert!(j.needs_attention());
        let text = j.to_json();
        let back = RunJournal::from_json(&text).unwrap();
        assert_eq!(back, j);
        let (restored, interrupted) = back.restore(3000);
        assert_eq!(interrupted, vec!["c".to_owned()]);
        let c = restored.device("c").unwrap();
        assert_eq!(c.category, Category::Unknown);
        assert!(c.reason.as_ref().unwrap().is_console(codes::INTERRUPTED));
        assert!(!c.awaiting_answer);
        assert_eq!(restored.device("d").unwrap().category, Category::Pending);
        assert_eq!(restored.device("d").unwrap().attempts, 0);
        assert_eq!(restored.device("a").unwrap().category, Category::Successful);
        assert_eq!(restored.params.os_version, Some(OsVersion::Windows11));
        assert_eq!(restored.counts().total(), 5);
        assert_eq!(
            restored
                .device("b")
                .unwrap()
                .reason
                .as_ref()
                .unwrap()
                .request_id
                .as_deref(),
            Some("req-b")
        );
    }

    #[test]
    fn never_contains_tokens() {
        let text = RunJournal::capture(&ledger(), None, 2000).to_json();
        assert!(!text.contains("eyJhbGciOiJIUzI1NiJ9"), "{text}");
        assert!(!text.to_ascii_lowercase().contains("bearer ey"));
        assert!(text.contains("Bearer [redacted]"));
        for forbidden in [
            "accessToken",
            "access_token",
            "\"token\"",
            "authorization\":",
        ] {
            assert!(!text.contains(forbidden), "{forbidden} in {text}");
        }
    }

    #[test]
    fn offers_the_operators_latest_unfinished_run() {
        let unfinished = RunJournal::capture(&ledger(), Some("me@contoso.com"), 2000).to_json();
        let older = RunJournal::capture(&ledger(), Some("me@contoso.com"), 1000).to_json();
        let theirs = RunJournal::capture(&ledger(), Some("them@contoso.com"), 3000).to_json();
        let mut done = ledger();
        for id in ["a", "c", "d"] {
            done.apply(&Change::Device {
                id: id.into(),
                to: Category::Failed,
                reason: None,
                at: 1300,
            })
            .unwrap();
        }
        let finished = RunJournal::capture(&done, Some("me@contoso.com"), 4000).to_json();
        let texts = [older, "{garbage".to_owned(), unfinished, theirs, finished];
        let picked = latest_unfinished(&texts, Some("me@contoso.com")).unwrap();
        assert_eq!(picked.saved_at, 2000);
        assert_eq!(latest_unfinished(&texts, Some("nobody@contoso.com")), None);
    }

    #[test]
    fn refuses_other_versions_and_garbage() {
        let mut v: serde_json::Value =
            serde_json::from_str(&RunJournal::capture(&ledger(), None, 1).to_json()).unwrap();
        v["version"] = 99.into();
        assert_eq!(
            RunJournal::from_json(&v.to_string()),
            Err(JournalError::UnsupportedVersion(99))
        );
        assert!(matches!(
            RunJournal::from_json("{"),
            Err(JournalError::Unreadable(_))
        ));
        assert!(matches!(
            RunJournal::from_json("{}"),
            Err(JournalError::Unreadable(_))
        ));
    }
}
