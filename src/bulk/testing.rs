//! Test doubles for the bulk engine: a fake Graph that answers by method and path (unpacking
//! `$batch`es into their sub-requests), a sleeper that advances a fake clock, and builders.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use serde_json::{json, Value};

use super::outcome::{Reason, RunLedger, Target};
use super::sink::SharedLedger;
use super::strategy::Strategy;
use super::time::Millis;
use crate::graph::client::GraphClient;
use crate::graph::cloud::{Cloud, GraphBase};
use crate::graph::models::ReprovisionParams;
pub use crate::graph::testing::yield_now;
use crate::graph::transport::{
    HttpRequest, HttpResponse, Sleeper, TokenError, TokenProvider, Transport, TransportError,
};

pub const BASE: &str = "https://graph.microsoft.com/beta";
/// The token every request carries: it must never show up in anything the engine writes.
pub const SECRET_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzZWNyZXQiOnRydWV9.c2VjcmV0LXNpZ25hdHVyZQ";

/// What the fake Graph answers to one (sub-)request.
#[derive(Debug, Clone)]
pub enum Answer {
    Http(u16, Vec<(String, String)>, String),
    /// No answer at all (connection dropped); for a sub-request: left out of the batch answer.
    Drop,
}

pub fn status(code: u16) -> Answer {
    Answer::Http(
        code,
        vec![("request-id".into(), format!("rid-{code}"))],
        String::new(),
    )
}

pub fn json_answer(code: u16, body: Value) -> Answer {
    Answer::Http(
        code,
        vec![("request-id".into(), format!("rid-{code}"))],
        body.to_string(),
    )
}

pub fn graph_error(code: u16, graph_code: &str, request_id: &str) -> Answer {
    Answer::Http(
        code,
        vec![("request-id".into(), request_id.into())],
        json!({"error": {"code": graph_code, "message": format!("{graph_code} says no"), "innerError": {"request-id": request_id, "date": "2025-07-01T10:00:00"}}}).to_string(),
    )
}

pub fn throttled(secs: u32) -> Answer {
    Answer::Http(
        429,
        vec![("Retry-After".into(), secs.to_string())],
        json!({"error": {"code": "TooManyRequests", "message": "slow down"}}).to_string(),
    )
}

type Handler = Box<dyn FnMut(&str, &str, Option<&Value>) -> Answer>;

/// A fake Graph: `handler(method, path, body)` answers each request or batch sub-request.
pub struct FakeGraph {
    handler: RefCell<Handler>,
    /// `METHOD path` of every request and sub-request, in order.
    pub log: RefCell<Vec<String>>,
    /// Every raw HTTP request (to check headers).
    pub raw: RefCell<Vec<HttpRequest>>,
    in_flight: Cell<usize>,
    pub max_in_flight: Cell<usize>,
}

impl FakeGraph {
    pub fn new(
        handler: impl FnMut(&str, &str, Option<&Value>) -> Answer + 'static,
    ) -> Rc<FakeGraph> {
        Rc::new(FakeGraph {
            handler: RefCell::new(Box::new(handler)),
            log: RefCell::default(),
            raw: RefCell::default(),
            in_flight: Cell::new(0),
            max_in_flight: Cell::new(0),
        })
    }

    pub fn log(&self) -> Vec<String> {
        self.log.borrow().clone()
    }

    /// Log lines containing `needle`.
    pub fn count(&self, needle: &str) -> usize {
        self.log
            .borrow()
            .iter()
            .filter(|l| l.contains(needle))
            .count()
    }

    fn answer(&self, method: &str, path: &str, body: Option<&Value>) -> Answer {
        self.log.borrow_mut().push(format!("{method} {path}"));
        (self.handler.borrow_mut())(method, path, body)
    }
}

impl Transport for FakeGraph {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.raw.borrow_mut().push(req.clone());
        self.in_flight.set(self.in_flight.get() + 1);
        self.max_in_flight
            .set(self.max_in_flight.get().max(self.in_flight.get()));
        yield_now().await;
        yield_now().await;
        self.in_flight.set(self.in_flight.get() - 1);
        let path = req.url.strip_prefix(BASE).expect("a Graph URL").to_owned();
        let method = req.method.as_str();
        let body: Option<Value> = req
            .body
            .as_deref()
            .map(|b| serde_json::from_str(b).expect("JSON body"));
        if path == "/$batch" {
            let mut responses = Vec::new();
            for sub in body.as_ref().unwrap()["requests"].as_array().unwrap() {
                let answer = self.answer(
                    sub["method"].as_str().unwrap(),
                    sub["url"].as_str().unwrap(),
                    sub.get("body"),
                );
                if let Answer::Http(status, headers, text) = answer {
                    let headers: serde_json::Map<String, Value> = headers
                        .into_iter()
                        .map(|(k, v)| (k, Value::String(v)))
                        .collect();
                    let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                    responses.push(json!({"id": sub["id"], "status": status, "headers": headers, "body": body}));
                }
            }
            responses.reverse(); // any order
            return Ok(HttpResponse {
                status: 200,
                headers: vec![("request-id".into(), "batch-rid".into())],
                body: json!({ "responses": responses }).to_string(),
            });
        }
        match self.answer(method, &path, body.as_ref()) {
            Answer::Http(status, headers, body) => Ok(HttpResponse {
                status,
                headers,
                body,
            }),
            Answer::Drop => Err(TransportError::Network("connection reset".into())),
        }
    }
}

