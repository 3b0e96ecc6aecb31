//! Graph's JSON shapes for Cloud PCs, remote action results and bulk actions.
//!
//! Property names are exactly those of Graph's beta metadata (`microsoft.graph.cloudPC` …).
//! Properties the simulator does not model but that a tenant file supplies are kept verbatim
//! in `extra` and served back unchanged.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `microsoft.graph.cloudPC`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CloudPc {
    pub id: String,
    #[serde(default)]
    pub aad_device_id: Option<String>,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub image_display_name: Option<String>,
    #[serde(default)]
    pub managed_device_id: Option<String>,
    #[serde(default)]
    pub managed_device_name: Option<String>,
    #[serde(default)]
    pub provisioning_policy_id: Option<String>,
    #[serde(default)]
    pub provisioning_policy_name: Option<String>,
    #[serde(default)]
    pub on_premises_connection_name: Option<String>,
    #[serde(default)]
    pub service_plan_id: Option<String>,
    #[serde(default)]
    pub service_plan_name: Option<String>,
    #[serde(default)]
    pub service_plan_type: Option<String>,
    #[serde(default = "default_status")]
    pub status: String,
    #[serde(default)]
    pub status_detail: Option<StatusDetail>,
    #[serde(default)]
    pub status_details: Option<StatusDetail>,
    #[serde(default)]
    pub user_principal_name: Option<String>,
    #[serde(default)]
    pub last_modified_date_time: Option<String>,
    #[serde(default)]
    pub provisioned_date_time: Option<String>,
    #[serde(default)]
    pub grace_period_end_date_time: Option<String>,
    #[serde(default)]
    pub provisioning_type: Option<String>,
    #[serde(default)]
    pub product_type: Option<String>,
    #[serde(default)]
    pub os_version: Option<String>,
    #[serde(default)]
    pub user_account_type: Option<String>,
    #[serde(default)]
    pub disk_encryption_state: Option<String>,
    #[serde(default)]
    pub power_state: Option<String>,
    #[serde(default)]
    pub device_region_name: Option<String>,
    #[serde(default)]
    pub user_experience_type: Option<String>,
    #[serde(default)]
    pub last_login_result: Option<LoginResult>,
    #[serde(default)]
    pub last_remote_action_result: Option<RemoteActionResult>,
    #[serde(default)]
    pub scope_ids: Vec<String>,
    /// Properties not modelled by the simulator, served back as given.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn default_status() -> String {
    "provisioned".into()
}

/// `microsoft.graph.cloudPcStatusDetail` (and the older `cloudPcStatusDetails`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct StatusDetail {
    pub code: String,
    pub message: String,
    #[serde(default)]
    pub additional_information: Vec<KeyValuePair>,
}

/// `microsoft.graph.keyValuePair`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct KeyValuePair {
    pub name: String,
    pub value: String,
}

/// `microsoft.graph.cloudPcLoginResult`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LoginResult {
    pub time: Option<String>,
}

/// `microsoft.graph.cloudPcRemoteActionResult`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RemoteActionResult {
    pub action_name: String,
    pub action_state: String,
    pub start_date_time: String,
    pub last_updated_date_time: String,
    pub cloud_pc_id: String,
    pub managed_device_id: Option<String>,
    pub status_detail: Option<StatusDetail>,
    pub status_details: Option<StatusDetail>,
}

/// `microsoft.graph.cloudPcRemoteActionCapability`.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RemoteActionCapability {
    pub action_name: &'static str,
    pub action_capability: &'static str,
}

/// `microsoft.graph.cloudPcBulkActionSummary`.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct BulkActionSummary {
    pub failed_count: u32,
    pub in_progress_count: u32,
    pub not_supported_count: u32,
    pub pending_count: u32,
    pub successful_count: u32,
}

/// `microsoft.graph.cloudPcBulkRemoteActionResult` (the seed bulk endpoint's answer).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct BulkRemoteActionResult {
    #[serde(rename = "@odata.type")]
    pub odata_type: &'static str,
    pub successful_device_ids: Vec<String>,
    pub failed_device_ids: Vec<String>,
    pub not_found_device_ids: Vec<String>,
    pub not_supported_device_ids: Vec<String>,
}

/// The property names of `cloudPC` in v1.0 (a subset of beta: no `status`, no `productType`).
pub const V1_CLOUD_PC_PROPERTIES: &[&str] = &[
    "id",
    "aadDeviceId",
    "displayName",
    "gracePeriodEndDateTime",
    "imageDisplayName",
    "lastModifiedDateTime",
    "managedDeviceId",
    "managedDeviceName",
    "onPremisesConnectionName",
    "provisioningPolicyId",
    "provisioningPolicyName",
    "provisioningType",
    "servicePlanId",
    "servicePlanName",
    "userPrincipalName",
];

