//! `cloudPcRemoteActionCapability`: one entry of `getSupportedCloudPcRemoteActions`.

use serde::{Deserialize, Serialize};

use super::enums::ActionCapability;

/// `cloudPcRemoteActionCapability`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudPcRemoteActionCapability {
    /// E.g. `Reprovision` (capitalisation varies: compare with [`Self::is_action`]).
    #[serde(default)]
    pub action_name: String,
    #[serde(default)]
    pub action_capability: Option<ActionCapability>,
}

impl CloudPcRemoteActionCapability {
    /// True when this is the named action (`reprovision` matches `Reprovision`).
    pub fn is_action(&self, name: &str) -> bool {
        self.action_name.eq_ignore_ascii_case(name)
    }

    /// True when Graph says the action is enabled.
    pub fn is_enabled(&self) -> bool {
        self.action_capability == Some(ActionCapability::Enabled)
    }
}

/// Whether `reprovision` is enabled in a `getSupportedCloudPcRemoteActions` answer; `None` when
/// the answer does not mention it.
pub fn reprovision_capability(actions: &[CloudPcRemoteActionCapability]) -> Option<bool> {
    actions
        .iter()
        .find(|a| a.is_action("reprovision"))
        .map(CloudPcRemoteActionCapability::is_enabled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_reprovision_whatever_its_case() {
        let list: Vec<CloudPcRemoteActionCapability> = serde_json::from_str(
            r#"[{"actionName":"Restart","actionCapability":"enabled"},{"actionName":"Reprovision","actionCapability":"disabled"},{"actionName":"Teleport","actionCapability":"maybe"}]"#,
        )
        .unwrap();
        assert_eq!(reprovision_capability(&list), Some(false));
        assert_eq!(
            list[2].action_capability,
            Some(ActionCapability::Unknown("maybe".into()))
        );
        assert_eq!(reprovision_capability(&list[..1]), None);
    }
}
