//! The Graph enums the console reads or writes. Member names are exactly those of Graph's beta
//! metadata (`beta-cloudpc-types.json`); values it does not list stay readable as `Unknown`.

use super::string_enum::string_enum;

string_enum! {
    /// `cloudPcStatus`: where a Cloud PC is in its lifecycle.
    pub enum CloudPcStatus {
        NotProvisioned => "notProvisioned",
        Provisioning => "provisioning",
        Provisioned => "provisioned",
        InGracePeriod => "inGracePeriod",
        Deprovisioning => "deprovisioning",
        Failed => "failed",
        ProvisionedWithWarnings => "provisionedWithWarnings",
        Resizing => "resizing",
        Restoring => "restoring",
        PendingProvision => "pendingProvision",
        UnknownFutureValue => "unknownFutureValue",
        MovingRegion => "movingRegion",
        ResizePendingLicense => "resizePendingLicense",
        UpdatingSingleSignOn => "updatingSingleSignOn",
        ModifyingSingleSignOn => "modifyingSingleSignOn",
        Preparing => "preparing",
        FailoverInProgress => "failoverInProgress",
        FailbackInProgress => "failbackInProgress",
        RefreshPolicyConfiguration => "refreshPolicyConfiguration",
    }
}

impl CloudPcStatus {
    /// A Cloud PC can be reprovisioned only when it is `provisioned` or `failed`
    /// (Windows 365 admin guide).
    pub fn allows_reprovision(&self) -> bool {
        matches!(self, CloudPcStatus::Provisioned | CloudPcStatus::Failed)
    }
}

string_enum! {
    /// `cloudPcOperatingSystem`: the Windows version of a Cloud PC or to reprovision with.
    pub enum OsVersion {
        Windows10 => "windows10",
        Windows11 => "windows11",
        UnknownFutureValue => "unknownFutureValue",
    }
}

string_enum! {
    /// `cloudPcUserAccountType`: the user's account type on the Cloud PC.
    pub enum UserAccountType {
        StandardUser => "standardUser",
        Administrator => "administrator",
        UnknownFutureValue => "unknownFutureValue",
    }
}

string_enum! {
    /// `cloudPcProductType`.
    pub enum ProductType {
        Enterprise => "enterprise",
        Frontline => "frontline",
        DevBox => "devBox",
        PowerAutomate => "powerAutomate",
        Business => "business",
        UnknownFutureValue => "unknownFutureValue",
    }
}

string_enum! {
    /// `cloudPcServicePlanType`.
    pub enum ServicePlanType {
        Enterprise => "enterprise",
        Business => "business",
        UnknownFutureValue => "unknownFutureValue",
    }
}

string_enum! {
    /// `cloudPcProvisioningType`.
    pub enum ProvisioningType {
        Dedicated => "dedicated",
        Shared => "shared",
        UnknownFutureValue => "unknownFutureValue",
        SharedByUser => "sharedByUser",
        SharedByEntraGroup => "sharedByEntraGroup",
        Reserve => "reserve",
    }
}

string_enum! {
    /// `cloudPcPowerState`.
    pub enum PowerState {
        Running => "running",
        PoweredOff => "poweredOff",
        UnknownFutureValue => "unknownFutureValue",
    }
}

string_enum! {
    /// `cloudPcDiskEncryptionState`.
    pub enum DiskEncryptionState {
        NotAvailable => "notAvailable",
        NotEncrypted => "notEncrypted",
        EncryptedUsingPlatformManagedKey => "encryptedUsingPlatformManagedKey",
        EncryptedUsingCustomerManagedKey => "encryptedUsingCustomerManagedKey",
        UnknownFutureValue => "unknownFutureValue",
    }
}

string_enum! {
    /// `cloudPcConnectivityStatus`: the result of the Cloud PC's connectivity health checks.
    pub enum ConnectivityStatus {
        /// Graph's own `unknown` member (not to be confused with [`Self::Unknown`]).
        Undetermined => "unknown",
        Available => "available",
        AvailableWithWarning => "availableWithWarning",
        Unavailable => "unavailable",
        UnknownFutureValue => "unknownFutureValue",
        InUse => "inUse",
        UnderServiceMaintenance => "underServiceMaintenance",
    }
}

string_enum! {
    /// `cloudPcConnectivityEventResult`: the result of one health check item.
    pub enum ConnectivityEventResult {
        /// Graph's own `unknown` member (not to be confused with [`Self::Unknown`]).
        Undetermined => "unknown",
        Success => "success",
        Failure => "failure",
        UnknownFutureValue => "unknownFutureValue",
    }
}

string_enum! {
    /// `cloudPcUserExperienceType`.
    pub enum UserExperienceType {
        CloudPc => "cloudPc",
        CloudApp => "cloudApp",
        UnknownFutureValue => "unknownFutureValue",
    }
}

