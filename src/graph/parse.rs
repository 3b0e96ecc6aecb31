//! Reading Graph JSON: the only place of the console that parses Graph's answers. A body that
//! does not parse becomes an [`ErrorKind::InvalidResponse`] error carrying the exchange's ids.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::error::{ErrorKind, GraphError};
use super::models::{
    CloudPc, CloudPcBulkAction, CloudPcBulkRemoteActionResult, CloudPcRemoteActionCapability,
    CloudPcRemoteActionResult, ODataPage, ODataValue,
};
use super::transport::HttpResponse;

/// Parses a 2xx body as `T`.
pub fn json<T: DeserializeOwned>(resp: &HttpResponse) -> Result<T, GraphError> {
    serde_json::from_str(&resp.body).map_err(|e| invalid(resp, &format!("unreadable JSON: {e}")))
}

/// Parses one collection page.
pub fn page<T: DeserializeOwned>(resp: &HttpResponse) -> Result<ODataPage<T>, GraphError> {
    json(resp)
}

/// Parses a `cloudPC` and keeps every property Graph sent.
pub fn cloud_pc_with_raw(resp: &HttpResponse) -> Result<(CloudPc, Map<String, Value>), GraphError> {
    let value: Value = json(resp)?;
    if !value.is_object() {
        return Err(invalid(resp, "a Cloud PC must be a JSON object"));
    }
    CloudPc::parse_with_raw(value).map_err(|e| invalid(resp, &format!("unreadable Cloud PC: {e}")))
}

/// Parses a `cloudPC`.
pub fn cloud_pc(resp: &HttpResponse) -> Result<CloudPc, GraphError> {
    json(resp)
}

/// Parses a `cloudPcBulkAction`.
pub fn bulk_action(resp: &HttpResponse) -> Result<CloudPcBulkAction, GraphError> {
    json(resp)
}

/// Parses `{"value":[cloudPcRemoteActionResult…]}`.
pub fn remote_action_results(
    resp: &HttpResponse,
) -> Result<Vec<CloudPcRemoteActionResult>, GraphError> {
    Ok(page::<CloudPcRemoteActionResult>(resp)?.value)
}

/// Parses `{"value":[cloudPcRemoteActionCapability…]}`.
pub fn remote_action_capabilities(
    resp: &HttpResponse,
) -> Result<Vec<CloudPcRemoteActionCapability>, GraphError> {
    Ok(page::<CloudPcRemoteActionCapability>(resp)?.value)
}

/// Parses `{"value": cloudPcBulkRemoteActionResult}` (the seed bulk call's answer).
pub fn bulk_remote_action_result(
    resp: &HttpResponse,
) -> Result<CloudPcBulkRemoteActionResult, GraphError> {
    Ok(json::<ODataValue<CloudPcBulkRemoteActionResult>>(resp)?.value)
}

/// An [`ErrorKind::InvalidResponse`] error for `resp`.
pub fn invalid(resp: &HttpResponse, what: &str) -> GraphError {
    let mut e =
        GraphError::from_response(ErrorKind::InvalidResponse, resp.status, &resp.headers, "");
    e.message = format!("Graph's answer could not be read: {what}");
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(body: &str) -> HttpResponse {
        HttpResponse {
            status: 200,
            headers: vec![
                ("request-id".into(), "r1".into()),
                ("client-request-id".into(), "c1".into()),
            ],
            body: body.into(),
        }
    }

    /// The response of the seed page `managedDevice: bulkReprovisionCloudPc`, verbatim.
    const SEED_BULK_RESPONSE: &str = r#"{
  "value": {
    "@odata.type": "microsoft.graph.cloudPcBulkRemoteActionResult",
    "successfulDeviceIds": [
        "30d0e128-de93-41dc-89ec-33d84bb662a0"
    ],
    "failedDeviceIds": [
        "7c82a3e3-9459-44e4-94d9-b92f93bf78dd"
    ],
    "notFoundDeviceIds": [
    ],
    "notSupportedDeviceIds": [
    ]
  }
}"#;

    #[test]
    fn seed_bulk_response() {
        let r = bulk_remote_action_result(&ok(SEED_BULK_RESPONSE)).unwrap();
        assert_eq!(
            r.successful_device_ids,
            vec!["30d0e128-de93-41dc-89ec-33d84bb662a0"]
        );
        assert_eq!(
            r.failed_device_ids,
            vec!["7c82a3e3-9459-44e4-94d9-b92f93bf78dd"]
        );
        assert!(r.not_found_device_ids.is_empty());
        assert!(r.not_supported_device_ids.is_empty());
    }

    #[test]
    fn unreadable_bodies_are_invalid_response_with_ids() {
        let e = cloud_pc(&ok("<html>proxy</html>")).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidResponse);
        assert_eq!(e.status, Some(200));
        assert_eq!(e.request_id.as_deref(), Some("r1"));
        assert_eq!(e.client_request_id.as_deref(), Some("c1"));
        assert!(
            e.message.starts_with("Graph's answer could not be read"),
            "{}",
            e.message
        );
        assert_eq!(
            cloud_pc_with_raw(&ok("[1]")).unwrap_err().kind,
            ErrorKind::InvalidResponse
        );
    }

    #[test]
    fn action_results_and_capabilities() {
        let r = remote_action_results(&ok(
            r#"{"value":[{"actionName":"Reprovision","actionState":"pending","cloudPcId":"c"}]}"#,
        ))
        .unwrap();
        assert_eq!(r.len(), 1);
        let c = remote_action_capabilities(&ok(
            r#"{"value":[{"actionName":"Reprovision","actionCapability":"enabled"}]}"#,
        ))
        .unwrap();
        assert!(c[0].is_enabled());
    }
}
