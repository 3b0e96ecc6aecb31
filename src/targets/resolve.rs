//! Resolves parsed import lines against the loaded inventory. The report says, for every line,
//! which Cloud PC it matched and how, which lines are ambiguous and which matched nothing; only
//! lines that matched exactly one Cloud PC become targets.

use std::collections::HashMap;

use super::import_parse::{Identifier, ImportLine, ParsedImport, ParsedLine};

/// The identifying properties of one inventory device.
#[derive(Clone, Copy, Debug)]
pub struct DeviceKeys<'a> {
    pub cloud_pc_id: &'a str,
    pub managed_device_id: Option<&'a str>,
    pub display_name: Option<&'a str>,
    pub managed_device_name: Option<&'a str>,
    pub user_principal_name: Option<&'a str>,
}

/// How a line matched its Cloud PC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchedBy {
    CloudPcId,
    ManagedDeviceId,
    DeviceName,
    UserPrincipalName,
}

impl MatchedBy {
    pub fn describe(self) -> &'static str {
        match self {
            MatchedBy::CloudPcId => "Cloud PC id",
            MatchedBy::ManagedDeviceId => "Intune managed device id",
            MatchedBy::DeviceName => "device name",
            MatchedBy::UserPrincipalName => "user",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// Exactly one Cloud PC (its index in the inventory).
    Matched {
        device: usize,
        by: MatchedBy,
    },
    /// The same Cloud PC as an earlier line; counted once.
    SameAsLine {
        device: usize,
        line: usize,
    },
    /// Several Cloud PCs fit (e.g. a user with two); none is targeted.
    Ambiguous {
        devices: Vec<usize>,
        by: MatchedBy,
    },
    NoMatch,
    Invalid(String),
    Duplicate {
        first_line: usize,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportLine {
    pub line: usize,
    pub text: String,
    pub resolution: Resolution,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub lines: Vec<ReportLine>,
    /// Inventory indexes of the Cloud PCs to target, each once, in the order of the list.
    pub targets: Vec<usize>,
}

impl ImportReport {
    pub fn count(&self, pred: impl Fn(&Resolution) -> bool) -> usize {
        self.lines.iter().filter(|l| pred(&l.resolution)).count()
    }
}

/// Lookup tables over the inventory, built once per import.
#[derive(Default)]
pub struct InventoryIndex {
    by_id: HashMap<String, usize>,
    by_managed_id: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
    by_upn: HashMap<String, Vec<usize>>,
}

impl InventoryIndex {
    pub fn build<'a>(devices: impl IntoIterator<Item = DeviceKeys<'a>>) -> Self {
        let mut index = Self::default();
        for (i, d) in devices.into_iter().enumerate() {
            index.by_id.insert(d.cloud_pc_id.to_lowercase(), i);
            if let Some(m) = d.managed_device_id {
                index.by_managed_id.insert(m.to_lowercase(), i);
            }
            let mut names: Vec<String> = [d.display_name, d.managed_device_name]
                .into_iter()
                .flatten()
                .map(str::to_lowercase)
                .collect();
            names.dedup();
            for name in names {
                index.by_name.entry(name).or_default().push(i);
            }
            if let Some(upn) = d.user_principal_name {
                index.by_upn.entry(upn.to_lowercase()).or_default().push(i);
            }
        }
        index
    }

    fn lookup(&self, identifier: &Identifier) -> Resolution {
        let key = identifier.as_str().to_lowercase();
        let many = |found: Option<&Vec<usize>>, by| match found.map(Vec::as_slice) {
            None | Some([]) => Resolution::NoMatch,
            Some([one]) => Resolution::Matched { device: *one, by },
            Some(several) => Resolution::Ambiguous {
                devices: several.to_vec(),
                by,
            },
        };
        match identifier {
            Identifier::Guid(_) => {
                if let Some(&device) = self.by_id.get(&key) {
                    Resolution::Matched {
                        device,
                        by: MatchedBy::CloudPcId,
                    }
                } else if let Some(&device) = self.by_managed_id.get(&key) {
                    Resolution::Matched {
                        device,
                        by: MatchedBy::ManagedDeviceId,
                    }
                } else {
                    Resolution::NoMatch
                }
            }
            Identifier::UserPrincipalName(_) => {
                many(self.by_upn.get(&key), MatchedBy::UserPrincipalName)
            }
            Identifier::DeviceName(_) => many(self.by_name.get(&key), MatchedBy::DeviceName),
        }
    }
}

pub fn resolve(import: &ParsedImport, index: &InventoryIndex) -> ImportReport {
    let mut report = ImportReport::default();
    let mut first_line_of: HashMap<usize, usize> = HashMap::new();
    for ImportLine { line, text, parsed } in &import.lines {
        let resolution = match parsed {
            ParsedLine::Invalid(reason) => Resolution::Invalid(reason.clone()),
            ParsedLine::Duplicate { first_line } => Resolution::Duplicate {
                first_line: *first_line,
            },
            ParsedLine::Entry(identifier) => match index.lookup(identifier) {
                Resolution::Matched { device, by } => match first_line_of.get(&device) {
                    Some(&first) => Resolution::SameAsLine {
                        device,
                        line: first,
                    },
                    None => {
                        first_line_of.insert(device, *line);
                        report.targets.push(device);
                        Resolution::Matched { device, by }
                    }
                },
                other => other,
            },
        };
        report.lines.push(ReportLine {
            line: *line,
            text: text.clone(),
            resolution,
        });
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::targets::import_parse::parse_text;

    const PC0: &str = "11111111-0000-4000-8000-000000000000";
    const PC1: &str = "11111111-0000-4000-8000-000000000001";
    const PC2: &str = "11111111-0000-4000-8000-000000000002";
    const MD1: &str = "22222222-0000-4000-8000-000000000001";

    fn inventory() -> InventoryIndex {
        InventoryIndex::build([
            DeviceKeys {
                cloud_pc_id: PC0,
                managed_device_id: None, // a Business Cloud PC
                display_name: Some("CPC-adele-1"),
                managed_device_name: None,
                user_principal_name: Some("adele@contoso.com"),
            },
            DeviceKeys {
                cloud_pc_id: PC1,
                managed_device_id: Some(MD1),
                display_name: Some("CPC-alex-1"),
                managed_device_name: Some("CPC-alex-1"),
                user_principal_name: Some("alex@contoso.com"),
            },
            DeviceKeys {
                cloud_pc_id: PC2,
                managed_device_id: None,
                display_name: Some("CPC-alex-2"),
                managed_device_name: None,
                user_principal_name: Some("Alex@Contoso.com"),
            },
        ])
    }

    #[test]
    fn every_line_gets_a_verdict_and_only_exact_matches_become_targets() {
        let text = format!(
            "{PC0}\n{MD1}\ncpc-alex-2\nalex@contoso.com\nadele@contoso.com\nnobody@contoso.com\nCPC-ghost\nhas space\nCPC-alex-2\n"
        );
        let report = resolve(&parse_text(&text).unwrap(), &inventory());
        let verdicts: Vec<_> = report.lines.iter().map(|l| l.resolution.clone()).collect();
        assert_eq!(
            verdicts,
            vec![
                Resolution::Matched {
                    device: 0,
                    by: MatchedBy::CloudPcId
                },
                Resolution::Matched {
                    device: 1,
                    by: MatchedBy::ManagedDeviceId
                },
                Resolution::Matched {
                    device: 2,
                    by: MatchedBy::DeviceName
                },
                Resolution::Ambiguous {
                    devices: vec![1, 2],
                    by: MatchedBy::UserPrincipalName
                },
                Resolution::SameAsLine { device: 0, line: 1 },
                Resolution::NoMatch,
                Resolution::NoMatch,
                Resolution::Invalid("Not a device name: device names have no spaces.".into()),
                Resolution::Duplicate { first_line: 3 },
            ]
        );
        assert_eq!(report.targets, vec![0, 1, 2]);
        assert_eq!(report.count(|r| matches!(r, Resolution::NoMatch)), 2);
    }
}
