//! What the inventory asks Graph for: only the properties it shows or needs to decide on.

use crate::graph::query::CloudPcQuery;

/// Properties the inventory and the reprovision flow read.
pub const INVENTORY_PROPERTIES: &[&str] = &[
    "id",
    "displayName",
    "userPrincipalName",
    "status",
    "osVersion",
    "userAccountType",
    "productType",
    "provisioningPolicyId",
    "provisioningPolicyName",
    "servicePlanName",
    "managedDeviceId",
    "lastModifiedDateTime",
];

pub fn inventory_query() -> CloudPcQuery {
    CloudPcQuery {
        select: INVENTORY_PROPERTIES.iter().map(|s| s.to_string()).collect(),
        filter: None,
        top: Some(1000),
        count: false,
    }
}
