//! What the operator is told when a bulk run finishes (in the page, and as the browser's own
//! notification when the tab is hidden): how many devices ended in each category, and whether
//! anything needs their attention.

use crate::bulk::outcome::{Category, Counts};

/// The notice for one finished run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunNotice {
    pub title: String,
    pub body: String,
    /// Some devices failed, were not found or have an unknown outcome: shown as an alert.
    pub needs_attention: bool,
}

/// The notice for a run named `name` whose devices ended as `counts`; `stopped` when the
/// operator stopped it before every device had an outcome.
pub fn finished_run_notice(name: &str, counts: &Counts, stopped: bool) -> RunNotice {
    let parts: Vec<String> = Category::ALL
        .iter()
        .filter(|&&c| counts.get(c) > 0)
        .map(|&c| format!("{} {}", counts.get(c), c.label().to_lowercase()))
        .collect();
    let body = if parts.is_empty() {
        "No Cloud PCs were in this run.".to_string()
    } else {
        format!("{}.", parts.join(", "))
    };
    let needs_attention = counts.failed + counts.not_found + counts.unknown > 0;
    let title = if stopped {
        format!("Stopped: {name}")
    } else if needs_attention {
        format!("Finished, needs attention: {name}")
    } else {
        format!("Finished: {name}")
    };
    RunNotice {
        title,
        body,
        needs_attention,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clean_run_lists_its_outcomes_and_needs_nothing() {
        let counts = Counts {
            successful: 12,
            not_supported: 2,
            ..Default::default()
        };
        let notice = finished_run_notice("Reprovision 14 Cloud PCs", &counts, false);
        assert_eq!(notice.title, "Finished: Reprovision 14 Cloud PCs");
        assert_eq!(notice.body, "12 successful, 2 not supported.");
        assert!(!notice.needs_attention);
    }

    #[test]
    fn failures_unknown_outcomes_and_stops_are_called_out() {
        let counts = Counts {
            successful: 3,
            failed: 1,
            unknown: 1,
            ..Default::default()
        };
        let notice = finished_run_notice("Run", &counts, false);
        assert!(notice.needs_attention);
        assert_eq!(notice.title, "Finished, needs attention: Run");
        assert_eq!(notice.body, "3 successful, 1 failed, 1 unknown.");
        let stopped = finished_run_notice(
            "Run",
            &Counts {
                pending: 4,
                ..Default::default()
            },
            true,
        );
        assert_eq!(stopped.title, "Stopped: Run");
        assert_eq!(stopped.body, "4 pending.");
    }
}
