//! Tests of the client against a scripted fake transport.

use std::time::Duration;

use crate::graph::calls::{self, CloudPcQuery};
use crate::graph::error::ErrorKind;
use crate::graph::models::{CloudPcStatus, OsVersion, ReprovisionParams, UserAccountType};
use crate::graph::request::Method;
use crate::graph::testing::{max_concurrency, resp, resp_with, Harness};
use crate::graph::transport::{TokenError, TransportError};

const PCS: &str = "https://graph.microsoft.com/beta/deviceManagement/virtualEndpoint/cloudPCs";

fn page(ids: &[&str], next: Option<&str>) -> String {
    let value: Vec<serde_json::Value> = ids
        .iter()
        .map(|id| serde_json::json!({"id": id, "displayName": format!("PC {id}"), "status": "provisioned"}))
        .collect();
    let mut v = serde_json::json!({"@odata.context": "ctx", "value": value});
    if let Some(n) = next {
        v["@odata.nextLink"] = n.into();
    }
    v.to_string()
}

#[tokio::test]
async fn every_request_carries_the_graph_headers() {
    let h = Harness::scripted(vec![Ok(resp(204, "")), Ok(resp(200, "{\"id\":\"x\"}"))]);
    let params = ReprovisionParams {
        os_version: Some(OsVersion::Windows11),
        user_account_type: Some(UserAccountType::StandardUser),
    };
    h.client.reprovision("c1", &params).await.unwrap();
    h.client.get_cloud_pc("x").await.unwrap();

    let post = h.transport.request(0);
    assert_eq!(post.method, Method::Post);
    assert_eq!(post.url, format!("{PCS}/c1/reprovision"));
    assert_eq!(post.header("authorization"), Some("Bearer token-1"));
    assert_eq!(post.header("client-request-id"), Some("crid-1"));
    assert_eq!(post.header("prefer"), Some("include-unknown-enum-members"));
    assert_eq!(post.header("content-type"), Some("application/json"));
    assert_eq!(
        post.body.as_deref(),
        Some(r#"{"osVersion":"windows11","userAccountType":"standardUser"}"#)
    );

    let get = h.transport.request(1);
    assert_eq!(get.method, Method::Get);
    assert_eq!(get.url, format!("{PCS}/x"));
    assert_eq!(
        get.header("authorization"),
        Some("Bearer token-2"),
        "a fresh token per request"
    );
    assert_eq!(
        get.header("client-request-id"),
        Some("crid-2"),
        "a fresh GUID per request"
    );
    assert_eq!(
        get.header("content-type"),
        None,
        "no Content-Type without a body"
    );
    assert_eq!(get.body, None);
    let calls = h.tokens.calls.borrow();
    assert_eq!(
        calls[0].0,
        vec!["https://graph.microsoft.com/CloudPC.ReadWrite.All"]
    );
    assert!(calls.iter().all(|(_, force)| !force));
}

#[tokio::test]
async fn real_guids_by_default() {
    let h = Harness::scripted(vec![Ok(resp(200, "{}")), Ok(resp(200, "{}"))]);
    let client = crate::graph::client::GraphClient::new(
        h.client.base().clone(),
        vec![],
        h.transport.clone(),
        h.tokens.clone(),
        h.sleeper.clone(),
    );
    client.send(&calls::get_cloud_pc("a")).await.unwrap();
    client.send(&calls::get_cloud_pc("a")).await.unwrap();
    let a = h
        .transport
        .request(0)
        .header("client-request-id")
        .unwrap()
        .to_owned();
    let b = h
        .transport
        .request(1)
        .header("client-request-id")
        .unwrap()
        .to_owned();
    assert_eq!(a.len(), 36);
    assert_ne!(a, b);
}

#[tokio::test]
async fn list_follows_every_next_link_and_tolerates_empty_pages() {
    let next1 = format!("{PCS}?$top=2&$skiptoken=AAA%3D");
    let next2 = format!("{PCS}?$top=2&$skiptoken=BBB");
    let h = Harness::scripted(vec![
        Ok(resp(200, &page(&["a", "b"], Some(&next1)))),
        Ok(resp(200, &page(&[], Some(&next2)))),
        Ok(resp(200, &page(&["c"], None))),
    ]);
    let q = CloudPcQuery {
        select: vec!["id".into(), "displayName".into(), "status".into()],
        filter: None,
        top: Some(2),
        count: true,
    };
    let mut pages = Vec::new();
    let pcs = h
        .client
        .list_cloud_pcs(&q, |p| pages.push(p.len()))
        .await
        .unwrap();
    assert_eq!(
        pcs.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
        vec!["a", "b", "c"]
    );
    assert_eq!(pages, vec![2, 0, 1]);
    assert_eq!(pcs[2].status, Some(CloudPcStatus::Provisioned));
    let urls: Vec<String> = h.transport.requests().into_iter().map(|r| r.url).collect();
    assert_eq!(
        urls,
        vec![
            format!("{PCS}?$select=id,displayName,status&$top=2&$count=true"),
            next1,
            next2
        ]
    );
}

#[tokio::test]
async fn a_next_link_to_another_host_is_refused() {
    let h = Harness::scripted(vec![Ok(resp(
        200,
        &page(&["a"], Some("https://evil.example/beta/x")),
    ))]);
    let err = h
        .client
        .list_cloud_pcs(&CloudPcQuery::default(), |_| {})
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidResponse);
    assert!(err.message.contains("evil.example"));
    assert_eq!(
        h.transport.requests().len(),
        1,
        "the token never goes to another host"
    );
}

