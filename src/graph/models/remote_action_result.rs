//! `cloudPcRemoteActionResult`: one remote action (e.g. a reprovision) and how it went.

use serde::{Deserialize, Serialize};

use super::enums::ActionState;
use super::status_detail::CloudPcStatusDetail;

/// `cloudPcRemoteActionResult`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudPcRemoteActionResult {
    /// E.g. `Reprovision` (Graph's capitalisation varies: compare with [`Self::is_action`]).
    #[serde(default)]
    pub action_name: Option<String>,
    #[serde(default)]
    pub action_state: Option<ActionState>,
    #[serde(default)]
    pub start_date_time: Option<String>,
    #[serde(default)]
    pub last_updated_date_time: Option<String>,
    #[serde(default)]
    pub cloud_pc_id: Option<String>,
    /// Null for Windows 365 Business Cloud PCs.
    #[serde(default)]
    pub managed_device_id: Option<String>,
    #[serde(default)]
    pub status_detail: Option<CloudPcStatusDetail>,
    /// The older name of `statusDetail`; some responses carry only this one.
    #[serde(default)]
    pub status_details: Option<CloudPcStatusDetail>,
}

impl CloudPcRemoteActionResult {
    /// True when this is the named action (`reprovision` matches `Reprovision`).
    pub fn is_action(&self, name: &str) -> bool {
        self.action_name
            .as_deref()
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
    }

    /// `statusDetail`, falling back to the older `statusDetails`.
    pub fn detail(&self) -> Option<&CloudPcStatusDetail> {
        self.status_detail.as_ref().or(self.status_details.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_reprovision_result_with_the_old_status_details() {
        let r: CloudPcRemoteActionResult = serde_json::from_value(serde_json::json!({
            "@odata.type": "#microsoft.graph.cloudPcRemoteActionResult",
            "actionName": "Reprovision",
            "actionState": "done",
            "startDateTime": "2021-06-01T00:00:00Z",
            "lastUpdatedDateTime": "2021-06-01T01:00:00Z",
            "cloudPcId": "662009bc-7732-4f6f-8726-25883518b33e",
            "managedDeviceId": null,
            "statusDetails": {"code": "ok", "message": "done", "additionalInformation": []},
            "brandNewProperty": {"x": 1}
        }))
        .unwrap();
        assert!(r.is_action("reprovision"));
        assert_eq!(r.action_state, Some(ActionState::Done));
        assert_eq!(r.managed_device_id, None);
        assert_eq!(r.detail().and_then(|d| d.code.as_deref()), Some("ok"));
    }

    #[test]
    fn unknown_action_state_is_kept() {
        let r: CloudPcRemoteActionResult =
            serde_json::from_str(r#"{"actionName":"Reprovision","actionState":"queuedForLater"}"#)
                .unwrap();
        assert_eq!(
            r.action_state,
            Some(ActionState::Unknown("queuedForLater".into()))
        );
    }
}
