//! The import report in the operator's words: one verdict per line (matched, same Cloud PC as
//! another line, ambiguous, no match, invalid, duplicate) and the totals shown above it. Pure,
//! so the wording is tested natively and the view only lays it out.

use super::resolve::{ImportReport, Resolution};

/// How a line ended, for grouping and styling.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Matched exactly one Cloud PC: it becomes a target.
    Matched,
    /// Matched a Cloud PC another line already matched: counted once.
    AlreadyListed,
    /// Several Cloud PCs fit: none is targeted.
    Ambiguous,
    NoMatch,
    Invalid,
    Duplicate,
}

impl Verdict {
    pub fn key(self) -> &'static str {
        match self {
            Verdict::Matched => "matched",
            Verdict::AlreadyListed => "already-listed",
            Verdict::Ambiguous => "ambiguous",
            Verdict::NoMatch => "no-match",
            Verdict::Invalid => "invalid",
            Verdict::Duplicate => "duplicate",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Verdict::Matched => "Matched",
            Verdict::AlreadyListed => "Already listed",
            Verdict::Ambiguous => "Ambiguous",
            Verdict::NoMatch => "No match",
            Verdict::Invalid => "Invalid",
            Verdict::Duplicate => "Duplicate",
        }
    }

    pub fn of(resolution: &Resolution) -> Verdict {
        match resolution {
            Resolution::Matched { .. } => Verdict::Matched,
            Resolution::SameAsLine { .. } => Verdict::AlreadyListed,
            Resolution::Ambiguous { .. } => Verdict::Ambiguous,
            Resolution::NoMatch => Verdict::NoMatch,
            Resolution::Invalid(_) => Verdict::Invalid,
            Resolution::Duplicate { .. } => Verdict::Duplicate,
        }
    }

    pub const ALL: [Verdict; 6] = [
        Verdict::Matched,
        Verdict::AlreadyListed,
        Verdict::Ambiguous,
        Verdict::NoMatch,
        Verdict::Invalid,
        Verdict::Duplicate,
    ];
}

/// One line of the report as shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineVerdict {
    pub line: usize,
    pub text: String,
    pub verdict: Verdict,
    /// What happened, in words ("Cloud PC CPC-alex-1, by device name").
    pub detail: String,
}

/// Words for every line; `name_of(device)` gives a Cloud PC's name for an inventory index.
pub fn describe(report: &ImportReport, name_of: impl Fn(usize) -> String) -> Vec<LineVerdict> {
    const NAMED: usize = 5;
    report
        .lines
        .iter()
        .map(|l| {
            let detail = match &l.resolution {
                Resolution::Matched { device, by } => {
                    format!("Cloud PC {}, by {}.", name_of(*device), by.describe())
                }
                Resolution::SameAsLine { device, line } => format!(
                    "Cloud PC {}, already matched by line {line}; counted once.",
                    name_of(*device)
                ),
                Resolution::Ambiguous { devices, by } => {
                    let mut names: Vec<String> =
                        devices.iter().take(NAMED).map(|&d| name_of(d)).collect();
                    if devices.len() > NAMED {
                        names.push(format!("and {} more", devices.len() - NAMED));
                    }
                    format!(
                        "{} Cloud PCs have this {} ({}); none is taken. List the one you mean by name or id.",
                        devices.len(),
                        by.describe(),
                        names.join(", ")
                    )
                }
                Resolution::NoMatch => {
                    "No Cloud PC in the loaded inventory has this id, name or user.".into()
                }
                Resolution::Invalid(reason) => reason.clone(),
                Resolution::Duplicate { first_line } => {
                    format!("Same entry as line {first_line}; counted once.")
                }
            };
            LineVerdict {
                line: l.line,
                text: l.text.clone(),
                verdict: Verdict::of(&l.resolution),
                detail,
            }
        })
        .collect()
}

/// Lines per verdict, in [`Verdict::ALL`] order, leaving out verdicts no line has.
pub fn totals(report: &ImportReport) -> Vec<(Verdict, usize)> {
    Verdict::ALL
        .into_iter()
        .map(|v| (v, report.count(|r| Verdict::of(r) == v)))
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// The one-line summary above the report ("3 Cloud PCs matched from 7 lines: …").
pub fn summary(report: &ImportReport) -> String {
    let lines = report.lines.len();
    let parts: Vec<String> = totals(report)
        .into_iter()
        .map(|(v, n)| format!("{n} {}", v.label().to_lowercase()))
        .collect();
    let pcs = match report.targets.len() {
        1 => "1 Cloud PC".to_string(),
        n => format!("{n} Cloud PCs"),
    };
    let lines_word = if lines == 1 { "line" } else { "lines" };
    if parts.is_empty() {
        format!("{pcs} matched: the list has no entries.")
    } else {
        format!(
            "{pcs} matched from {lines} {lines_word}: {}.",
            parts.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::targets::import_parse::parse_text;
    use crate::targets::resolve::{resolve, DeviceKeys, InventoryIndex};

    const PC0: &str = "11111111-0000-4000-8000-000000000000";
    const PC1: &str = "11111111-0000-4000-8000-000000000001";

    fn index() -> InventoryIndex {
        InventoryIndex::build([
            DeviceKeys {
                cloud_pc_id: PC0,
                managed_device_id: None,
                display_name: Some("CPC-a"),
                managed_device_name: None,
                user_principal_name: Some("u@contoso.com"),
            },
            DeviceKeys {
                cloud_pc_id: PC1,
                managed_device_id: None,
                display_name: Some("CPC-b"),
                managed_device_name: None,
                user_principal_name: Some("u@contoso.com"),
            },
        ])
    }

    #[test]
    fn every_line_is_described_and_totals_add_up() {
        let text = format!("name\nCPC-a\n{PC0}\nu@contoso.com\nghost\nhas space\ncpc-A\n");
        let report = resolve(&parse_text(&text).unwrap(), &index());
        let names = ["CPC-a", "CPC-b"];
        let lines = describe(&report, |d| names[d].to_string());
        let verdicts: Vec<Verdict> = lines.iter().map(|l| l.verdict).collect();
        assert_eq!(
            verdicts,
            vec![
                Verdict::Matched,
                Verdict::AlreadyListed,
                Verdict::Ambiguous,
                Verdict::NoMatch,
                Verdict::Invalid,
                Verdict::Duplicate
            ]
        );
        assert_eq!(lines[0].line, 2, "the header row is line 1");
        assert_eq!(lines[0].detail, "Cloud PC CPC-a, by device name.");
        assert_eq!(
            lines[1].detail,
            "Cloud PC CPC-a, already matched by line 2; counted once."
        );
        assert!(
            lines[2]
                .detail
                .starts_with("2 Cloud PCs have this user (CPC-a, CPC-b)"),
            "{}",
            lines[2].detail
        );
        assert_eq!(lines[5].detail, "Same entry as line 2; counted once.");
        assert_eq!(
            summary(&report),
            "1 Cloud PC matched from 6 lines: 1 matched, 1 already listed, 1 ambiguous, 1 no match, 1 invalid, 1 duplicate."
        );
        let sum: usize = totals(&report).iter().map(|(_, n)| n).sum();
        assert_eq!(sum, report.lines.len());
    }

    #[test]
    fn an_empty_list_says_so() {
        let report = resolve(&parse_text("\n\n").unwrap(), &index());
        assert_eq!(
            summary(&report),
            "0 Cloud PCs matched: the list has no entries."
        );
    }
}