#[tokio::test]
async fn a_next_link_loop_is_stopped() {
    let h = Harness::with_handler(|_| {
        Ok(resp(
            200,
            &page(&["a"], Some(&format!("{PCS}?$skiptoken=same"))),
        ))
    });
    let err = h
        .client
        .list_cloud_pcs(&CloudPcQuery::default(), |_| {})
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidResponse);
    assert_eq!(h.transport.requests().len(), 2);
}

#[tokio::test]
async fn throttled_request_waits_retry_after_and_repeats() {
    let h = Harness::scripted(vec![
        Ok(resp_with(
            429,
            &[("Retry-After", "7")],
            r#"{"error":{"code":"TooManyRequests","message":"slow down"}}"#,
        )),
        Ok(resp(204, "")),
    ]);
    h.client
        .reprovision("c1", &ReprovisionParams::default())
        .await
        .unwrap();
    assert_eq!(h.slept(), vec![Duration::from_secs(7)]);
    assert_eq!(
        h.transport.requests().len(),
        2,
        "429 means not carried out: a destructive request is repeated"
    );
}

#[tokio::test]
async fn throttled_without_retry_after_backs_off_exponentially_and_gives_up() {
    let h = Harness::with_handler(|_| {
        Ok(resp(
            429,
            r#"{"error":{"code":"TooManyRequests","message":"slow down"}}"#,
        ))
    });
    let err = h.client.get_cloud_pc("c1").await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Throttled);
    assert_eq!(err.status, Some(429));
    assert_eq!(err.code.as_deref(), Some("TooManyRequests"));
    let max = h.client.policy().max_throttle_retries as usize;
    assert_eq!(h.transport.requests().len(), max + 1);
    let waits: Vec<u128> = h.slept().iter().map(Duration::as_millis).collect();
    assert_eq!(
        waits, // Doubling, then capped at `max_backoff` (half of it with no jitter).
        vec![500, 1000, 2000, 4000, 8000, 16000, 16000, 16000, 16000, 16000]
    );
}