/// Always the same secret token.
pub struct Tokens;

impl TokenProvider for Tokens {
    async fn access_token(&self, _: &[String], _: bool) -> Result<String, TokenError> {
        Ok(SECRET_TOKEN.to_owned())
    }
}

/// A clock the sleeper advances (and tests may too).
#[derive(Clone, Default)]
pub struct Clock(pub Rc<Cell<Millis>>);

impl Clock {
    pub fn at(ms: Millis) -> Clock {
        Clock(Rc::new(Cell::new(ms)))
    }
    pub fn now(&self) -> Millis {
        self.0.get()
    }
    pub fn advance(&self, ms: Millis) {
        self.0.set(self.0.get() + ms)
    }
}

/// Sleeps by advancing the clock; records the waits.
#[derive(Clone)]
pub struct FakeSleeper {
    pub clock: Clock,
    pub slept: Rc<RefCell<Vec<Duration>>>,
}

impl Sleeper for FakeSleeper {
    async fn sleep(&self, d: Duration) {
        self.slept.borrow_mut().push(d);
        self.clock.advance(d.as_millis() as Millis);
        yield_now().await;
    }
}

pub type TestClient = GraphClient<Rc<FakeGraph>, Tokens, FakeSleeper>;

/// 2025-07-01T10:00:00Z.
pub const T0: Millis = 1_751_364_000_000;

pub struct Env {
    pub graph: Rc<FakeGraph>,
    pub client: TestClient,
    pub clock: Clock,
    pub slept: Rc<RefCell<Vec<Duration>>>,
}

pub fn env(handler: impl FnMut(&str, &str, Option<&Value>) -> Answer + 'static) -> Env {
    let graph = FakeGraph::new(handler);
    let clock = Clock::at(T0);
    let slept = Rc::new(RefCell::new(Vec::new()));
    let client = GraphClient::new(
        GraphBase::for_cloud(Cloud::Global),
        Cloud::Global.scopes(true),
        graph.clone(),
        Tokens,
        FakeSleeper {
            clock: clock.clone(),
            slept: slept.clone(),
        },
    )
    .with_jitter(|| 0.0);
    Env {
        graph,
        client,
        clock,
        slept,
    }
}

impl Env {
    pub fn sink(&self, ledger: RunLedger) -> SharedLedger {
        let clock = self.clock.clone();
        SharedLedger::new(ledger, move || clock.now())
    }
}

pub fn target(id: &str) -> Target {
    Target {
        cloud_pc_id: id.into(),
        name: format!("CPC-{id}"),
        user: Some(format!("{id}@contoso.com")),
        managed_device_id: Some(format!("md-{id}")),
    }
}

pub fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("pc{i:03}")).collect()
}

pub fn ledger_of(
    strategy: Strategy,
    params: ReprovisionParams,
    ids: &[String],
    aside: &[(&str, Reason)],
) -> RunLedger {
    RunLedger::new(
        "run-1",
        strategy,
        params,
        "Console run run-1",
        ids.iter().map(|i| target(i)).collect(),
        aside.iter().map(|(i, r)| (target(i), r.clone())).collect(),
        T0,
    )
}

/// The Cloud PC id in a path `/deviceManagement/virtualEndpoint/cloudPCs/{id}/…`.
pub fn pc_id(path: &str) -> Option<&str> {
    path.strip_prefix("/deviceManagement/virtualEndpoint/cloudPCs/")
        .map(|rest| rest.split(['/', '?']).next().unwrap())
}

/// A `cloudPC` body.
pub fn cloud_pc_json(id: &str, status: &str) -> Value {
    json!({"id": id, "displayName": format!("CPC-{id}"), "status": status, "managedDeviceId": format!("md-{id}")})
}

/// `{"value":[one Reprovision result]}`.
pub fn actions_json(state: &str, start_ms: Millis) -> Value {
    json!({"value": [{
        "actionName": "Reprovision",
        "actionState": state,
        "startDateTime": super::time::iso8601(start_ms),
        "lastUpdatedDateTime": super::time::iso8601(start_ms),
        "statusDetail": if state == "failed" { json!({"code": "internalServerError", "message": "Image copy failed"}) } else { Value::Null }
    }]})
}
