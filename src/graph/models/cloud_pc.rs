//! `cloudPC`: a Windows 365 Cloud PC as Graph describes it.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::enums::{
    CloudPcStatus, ConnectivityEventResult, ConnectivityStatus, DiskEncryptionState, OsVersion,
    PowerState, ProductType, ProvisioningType, ServicePlanType, UserAccountType,
    UserExperienceType,
};
use super::nullable::vec_or_null;
use super::remote_action_result::CloudPcRemoteActionResult;
use super::status_detail::CloudPcStatusDetail;

/// `cloudPC`. Properties the console does not model are ignored here; use
/// [`CloudPc::parse_with_raw`] to also keep everything Graph sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudPc {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub user_principal_name: Option<String>,
    #[serde(default)]
    pub status: Option<CloudPcStatus>,
    #[serde(default)]
    pub status_detail: Option<CloudPcStatusDetail>,
    /// Deprecated twin of `statusDetail`.
    #[serde(default)]
    pub status_details: Option<CloudPcStatusDetail>,
    #[serde(default)]
    pub os_version: Option<OsVersion>,
    #[serde(default)]
    pub user_account_type: Option<UserAccountType>,
    #[serde(default)]
    pub product_type: Option<ProductType>,
    #[serde(default)]
    pub provisioning_policy_id: Option<String>,
    #[serde(default)]
    pub provisioning_policy_name: Option<String>,
    #[serde(default)]
    pub service_plan_id: Option<String>,
    #[serde(default)]
    pub service_plan_name: Option<String>,
    #[serde(default)]
    pub service_plan_type: Option<ServicePlanType>,
    /// Null for Windows 365 Business Cloud PCs.
    #[serde(default)]
    pub managed_device_id: Option<String>,
    /// Null for Windows 365 Business Cloud PCs.
    #[serde(default)]
    pub managed_device_name: Option<String>,
    #[serde(default)]
    pub aad_device_id: Option<String>,
    #[serde(default)]
    pub image_display_name: Option<String>,
    #[serde(default)]
    pub on_premises_connection_name: Option<String>,
    #[serde(default)]
    pub last_modified_date_time: Option<String>,
    #[serde(default)]
    pub grace_period_end_date_time: Option<String>,
    #[serde(default)]
    pub provisioning_type: Option<ProvisioningType>,
    #[serde(default)]
    pub power_state: Option<PowerState>,
    #[serde(default)]
    pub connectivity_result: Option<CloudPcConnectivityResult>,
    #[serde(default)]
    pub last_login_result: Option<CloudPcLoginResult>,
    #[serde(default)]
    pub last_remote_action_result: Option<CloudPcRemoteActionResult>,
    #[serde(default)]
    pub disk_encryption_state: Option<DiskEncryptionState>,
    #[serde(default)]
    pub device_region_name: Option<String>,
    #[serde(default)]
    pub allotment_display_name: Option<String>,
    #[serde(default)]
    pub provisioned_date_time: Option<String>,
    #[serde(default)]
    pub last_logoff_date_time: Option<String>,
    #[serde(default)]
    pub user_experience_type: Option<UserExperienceType>,
    #[serde(default)]
    pub is_disaster_recovery_active: Option<bool>,
    #[serde(default, deserialize_with = "vec_or_null")]
    pub scope_ids: Vec<String>,
}

/// `cloudPcConnectivityResult`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudPcConnectivityResult {
    #[serde(default)]
    pub status: Option<ConnectivityStatus>,
    #[serde(default)]
    pub updated_date_time: Option<String>,
    #[serde(default)]
    pub last_modified_date_time: Option<String>,
    #[serde(default, deserialize_with = "vec_or_null")]
    pub failed_health_check_items: Vec<CloudPcHealthCheckItem>,
}

/// `cloudPcHealthCheckItem`: one failed connectivity check.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudPcHealthCheckItem {
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub result: Option<ConnectivityEventResult>,
    #[serde(default)]
    pub last_health_check_date_time: Option<String>,
    #[serde(default)]
    pub additional_details: Option<String>,
}