string_enum! {
    /// `actionState`: the state of a remote action (reprovision…) on a Cloud PC.
    pub enum ActionState {
        None => "none",
        Pending => "pending",
        Canceled => "canceled",
        Active => "active",
        Done => "done",
        Failed => "failed",
        NotSupported => "notSupported",
    }
}

impl ActionState {
    /// True once the action will not change any more (`done`, `failed`, `canceled`,
    /// `notSupported`).
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            ActionState::Done
                | ActionState::Failed
                | ActionState::Canceled
                | ActionState::NotSupported
        )
    }
}

string_enum! {
    /// `cloudPcBulkActionStatus`. There is no "mixed" member: read `actionSummary` for that.
    pub enum BulkActionStatus {
        Pending => "pending",
        Succeeded => "succeeded",
        Failed => "failed",
        UnknownFutureValue => "unknownFutureValue",
    }
}

string_enum! {
    /// `actionCapability`: whether a remote action is currently allowed on a Cloud PC.
    pub enum ActionCapability {
        Enabled => "enabled",
        Disabled => "disabled",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_members_round_trip_through_serde() {
        for status in CloudPcStatus::KNOWN {
            let json = serde_json::to_string(status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
            let back: CloudPcStatus = serde_json::from_str(&json).unwrap();
            assert_eq!(&back, status);
        }
    }

    #[test]
    fn unknown_member_is_kept_and_serialized_verbatim() {
        let s: CloudPcStatus = serde_json::from_str("\"hibernatingSoon\"").unwrap();
        assert_eq!(s, CloudPcStatus::Unknown("hibernatingSoon".into()));
        assert!(s.is_unknown());
        assert_eq!(s.as_str(), "hibernatingSoon");
        assert_eq!(s.to_string(), "hibernatingSoon");
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"hibernatingSoon\"");
    }

    #[test]
    fn case_variants_from_the_docs_are_recognized() {
        assert_eq!(ActionState::parse("None"), ActionState::None);
        assert_eq!(
            ActionState::parse("notSupported"),
            ActionState::NotSupported
        );
        assert_eq!(
            ActionState::parse("NotSupported"),
            ActionState::NotSupported
        );
    }

    #[test]
    fn members_match_the_graph_metadata() {
        let meta: serde_json::Value =
            serde_json::from_str(include_str!("beta-cloudpc-types.json")).unwrap();
        fn check<T: PartialEq + std::fmt::Debug>(
            meta: &serde_json::Value,
            name: &str,
            known: &[T],
            as_str: fn(&T) -> &str,
        ) {
            let mut listed: Vec<&str> = meta["enumTypes"][name]
                .as_array()
                .unwrap_or_else(|| panic!("{name} missing"))
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            let mut ours: Vec<&str> = known.iter().map(as_str).collect();
            listed.sort_unstable();
            ours.sort_unstable();
            assert_eq!(ours, listed, "members of {name}");
        }
        check(
            &meta,
            "cloudPcStatus",
            CloudPcStatus::KNOWN,
            CloudPcStatus::as_str,
        );
        check(
            &meta,
            "cloudPcOperatingSystem",
            OsVersion::KNOWN,
            OsVersion::as_str,
        );
        check(
            &meta,
            "cloudPcUserAccountType",
            UserAccountType::KNOWN,
            UserAccountType::as_str,
        );
        check(
            &meta,
            "cloudPcProductType",
            ProductType::KNOWN,
            ProductType::as_str,
        );
        check(
            &meta,
            "cloudPcServicePlanType",
            ServicePlanType::KNOWN,
            ServicePlanType::as_str,
        );
        check(
            &meta,
            "cloudPcProvisioningType",
            ProvisioningType::KNOWN,
            ProvisioningType::as_str,
        );
        check(
            &meta,
            "cloudPcPowerState",
            PowerState::KNOWN,
            PowerState::as_str,
        );
        check(
            &meta,
            "cloudPcDiskEncryptionState",
            DiskEncryptionState::KNOWN,
            DiskEncryptionState::as_str,
        );
        check(
            &meta,
            "cloudPcConnectivityStatus",
            ConnectivityStatus::KNOWN,
            ConnectivityStatus::as_str,
        );
        check(
            &meta,
            "cloudPcConnectivityEventResult",
            ConnectivityEventResult::KNOWN,
            ConnectivityEventResult::as_str,
        );
        check(
            &meta,
            "cloudPcUserExperienceType",
            UserExperienceType::KNOWN,
            UserExperienceType::as_str,
        );
        check(
            &meta,
            "actionState",
            ActionState::KNOWN,
            ActionState::as_str,
        );
        check(
            &meta,
            "cloudPcBulkActionStatus",
            BulkActionStatus::KNOWN,
            BulkActionStatus::as_str,
        );
    }
}
