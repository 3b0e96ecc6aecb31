//! Each typed call: the request it sends and how it reads the answer.

use serde_json::json;

use crate::graph::calls::CloudPcQuery;
use crate::graph::error::ErrorKind;
use crate::graph::models::{
    ActionCapability, ActionState, BulkActionStatus, CloudPcBulkReprovision, CloudPcStatus,
};
use crate::graph::request::Method;
use crate::graph::testing::{resp, Harness};

const ROOT: &str = "https://graph.microsoft.com/beta";

fn ids() -> Vec<String> {
    vec![
        "30d0e128-de93-41dc-89ec-33d84bb662a0".into(),
        "7c82a3e3-9459-44e4-94d9-b92f93bf78dd".into(),
    ]
}

#[tokio::test]
async fn my_cloud_pcs() {
    let h = Harness::scripted(vec![Ok(resp(
        200,
        r#"{"value":[{"id":"36bd4942-0ca8-11ed-861d-0242ac120002","displayName":"Mine","status":"preparing","newThing":true}]}"#,
    ))]);
    let q = CloudPcQuery {
        top: Some(10),
        ..CloudPcQuery::default()
    };
    let pcs = h.client.list_my_cloud_pcs(&q, |_| {}).await.unwrap();
    assert_eq!(pcs[0].status, Some(CloudPcStatus::Preparing));
    let r = h.transport.request(0);
    assert_eq!(
        (r.method, r.url.as_str()),
        (
            Method::Get,
            "https://graph.microsoft.com/beta/me/cloudPCs?$top=10"
        )
    );
}

#[tokio::test]
async fn get_with_raw_keeps_every_property() {
    let h = Harness::scripted(vec![Ok(resp(
        200,
        r#"{"id":"c1","status":"hibernating","frontlineCloudPcAvailability":"available"}"#,
    ))]);
    let (pc, raw) = h.client.get_cloud_pc_with_raw("c1").await.unwrap();
    assert_eq!(
        pc.status,
        Some(CloudPcStatus::Unknown("hibernating".into()))
    );
    assert_eq!(raw["frontlineCloudPcAvailability"], "available");
    assert_eq!(
        h.transport.request(0).url,
        format!("{ROOT}/deviceManagement/virtualEndpoint/cloudPCs/c1")
    );
}

#[tokio::test]
async fn user_reprovisions_send_no_body() {
    let h = Harness::scripted(vec![Ok(resp(204, "")), Ok(resp(204, ""))]);
    h.client
        .reprovision_my_cloud_pc("36bd4942-0ca8-11ed-861d-0242ac120002")
        .await
        .unwrap();
    h.client
        .reprovision_user_cloud_pc("u1", "c1")
        .await
        .unwrap();
    let me = h.transport.request(0);
    assert_eq!((me.method, me.body.as_deref()), (Method::Post, None));
    assert_eq!(
        me.url,
        format!("{ROOT}/me/cloudPCs/36bd4942-0ca8-11ed-861d-0242ac120002/reprovision")
    );
    assert_eq!(me.header("content-type"), None);
    assert_eq!(
        h.transport.request(1).url,
        format!("{ROOT}/users/u1/cloudPCs/c1/reprovision")
    );
}

