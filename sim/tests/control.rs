//! Authentication, CORS, standard headers, the request log, and the control endpoints.

mod common;
use common::*;
use serde_json::{json, Value};

#[tokio::test]
async fn requires_a_bearer_token() {
    let h = start(fast_config(10)).await;
    for auth in [None, Some("Basic abc"), Some("Bearer")] {
        let mut rb = h.http.get(h.url(CLOUD_PCS));
        if let Some(a) = auth {
            rb = rb.header("authorization", a);
        }
        let r = rb.send().await.unwrap();
        assert_eq!(r.status(), 401, "{auth:?}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["error"]["code"], "InvalidAuthenticationToken");
    }
    h.sim.shutdown().await;
}

#[tokio::test]
async fn cors_and_standard_headers() {
    let h = start(fast_config(10)).await;
    let r = h
        .http
        .request(reqwest::Method::OPTIONS, h.url(CLOUD_PCS))
        .header("origin", "http://localhost:8080")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization,content-type,client-request-id,prefer,consistencylevel",
        )
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    let hd = |n: &str| {
        r.headers()
            .get(n)
            .map(|v| v.to_str().unwrap().to_ascii_lowercase())
            .unwrap_or_default()
    };
    assert_eq!(hd("access-control-allow-origin"), "*");
    for want in [
        "authorization",
        "content-type",
        "client-request-id",
        "prefer",
        "consistencylevel",
    ] {
        assert!(hd("access-control-allow-headers").contains(want), "{want}");
    }
    assert!(hd("access-control-allow-methods").contains("post"));
    assert!(!hd("access-control-max-age").is_empty());

    let r = h
        .http
        .get(h.url(CLOUD_PCS))
        .bearer_auth("secret-token-value")
        .header("origin", "http://localhost:8080")
        .header("client-request-id", "11111111-2222-3333-4444-555555555555")
        .send()
        .await
        .unwrap();
    let hd = |n: &str| {
        r.headers()
            .get(n)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    assert!(uuid::Uuid::parse_str(&hd("request-id")).is_ok());
    assert_eq!(
        hd("client-request-id"),
        "11111111-2222-3333-4444-555555555555"
    );
    assert!(!hd("date").is_empty());
    let exposed = hd("access-control-expose-headers").to_ascii_lowercase();
    for want in [
        "request-id",
        "client-request-id",
        "retry-after",
        "location",
        "date",
    ] {
        assert!(exposed.contains(want), "{want}");
    }
    // The log never holds the token.
    let log: Value = h
        .http
        .get(h.url("/_sim/requests"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let text = log.to_string();
    assert!(!text.contains("secret-token-value"));
    let entry = log.as_array().unwrap().last().unwrap();
    assert_eq!(entry["headers"]["authorization"], "Bearer");
    assert_eq!(entry["method"], "GET");
    assert_eq!(entry["path"], CLOUD_PCS);
    assert_eq!(entry["status"], 200);
    assert!(entry["query"].is_null());
    assert!(entry["body"].is_null());
    h.sim.shutdown().await;
}

#[tokio::test]
async fn request_log_and_reset() {
    let h = start(fast_config(100)).await;
    let pc = h.pick(|p| is(p, "provisioned", "enterprise")).await;
    let id = pc["id"].as_str().unwrap();
    h.post(
        &format!("{CLOUD_PCS}/{id}/reprovision"),
        Some(r#"{"userAccountType":"standardUser"}"#),
    )
    .await;
    h.get(&format!("{CLOUD_PCS}?$top=3")).await;
    let log = h.control("GET", "/_sim/requests", None).await;
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0]["seq"], 1);
    assert_eq!(log[0]["body"]["userAccountType"], "standardUser");
    assert_eq!(log[0]["status"], 204);
    assert_eq!(log[1]["query"], "$top=3");
    let ops = h.control("GET", "/_sim/operations", None).await;
    assert_eq!(ops[0]["kind"], "reprovision");
    assert_eq!(ops[0]["cloudPcId"], id);
    assert_eq!(ops[0]["params"]["userAccountType"], "standardUser");
    assert_eq!(h.sim.requests().len(), 2);

    h.http.delete(h.url("/_sim/requests")).send().await.unwrap();
    assert!(h.sim.requests().is_empty());

    let r = h.control("POST", "/_sim/reset", None).await;
    assert_eq!(r["devices"], 100);
    assert!(h.sim.operations().is_empty());
    let again = h.get(&format!("{CLOUD_PCS}/{id}")).await;
    assert_eq!(
        again.body["status"], "provisioned",
        "the tenant is regenerated from the seed"
    );
    let health = h.control("GET", "/_sim/health", None).await;
    assert_eq!(health["status"], "ok");
    h.sim.shutdown().await;
}

#[tokio::test]
async fn token_endpoint() {
    let h = start(fast_config(10)).await;
    let r = h
        .http
        .post(h.url("/_sim/token"))
        .json(
            &json!({"upn": "alex.wilber@contoso.onmicrosoft.com", "scopes": ["CloudPC.Read.All"]}),
        )
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["token_type"], "Bearer");
    assert!(v["expires_in"].as_u64().unwrap() > 0);
    assert!(v["access_token"].as_str().unwrap().len() > 10);
    let r = h
        .http
        .post(h.url("/_sim/token"))
        .json(&json!({"nope": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    h.sim.shutdown().await;
}

#[tokio::test]
async fn tenant_files_in_graphs_shape() {
    let dir = std::env::temp_dir().join(format!("graph-sim-tenant-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("tenant.json");
    std::fs::write(
        &file,
        json!({"value": [
            {"id": "aaaaaaaa-0000-0000-0000-000000000001", "displayName": "CPC-ann-1", "status": "provisioned",
             "productType": "enterprise", "managedDeviceId": "m-1", "userPrincipalName": "ann.lee@contoso.onmicrosoft.com"},
            {"id": "aaaaaaaa-0000-0000-0000-000000000002", "displayName": "CPC-bob-2", "status": "failed",
             "productType": "business", "managedDeviceId": null, "userPrincipalName": "bob.ray@contoso.onmicrosoft.com"}
        ]})
        .to_string(),
    )
    .unwrap();
    let mut cfg = fast_config(999);
    cfg.tenant_file = Some(file.clone());
    let h = start(cfg).await;
    let r = h.get(&format!("{CLOUD_PCS}?$count=true")).await;
    assert_eq!(r.body["@odata.count"], 2);
    let token = h
        .token(json!({"upn": "ann.lee@contoso.onmicrosoft.com"}))
        .await;
    let mine = h.send("GET", "/beta/me/cloudPCs", Some(&token), None).await;
    assert_eq!(mine.body["value"].as_array().unwrap().len(), 1);
    h.sim.shutdown().await;
    std::fs::remove_dir_all(dir).ok();
}