/// Members of `cloudPcStatus` declared after `unknownFutureValue` (evolvable enum members):
/// Graph returns them only to callers that send `Prefer: include-unknown-enum-members`, and
/// `unknownFutureValue` to everybody else.
pub const EVOLVED_STATUSES: &[&str] = &[
    "movingRegion",
    "resizePendingLicense",
    "updatingSingleSignOn",
    "modifyingSingleSignOn",
    "preparing",
    "failoverInProgress",
    "failbackInProgress",
    "refreshPolicyConfiguration",
];

/// All members of `cloudPcStatus` (beta metadata), without `unknownFutureValue`.
pub const STATUSES: &[&str] = &[
    "notProvisioned",
    "provisioning",
    "provisioned",
    "inGracePeriod",
    "deprovisioning",
    "failed",
    "provisionedWithWarnings",
    "resizing",
    "restoring",
    "pendingProvision",
    "movingRegion",
    "resizePendingLicense",
    "updatingSingleSignOn",
    "modifyingSingleSignOn",
    "preparing",
    "failoverInProgress",
    "failbackInProgress",
    "refreshPolicyConfiguration",
];

/// `cloudPcOperatingSystem` members a caller may request.
pub const OS_VERSIONS: &[&str] = &["windows10", "windows11"];
/// `cloudPcUserAccountType` members a caller may request.
pub const USER_ACCOUNT_TYPES: &[&str] = &["standardUser", "administrator"];

/// Statuses from which a Cloud PC may be reprovisioned (Windows 365 admin guide).
pub fn reprovision_allowed_from(status: &str) -> bool {
    matches!(status, "provisioned" | "failed")
}

/// Whether reprovisioning is supported at all for a Cloud PC's product type. Windows 365
/// Business Cloud PCs are not managed by Intune and are not reachable by these endpoints;
/// Dev Box and Power Automate machines are not Windows 365 Cloud PCs.
pub fn reprovision_supported(pc: &CloudPc) -> bool {
    matches!(
        pc.product_type.as_deref(),
        None | Some("enterprise") | Some("frontline")
    )
}

/// The image display name for an OS version, used when a reprovision changes the OS.
pub fn image_for_os(os: &str) -> &'static str {
    match os {
        "windows10" => "Windows 10 Enterprise + Microsoft 365 Apps 22H2",
        _ => "Windows 11 Enterprise + Microsoft 365 Apps 24H2",
    }
}

impl CloudPc {
    /// The value of a top-level string (or enum) property, for `$filter`. `None` when the
    /// property does not exist on `cloudPC`; `Some(None)` when it exists and is null.
    pub fn string_prop(&self, name: &str) -> Option<Option<&str>> {
        let v = match name {
            "id" => Some(self.id.as_str()),
            "aadDeviceId" => self.aad_device_id.as_deref(),
            "displayName" => self.display_name.as_deref(),
            "imageDisplayName" => self.image_display_name.as_deref(),
            "managedDeviceId" => self.managed_device_id.as_deref(),
            "managedDeviceName" => self.managed_device_name.as_deref(),
            "provisioningPolicyId" => self.provisioning_policy_id.as_deref(),
            "provisioningPolicyName" => self.provisioning_policy_name.as_deref(),
            "onPremisesConnectionName" => self.on_premises_connection_name.as_deref(),
            "servicePlanId" => self.service_plan_id.as_deref(),
            "servicePlanName" => self.service_plan_name.as_deref(),
            "servicePlanType" => self.service_plan_type.as_deref(),
            "status" => Some(self.status.as_str()),
            "userPrincipalName" => self.user_principal_name.as_deref(),
            "provisioningType" => self.provisioning_type.as_deref(),
            "productType" => self.product_type.as_deref(),
            "osVersion" => self.os_version.as_deref(),
            "userAccountType" => self.user_account_type.as_deref(),
            "diskEncryptionState" => self.disk_encryption_state.as_deref(),
            "powerState" => self.power_state.as_deref(),
            "deviceRegionName" => self.device_region_name.as_deref(),
            "userExperienceType" => self.user_experience_type.as_deref(),
            _ => return None,
        };
        Some(v)
    }
}