#[tokio::test]
async fn seed_bulk_reprovision_by_managed_device() {
    // The seed page's request (its unquoted key fixed) and response.
    let h = Harness::scripted(vec![Ok(resp(
        200,
        r#"{
  "value": {
    "@odata.type": "microsoft.graph.cloudPcBulkRemoteActionResult",
    "successfulDeviceIds": ["30d0e128-de93-41dc-89ec-33d84bb662a0"],
    "failedDeviceIds": ["7c82a3e3-9459-44e4-94d9-b92f93bf78dd"],
    "notFoundDeviceIds": [],
    "notSupportedDeviceIds": []
  }
}"#,
    ))]);
    let r = h
        .client
        .bulk_reprovision_managed_devices(&ids())
        .await
        .unwrap();
    assert_eq!(
        r.successful_device_ids,
        vec!["30d0e128-de93-41dc-89ec-33d84bb662a0"]
    );
    assert_eq!(
        r.failed_device_ids,
        vec!["7c82a3e3-9459-44e4-94d9-b92f93bf78dd"]
    );
    let req = h.transport.request(0);
    assert_eq!((req.method, req.url.as_str()), (Method::Post, "https://graph.microsoft.com/beta/deviceManagement/managedDevices/bulkReprovisionCloudPc"));
    let seed_body: serde_json::Value = serde_json::from_str(
        r#"{"managedDeviceIds": ["30d0e128-de93-41dc-89ec-33d84bb662a0", "7c82a3e3-9459-44e4-94d9-b92f93bf78dd"]}"#,
    )
    .unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(req.body.as_deref().unwrap()).unwrap(),
        seed_body
    );
    assert_eq!(req.header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn deprecated_reprovision_by_managed_device() {
    let h = Harness::scripted(vec![Ok(resp(204, ""))]);
    h.client.reprovision_managed_device("md1").await.unwrap();
    let r = h.transport.request(0);
    assert_eq!((r.method, r.body.as_deref()), (Method::Post, None));
    assert_eq!(
        r.url,
        format!("{ROOT}/deviceManagement/managedDevices/md1/reprovisionCloudPc")
    );
}

#[tokio::test]
async fn remote_action_results_both_ways() {
    let body = r##"{"value":[{"@odata.type":"#microsoft.graph.cloudPcRemoteActionResult","actionName":"Reprovision","actionState":"None","startDateTime":"2021-06-01T00:00:00Z","lastUpdatedDateTime":"2021-06-01T00:00:00Z","cloudPcId":"c1","managedDeviceId":"md1","statusDetails":null}]}"##;
    let h = Harness::scripted(vec![Ok(resp(200, body)), Ok(resp(200, body))]);
    let current = h.client.retrieve_remote_action_results("c1").await.unwrap();
    let seed = h
        .client
        .managed_device_remote_action_results("md1")
        .await
        .unwrap();
    assert_eq!(current, seed);
    assert_eq!(current[0].action_state, Some(ActionState::None));
    assert_eq!(
        h.transport.request(0).url,
        format!("{ROOT}/deviceManagement/virtualEndpoint/cloudPCs/c1/retrieveCloudPcRemoteActionResults")
    );
    assert_eq!(
        h.transport.request(1).url,
        format!("{ROOT}/deviceManagement/managedDevices/md1/getCloudPcRemoteActionResults")
    );
}

#[tokio::test]
async fn supported_actions() {
    let h = Harness::scripted(vec![Ok(resp(
        200,
        r#"{"value":[{"actionName":"Reprovision","actionCapability":"enabled"},{"actionName":"Resize","actionCapability":"disabled"}]}"#,
    ))]);
    let caps = h.client.supported_remote_actions("c1").await.unwrap();
    assert_eq!(caps[1].action_capability, Some(ActionCapability::Disabled));
    assert_eq!(
        crate::graph::models::reprovision_capability(&caps),
        Some(true)
    );
    assert_eq!(
        h.transport.request(0).url,
        format!(
            "{ROOT}/deviceManagement/virtualEndpoint/cloudPCs/c1/getSupportedCloudPcRemoteActions"
        )
    );
}

#[tokio::test]
async fn bulk_action_lifecycle() {
    let created = json!({
        "@odata.type": "#microsoft.graph.cloudPcBulkReprovision",
        "id": "0d76d02b-e0a0-4f58-baff-d1718cc2d144",
        "displayName": "Ticket 7",
        "cloudPcIds": ids(),
        "status": "pending",
        "actionSummary": {"successfulCount": 0, "failedCount": 0, "inProgressCount": 0, "pendingCount": 2, "notSupportedCount": 0}
    });
    let listed = json!({"value": [created.clone()], "@odata.nextLink": format!("{ROOT}/deviceManagement/virtualEndpoint/bulkActions?$skiptoken=2")});
    let h = Harness::scripted(vec![
        Ok(resp(201, &created.to_string())),
        Ok(resp(200, &listed.to_string())),
        Ok(resp(200, r#"{"value":[]}"#)),
        Ok(resp(200, &created.to_string())),
        Ok(resp(202, "")),
        Ok(resp(202, "")),
    ]);
    let action = CloudPcBulkReprovision {
        display_name: "Ticket 7".into(),
        cloud_pc_ids: ids(),
        scheduled_during_maintenance_window: false,
    };
    let a = h.client.create_bulk_reprovision(&action).await.unwrap();
    assert!(a.is_reprovision());
    assert_eq!(a.status, Some(BulkActionStatus::Pending));
    assert_eq!(a.action_summary.unwrap().pending_count, 2);
    let mut pages = 0;
    let all = h.client.list_bulk_actions(|_| pages += 1).await.unwrap();
    assert_eq!((all.len(), pages), (1, 2));
    let one = h.client.get_bulk_action(&a.id).await.unwrap();
    assert_eq!(one.id, a.id);
    h.client.retry_bulk_action(&a.id, None).await.unwrap();
    h.client
        .retry_bulk_action(&a.id, Some(&ids()[..1]))
        .await
        .unwrap();

    let r = h.transport.requests();
    let bulk = format!("{ROOT}/deviceManagement/virtualEndpoint/bulkActions");
    assert_eq!(
        (r[0].method, r[0].url.as_str()),
        (Method::Post, bulk.as_str())
    );
    assert_eq!(
        r[0].body.as_deref(),
        Some(
            r##"{"@odata.type":"#microsoft.graph.cloudPcBulkReprovision","cloudPcIds":["30d0e128-de93-41dc-89ec-33d84bb662a0","7c82a3e3-9459-44e4-94d9-b92f93bf78dd"],"displayName":"Ticket 7","scheduledDuringMaintenanceWindow":false}"##
        )
    );
    assert_eq!(
        (r[1].method, r[1].url.as_str()),
        (Method::Get, bulk.as_str())
    );
    assert_eq!(r[2].url, format!("{bulk}?$skiptoken=2"));
    assert_eq!(
        r[3].url,
        format!("{bulk}/0d76d02b-e0a0-4f58-baff-d1718cc2d144")
    );
    assert_eq!(
        r[4].url,
        format!("{bulk}/0d76d02b-e0a0-4f58-baff-d1718cc2d144/retry")
    );
    assert_eq!((r[4].method, r[4].body.as_deref()), (Method::Post, None));
    assert_eq!(
        r[5].body.as_deref(),
        Some(r#"{"cloudPcIds":["30d0e128-de93-41dc-89ec-33d84bb662a0"]}"#)
    );
}

#[tokio::test]
async fn bulk_create_that_times_out_is_ambiguous() {
    let h = Harness::scripted(vec![Err(crate::graph::transport::TransportError::Timeout)]);
    let action = CloudPcBulkReprovision {
        display_name: "x".into(),
        cloud_pc_ids: ids(),
        scheduled_during_maintenance_window: false,
    };
    let e = h.client.create_bulk_reprovision(&action).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Ambiguous);
    assert_eq!(h.transport.requests().len(), 1);
}
