//! Smoke benchmark of the simulator: pages through a 50,000-device tenant with a generic
//! HTTP client, then measures how many requests per second it answers.
//!
//! Run with: `cargo run -p graph-sim --example load --release [-- --devices N --seconds S --concurrency C]`
//!
//! Everything goes to 127.0.0.1 and is bounded in count and time. It prints its figures and
//! asserts nothing about speed.

use graph_sim::{Limits, SimConfig};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let devices = arg("--devices", 50_000) as usize;
    let seconds = arg("--seconds", 5).min(60);
    let concurrency = arg("--concurrency", 16).clamp(1, 256) as usize;
    let config = SimConfig {
        devices,
        limits: Limits::unlimited(),
        log_capacity: 50_000,
        ..SimConfig::default()
    };
    let started = Instant::now();
    let sim = graph_sim::start(config, "127.0.0.1:0".parse()?).await?;
    println!("generated {devices} Cloud PCs in {:.2?}", started.elapsed());
    let base = sim.base_url();
    let http = reqwest::Client::new();

    // 1. Page through everything, following @odata.nextLink, as any Graph client does.
    for top in [100usize, 999] {
        let started = Instant::now();
        let mut url = format!("{base}/beta/deviceManagement/virtualEndpoint/cloudPCs?$top={top}");
        let (mut pages, mut seen) = (0usize, 0usize);
        loop {
            let v: serde_json::Value = http
                .get(&url)
                .bearer_auth("bench")
                .send()
                .await?
                .json()
                .await?;
            pages += 1;
            seen += v["value"].as_array().map_or(0, Vec::len);
            match v["@odata.nextLink"].as_str() {
                Some(next) => url = next.to_string(),
                None => break,
            }
        }
        let took = started.elapsed();
        println!(
            "paged {seen} Cloud PCs in {pages} pages of {top} in {took:.2?} ({:.1} pages/s)",
            pages as f64 / took.as_secs_f64()
        );
        assert_eq!(seen, devices, "every Cloud PC was seen once");
    }

    // 2. Requests per second: `concurrency` clients for `seconds`, a mix of small pages
    //    and single gets.
    let ids: Vec<String> = {
        let v: serde_json::Value = http
            .get(format!(
                "{base}/beta/deviceManagement/virtualEndpoint/cloudPCs?$top=200&$select=id"
            ))
            .bearer_auth("bench")
            .send()
            .await?
            .json()
            .await?;
        v["value"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_string())
            .collect()
    };
    let ids = Arc::new(ids);
    let done = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..concurrency {
        let (http, base, ids, done, errors) = (
            http.clone(),
            base.clone(),
            ids.clone(),
            done.clone(),
            errors.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut i = w;
            while Instant::now() < deadline {
                let url = if i % 4 == 0 {
                    format!("{base}/beta/deviceManagement/virtualEndpoint/cloudPCs?$top=10")
                } else {
                    format!(
                        "{base}/beta/deviceManagement/virtualEndpoint/cloudPCs/{}",
                        ids[i % ids.len()]
                    )
                };
                match http.get(&url).bearer_auth("bench").send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
                i += concurrency;
            }
        }));
    }
    for t in tasks {
        t.await?;
    }
    let took = started.elapsed().as_secs_f64();
    let n = done.load(Ordering::Relaxed);
    println!(
        "{n} requests in {took:.2} s with {concurrency} concurrent clients: {:.0} requests/s ({} errors)",
        n as f64 / took,
        errors.load(Ordering::Relaxed)
    );
    println!("(the client runs in the same process on the same cores as the simulator)");
    sim.shutdown().await;
    Ok(())
}