/// `cloudPcLoginResult`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudPcLoginResult {
    #[serde(default)]
    pub time: Option<String>,
}

impl CloudPc {
    /// Parses one `cloudPC` object and also returns every property Graph sent (including those
    /// this version does not model) so a details page can show them all.
    pub fn parse_with_raw(
        value: Value,
    ) -> Result<(CloudPc, Map<String, Value>), serde_json::Error> {
        let pc = CloudPc::deserialize(&value)?;
        let raw = match value {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        Ok((pc, raw))
    }

    /// The best name to show: `displayName`, else `managedDeviceName`, else the id.
    pub fn name(&self) -> &str {
        self.display_name
            .as_deref()
            .filter(|s| !s.is_empty())
            .or(self
                .managed_device_name
                .as_deref()
                .filter(|s| !s.is_empty()))
            .unwrap_or(&self.id)
    }

    /// `statusDetail`, falling back to the deprecated `statusDetails`.
    pub fn detail(&self) -> Option<&CloudPcStatusDetail> {
        self.status_detail.as_ref().or(self.status_details.as_ref())
    }

    /// True when Graph's status allows a reprovision (`provisioned` or `failed`).
    pub fn can_reprovision(&self) -> bool {
        self.status
            .as_ref()
            .is_some_and(CloudPcStatus::allows_reprovision)
    }

    /// Windows 365 Business Cloud PCs have no Intune managed device: the managed-device
    /// endpoints cannot reach them.
    pub fn has_managed_device(&self) -> bool {
        self.managed_device_id
            .as_deref()
            .is_some_and(|s| !s.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::models::ActionState;

    fn sample() -> Value {
        serde_json::json!({
            "@odata.type": "#microsoft.graph.cloudPC",
            "id": "662009bc-7732-4f6f-8726-25883518b33e",
            "displayName": "Demo-0",
            "imageDisplayName": "Windows-10 19h1-evd",
            "provisioningPolicyId": "7ed725ad-0a00-4117-b557-d965c373ef3f",
            "provisioningPolicyName": "Marketing provisioning policy",
            "onPremisesConnectionName": "Azure network connection for Marketing",
            "servicePlanId": "ddb5e6d5-2bac-4b2e-8ee3-5f1fdf3f5b68",
            "servicePlanName": "Cloud PC Enterprise 2vCPU/4GB/128GB",
            "servicePlanType": "enterprise",
            "status": "provisioned",
            "userPrincipalName": "pmitchell@contoso.com",
            "lastModifiedDateTime": "2020-11-03T18:14:34Z",
            "managedDeviceId": "e87f9a0a-4a2a-4fa7-a8f9-e6a3e3b3bc6d",
            "managedDeviceName": "A00002GI001",
            "aadDeviceId": "61204a7f-4e53-4d0d-9e73-9a3e0f6b0a1d",
            "statusDetail": null,
            "gracePeriodEndDateTime": "2020-11-010T20:00:34Z",
            "provisioningType": "dedicated",
            "osVersion": "windows11",
            "userAccountType": "standardUser",
            "productType": "enterprise",
            "powerState": "running",
            "diskEncryptionState": "encryptedUsingPlatformManagedKey",
            "deviceRegionName": "eastus2",
            "connectivityResult": {
                "status": "available",
                "updatedDateTime": "2020-07-23T10:29:57Z",
                "failedHealthCheckItems": [{"displayName": "DomainJoinCheck", "result": "failure", "lastHealthCheckDateTime": "2020-07-23T10:29:57Z", "additionalDetails": "SessionHost unhealthy"}]
            },
            "lastLoginResult": {"time": "2021-06-23T09:28:32.8260335Z"},
            "lastRemoteActionResult": {"actionName": "Reprovision", "actionState": "done", "startDateTime": "2021-06-23T09:28:32Z", "lastUpdatedDateTime": "2021-06-23T09:28:32Z", "cloudPcId": "662009bc-7732-4f6f-8726-25883518b33e", "managedDeviceId": null, "statusDetail": null},
            "scopeIds": null,
            "partnerAgentInstallResults": []
        })
    }

    #[test]
    fn parses_every_property_the_console_uses() {
        let pc: CloudPc = serde_json::from_value(sample()).unwrap();
        assert_eq!(pc.id, "662009bc-7732-4f6f-8726-25883518b33e");
        assert_eq!(pc.name(), "Demo-0");
        assert_eq!(pc.status, Some(CloudPcStatus::Provisioned));
        assert!(pc.can_reprovision());
        assert!(pc.has_managed_device());
        assert_eq!(pc.os_version, Some(OsVersion::Windows11));
        assert_eq!(pc.user_account_type, Some(UserAccountType::StandardUser));
        assert_eq!(pc.product_type, Some(ProductType::Enterprise));
        assert_eq!(pc.service_plan_type, Some(ServicePlanType::Enterprise));
        assert_eq!(pc.provisioning_type, Some(ProvisioningType::Dedicated));
        assert_eq!(pc.power_state, Some(PowerState::Running));
        assert_eq!(
            pc.disk_encryption_state,
            Some(DiskEncryptionState::EncryptedUsingPlatformManagedKey)
        );
        assert_eq!(pc.device_region_name.as_deref(), Some("eastus2"));
        let conn = pc.connectivity_result.as_ref().unwrap();
        assert_eq!(conn.status, Some(ConnectivityStatus::Available));
        assert_eq!(
            conn.failed_health_check_items[0].result,
            Some(ConnectivityEventResult::Failure)
        );
        assert_eq!(
            pc.last_login_result.unwrap().time.as_deref(),
            Some("2021-06-23T09:28:32.8260335Z")
        );
        assert_eq!(
            pc.last_remote_action_result.unwrap().action_state,
            Some(ActionState::Done)
        );
        assert!(pc.scope_ids.is_empty());
        assert_eq!(pc.status_detail, None);
    }

    #[test]
    fn unknown_enum_values_and_new_properties_do_not_break_parsing() {
        let mut v = sample();
        v["status"] = "movingToMars".into();
        v["powerState"] = "hibernated".into();
        v["productType"] = "quantum".into();
        v["someFutureProperty"] = serde_json::json!({"nested": [1, 2]});
        let (pc, raw) = CloudPc::parse_with_raw(v).unwrap();
        assert_eq!(
            pc.status,
            Some(CloudPcStatus::Unknown("movingToMars".into()))
        );
        assert!(!pc.can_reprovision());
        assert_eq!(
            pc.power_state.as_ref().map(PowerState::as_str),
            Some("hibernated")
        );
        assert_eq!(
            pc.product_type.as_ref().map(|p| p.to_string()),
            Some("quantum".to_owned())
        );
        assert_eq!(raw["someFutureProperty"]["nested"][1], 2);
        assert_eq!(raw["partnerAgentInstallResults"], serde_json::json!([]));
    }

    #[test]
    fn business_cloud_pc_has_no_managed_device() {
        let pc: CloudPc = serde_json::from_value(serde_json::json!({
            "id": "b1", "managedDeviceId": null, "managedDeviceName": null, "productType": "business",
            "status": "failed"
        }))
        .unwrap();
        assert!(!pc.has_managed_device());
        assert!(pc.can_reprovision());
        assert_eq!(pc.name(), "b1");
    }

    #[test]
    fn the_modelled_properties_exist_in_the_metadata() {
        let meta: Value = serde_json::from_str(include_str!("beta-cloudpc-types.json")).unwrap();
        let listed: Vec<&str> = meta["entityTypes"]["cloudPC"]["properties"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let ours = serde_json::to_value(CloudPc::default()).unwrap();
        for key in ours.as_object().unwrap().keys() {
            assert!(
                key == "id" || listed.contains(&key.as_str()),
                "{key} is not a cloudPC property"
            );
        }
    }
}