#[tokio::test]
async fn unauthorized_gets_one_fresh_token() {
    let h = Harness::scripted(vec![
        Ok(resp(
            401,
            r#"{"error":{"code":"InvalidAuthenticationToken","message":"expired"}}"#,
        )),
        Ok(resp(200, "{\"id\":\"c1\"}")),
    ]);
    let pc = h.client.get_cloud_pc("c1").await.unwrap();
    assert_eq!(pc.id, "c1");
    let forced: Vec<bool> = h.tokens.calls.borrow().iter().map(|c| c.1).collect();
    assert_eq!(forced, vec![false, true]);
    assert_eq!(
        h.transport.request(1).header("authorization"),
        Some("Bearer token-2")
    );
    assert!(h.slept().is_empty());

    let h = Harness::with_handler(|_| {
        Ok(resp(
            401,
            r#"{"error":{"code":"InvalidAuthenticationToken","message":"expired"}}"#,
        ))
    });
    let err = h.client.get_cloud_pc("c1").await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unauthorized);
    assert_eq!(h.transport.requests().len(), 2, "only one refresh");
}

#[tokio::test]
async fn service_unavailable_repeats_a_get() {
    let h = Harness::scripted(vec![
        Ok(resp(503, "")),
        Ok(resp(504, "")),
        Ok(resp(200, "{\"id\":\"c1\"}")),
    ]);
    assert_eq!(h.client.get_cloud_pc("c1").await.unwrap().id, "c1");
    assert_eq!(h.transport.requests().len(), 3);
    assert_eq!(h.slept().len(), 2);
}

#[tokio::test]
async fn service_unavailable_on_a_reprovision_is_ambiguous_and_not_repeated() {
    let h = Harness::scripted(vec![Ok(resp_with(
        503,
        &[
            ("Retry-After", "1"),
            ("Date", "Tue, 01 Jul 2025 10:00:00 GMT"),
        ],
        "",
    ))]);
    let err = h
        .client
        .reprovision("c1", &ReprovisionParams::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Ambiguous);
    assert!(err.is_ambiguous());
    assert_eq!(err.status, Some(503));
    assert_eq!(err.request_id.as_deref(), Some("req-503"));
    assert_eq!(err.client_request_id.as_deref(), Some("crid-1"));
    assert_eq!(err.date.as_deref(), Some("Tue, 01 Jul 2025 10:00:00 GMT"));
    assert!(err.message.contains("unknown whether"), "{}", err.message);
    assert_eq!(h.transport.requests().len(), 1);
    assert!(h.slept().is_empty());
}

#[tokio::test]
async fn network_failures_repeat_gets_but_not_reprovisions() {
    let h = Harness::scripted(vec![
        Err(TransportError::Network("reset".into())),
        Err(TransportError::Timeout),
        Ok(resp(200, "{\"id\":\"c1\"}")),
    ]);
    assert_eq!(h.client.get_cloud_pc("c1").await.unwrap().id, "c1");
    assert_eq!(h.transport.requests().len(), 3);

    let h = Harness::scripted(vec![Err(TransportError::Timeout)]);
    let err = h
        .client
        .reprovision("c1", &ReprovisionParams::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Ambiguous);
    assert_eq!(err.status, None);
    assert_eq!(err.client_request_id.as_deref(), Some("crid-1"));
    assert_eq!(h.transport.requests().len(), 1);

    let h = Harness::with_handler(|_| Err(TransportError::Network("offline".into())));
    let err = h.client.get_cloud_pc("c1").await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Network);
    assert!(err.message.contains("offline"));
    assert_eq!(
        h.transport.requests().len(),
        1 + h.client.policy().max_transient_retries as usize
    );
}

#[tokio::test]
async fn graph_errors_keep_code_message_and_ids() {
    let body = r#"{"error":{"code":"Forbidden","message":"Missing role BulkActions/Write","innerError":{"date":"2025-07-01T10:00:00","request-id":"r-9","client-request-id":"crid-1"}}}"#;
    let h = Harness::scripted(vec![Ok(resp(403, body))]);
    let err = h.client.retry_bulk_action("b1", None).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Forbidden);
    assert_eq!(err.status, Some(403));
    assert_eq!(err.code.as_deref(), Some("Forbidden"));
    assert_eq!(err.request_id.as_deref(), Some("r-9"));
    assert_eq!(err.date.as_deref(), Some("2025-07-01T10:00:00"));
    let line = err.to_string();
    for part in [
        "403",
        "Forbidden",
        "Missing role BulkActions/Write",
        "r-9",
        "crid-1",
        "2025-07-01T10:00:00",
    ] {
        assert!(line.contains(part), "{line} lacks {part}");
    }
}

