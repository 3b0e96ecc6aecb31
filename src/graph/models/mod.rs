//! Typed Graph resources. Field names follow Graph's beta metadata exactly (a vendored copy is
//! `beta-cloudpc-types.json` beside this file). Unknown properties are ignored, unknown enum
//! members are kept (`Unknown(String)`), nullable properties are `Option`.

mod bulk_action;
mod bulk_remote_action_result;
mod cloud_pc;
mod collection;
mod enums;
mod nullable;
mod remote_action_capability;
mod remote_action_result;
mod reprovision_params;
mod status_detail;
mod string_enum;

pub use bulk_action::{
    CloudPcBulkAction, CloudPcBulkActionSummary, CloudPcBulkReprovision,
    BULK_REPROVISION_ODATA_TYPE,
};
pub use bulk_remote_action_result::CloudPcBulkRemoteActionResult;
pub use cloud_pc::{
    CloudPc, CloudPcConnectivityResult, CloudPcHealthCheckItem, CloudPcLoginResult,
};
pub use collection::{ODataPage, ODataValue};
pub use enums::{
    ActionCapability, ActionState, BulkActionStatus, CloudPcStatus, ConnectivityEventResult,
    ConnectivityStatus, DiskEncryptionState, OsVersion, PowerState, ProductType, ProvisioningType,
    ServicePlanType, UserAccountType, UserExperienceType,
};
pub use remote_action_capability::{reprovision_capability, CloudPcRemoteActionCapability};
pub use remote_action_result::CloudPcRemoteActionResult;
pub use reprovision_params::ReprovisionParams;
pub use status_detail::{CloudPcStatusDetail, CloudPcStatusDetails, KeyValuePair};
