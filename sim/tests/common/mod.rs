//! Helpers shared by the simulator's integration tests.
#![allow(dead_code)]

use graph_sim::{Limits, RunningSim, SimConfig, Timing};
use serde_json::Value;

pub const CLOUD_PCS: &str = "/beta/deviceManagement/virtualEndpoint/cloudPCs";

/// A config with fast time (60 s of provisioning take 0.1 s) and no random failures.
pub fn fast_config(devices: usize) -> SimConfig {
    SimConfig {
        devices,
        seed: 7,
        time_scale: 600.0,
        timing: Timing {
            reprovision_failure_rate: 0.0,
            seed_bulk_failure_rate: 0.0,
            ..Timing::default()
        },
        limits: Limits::unlimited(),
        ..SimConfig::default()
    }
}

pub struct Harness {
    pub sim: RunningSim,
    pub http: reqwest::Client,
    pub base: String,
}

pub async fn start(config: SimConfig) -> Harness {
    let sim = graph_sim::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .expect("simulator starts");
    let base = sim.base_url();
    Harness {
        sim,
        http: reqwest::Client::new(),
        base,
    }
}

pub struct Resp {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    }

    pub fn error_code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
}

impl Harness {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn send(
        &self,
        method: &str,
        path_or_url: &str,
        token: Option<&str>,
        body: Option<&str>,
    ) -> Resp {
        let url = if path_or_url.starts_with("http") {
            path_or_url.to_string()
        } else {
            self.url(path_or_url)
        };
        let mut rb = self
            .http
            .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), url);
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        if let Some(b) = body {
            rb = rb
                .header("content-type", "application/json")
                .body(b.to_string());
        }
        let r = rb.send().await.expect("request is answered");
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let text = r.text().await.unwrap();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Resp {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send("GET", path, Some("any-token"), None).await
    }

    pub async fn post(&self, path: &str, body: Option<&str>) -> Resp {
        self.send("POST", path, Some("any-token"), body).await
    }

    /// Issues a simulated token.
    pub async fn token(&self, body: Value) -> String {
        let r = self
            .http
            .post(self.url("/_sim/token"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        v["access_token"].as_str().unwrap().to_string()
    }

    /// The raw tenant.
    pub async fn tenant(&self) -> Vec<Value> {
        let v: Value = self
            .http
            .get(self.url("/_sim/tenant"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v["value"].as_array().unwrap().clone()
    }

    /// The first Cloud PC of the tenant matching `pred`.
    pub async fn pick(&self, pred: impl Fn(&Value) -> bool) -> Value {
        self.tenant()
            .await
            .into_iter()
            .find(|p| pred(p))
            .expect("the tenant has such a Cloud PC")
    }

    pub async fn control(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let mut rb = self.http.request(
            reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
            self.url(path),
        );
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let r = rb.send().await.unwrap();
        let text = r.text().await.unwrap();
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }
}

pub fn is(p: &Value, status: &str, product: &str) -> bool {
    p["status"] == status && p["productType"] == product
}

/// Waits (real time) until `f` holds, polling, for at most `secs`.
pub async fn eventually<F, Fut>(secs: f64, mut f: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs_f64(secs);
    loop {
        if f().await {
            return true;
        }
        if std::time::Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
