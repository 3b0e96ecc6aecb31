//! The baseline a bulk run is compared with: the same reprovisions sent the way today's scripts
//! send them (a `foreach` over `Invoke-MgGraphRequest` or `requests.post`): one
//! `POST cloudPCs/{id}/reprovision` at a time over one kept-alive connection, no `$batch`, and
//! on 429 a sleep of exactly `Retry-After` before sending the same request again.

use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::Request;
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;
use serde_json::Value;

/// What the sequential client did.
pub struct SequentialRun {
    pub seconds: f64,
    /// 429 answers received (each followed by a `Retry-After` sleep and a re-send).
    pub throttled: usize,
    /// Devices whose reprovision was refused with anything other than 429.
    pub refused: Vec<(String, u16)>,
}

/// Reprovisions each of `ids` with `params`, one request at a time.
pub async fn reprovision_one_by_one(
    graph_base: &str,
    token: &str,
    ids: &[String],
    params: &Value,
) -> anyhow::Result<SequentialRun> {
    let client: Client<HttpConnector, Full<Bytes>> =
        Client::builder(TokioExecutor::new()).build(HttpConnector::new());
    let body = Bytes::from(params.to_string());
    let started = Instant::now();
    let (mut throttled, mut refused) = (0, Vec::new());
    for id in ids {
        loop {
            let request = Request::post(format!(
                "{graph_base}/beta/deviceManagement/virtualEndpoint/cloudPCs/{id}/reprovision"
            ))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(Full::new(body.clone()))?;
            let response = client.request(request).await?;
            let status = response.status().as_u16();
            let retry_after = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok());
            // Read the answer to the end so the connection is reused.
            response.into_body().collect().await?;
            match status {
                429 => {
                    throttled += 1;
                    // Scripts without a Retry-After fall back on a fixed pause; Graph always sends one.
                    tokio::time::sleep(Duration::from_secs(retry_after.unwrap_or(1))).await;
                }
                s if (200..300).contains(&s) => break,
                s => {
                    refused.push((id.clone(), s));
                    break;
                }
            }
        }
    }
    Ok(SequentialRun {
        seconds: started.elapsed().as_secs_f64(),
        throttled,
        refused,
    })
}
