//! `cloudPcBulkRemoteActionResult`: the answer of the deprecated
//! `managedDevices/bulkReprovisionCloudPc`, by Intune managed device id.

use serde::{Deserialize, Serialize};

use super::nullable::vec_or_null;

/// `cloudPcBulkRemoteActionResult`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudPcBulkRemoteActionResult {
    #[serde(default, deserialize_with = "vec_or_null")]
    pub successful_device_ids: Vec<String>,
    #[serde(default, deserialize_with = "vec_or_null")]
    pub failed_device_ids: Vec<String>,
    #[serde(default, deserialize_with = "vec_or_null")]
    pub not_found_device_ids: Vec<String>,
    #[serde(default, deserialize_with = "vec_or_null")]
    pub not_supported_device_ids: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_result_object() {
        let r: CloudPcBulkRemoteActionResult = serde_json::from_str(
            r#"{"successfulDeviceIds":["a"],"failedDeviceIds":null,"notFoundDeviceIds":["b"]}"#,
        )
        .unwrap();
        assert_eq!(r.successful_device_ids, vec!["a"]);
        assert!(r.failed_device_ids.is_empty());
        assert_eq!(r.not_found_device_ids, vec!["b"]);
        assert!(r.not_supported_device_ids.is_empty());
    }
}
