//! The seed bulk endpoint and bulk actions (create, list, get, async progress, retry).

mod common;
use common::*;
use serde_json::{json, Value};

const BULK: &str = "/beta/deviceManagement/virtualEndpoint/bulkActions";

#[tokio::test]
async fn seed_bulk_answers_with_four_categories() {
    let h = start(fast_config(400)).await;
    let ok = h.pick(|p| is(p, "provisioned", "enterprise")).await;
    let busy = h
        .pick(|p| p["status"] == "deprovisioning" && p["managedDeviceId"].is_string())
        .await;
    let business = h.pick(|p| p["productType"] == "business").await;
    let ids = json!({"managedDeviceIds": [ok["managedDeviceId"], busy["managedDeviceId"], business["id"], "30d0e128-de93-41dc-89ec-33d84bb662a0"]});
    let r = h
        .post(
            "/beta/deviceManagement/managedDevices/bulkReprovisionCloudPc",
            Some(&ids.to_string()),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = &r.body["value"];
    assert_eq!(
        v["@odata.type"],
        "microsoft.graph.cloudPcBulkRemoteActionResult"
    );
    assert_eq!(v["successfulDeviceIds"], json!([ok["managedDeviceId"]]));
    assert_eq!(v["failedDeviceIds"], json!([busy["managedDeviceId"]]));
    assert_eq!(v["notSupportedDeviceIds"], json!([business["id"]]));
    assert_eq!(
        v["notFoundDeviceIds"],
        json!(["30d0e128-de93-41dc-89ec-33d84bb662a0"])
    );
    let ops = h.sim.operations();
    assert_eq!(ops.len(), 1);
    assert_eq!(ops[0].via, "managedDevices/bulkReprovisionCloudPc");
    // The seed page's unquoted example is not JSON.
    let r = h
        .post(
            "/beta/deviceManagement/managedDevices/bulkReprovisionCloudPc",
            Some(r#"{ managedDeviceIds: ["a"] }"#),
        )
        .await;
    assert_eq!(r.status, 400);
    h.sim.shutdown().await;
}

#[tokio::test]
async fn injected_seed_bulk_failures_are_deterministic() {
    let mut cfg = fast_config(300);
    cfg.timing.seed_bulk_failure_rate = 0.5;
    let run = || async {
        let h = start(cfg.clone()).await;
        let ids: Vec<Value> = h
            .tenant()
            .await
            .into_iter()
            .filter(|p| is(p, "provisioned", "enterprise"))
            .map(|p| p["managedDeviceId"].clone())
            .take(40)
            .collect();
        let r = h
            .post(
                "/beta/deviceManagement/managedDevices/bulkReprovisionCloudPc",
                Some(&json!({"managedDeviceIds": ids}).to_string()),
            )
            .await;
        h.sim.shutdown().await;
        r.body["value"]["failedDeviceIds"].clone()
    };
    let a = run().await;
    let b = run().await;
    let n = a.as_array().unwrap().len();
    assert!(n > 5 && n < 35, "{n} of 40 failed");
    assert_eq!(a, b);
}

#[tokio::test]
async fn bulk_actions_progress_asynchronously_and_retry() {
    // A dispatch delay of one real second keeps "pending right after the retry" observable on a
    // loaded machine (at the default 5 s / 600 the window was 8 ms).
    let mut cfg = fast_config(400);
    cfg.timing.bulk_dispatch_secs = 600.0;
    let h = start(cfg).await;
    let a = h.pick(|p| is(p, "provisioned", "enterprise")).await;
    let b = h.pick(|p| is(p, "provisioned", "frontline")).await;
    let busy = h
        .pick(|p| p["status"] == "deprovisioning" && p["productType"] != "business")
        .await;
    let business = h.pick(|p| p["productType"] == "business").await;
    let body = json!({
        "@odata.type": "#microsoft.graph.cloudPcBulkReprovision",
        "displayName": "Reprovision after incident",
        "cloudPcIds": [a["id"], b["id"], busy["id"], business["id"]],
        "scheduledDuringMaintenanceWindow": false
    });
    let r = h.post(BULK, Some(&body.to_string())).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(
        r.body["@odata.type"],
        "#microsoft.graph.cloudPcBulkReprovision"
    );
    assert_eq!(r.body["status"], "pending");
    assert_eq!(r.body["displayName"], "Reprovision after incident");
    assert_eq!(
        r.body["initiatedByUserPrincipalName"],
        "admin@contoso.onmicrosoft.com"
    );
    assert_eq!(r.body["actionSummary"]["pendingCount"], 3);
    assert_eq!(r.body["actionSummary"]["notSupportedCount"], 1);
    let id = r.body["id"].as_str().unwrap().to_string();
    assert!(r
        .header("location")
        .unwrap()
        .ends_with(&format!("/bulkActions/{id}")));
    let get = || async { h.get(&format!("{BULK}/{id}")).await.body };
    assert!(eventually(5.0, || async { get().await["status"] != "pending" }).await);
    let done = get().await;
    assert_eq!(done["status"], "failed");
    assert_eq!(done["actionSummary"]["successfulCount"], 2);
    assert_eq!(done["actionSummary"]["failedCount"], 1);
    assert_eq!(done["actionSummary"]["notSupportedCount"], 1);
    let ops = h.sim.operations();
    assert_eq!(ops.len(), 2);
    assert!(ops
        .iter()
        .all(|o| o.via == "bulkActions/{id}" && o.bulk_action_id.as_deref() == Some(id.as_str())));
    let list = h.get(BULK).await;
    assert_eq!(list.body["value"].as_array().unwrap().len(), 1);
    // Retry re-runs the failed device (still ineligible, so it fails again) and answers 202.
    let r = h
        .post(
            &format!("{BULK}/{id}/retry"),
            Some(&json!({"cloudPcIds": [busy["id"]]}).to_string()),
        )
        .await;
    assert_eq!(r.status, 202);
    assert_eq!(get().await["status"], "pending");
    assert!(eventually(5.0, || async { get().await["status"] != "pending" }).await);
    assert_eq!(get().await["actionSummary"]["failedCount"], 1);
    let r = h.post(&format!("{BULK}/{id}/retry"), None).await;
    assert_eq!(r.status, 202);
    // App-only tokens cannot retry.
    let app = h.token(json!({"upn": "daemon", "appOnly": true})).await;
    let r = h
        .send("POST", &format!("{BULK}/{id}/retry"), Some(&app), None)
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(
        h.post(&format!("{BULK}/nope/retry"), None).await.status,
        404
    );
    assert_eq!(h.get(&format!("{BULK}/nope")).await.status, 404);
    h.sim.shutdown().await;
}

#[tokio::test]
async fn bulk_action_validation() {
    let h = start(fast_config(20)).await;
    for body in [
        json!({"displayName": "x", "cloudPcIds": ["a"]}),
        json!({"@odata.type": "#microsoft.graph.cloudPcBulkReprovision", "cloudPcIds": []}),
        json!({"@odata.type": "#microsoft.graph.cloudPcBulkReprovision", "cloudPcIds": [1]}),
        json!({"@odata.type": "#microsoft.graph.cloudPcBulkReprovision", "cloudPcIds": ["a"], "colour": "red"}),
        json!({"@odata.type": "#microsoft.graph.cloudPcBulkRestart", "cloudPcIds": ["a"]}),
    ] {
        let r = h.post(BULK, Some(&body.to_string())).await;
        assert_eq!(r.status, 400, "{body}");
        assert_eq!(r.error_code(), "BadRequest");
    }
    assert!(h.get(BULK).await.body["value"]
        .as_array()
        .unwrap()
        .is_empty());
    h.sim.shutdown().await;
}
