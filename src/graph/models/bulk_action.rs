//! `cloudPcBulkAction` (and its `cloudPcBulkReprovision` subtype): the current way to act on
//! many Cloud PCs at once.

use serde::{Deserialize, Serialize};

use super::enums::BulkActionStatus;
use super::nullable::{count_or_null, vec_or_null};

/// The `@odata.type` of a bulk reprovision.
pub const BULK_REPROVISION_ODATA_TYPE: &str = "#microsoft.graph.cloudPcBulkReprovision";

/// `cloudPcBulkAction`, as listed, read or returned on creation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudPcBulkAction {
    #[serde(
        rename = "@odata.type",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub odata_type: Option<String>,
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default, deserialize_with = "vec_or_null")]
    pub cloud_pc_ids: Vec<String>,
    #[serde(default)]
    pub created_date_time: Option<String>,
    #[serde(default)]
    pub initiated_by_user_principal_name: Option<String>,
    #[serde(default)]
    pub scheduled_during_maintenance_window: Option<bool>,
    #[serde(default)]
    pub status: Option<BulkActionStatus>,
    #[serde(default)]
    pub action_summary: Option<CloudPcBulkActionSummary>,
}

impl CloudPcBulkAction {
    /// True when this bulk action is a reprovision (`#microsoft.graph.cloudPcBulkReprovision`).
    pub fn is_reprovision(&self) -> bool {
        self.odata_type.as_deref().is_some_and(|t| {
            t.trim_start_matches('#')
                .eq_ignore_ascii_case(&BULK_REPROVISION_ODATA_TYPE[1..])
        })
    }
}

/// `cloudPcBulkActionSummary`: per-device counts of a bulk action.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudPcBulkActionSummary {
    #[serde(default, deserialize_with = "count_or_null")]
    pub successful_count: u32,
    #[serde(default, deserialize_with = "count_or_null")]
    pub failed_count: u32,
    #[serde(default, deserialize_with = "count_or_null")]
    pub in_progress_count: u32,
    #[serde(default, deserialize_with = "count_or_null")]
    pub pending_count: u32,
    #[serde(default, deserialize_with = "count_or_null")]
    pub not_supported_count: u32,
}

impl CloudPcBulkActionSummary {
    /// All devices counted.
    pub fn total(&self) -> u32 {
        self.successful_count
            + self.failed_count
            + self.in_progress_count
            + self.pending_count
            + self.not_supported_count
    }

    /// True when no device is pending or in progress any more.
    pub fn is_settled(&self) -> bool {
        self.in_progress_count == 0 && self.pending_count == 0
    }
}

/// The body that creates a bulk reprovision (`POST /deviceManagement/virtualEndpoint/bulkActions`).
/// Serializes to
/// `{"@odata.type":"#microsoft.graph.cloudPcBulkReprovision","displayName":…,"cloudPcIds":[…],"scheduledDuringMaintenanceWindow":false}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloudPcBulkReprovision {
    pub display_name: String,
    /// Cloud PC ids (not managed device ids).
    pub cloud_pc_ids: Vec<String>,
    pub scheduled_during_maintenance_window: bool,
}

impl Serialize for CloudPcBulkReprovision {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("@odata.type", BULK_REPROVISION_ODATA_TYPE)?;
        map.serialize_entry("displayName", &self.display_name)?;
        map.serialize_entry("cloudPcIds", &self.cloud_pc_ids)?;
        map.serialize_entry(
            "scheduledDuringMaintenanceWindow",
            &self.scheduled_during_maintenance_window,
        )?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_body_is_exact() {
        let body = CloudPcBulkReprovision {
            display_name: "Helpdesk ticket 42".into(),
            cloud_pc_ids: vec!["a".into(), "b".into()],
            scheduled_during_maintenance_window: false,
        };
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r##"{"@odata.type":"#microsoft.graph.cloudPcBulkReprovision","displayName":"Helpdesk ticket 42","cloudPcIds":["a","b"],"scheduledDuringMaintenanceWindow":false}"##
        );
    }

    #[test]
    fn parses_a_bulk_action_with_summary_and_unknown_status() {
        let a: CloudPcBulkAction = serde_json::from_value(serde_json::json!({
            "@odata.type": "#microsoft.graph.cloudPcBulkReprovision",
            "id": "0d76d02b-e0a0-4f58-baff-d1718cc2d144",
            "displayName": "Reprovision marketing",
            "status": "partiallySucceeded",
            "createdDateTime": "2024-01-02T03:04:05Z",
            "initiatedByUserPrincipalName": "admin@contoso.com",
            "cloudPcIds": ["30d0e128-de93-41dc-89ec-33d84bb662a0", "7c82a3e3-9459-44e4-94d9-b92f93bf78dd"],
            "scheduledDuringMaintenanceWindow": false,
            "actionSummary": {"successfulCount": 1, "failedCount": 1, "inProgressCount": 0, "pendingCount": null, "notSupportedCount": 0, "skippedCount": 4}
        }))
        .unwrap();
        assert!(a.is_reprovision());
        assert_eq!(
            a.status,
            Some(BulkActionStatus::Unknown("partiallySucceeded".into()))
        );
        let s = a.action_summary.unwrap();
        assert_eq!(
            (s.successful_count, s.failed_count, s.pending_count),
            (1, 1, 0)
        );
        assert_eq!(s.total(), 2);
        assert!(s.is_settled());
        assert_eq!(a.cloud_pc_ids.len(), 2);
    }
}
