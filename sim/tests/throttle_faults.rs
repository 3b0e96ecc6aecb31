//! Throttling and every injected fault.

mod common;
use common::*;
use graph_sim::{Faults, LatencyRange, Limits};
use serde_json::json;
use std::time::Instant;

#[tokio::test]
async fn writes_are_throttled_with_graphs_429() {
    let mut cfg = fast_config(300);
    cfg.time_scale = 1.0;
    cfg.limits = Limits {
        app_writes: 2,
        ..Limits::default()
    };
    let h = start(cfg).await;
    let pcs: Vec<String> = h
        .tenant()
        .await
        .into_iter()
        .filter(|p| is(p, "provisioned", "enterprise"))
        .take(3)
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    for id in &pcs[..2] {
        assert_eq!(
            h.post(&format!("{CLOUD_PCS}/{id}/reprovision"), None)
                .await
                .status,
            204
        );
    }
    let r = h
        .post(&format!("{CLOUD_PCS}/{}/reprovision", pcs[2]), None)
        .await;
    assert_eq!(r.status, 429);
    assert_eq!(r.error_code(), "TooManyRequests");
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=10).contains(&retry), "{retry}");
    assert_eq!(
        h.sim.operations().len(),
        2,
        "a throttled request is not carried out"
    );
    assert_eq!(
        h.get(CLOUD_PCS).await.status,
        200,
        "reads have their own budget"
    );
    // Another app has its own budget.
    let other = h
        .token(json!({"upn": "admin@contoso.onmicrosoft.com", "appId": "other-app"}))
        .await;
    let r = h
        .send(
            "POST",
            &format!("{CLOUD_PCS}/{}/reprovision", pcs[2]),
            Some(&other),
            None,
        )
        .await;
    assert_eq!(r.status, 204);
    h.sim.shutdown().await;
}

#[tokio::test]
async fn time_scale_refills_budgets_faster() {
    let mut cfg = fast_config(10);
    cfg.time_scale = 20.0; // a 20 s window refills in 1 s
    cfg.limits = Limits {
        app_requests: 5,
        ..Limits::default()
    };
    let h = start(cfg).await;
    let mut throttled = 0;
    for _ in 0..8 {
        if h.get(CLOUD_PCS).await.status == 429 {
            throttled += 1;
        }
    }
    assert!(throttled >= 1);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(h.get(CLOUD_PCS).await.status, 200);
    h.sim.shutdown().await;
}

async fn reprovision_with_fault(rule: &str) -> (Option<u16>, usize) {
    let mut cfg = fast_config(100);
    cfg.faults = Faults {
        rules: vec![rule.parse().unwrap()],
        ..Faults::default()
    };
    let h = start(cfg).await;
    let pc = h.pick(|p| is(p, "provisioned", "enterprise")).await;
    let r = h
        .http
        .post(h.url(&format!(
            "{CLOUD_PCS}/{}/reprovision",
            pc["id"].as_str().unwrap()
        )))
        .bearer_auth("t")
        .send()
        .await;
    let status = match r {
        Ok(r) => {
            let s = r.status().as_u16();
            r.text().await.ok().map(|_| s)
        }
        Err(_) => None,
    };
    let ops = h.sim.operations().len();
    h.sim.shutdown().await;
    (status, ops)
}

#[tokio::test]
async fn server_errors_before_and_after_the_operation() {
    assert_eq!(
        reprovision_with_fault("POST:503:1:before").await,
        (Some(503), 0)
    );
    assert_eq!(
        reprovision_with_fault("POST:500:1:after").await,
        (Some(500), 1)
    );
    assert_eq!(
        reprovision_with_fault("POST:502:1:after:/reprovision").await,
        (Some(502), 1)
    );
    assert_eq!(
        reprovision_with_fault("POST:504:1:before:/nomatch").await,
        (Some(204), 1)
    );
    assert_eq!(reprovision_with_fault("GET:504:1").await, (Some(204), 1));
}

