//! Reprovision through every path, the state machine over time, the operation log, and the
//! remote action functions.

mod common;
use common::*;
use serde_json::{json, Value};

async fn status_of(h: &Harness, id: &str) -> Value {
    h.get(&format!("{CLOUD_PCS}/{id}")).await.body
}

#[tokio::test]
async fn reprovision_runs_through_the_state_machine() {
    let h = start(fast_config(100)).await;
    let pc = h
        .pick(|p| is(p, "provisioned", "enterprise") && p["osVersion"] == "windows11")
        .await;
    let id = pc["id"].as_str().unwrap();
    let r = h
        .post(
            &format!("{CLOUD_PCS}/{id}/reprovision"),
            Some(r#"{"osVersion":"windows10","userAccountType":"administrator"}"#),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let request_id = r.header("request-id").unwrap();
    let now = status_of(&h, id).await;
    assert_eq!(now["status"], "provisioning");
    assert_eq!(now["osVersion"], "windows10");
    assert_eq!(now["userAccountType"], "administrator");
    assert_eq!(now["lastRemoteActionResult"]["actionName"], "Reprovision");
    assert!(matches!(
        now["lastRemoteActionResult"]["actionState"].as_str(),
        Some("pending" | "active")
    ));
    // 60 simulated seconds at scale 600 take 0.1 s.
    assert!(
        eventually(3.0, || async {
            status_of(&h, id).await["status"] == "provisioned"
        })
        .await
    );
    let results = h
        .get(&format!(
            "{CLOUD_PCS}/{id}/retrieveCloudPcRemoteActionResults"
        ))
        .await;
    let last = results.body["value"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["actionName"], "Reprovision");
    assert_eq!(last["actionState"], "done");
    assert_eq!(last["cloudPcId"], id);
    assert!(
        last["startDateTime"].as_str().unwrap() < last["lastUpdatedDateTime"].as_str().unwrap()
    );
    let ops = h.sim.operations();
    assert_eq!(ops.len(), 1);
    assert_eq!(ops[0].cloud_pc_id, id);
    assert_eq!(ops[0].via, "cloudPCs/{id}/reprovision");
    assert_eq!(ops[0].request_id.as_deref(), Some(request_id.as_str()));
    assert_eq!(
        ops[0].params,
        Some(json!({"osVersion":"windows10","userAccountType":"administrator"}))
    );
    h.sim.shutdown().await;
}

#[tokio::test]
async fn a_seeded_share_of_reprovisions_fails_with_details() {
    let mut cfg = fast_config(100);
    cfg.timing.reprovision_failure_rate = 1.0;
    let h = start(cfg).await;
    let pc = h.pick(|p| is(p, "provisioned", "enterprise")).await;
    let id = pc["id"].as_str().unwrap();
    assert_eq!(
        h.post(&format!("{CLOUD_PCS}/{id}/reprovision"), None)
            .await
            .status,
        204
    );
    assert!(
        eventually(3.0, || async {
            status_of(&h, id).await["status"] == "failed"
        })
        .await
    );
    let now = status_of(&h, id).await;
    assert!(now["statusDetail"]["code"].is_string());
    assert_eq!(now["lastRemoteActionResult"]["actionState"], "failed");
    // From failed, it can be reprovisioned again.
    assert_eq!(
        h.post(&format!("{CLOUD_PCS}/{id}/reprovision"), Some("{}"))
            .await
            .status,
        204
    );
    assert_eq!(h.sim.operations().len(), 2);
    h.sim.shutdown().await;
}

#[tokio::test]
async fn invalid_reprovisions_are_refused_and_not_carried_out() {
    let h = start(fast_config(400)).await;
    let ok = h.pick(|p| is(p, "provisioned", "enterprise")).await;
    let ok_id = ok["id"].as_str().unwrap();
    let path = format!("{CLOUD_PCS}/{ok_id}/reprovision");
    for body in [
        r#"{"osVersion":"windows12"}"#,
        r#"{"userAccountType":"root"}"#,
        r#"{"osVersion":"unknownFutureValue"}"#,
        r#"{"osVersion":7}"#,
        r#"{"color":"blue"}"#,
        r#"{osVersion: windows10}"#,
        r#"[1,2]"#,
    ] {
        let r = h.post(&path, Some(body)).await;
        assert_eq!(r.status, 400, "{body}");
        assert_eq!(r.error_code(), "BadRequest", "{body}");
        let inner = &r.body["error"]["innerError"];
        assert!(
            inner["date"].is_string()
                && inner["request-id"].is_string()
                && inner["client-request-id"].is_string()
        );
    }
    let r = h
        .post(&format!("{CLOUD_PCS}/not-a-pc/reprovision"), None)
        .await;
    assert_eq!(r.status, 404);
    let busy = h
        .pick(|p| is(p, "provisioning", "enterprise") || is(p, "inGracePeriod", "enterprise"))
        .await;
    let r = h
        .post(
            &format!("{CLOUD_PCS}/{}/reprovision", busy["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("provisioned"));
    let business = h.pick(|p| is(p, "provisioned", "business")).await;
    let r = h
        .post(
            &format!(
                "{CLOUD_PCS}/{}/reprovision",
                business["id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(h.sim.operations().is_empty());
    h.sim.shutdown().await;
}

#[tokio::test]
async fn supported_actions_reflect_status_and_product() {
    let h = start(fast_config(400)).await;
    let capability = |v: &Value| -> String {
        v["value"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["actionName"] == "reprovision")
            .unwrap()["actionCapability"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let path = |p: &Value| {
        format!(
            "{CLOUD_PCS}/{}/getSupportedCloudPcRemoteActions",
            p["id"].as_str().unwrap()
        )
    };
    let ok = h.pick(|p| is(p, "provisioned", "enterprise")).await;
    assert_eq!(capability(&h.get(&path(&ok)).await.body), "enabled");
    let failed = h
        .pick(|p| is(p, "failed", "frontline") || is(p, "failed", "enterprise"))
        .await;
    assert_eq!(capability(&h.get(&path(&failed)).await.body), "enabled");
    let business = h.pick(|p| is(p, "provisioned", "business")).await;
    assert_eq!(capability(&h.get(&path(&business)).await.body), "disabled");
    let busy = h.pick(|p| p["status"] == "deprovisioning").await;
    assert_eq!(capability(&h.get(&path(&busy)).await.body), "disabled");
    h.sim.shutdown().await;
}

#[tokio::test]
async fn users_reprovision_their_own_cloud_pcs() {
    let h = start(fast_config(200)).await;
    let pc = h
        .pick(|p| {
            is(p, "provisioned", "enterprise")
                && p["userPrincipalName"] != "admin@contoso.onmicrosoft.com"
        })
        .await;
    let upn = pc["userPrincipalName"].as_str().unwrap();
    let id = pc["id"].as_str().unwrap();
    let token = h.token(json!({"upn": upn})).await;
    let mine = h.send("GET", "/beta/me/cloudPCs", Some(&token), None).await;
    assert_eq!(mine.status, 200);
    let list = mine.body["value"].as_array().unwrap();
    assert!(!list.is_empty());
    assert!(list.iter().all(|p| p["userPrincipalName"] == upn));
    // The user path takes no parameters.
    let r = h
        .send(
            "POST",
            &format!("/beta/me/cloudPCs/{id}/reprovision"),
            Some(&token),
            Some(r#"{"osVersion":"windows10"}"#),
        )
        .await;
    assert_eq!(r.status, 400);
    // Someone else's Cloud PC is not found through /me.
    let other = h
        .pick(|p| p["userPrincipalName"] != upn && p["status"] == "provisioned")
        .await;
    let r = h
        .send(
            "POST",
            &format!(
                "/beta/me/cloudPCs/{}/reprovision",
                other["id"].as_str().unwrap()
            ),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.status, 404);
    let r = h
        .send(
            "POST",
            &format!("/beta/me/cloudPCs/{id}/reprovision"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.status, 204);
    // The admin path by user.
    let pc2 = h
        .pick(|p| {
            is(p, "provisioned", "enterprise")
                && p["userPrincipalName"] != upn
                && p["userPrincipalName"].is_string()
        })
        .await;
    let upn2 = pc2["userPrincipalName"].as_str().unwrap();
    let r = h
        .post(
            &format!(
                "/beta/users/{upn2}/cloudPCs/{}/reprovision",
                pc2["id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(r.status, 204);
    let r = h
        .post(
            "/beta/users/nobody@contoso.onmicrosoft.com/cloudPCs/x/reprovision",
            None,
        )
        .await;
    assert_eq!(r.status, 404);
    let vias: Vec<String> = h.sim.operations().iter().map(|o| o.via.clone()).collect();
    assert_eq!(
        vias,
        vec![
            "me/cloudPCs/{id}/reprovision",
            "users/{id}/cloudPCs/{id}/reprovision"
        ]
    );
    // App-only tokens cannot use /me.
    let app = h.token(json!({"upn": "app", "appOnly": true})).await;
    assert_eq!(
        h.send("GET", "/beta/me/cloudPCs", Some(&app), None)
            .await
            .status,
        400
    );
    h.sim.shutdown().await;
}

#[tokio::test]
async fn managed_device_endpoints() {
    let h = start(fast_config(200)).await;
    let pc = h.pick(|p| is(p, "provisioned", "enterprise")).await;
    let mid = pc["managedDeviceId"].as_str().unwrap();
    let r = h
        .post(
            &format!("/beta/deviceManagement/managedDevices/{mid}/reprovisionCloudPc"),
            None,
        )
        .await;
    assert_eq!(r.status, 204);
    let r = h
        .get(&format!(
            "/beta/deviceManagement/managedDevices/{mid}/getCloudPcRemoteActionResults"
        ))
        .await;
    assert_eq!(r.status, 200);
    let last = r.body["value"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["actionName"], "Reprovision");
    assert_eq!(last["managedDeviceId"], mid);
    let r = h
        .post(
            "/beta/deviceManagement/managedDevices/nope/reprovisionCloudPc",
            None,
        )
        .await;
    assert_eq!(r.status, 404);
    let r = h
        .get("/beta/deviceManagement/managedDevices/nope/getCloudPcRemoteActionResults")
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        h.sim.operations()[0].via,
        "managedDevices/{id}/reprovisionCloudPc"
    );
    assert_eq!(
        h.sim.operations()[0].managed_device_id.as_deref(),
        Some(mid)
    );
    h.sim.shutdown().await;
}
