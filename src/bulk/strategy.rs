//! The three ways to reprovision many Cloud PCs, what each can do, and which is the default.

use serde::{Deserialize, Serialize};

use crate::graph::models::ReprovisionParams;

/// How a bulk run sends its reprovisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Strategy {
    /// One `POST cloudPCs/{id}/reprovision` per Cloud PC with the chosen body, packed 20 to a
    /// `$batch`, several batches in flight.
    PerDevice,
    /// `POST virtualEndpoint/bulkActions` (`cloudPcBulkReprovision`) with the Cloud PC ids,
    /// then its `status` and `actionSummary` followed until it completes.
    BulkAction,
    /// The seed (deprecated) `POST managedDevices/bulkReprovisionCloudPc` with Intune managed
    /// device ids, answered at once with four id lists.
    SeedBulk,
}

/// Why a strategy cannot run as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StrategyError {
    /// Only [`Strategy::PerDevice`] sends `osVersion` / `userAccountType`.
    ParametersNotSupported(Strategy),
}

impl std::fmt::Display for StrategyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StrategyError::ParametersNotSupported(s) => write!(
                f,
                "{} cannot pass an OS version or account type; only {} can",
                s.label(),
                Strategy::PerDevice.label()
            ),
        }
    }
}

impl std::error::Error for StrategyError {}

impl Strategy {
    pub const ALL: [Strategy; 3] = [
        Strategy::PerDevice,
        Strategy::BulkAction,
        Strategy::SeedBulk,
    ];

    /// Per device whenever a parameter is set (only it can pass one); otherwise the bulk action.
    pub fn default_for(params: &ReprovisionParams) -> Strategy {
        if params.is_empty() {
            Strategy::BulkAction
        } else {
            Strategy::PerDevice
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Strategy::PerDevice => "Per device",
            Strategy::BulkAction => "Bulk action",
            Strategy::SeedBulk => "Bulk by managed device (deprecated)",
        }
    }

    /// One sentence for the strategy picker.
    pub fn describe(self) -> &'static str {
        match self {
            Strategy::PerDevice => {
                "One reprovision request per Cloud PC, 20 to a batch; can set the OS version and \
                 account type; each device's answer is known at once."
            }
            Strategy::BulkAction => {
                "One bulk action in Graph for all Cloud PCs; Graph dispatches and reports counts as \
                 it goes; failed devices can be retried by Graph; no parameters."
            }
            Strategy::SeedBulk => {
                "The original bulk call by Intune managed device id (deprecated); answers at once \
                 with successful, failed, not found and not supported; no parameters; Windows 365 \
                 Business Cloud PCs cannot be reached."
            }
        }
    }

    /// Only per-device passes `osVersion` / `userAccountType`.
    pub fn takes_parameters(self) -> bool {
        self == Strategy::PerDevice
    }

    /// The seed endpoint addresses devices by Intune managed device id (Business PCs have none).
    pub fn needs_managed_device_id(self) -> bool {
        self == Strategy::SeedBulk
    }

    /// Graph retries failed devices itself (`bulkActions/{id}/retry`); the others re-run a
    /// chosen subset.
    pub fn graph_retries(self) -> bool {
        self == Strategy::BulkAction
    }

    /// The endpoint is deprecated.
    pub fn is_deprecated(self) -> bool {
        self == Strategy::SeedBulk
    }

    /// Graph answers each device at once (no bulk action to follow).
    pub fn answers_per_device_at_once(self) -> bool {
        self != Strategy::BulkAction
    }

    /// Checks that the strategy can carry `params`.
    pub fn validate(self, params: &ReprovisionParams) -> Result<(), StrategyError> {
        if !params.is_empty() && !self.takes_parameters() {
            return Err(StrategyError::ParametersNotSupported(self));
        }
        Ok(())
    }

    /// The strategies that can carry `params`, the default first.
    pub fn available_for(params: &ReprovisionParams) -> Vec<Strategy> {
        let default = Strategy::default_for(params);
        std::iter::once(default)
            .chain(
                Strategy::ALL
                    .into_iter()
                    .filter(|s| *s != default && s.validate(params).is_ok()),
            )
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::models::{OsVersion, UserAccountType};

    #[test]
    fn per_device_is_the_default_whenever_a_parameter_is_set() {
        let none = ReprovisionParams::default();
        assert_eq!(Strategy::default_for(&none), Strategy::BulkAction);
        let os = ReprovisionParams {
            os_version: Some(OsVersion::Windows11),
            ..Default::default()
        };
        assert_eq!(Strategy::default_for(&os), Strategy::PerDevice);
        let acct = ReprovisionParams {
            user_account_type: Some(UserAccountType::Administrator),
            ..Default::default()
        };
        assert_eq!(Strategy::default_for(&acct), Strategy::PerDevice);
        assert_eq!(Strategy::available_for(&acct), vec![Strategy::PerDevice]);
        assert_eq!(
            Strategy::available_for(&none),
            vec![
                Strategy::BulkAction,
                Strategy::PerDevice,
                Strategy::SeedBulk
            ]
        );
    }

    #[test]
    fn only_per_device_passes_parameters() {
        let p = ReprovisionParams {
            os_version: Some(OsVersion::Windows10),
            ..Default::default()
        };
        assert!(Strategy::PerDevice.validate(&p).is_ok());
        assert_eq!(
            Strategy::BulkAction.validate(&p),
            Err(StrategyError::ParametersNotSupported(Strategy::BulkAction))
        );
        assert!(Strategy::SeedBulk.validate(&p).is_err());
        assert!(Strategy::SeedBulk
            .validate(&ReprovisionParams::default())
            .is_ok());
        assert!(Strategy::SeedBulk.needs_managed_device_id());
        assert!(!Strategy::BulkAction.needs_managed_device_id());
        assert!(Strategy::BulkAction.graph_retries());
        assert_eq!(
            serde_json::to_string(&Strategy::SeedBulk).unwrap(),
            "\"seedBulk\""
        );
    }
}
