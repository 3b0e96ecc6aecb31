//! The optional body of the admin reprovision action.

use serde::{Deserialize, Serialize};

use super::enums::{OsVersion, UserAccountType};

/// Parameters of `POST …/cloudPCs/{id}/reprovision` (admin path only). Serializes to exactly
/// `{"osVersion":"windows11","userAccountType":"standardUser"}`, omitting `None` fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReprovisionParams {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_version: Option<OsVersion>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_account_type: Option<UserAccountType>,
}

impl ReprovisionParams {
    /// True when neither parameter is set (the request is then sent without a body).
    pub fn is_empty(&self) -> bool {
        self.os_version.is_none() && self.user_account_type.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_exactly_in_order_and_omits_none() {
        let both = ReprovisionParams {
            os_version: Some(OsVersion::Windows11),
            user_account_type: Some(UserAccountType::StandardUser),
        };
        assert_eq!(
            serde_json::to_string(&both).unwrap(),
            r#"{"osVersion":"windows11","userAccountType":"standardUser"}"#
        );
        let one = ReprovisionParams {
            os_version: None,
            user_account_type: Some(UserAccountType::Administrator),
        };
        assert_eq!(
            serde_json::to_string(&one).unwrap(),
            r#"{"userAccountType":"administrator"}"#
        );
        assert_eq!(
            serde_json::to_string(&ReprovisionParams::default()).unwrap(),
            "{}"
        );
        assert!(ReprovisionParams::default().is_empty());
    }

    #[test]
    fn parses_the_seed_example_body() {
        let p: ReprovisionParams = serde_json::from_str(
            r#"{"userAccountType": "administrator", "osVersion": "windows10"}"#,
        )
        .unwrap();
        assert_eq!(p.os_version, Some(OsVersion::Windows10));
        assert_eq!(p.user_account_type, Some(UserAccountType::Administrator));
    }
}