#[tokio::test]
async fn dropped_connections_before_and_after() {
    assert_eq!(
        reprovision_with_fault("POST:drop:1:before").await,
        (None, 0)
    );
    assert_eq!(reprovision_with_fault("*:drop:1:after").await, (None, 1));
}

#[tokio::test]
async fn malformed_bodies_latency_and_error_shapes() {
    let mut cfg = fast_config(50);
    cfg.faults = Faults {
        malformed_rate: 1.0,
        latency_ms: Some(LatencyRange {
            min_ms: 120,
            max_ms: 150,
        }),
        ..Faults::default()
    };
    let h = start(cfg).await;
    let started = Instant::now();
    let r = h
        .http
        .get(h.url(CLOUD_PCS))
        .bearer_auth("t")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    assert!(started.elapsed().as_millis() >= 120);
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_err(),
        "body is cut short"
    );
    h.sim.shutdown().await;
}

#[tokio::test]
async fn faults_change_at_run_time_and_are_deterministic() {
    let h = start(fast_config(50)).await;
    let set = h
        .control(
            "POST",
            "/_sim/faults",
            Some(json!({"rules": [{"method": "GET", "effect": "503", "rate": 0.5}]})),
        )
        .await;
    assert_eq!(set["rules"][0]["effect"], "503");
    let first = statuses(&h).await;
    assert!(first.contains(&503) && first.contains(&200));
    let r503 = h.get(CLOUD_PCS).await;
    if r503.status == 503 {
        assert_eq!(r503.error_code(), "ServiceUnavailable");
    }
    h.control("POST", "/_sim/reset", None).await;
    let second = statuses(&h).await;
    assert_eq!(first, second, "same seed, same request order, same faults");
    let bad = h
        .control(
            "POST",
            "/_sim/faults",
            Some(json!({"rules": [{"effect": "404", "rate": 1}]})),
        )
        .await;
    assert_eq!(bad["error"]["code"], "BadRequest");
    h.control("POST", "/_sim/faults", Some(json!({}))).await;
    assert_eq!(h.get(CLOUD_PCS).await.status, 200);
    h.sim.shutdown().await;
}

#[tokio::test]
async fn tokens_expire_and_read_only_tokens_get_403() {
    let h = start(fast_config(50)).await;
    let pc = h.pick(|p| is(p, "provisioned", "enterprise")).await;
    let path = format!("{CLOUD_PCS}/{}/reprovision", pc["id"].as_str().unwrap());
    let reader = h
        .token(json!({"upn": "helpdesk@contoso.onmicrosoft.com", "write": false}))
        .await;
    assert_eq!(
        h.send("GET", CLOUD_PCS, Some(&reader), None).await.status,
        200
    );
    let r = h.send("POST", &path, Some(&reader), None).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.error_code(), "Forbidden");
    // Every token read-only at run time.
    h.control(
        "POST",
        "/_sim/faults",
        Some(json!({"readOnlyTokens": true})),
    )
    .await;
    assert_eq!(h.post(&path, None).await.status, 403);
    // Short-lived tokens.
    h.control(
        "POST",
        "/_sim/faults",
        Some(json!({"tokenLifetimeSecs": 1})),
    )
    .await;
    let short = h
        .token(json!({"upn": "admin@contoso.onmicrosoft.com"}))
        .await;
    assert_eq!(
        h.send("GET", CLOUD_PCS, Some(&short), None).await.status,
        200
    );
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let r = h.send("GET", CLOUD_PCS, Some(&short), None).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.error_code(), "InvalidAuthenticationToken");
    assert!(h.sim.operations().is_empty());
    h.sim.shutdown().await;
}

async fn statuses(h: &Harness) -> Vec<u16> {
    let mut out = Vec::new();
    for _ in 0..30 {
        out.push(h.get(CLOUD_PCS).await.status);
    }
    out
}