/// The enum type of an enum-typed `cloudPC` property and its members, for validating
/// `$filter` literals the way OData does.
pub fn enum_members(prop: &str) -> Option<(&'static str, &'static [&'static str])> {
    const PRODUCT: &[&str] = &[
        "enterprise",
        "frontline",
        "devBox",
        "powerAutomate",
        "business",
        "unknownFutureValue",
    ];
    const OS: &[&str] = &["windows10", "windows11", "unknownFutureValue"];
    const ACCOUNT: &[&str] = &["standardUser", "administrator", "unknownFutureValue"];
    const PLAN: &[&str] = &["enterprise", "business", "unknownFutureValue"];
    const PROV: &[&str] = &[
        "dedicated",
        "shared",
        "sharedByUser",
        "sharedByEntraGroup",
        "reserve",
        "unknownFutureValue",
    ];
    const DISK: &[&str] = &[
        "notAvailable",
        "notEncrypted",
        "encryptedUsingPlatformManagedKey",
        "encryptedUsingCustomerManagedKey",
        "unknownFutureValue",
    ];
    const POWER: &[&str] = &["running", "poweredOff", "unknownFutureValue"];
    const EXPERIENCE: &[&str] = &["cloudPc", "cloudApp", "unknownFutureValue"];
    const STATUS_ALL: &[&str] = &[
        "notProvisioned",
        "provisioning",
        "provisioned",
        "inGracePeriod",
        "deprovisioning",
        "failed",
        "provisionedWithWarnings",
        "resizing",
        "restoring",
        "pendingProvision",
        "unknownFutureValue",
        "movingRegion",
        "resizePendingLicense",
        "updatingSingleSignOn",
        "modifyingSingleSignOn",
        "preparing",
        "failoverInProgress",
        "failbackInProgress",
        "refreshPolicyConfiguration",
    ];
    Some(match prop {
        "status" => ("microsoft.graph.cloudPcStatus", STATUS_ALL),
        "productType" => ("microsoft.graph.cloudPcProductType", PRODUCT),
        "osVersion" => ("microsoft.graph.cloudPcOperatingSystem", OS),
        "userAccountType" => ("microsoft.graph.cloudPcUserAccountType", ACCOUNT),
        "servicePlanType" => ("microsoft.graph.cloudPcServicePlanType", PLAN),
        "provisioningType" => ("microsoft.graph.cloudPcProvisioningType", PROV),
        "diskEncryptionState" => ("microsoft.graph.cloudPcDiskEncryptionState", DISK),
        "powerState" => ("microsoft.graph.cloudPcPowerState", POWER),
        "userExperienceType" => ("microsoft.graph.cloudPcUserExperienceType", EXPERIENCE),
        _ => return None,
    })
}

/// All top-level property names of `cloudPC` in beta (from Graph's beta metadata), for `$select`.
pub const BETA_CLOUD_PC_PROPERTIES: &[&str] = &[
    "id",
    "aadDeviceId",
    "allotmentDisplayName",
    "connectionSetting",
    "connectionSettings",
    "connectivityResult",
    "deviceRegionName",
    "disasterRecoveryCapability",
    "diskEncryptionState",
    "displayName",
    "frontlineCloudPcAvailability",
    "gracePeriodEndDateTime",
    "groupDetail",
    "imageDisplayName",
    "isDisasterRecoveryActive",
    "lastLoginResult",
    "lastLogoffDateTime",
    "lastModifiedDateTime",
    "lastRemoteActionResult",
    "managedDeviceId",
    "managedDeviceName",
    "onPremisesConnectionName",
    "osVersion",
    "partnerAgentInstallResults",
    "powerState",
    "productType",
    "provisionedDateTime",
    "provisioningPolicyId",
    "provisioningPolicyName",
    "provisioningType",
    "scopeIds",
    "servicePlanId",
    "servicePlanName",
    "servicePlanType",
    "sharedDeviceDetail",
    "status",
    "statusDetail",
    "statusDetails",
    "userAccountType",
    "userDetail",
    "userExperienceType",
    "userPrincipalName",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloud_pc_round_trips_with_unknown_properties() {
        let v = serde_json::json!({
            "id": "abc",
            "displayName": "CPC-alexw-7K2QX",
            "status": "movingRegion",
            "managedDeviceId": null,
            "someFutureProperty": {"a": 1}
        });
        let pc: CloudPc = serde_json::from_value(v).unwrap();
        assert_eq!(pc.status, "movingRegion");
        assert_eq!(pc.extra["someFutureProperty"], serde_json::json!({"a": 1}));
        let back = serde_json::to_value(&pc).unwrap();
        assert_eq!(back["someFutureProperty"]["a"], 1);
        assert_eq!(back["managedDeviceId"], Value::Null);
        assert_eq!(back["displayName"], "CPC-alexw-7K2QX");
    }

    #[test]
    fn string_props_match_serialized_names() {
        let pc: CloudPc = serde_json::from_value(serde_json::json!({"id": "x"})).unwrap();
        let v = serde_json::to_value(&pc).unwrap();
        for name in [
            "displayName",
            "status",
            "productType",
            "userPrincipalName",
            "managedDeviceId",
            "osVersion",
        ] {
            assert!(pc.string_prop(name).is_some());
            assert!(v.get(name).is_some(), "{name} not serialized");
            assert!(BETA_CLOUD_PC_PROPERTIES.contains(&name));
        }
        assert!(pc.string_prop("nope").is_none());
    }

    #[test]
    fn eligibility() {
        assert!(reprovision_allowed_from("provisioned"));
        assert!(reprovision_allowed_from("failed"));
        assert!(!reprovision_allowed_from("provisioning"));
        assert!(!reprovision_allowed_from("inGracePeriod"));
    }
}
