//! A minimal HTTP/1 client for tests: talks to the simulator the way any generic client would.

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::Request;
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;

pub struct Response {
    pub status: u16,
    pub headers: hyper::HeaderMap,
    pub body: String,
}

impl Response {
    pub fn json(&self) -> anyhow::Result<serde_json::Value> {
        serde_json::from_str(&self.body)
            .map_err(|e| anyhow::anyhow!("not JSON ({e}): {}", self.body))
    }
}

pub async fn send(
    method: &str,
    url: &str,
    bearer: Option<&str>,
    body: Option<&serde_json::Value>,
) -> anyhow::Result<Response> {
    let client: Client<HttpConnector, Full<Bytes>> =
        Client::builder(TokioExecutor::new()).build(HttpConnector::new());
    let mut request = Request::builder().method(method).uri(url);
    if let Some(token) = bearer {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let payload = match body {
        Some(json) => {
            request = request.header("content-type", "application/json");
            Bytes::from(json.to_string())
        }
        None => Bytes::new(),
    };
    let response = client.request(request.body(Full::new(payload))?).await?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await?.to_bytes();
    Ok(Response {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

pub async fn get_json(url: &str, bearer: Option<&str>) -> anyhow::Result<serde_json::Value> {
    let response = send("GET", url, bearer, None).await?;
    anyhow::ensure!(
        (200..300).contains(&response.status),
        "GET {url} answered {}: {}",
        response.status,
        response.body
    );
    response.json()
}

pub async fn post_json(
    url: &str,
    bearer: Option<&str>,
    body: &serde_json::Value,
) -> anyhow::Result<serde_json::Value> {
    let response = send("POST", url, bearer, Some(body)).await?;
    anyhow::ensure!(
        (200..300).contains(&response.status),
        "POST {url} answered {}: {}",
        response.status,
        response.body
    );
    response.json()
}