#[tokio::test]
async fn token_failure_is_an_auth_error_and_nothing_is_sent() {
    let h = Harness::scripted(vec![]);
    *h.tokens.fail.borrow_mut() = Some(TokenError {
        message: "AADSTS50076: MFA required".into(),
        interaction_required: true,
    });
    let err = h.client.get_cloud_pc("c1").await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Auth);
    assert!(err.needs_interaction());
    assert!(err.message.contains("AADSTS50076"));
    assert!(h.transport.requests().is_empty());
}

#[tokio::test]
async fn invalid_success_body_is_reported() {
    let h = Harness::scripted(vec![Ok(resp(200, "not json"))]);
    let err = h.client.get_cloud_pc("c1").await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidResponse);
    assert_eq!(err.request_id.as_deref(), Some("req-200"));
}

#[tokio::test]
async fn requests_in_flight_are_bounded() {
    let h = Harness::with_handler(|req| {
        Ok(resp(
            200,
            &format!("{{\"id\":\"{}\"}}", req.url.rsplit('/').next().unwrap()),
        ))
    });
    let client = h.client.with_max_in_flight(2);
    let (a, b, c, d, e) = tokio::join!(
        client.get_cloud_pc("a"),
        client.get_cloud_pc("b"),
        client.get_cloud_pc("c"),
        client.get_cloud_pc("d"),
        client.get_cloud_pc("e"),
    );
    for (r, id) in [(a, "a"), (b, "b"), (c, "c"), (d, "d"), (e, "e")] {
        assert_eq!(r.unwrap().id, id);
    }
    assert_eq!(max_concurrency(&h.events), 2, "{:?}", h.events.borrow());
    assert_eq!(client.limiter().in_flight(), 0);
}

#[tokio::test]
async fn a_throttled_request_holds_back_every_other_request() {
    let mut throttled_once = false;
    let h = Harness::with_handler(move |req| {
        if req.url.ends_with("/a") && !throttled_once {
            throttled_once = true;
            return Ok(resp_with(429, &[("Retry-After", "1")], ""));
        }
        Ok(resp(
            200,
            &format!("{{\"id\":\"{}\"}}", req.url.rsplit('/').next().unwrap()),
        ))
    });
    let later = async {
        for _ in 0..3 {
            crate::graph::testing::yield_now().await;
        }
        h.client.get_cloud_pc("b").await
    };
    let (a, b) = tokio::join!(h.client.get_cloud_pc("a"), later);
    assert_eq!(a.unwrap().id, "a");
    assert_eq!(b.unwrap().id, "b");
    assert_eq!(
        h.slept(),
        vec![Duration::from_secs(1)],
        "only the throttled request sleeps"
    );
    let throttled = h.event_index(
        "answer https://graph.microsoft.com/beta/deviceManagement/virtualEndpoint/cloudPCs/a 429",
    );
    let woke = h.event_index("woke 1000ms");
    let b_sent = h.event_index(&format!("send GET {PCS}/b"));
    assert!(
        throttled < woke && woke < b_sent,
        "b went out during the back-off: {:?}",
        h.events()
    );
    assert!(!h.client.limiter().is_paused());
}

