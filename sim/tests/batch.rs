//! `$batch`: sub-requests carried out and recorded one by one, `dependsOn` and 424, the
//! whole-batch 400s, and sub-requests throttled individually.

mod common;
use common::*;
use graph_sim::Limits;
use serde_json::{json, Value};

fn by_id<'a>(responses: &'a Value, id: &str) -> &'a Value {
    responses["responses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no response {id}"))
}

#[tokio::test]
async fn sub_requests_are_carried_out_and_recorded() {
    let h = start(fast_config(200)).await;
    let a = h.pick(|p| is(p, "provisioned", "enterprise")).await;
    let a_id = a["id"].as_str().unwrap();
    let batch = json!({"requests": [
        {"id": "1", "method": "POST", "url": format!("/deviceManagement/virtualEndpoint/cloudPCs/{a_id}/reprovision"),
         "headers": {"Content-Type": "application/json"}, "body": {"osVersion": "windows11"}},
        {"id": "2", "method": "GET", "url": format!("/deviceManagement/virtualEndpoint/cloudPCs/{a_id}?$select=status"), "dependsOn": ["1"]},
        {"id": "3", "method": "GET", "url": "/deviceManagement/virtualEndpoint/cloudPCs/nope"},
        {"id": "4", "method": "GET", "url": "/deviceManagement/virtualEndpoint/cloudPCs/nope/retrieveCloudPcRemoteActionResults", "dependsOn": ["3"]}
    ]});
    let r = h.post("/beta/$batch", Some(&batch.to_string())).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(by_id(&r.body, "1")["status"], 204);
    let two = by_id(&r.body, "2");
    assert_eq!(two["status"], 200);
    assert_eq!(two["body"]["status"], "provisioning");
    assert!(two["headers"]["Content-Type"]
        .as_str()
        .unwrap()
        .starts_with("application/json"));
    assert_eq!(by_id(&r.body, "3")["status"], 404);
    let four = by_id(&r.body, "4");
    assert_eq!(four["status"], 424);
    assert_eq!(four["body"]["error"]["code"], "FailedDependency");

    let log = h.sim.requests();
    let outer = log.iter().find(|e| e.path == "/beta/$batch").unwrap();
    let subs: Vec<_> = log
        .iter()
        .filter(|e| e.batch_id == Some(outer.seq))
        .collect();
    assert_eq!(subs.len(), 4);
    let post = subs
        .iter()
        .find(|e| e.sub_id.as_deref() == Some("1"))
        .unwrap();
    assert_eq!(post.method, "POST");
    assert_eq!(
        post.path,
        format!("/beta/deviceManagement/virtualEndpoint/cloudPCs/{a_id}/reprovision")
    );
    assert_eq!(post.body["osVersion"], "windows11");
    assert_eq!(post.status, 204);
    assert_eq!(
        post.headers.get("authorization").map(String::as_str),
        Some("Bearer")
    );
    let get = subs
        .iter()
        .find(|e| e.sub_id.as_deref() == Some("2"))
        .unwrap();
    assert_eq!(get.query.as_deref(), Some("$select=status"));
    let ops = h.sim.operations();
    assert_eq!(ops.len(), 1);
    assert_eq!(ops[0].via, "cloudPCs/{id}/reprovision");
    assert_eq!(ops[0].request_id, Some(post.request_id.clone()));
    h.sim.shutdown().await;
}

#[tokio::test]
async fn whole_batch_400s() {
    let h = start(fast_config(10)).await;
    let many: Vec<Value> = (0..21)
        .map(|i| json!({"id": i.to_string(), "method": "GET", "url": "/me/cloudPCs"}))
        .collect();
    let cases = [
        json!({"requests": many}),
        json!({"requests": [{"id": "1", "method": "GET", "url": "/me/cloudPCs"}, {"id": "1", "method": "GET", "url": "/me/cloudPCs"}]}),
        json!({"requests": [{"id": "1", "method": "POST", "url": "/deviceManagement/virtualEndpoint/cloudPCs/x/reprovision"}]}),
        json!({"requests": [{"id": "1", "method": "POST", "url": "/x", "body": {}}]}),
        json!({"requests": [{"id": "1", "method": "GET", "url": "/me/cloudPCs", "dependsOn": ["7"]}]}),
        json!({"nope": []}),
    ];
    for c in cases {
        let r = h.post("/v1.0/$batch", Some(&c.to_string())).await;
        assert_eq!(r.status, 400, "{c}");
        assert_eq!(r.error_code(), "BadRequest");
    }
    let r = h.post("/beta/$batch", Some("{not json")).await;
    assert_eq!(r.status, 400);
    assert!(
        h.sim.requests().iter().all(|e| e.batch_id.is_none()),
        "nothing ran"
    );
    h.sim.shutdown().await;
}

#[tokio::test]
async fn sub_requests_are_throttled_one_by_one() {
    let mut cfg = fast_config(300);
    cfg.time_scale = 1.0;
    cfg.limits = Limits {
        app_writes: 3,
        ..Limits::default()
    };
    let h = start(cfg).await;
    let ids: Vec<String> = h
        .tenant()
        .await
        .into_iter()
        .filter(|p| is(p, "provisioned", "enterprise"))
        .take(5)
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    let requests: Vec<Value> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            json!({"id": format!("r{i}"), "method": "POST",
                   "url": format!("/deviceManagement/virtualEndpoint/cloudPCs/{id}/reprovision"),
                   "headers": {"content-type": "application/json"}, "body": {}})
        })
        .collect();
    let r = h
        .post(
            "/beta/$batch",
            Some(&json!({"requests": requests}).to_string()),
        )
        .await;
    assert_eq!(r.status, 200);
    let statuses: Vec<u64> = (0..5)
        .map(|i| by_id(&r.body, &format!("r{i}"))["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, vec![204, 204, 204, 429, 429]);
    let throttled = by_id(&r.body, "r3");
    assert!(
        throttled["headers"]["Retry-After"]
            .as_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            >= 1
    );
    assert_eq!(throttled["body"]["error"]["code"], "TooManyRequests");
    assert_eq!(
        h.sim.operations().len(),
        3,
        "throttled sub-requests are not carried out"
    );
    h.sim.shutdown().await;
}
