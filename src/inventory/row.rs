//! One Cloud PC as the inventory table needs it: the shown columns as plain strings. Its
//! searchable text is kept once, in the text index (`text_index`), not in every row.

/// A row of the inventory table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeviceRow {
    pub id: String,
    pub display_name: String,
    pub user_principal_name: String,
    /// Graph's raw status member name (so unknown statuses show as they are).
    pub status: String,
    pub os_version: String,
    pub user_account_type: String,
    pub product_type: String,
    pub provisioning_policy: String,
    pub service_plan: String,
    pub managed_device_id: String,
    pub last_modified: String,
}

impl DeviceRow {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: String,
        display_name: String,
        user_principal_name: String,
        status: String,
        os_version: String,
        user_account_type: String,
        product_type: String,
        provisioning_policy: String,
        service_plan: String,
        managed_device_id: String,
        last_modified: String,
    ) -> Self {
        Self {
            id,
            display_name,
            user_principal_name,
            status,
            os_version,
            user_account_type,
            product_type,
            provisioning_policy,
            service_plan,
            managed_device_id,
            last_modified,
        }
    }

    /// The searchable columns (display name, user principal name, managed device id, id),
    /// lower-cased and separated by `\u{1f}`: what [`super::text_index::TextIndex`] indexes,
    /// the only place it is kept.
    pub fn search_text(&self) -> String {
        [
            self.display_name.as_str(),
            self.user_principal_name.as_str(),
            self.managed_device_id.as_str(),
            self.id.as_str(),
        ]
        .join("\u{1f}")
        .to_lowercase()
    }
}

/// Moves the shown properties out of a Cloud PC Graph returned (no copy of each string for tens
/// of thousands of Cloud PCs while loading).
impl From<crate::graph::models::CloudPc> for DeviceRow {
    fn from(pc: crate::graph::models::CloudPc) -> Self {
        let member = |v: Option<&str>| v.unwrap_or_default().to_string();
        DeviceRow::new(
            pc.id,
            pc.display_name.unwrap_or_default(),
            pc.user_principal_name.unwrap_or_default(),
            member(pc.status.as_ref().map(|s| s.as_str())),
            member(pc.os_version.as_ref().map(|s| s.as_str())),
            member(pc.user_account_type.as_ref().map(|s| s.as_str())),
            member(pc.product_type.as_ref().map(|s| s.as_str())),
            pc.provisioning_policy_name.unwrap_or_default(),
            pc.service_plan_name.unwrap_or_default(),
            pc.managed_device_id.unwrap_or_default(),
            pc.last_modified_date_time.unwrap_or_default(),
        )
    }
}

impl DeviceRow {
    /// The Cloud PC as far as the inventory knows it (the properties it selects), for the
    /// bulk preflight, which decides on status, product type and managed device id.
    pub fn to_cloud_pc(&self) -> crate::graph::models::CloudPc {
        use crate::graph::models::{
            CloudPc, CloudPcStatus, OsVersion, ProductType, UserAccountType,
        };
        let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
        CloudPc {
            id: self.id.clone(),
            display_name: some(&self.display_name),
            user_principal_name: some(&self.user_principal_name),
            status: some(&self.status).map(|s| CloudPcStatus::parse(&s)),
            os_version: some(&self.os_version).map(|s| OsVersion::parse(&s)),
            user_account_type: some(&self.user_account_type).map(|s| UserAccountType::parse(&s)),
            product_type: some(&self.product_type).map(|s| ProductType::parse(&s)),
            provisioning_policy_name: some(&self.provisioning_policy),
            service_plan_name: some(&self.service_plan),
            managed_device_id: some(&self.managed_device_id),
            last_modified_date_time: some(&self.last_modified),
            ..Default::default()
        }
    }
}