#[tokio::test]
async fn requests_on_the_wire_when_graph_throttles_wait_for_the_first_pause_only() {
    // a and b go out together and both come back 429: the budget they report is the same, so
    // only the first closes the gate for its Retry-After; b goes again when the gate opens.
    let mut throttled = std::collections::HashSet::new();
    let h = Harness::with_handler(move |req| {
        let id = req.url.rsplit('/').next().unwrap().to_string();
        if throttled.insert(id.clone()) {
            return Ok(resp_with(429, &[("Retry-After", "1")], ""));
        }
        Ok(resp(200, &format!("{{\"id\":\"{id}\"}}")))
    });
    let (a, b) = tokio::join!(h.client.get_cloud_pc("a"), h.client.get_cloud_pc("b"));
    assert_eq!(a.unwrap().id, "a");
    assert_eq!(b.unwrap().id, "b");
    let events = h.events();
    let sent = |id: &str| {
        events
            .iter()
            .enumerate()
            .filter(|(_, e)| **e == format!("send GET {PCS}/{id}"))
            .map(|(i, _)| i)
            .collect::<Vec<_>>()
    };
    assert_eq!(sent("a").len(), 2, "{events:?}");
    assert!(
        sent("b")[0] < h.event_index(&format!("answer {PCS}/a 429")),
        "both on the wire together: {events:?}"
    );
    assert_eq!(
        h.slept(),
        vec![Duration::from_secs(1)],
        "one pause, not one per 429: {events:?}"
    );
    let woke = h.event_index("woke 1000ms");
    assert!(
        sent("b")[1] > woke,
        "b was sent again during the pause: {events:?}"
    );
    assert!(!h.client.limiter().is_paused());
}

#[tokio::test]
async fn clients_sharing_a_limiter_share_the_bound() {
    let h = Harness::with_handler(|_| Ok(resp(200, "{\"id\":\"x\"}")));
    let limiter = crate::graph::limiter::RequestLimiter::new(1);
    let reader = crate::graph::client::GraphClient::new(
        h.client.base().clone(),
        crate::graph::cloud::Cloud::Global.scopes(false),
        h.transport.clone(),
        h.tokens.clone(),
        h.sleeper.clone(),
    )
    .with_limiter(limiter.clone());
    let events = h.events.clone();
    let writer = h.client.with_limiter(limiter);
    let none = ReprovisionParams::default();
    let (r, w) = tokio::join!(reader.get_cloud_pc("x"), writer.reprovision("x", &none));
    r.unwrap();
    w.unwrap();
    assert_eq!(max_concurrency(&events), 1);
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_measured_against_the_response_date() {
    let h = Harness::scripted(vec![
        Ok(resp_with(
            429,
            &[
                ("Retry-After", "Wed, 21 Oct 2026 07:28:30 GMT"),
                ("Date", "Wed, 21 Oct 2026 07:28:18 GMT"),
            ],
            "",
        )),
        Ok(resp(200, "{\"id\":\"c1\"}")),
    ]);
    h.client.get_cloud_pc("c1").await.unwrap();
    assert_eq!(h.slept(), vec![Duration::from_secs(12)]);
}

#[tokio::test]
async fn national_cloud_and_loopback_bases_are_used_for_urls_and_scopes() {
    use crate::graph::client::GraphClient;
    use crate::graph::cloud::{Cloud, GraphBase};
    let h = Harness::with_handler(|_| Ok(resp(200, "{\"value\":[]}")));
    let gov = GraphClient::new(
        GraphBase::for_cloud(Cloud::UsGovDod),
        Cloud::UsGovDod.scopes(false),
        h.transport.clone(),
        h.tokens.clone(),
        h.sleeper.clone(),
    );
    gov.list_cloud_pcs(&CloudPcQuery::default(), |_| {})
        .await
        .unwrap();
    assert_eq!(
        h.transport.request(0).url,
        "https://dod-graph.microsoft.us/beta/deviceManagement/virtualEndpoint/cloudPCs"
    );
    assert_eq!(
        h.tokens.calls.borrow()[0].0,
        vec!["https://dod-graph.microsoft.us/CloudPC.Read.All"]
    );

    let sim = GraphClient::new(
        GraphBase::loopback_override("http://127.0.0.1:8700").unwrap(),
        Cloud::Global.scopes(true),
        h.transport.clone(),
        h.tokens.clone(),
        h.sleeper.clone(),
    );
    sim.list_my_cloud_pcs(&CloudPcQuery::default(), |_| {})
        .await
        .unwrap();
    assert_eq!(
        h.transport.request(1).url,
        "http://127.0.0.1:8700/beta/me/cloudPCs"
    );
}
