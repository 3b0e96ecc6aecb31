//! `$batch` packing, reading and re-sending.

use std::time::Duration;

use serde_json::{json, Value};

use super::*;
use crate::graph::calls;
use crate::graph::models::ReprovisionParams;
use crate::graph::testing::{resp, resp_with, Harness};
use crate::graph::transport::{HttpRequest, TransportError};

const BATCH_URL: &str = "https://graph.microsoft.com/beta/$batch";

fn body_of(req: &HttpRequest) -> Value {
    serde_json::from_str(req.body.as_deref().unwrap()).unwrap()
}

fn sub_ids(req: &HttpRequest) -> Vec<String> {
    body_of(req)["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

fn sub_urls(req: &HttpRequest) -> Vec<String> {
    body_of(req)["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["url"].as_str().unwrap().to_owned())
        .collect()
}

fn batch_answer(responses: Vec<Value>) -> HttpResponse {
    resp_with(
        200,
        &[("Date", "Tue, 01 Jul 2025 10:00:00 GMT")],
        &json!({ "responses": responses }).to_string(),
    )
}

fn reprovision(id: &str) -> GraphRequest {
    calls::reprovision(id, &ReprovisionParams::default())
}

#[test]
fn packs_ids_urls_headers_and_bodies() {
    let with_body = calls::retry_bulk_action("b1", Some(&["c1".to_owned()]));
    let get = calls::get_cloud_pc("c2");
    let subs = vec![
        SubRequest {
            id: "1".into(),
            client_request_id: "g1".into(),
            request: &with_body,
        },
        SubRequest {
            id: "2".into(),
            client_request_id: "g2".into(),
            request: &get,
        },
    ];
    assert_eq!(
        pack(&subs),
        json!({"requests": [
            {"id": "1", "method": "POST", "url": "/deviceManagement/virtualEndpoint/bulkActions/b1/retry",
             "headers": {"client-request-id": "g1", "Prefer": "include-unknown-enum-members", "Content-Type": "application/json"},
             "body": {"cloudPcIds": ["c1"]}},
            {"id": "2", "method": "GET", "url": "/deviceManagement/virtualEndpoint/cloudPCs/c2",
             "headers": {"client-request-id": "g2", "Prefer": "include-unknown-enum-members"}}
        ]})
    );
    let outer = batch_request(&subs);
    assert_eq!(
        (outer.method, outer.path.as_str(), outer.destructive),
        (Method::Post, "/$batch", true)
    );
    assert!(!batch_request(&subs[1..]).destructive);
}

#[test]
fn a_bodyless_write_is_packed_with_an_empty_body_and_content_type() {
    let without_parameters = reprovision("c1");
    assert_eq!(without_parameters.body, None);
    let subs = vec![SubRequest {
        id: "1".into(),
        client_request_id: "g1".into(),
        request: &without_parameters,
    }];
    let packed = pack(&subs);
    assert_eq!(packed["requests"][0]["body"], json!({}));
    assert_eq!(
        packed["requests"][0]["headers"]["Content-Type"],
        "application/json"
    );
}

#[test]
fn reads_sub_responses_in_any_order_with_fallback_headers() {
    let answer = batch_answer(vec![
        json!({"id": "2", "status": 204, "headers": {}}),
        json!({"id": "1", "status": 200, "headers": {"Content-Type": "application/json"}, "body": {"id": "c1"}}),
        json!({"id": "3", "status": 429, "headers": {"Retry-After": "4", "request-id": "sub-req"}, "body": {"error": {"code": "TooManyRequests", "message": "x"}}}),
    ]);
    let subs = read(&answer).unwrap();
    assert_eq!(
        subs.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(),
        vec!["2", "1", "3"]
    );
    assert_eq!(subs[0].1.body, "");
    assert_eq!(subs[1].1.body, r#"{"id":"c1"}"#);
    assert_eq!(subs[2].1.header("retry-after"), Some("4"));
    assert_eq!(subs[2].1.header("request-id"), Some("sub-req"));
    assert_eq!(
        subs[1].1.header("request-id"),
        Some("req-200"),
        "falls back on the batch's request-id"
    );
    assert_eq!(
        subs[1].1.header("date"),
        Some("Tue, 01 Jul 2025 10:00:00 GMT")
    );
    assert_eq!(
        read(&resp(200, "{}")).unwrap_err().kind,
        ErrorKind::InvalidResponse
    );
}

#[tokio::test]
async fn more_than_twenty_requests_go_in_several_batches_with_unique_ids() {
    let requests: Vec<GraphRequest> = (0..45)
        .map(|i| calls::get_cloud_pc(&format!("pc{i}")))
        .collect();
    let h = Harness::with_handler(|req| {
        let responses: Vec<Value> = body_of(req)["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| json!({"id": r["id"], "status": 200, "body": {"id": r["url"].as_str().unwrap().rsplit('/').next().unwrap()}}))
            .collect();
        Ok(batch_answer(responses))
    });
    let out = h.client.send_batch(&requests).await;
    let sent = h.transport.requests();
    assert_eq!(sent.len(), 3);
    assert!(sent
        .iter()
        .all(|r| r.url == BATCH_URL && r.method == Method::Post));
    assert_eq!(
        sent.iter().map(|r| sub_ids(r).len()).collect::<Vec<_>>(),
        vec![20, 20, 5]
    );
    let mut all_ids: Vec<String> = sent.iter().flat_map(sub_ids).collect();
    all_ids.sort();
    all_ids.dedup();
    assert_eq!(all_ids.len(), 45);
    for (i, o) in out.iter().enumerate() {
        let pc: crate::graph::models::CloudPc = parse::json(o.as_ref().unwrap()).unwrap();
        assert_eq!(pc.id, format!("pc{i}"));
    }
    assert_eq!(sent[0].header("content-type"), Some("application/json"));
    assert!(sent[0].header("authorization").is_some());
}

#[tokio::test]
async fn only_throttled_sub_requests_are_re_sent_after_their_retry_after() {
    let requests = vec![
        calls::get_cloud_pc("ok"),   // 1: 200
        reprovision("slow-a"),       // 2: 429 Retry-After 5, then 204
        reprovision("slow-b"),       // 3: 429 Retry-After 2, then 204
        reprovision("broken"),       // 4: 503 -> ambiguous, never re-sent
        calls::get_cloud_pc("gone"), // 5: 404
    ];
    let mut round = 0;
    let h = Harness::with_handler(move |req| {
        round += 1;
        let responses: Vec<Value> = match round {
            1 => vec![
                json!({"id": "5", "status": 404, "body": {"error": {"code": "ResourceNotFound", "message": "no such Cloud PC", "innerError": {"request-id": "r5", "date": "2025-07-01T10:00:00"}}}}),
                json!({"id": "3", "status": 429, "headers": {"Retry-After": "2"}, "body": {"error": {"code": "TooManyRequests", "message": "t"}}}),
                json!({"id": "1", "status": 200, "body": {"id": "ok"}}),
                json!({"id": "4", "status": 503, "headers": {"request-id": "r4"}, "body": {"error": {"code": "ServiceUnavailable", "message": "busy"}}}),
                json!({"id": "2", "status": 429, "headers": {"Retry-After": "5"}, "body": {"error": {"code": "TooManyRequests", "message": "t"}}}),
            ],
            2 => {
                assert_eq!(sub_ids(req), vec!["2", "3"], "only the throttled ones");
                vec![
                    json!({"id": "3", "status": 204}),
                    json!({"id": "2", "status": 204}),
                ]
            }
            _ => panic!("a third batch"),
        };
        Ok(batch_answer(responses))
    });
    let out = h.client.send_batch(&requests).await;
    assert_eq!(h.transport.requests().len(), 2);
    assert_eq!(
        h.slept(),
        vec![Duration::from_secs(5)],
        "waited until both Retry-Afters passed"
    );
    assert_eq!(
        sub_urls(&h.transport.request(1)),
        vec![
            "/deviceManagement/virtualEndpoint/cloudPCs/slow-a/reprovision",
            "/deviceManagement/virtualEndpoint/cloudPCs/slow-b/reprovision"
        ]
    );
    assert_eq!(out[0].as_ref().unwrap().status, 200);
    assert_eq!(out[1].as_ref().unwrap().status, 204);
    assert_eq!(out[2].as_ref().unwrap().status, 204);
    let broken = out[3].as_ref().unwrap_err();
    assert_eq!(broken.kind, ErrorKind::Ambiguous);
    assert_eq!(broken.status, Some(503));
    assert_eq!(broken.code.as_deref(), Some("ServiceUnavailable"));
    assert_eq!(broken.request_id.as_deref(), Some("r4"));
    assert!(broken.client_request_id.is_some());
    let gone = out[4].as_ref().unwrap_err();
    assert_eq!(gone.kind, ErrorKind::NotFound);
    assert_eq!(gone.request_id.as_deref(), Some("r5"));
    assert_eq!(gone.date.as_deref(), Some("2025-07-01T10:00:00"));
}

#[tokio::test]
async fn throttled_sub_requests_give_up_after_the_bound() {
    let h = Harness::with_handler(|req| {
        let responses: Vec<Value> = sub_ids(req)
            .into_iter()
            .map(|id| json!({"id": id, "status": 429, "body": {"error": {"code": "TooManyRequests", "message": "t"}}}))
            .collect();
        Ok(batch_answer(responses))
    });
    let out = h.client.send_batch(&[reprovision("a")]).await;
    let e = out[0].as_ref().unwrap_err();
    assert_eq!(e.kind, ErrorKind::Throttled);
    assert_eq!(
        h.transport.requests().len(),
        1 + h.client.policy().max_throttle_retries as usize
    );
    let waits: Vec<u128> = h.slept().iter().map(Duration::as_millis).collect();
    assert_eq!(
        waits,
        // Doubling, then capped at `max_backoff` (half of it with no jitter).
        vec![500, 1000, 2000, 4000, 8000, 16000, 16000, 16000, 16000, 16000],
        "exponential back-off without Retry-After"
    );
}

#[tokio::test]
async fn a_batch_post_that_fails_ambiguously_is_not_re_sent() {
    let h = Harness::scripted(vec![Ok(resp(502, ""))]);
    let out = h
        .client
        .send_batch(&[reprovision("a"), calls::get_cloud_pc("b")])
        .await;
    assert_eq!(h.transport.requests().len(), 1);
    let a = out[0].as_ref().unwrap_err();
    assert_eq!(a.kind, ErrorKind::Ambiguous);
    assert_eq!(a.status, Some(502));
    let b = out[1].as_ref().unwrap_err();
    assert_eq!(
        b.kind,
        ErrorKind::Graph,
        "the GET changed nothing: not ambiguous"
    );

    let h = Harness::scripted(vec![Err(TransportError::Timeout)]);
    let out = h.client.send_batch(&[reprovision("a")]).await;
    assert_eq!(out[0].as_ref().unwrap_err().kind, ErrorKind::Ambiguous);
    assert_eq!(h.transport.requests().len(), 1);
}

#[tokio::test]
async fn a_batch_of_gets_is_repeated_after_a_network_failure() {
    let h = Harness::scripted(vec![
        Err(TransportError::Network("reset".into())),
        Ok(batch_answer(vec![
            json!({"id": "1", "status": 200, "body": {"id": "a"}}),
        ])),
    ]);
    let out = h.client.send_batch(&[calls::get_cloud_pc("a")]).await;
    assert_eq!(out[0].as_ref().unwrap().status, 200);
    assert_eq!(h.transport.requests().len(), 2);
}

#[tokio::test]
async fn a_missing_sub_response_of_a_destructive_request_is_ambiguous() {
    let h = Harness::scripted(vec![Ok(batch_answer(vec![
        json!({"id": "2", "status": 200, "body": {}}),
    ]))]);
    let out = h
        .client
        .send_batch(&[reprovision("a"), calls::get_cloud_pc("b")])
        .await;
    assert_eq!(out[0].as_ref().unwrap_err().kind, ErrorKind::Ambiguous);
    assert!(out[1].is_ok());
}

#[tokio::test]
async fn a_get_sub_request_answered_503_is_re_sent() {
    let mut round = 0;
    let h = Harness::with_handler(move |_| {
        round += 1;
        Ok(batch_answer(vec![if round == 1 {
            json!({"id": "1", "status": 503, "headers": {"Retry-After": "3"}})
        } else {
            json!({"id": "1", "status": 200, "body": {"id": "a"}})
        }]))
    });
    let out = h.client.send_batch(&[calls::get_cloud_pc("a")]).await;
    assert!(out[0].is_ok());
    assert_eq!(h.slept(), vec![Duration::from_secs(3)]);
}

#[tokio::test]
async fn a_sub_request_answered_401_is_re_sent_once_with_a_fresh_token() {
    let mut round = 0;
    let h = Harness::with_handler(move |_| {
        round += 1;
        Ok(batch_answer(vec![if round == 1 {
            json!({"id": "1", "status": 401, "body": {"error": {"code": "InvalidAuthenticationToken", "message": "expired"}}})
        } else {
            json!({"id": "1", "status": 204})
        }]))
    });
    let out = h.client.send_batch(&[reprovision("a")]).await;
    assert_eq!(out[0].as_ref().unwrap().status, 204);
    let forced: Vec<bool> = h.tokens.calls.borrow().iter().map(|c| c.1).collect();
    assert_eq!(forced, vec![false, true]);
    assert!(h.slept().is_empty());
}
