//! Bulk reprovision figures: the console against the fastest any client could be and against
//! a sequential script, on the same simulator settings, in the same bench run.
//!
//! The simulator serves a tenant of exactly `devices` provisioned enterprise Cloud PCs (all
//! eligible), with Graph's write throttling (per app 200 writes per 20 s, per tenant 400;
//! 2,000 / 4,000 requests of any kind) and 50 ms of latency per request, all in *simulated*
//! time, run [`TIME_SCALE`] times faster than real time so 5,000 devices take well under a
//! minute. Every figure in seconds is real (bench) seconds; multiply by the time scale for
//! the same run against Graph's real limits.
//!
//! - `bulk.console_s`: in headless Chromium, the operator selects all devices, chooses
//!   Windows 11 and a standard user account (so the console sends one reprovision per device,
//!   20 to a `$batch`), checks with Graph, types the number and confirms; the figure is the
//!   time from the confirming click to the results view showing every device answered.
//!   Before the click the bench waits one throttling window, so every budget is full, as the
//!   optimum assumes.
//! - `bulk.optimum_s`: the shortest time in which any client can have `devices` writes
//!   accepted under those limits, starting with full budgets: the smallest budget a write
//!   draws on (capacity C per window W) admits C at once and then C/W per second, so
//!   `(devices − C) / (C / W) + one request's latency`, in simulated seconds ÷ time scale.
//!   With Graph's figures C = 200 (the app's write budget), W = 20 s: 5,000 devices ≥ 480 s.
//! - `bulk.sequential_s`: the same reprovisions sent one at a time, without `$batch`, honouring
//!   `Retry-After` (see `sequential.rs`), on the same simulator after a reset (fresh tenant,
//!   full budgets).
//! - `bulk.lost`: devices confirmed by the operator that the simulator's operation log never
//!   reprovisioned; `bulk.duplicates`: reprovisions beyond the first of a device. Both from the
//!   console's run; a reprovision of a device the operator did not confirm, or with other
//!   parameters, fails the bench outright.
//! - `bulk.throttled`: 429 answers the console drew during the run (sub-requests of `$batch`
//!   count one each); `bulk.sequential_throttled` likewise for the sequential client.
//! - `bulk.preflight_s`: "Check with Graph" to the confirmation listing the devices (about
//!   100 ms resolution; before the timed run, for information).
//! - Ratios per run: `bulk.console_vs_optimum` = console ÷ optimum,
//!   `bulk.sequential_vs_console` = sequential ÷ console.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{json, Value};
use testkit::browser::Browser;
use testkit::fantoccini::Locator;
use testkit::page::{js, text};
use testkit::stack::{Stack, StackOptions};

use super::report::Report;
use super::sequential;
use super::stats::Figure;
use crate::project;

/// Simulated seconds per real second. 20 makes Graph's 20 s throttling window one real second,
/// the smallest `Retry-After` the simulator can send (whole seconds, as Graph does): a faster
/// scale would make every client that honours `Retry-After` idle with full budgets.
pub const TIME_SCALE: f64 = 20.0;
/// Latency per request, in simulated milliseconds (2.5 real ms at the time scale above).
pub const LATENCY_MS: f64 = 50.0;

const SEED: u64 = 7;
const OPERATOR: &str = "helpdesk@contoso.onmicrosoft.com";

/// The parameters the operator chooses in the bench, as Graph receives them.
fn params() -> Value {
    json!({"osVersion": "windows11", "userAccountType": "standardUser"})
}

/// One bench run of the console and of the sequential client.
struct Run {
    console_s: f64,
    sequential_s: f64,
    preflight_s: f64,
    lost: usize,
    duplicates: usize,
    throttled: usize,
    sequential_throttled: usize,
}

pub async fn measure(
    dist: &Path,
    devices: usize,
    runs: usize,
    report: &mut Report,
) -> anyhow::Result<()> {
    eprintln!("xtask bench: bulk reprovision of {devices} Cloud PCs ({runs} runs)");
    let tenant = eligible_tenant(devices).await?;
    let latency = LATENCY_MS / TIME_SCALE;
    let sim = graph_sim::SimConfig {
        devices,
        seed: SEED,
        time_scale: TIME_SCALE,
        tenant_file: Some(tenant),
        faults: graph_sim::Faults {
            // Uniform in [floor, ceil] real ms: a mean of exactly LATENCY_MS / TIME_SCALE.
            latency_ms: Some(graph_sim::LatencyRange {
                min_ms: latency.floor() as u64,
                max_ms: latency.ceil() as u64,
            }),
            ..Default::default()
        },
        ..Default::default()
    };
    let stack = Stack::start(StackOptions {
        dist: dist.to_path_buf(),
        sim,
        console_port: 0,
        sim_port: 0,
        user: OPERATOR.into(),
    })
    .await?;
    let limits = stack.sim.sim().limits();
    anyhow::ensure!(limits.enabled, "the bulk bench needs throttling on");
    let optimum = optimum_seconds(devices, &limits, TIME_SCALE, LATENCY_MS / 1000.0);

    let mut all = Vec::new();
    for _ in 0..runs {
        all.push(one_run(&stack, devices).await?);
    }
    let figure = |f: &dyn Fn(&Run) -> f64| Figure::new(all.iter().map(f).collect());
    report.add("bulk.devices", Figure::single(devices as f64), "devices");
    report.add("bulk.console_s", figure(&|r| r.console_s), "s");
    report.add("bulk.optimum_s", Figure::single(optimum), "s");
    report.add("bulk.sequential_s", figure(&|r| r.sequential_s), "s");
    report.add("bulk.lost", figure(&|r| r.lost as f64), "devices");
    report.add(
        "bulk.duplicates",
        figure(&|r| r.duplicates as f64),
        "devices",
    );
    report.add("bulk.throttled", figure(&|r| r.throttled as f64), "429s");
    report.add(
        "bulk.sequential_throttled",
        figure(&|r| r.sequential_throttled as f64),
        "429s",
    );
    report.add("bulk.preflight_s", figure(&|r| r.preflight_s), "s");
    report.add(
        "bulk.console_vs_optimum",
        figure(&|r| r.console_s / optimum),
        "×",
    );
    report.add(
        "bulk.sequential_vs_console",
        figure(&|r| r.sequential_s / r.console_s),
        "×",
    );
    report.meta(
        "bulk",
        json!({
            "timeScale": TIME_SCALE,
            "latencySimulatedMs": LATENCY_MS,
            "limits": limits,
            "note": "seconds are real; × timeScale gives the same run at Graph's real limits",
        }),
    );
    Ok(())
}

/// The fastest any client can have `writes` writes accepted, in real seconds (see the module
/// documentation): the smallest budget a write draws on bounds everyone.
pub fn optimum_seconds(
    writes: usize,
    limits: &graph_sim::Limits,
    time_scale: f64,
    latency_sim_s: f64,
) -> f64 {
    let capacity = limits
        .app_writes
        .min(limits.tenant_writes)
        .min(limits.app_requests)
        .min(limits.tenant_requests) as f64;
    let window = if limits.window_secs > 0.0 {
        limits.window_secs
    } else {
        20.0
    };
    let after_burst = (writes as f64 - capacity).max(0.0);
    let simulated = if capacity > 0.0 {
        after_burst / (capacity / window)
    } else {
        f64::INFINITY
    };
    (simulated + latency_sim_s) / time_scale
}

async fn one_run(stack: &Stack, devices: usize) -> anyhow::Result<Run> {
    let sim = stack.sim.sim();
    sim.reset()?;
    let ids: BTreeSet<String> = sim.state().pcs.iter().map(|e| e.pc.id.clone()).collect();
    anyhow::ensure!(
        ids.len() == devices,
        "the bench tenant has {} Cloud PCs",
        ids.len()
    );

    let browser = Browser::start_sized(1280, 900).await?;
    let console = console_run(stack, &browser, devices).await;
    if console.is_err() {
        browser.evidence("bench-bulk-failure").await;
    }
    browser.close().await?;
    let (console_s, preflight_s) = console?;
    let requests = sim.requests();
    let throttled = requests.iter().filter(|r| r.status == 429).count();
    save_timeline(&requests, "bulk-console-requests.json")?;
    let (lost, duplicates) = check_operations(stack, &ids, "the console")?;

    sim.reset()?;
    let token = stack.token().await?;
    let ordered: Vec<String> = ids.iter().cloned().collect();
    let sequential =
        sequential::reprovision_one_by_one(&stack.sim.base_url(), &token, &ordered, &params())
            .await?;
    anyhow::ensure!(
        sequential.refused.is_empty(),
        "the sequential client was refused: {:?}",
        &sequential.refused[..sequential.refused.len().min(5)]
    );
    let (seq_lost, seq_duplicates) = check_operations(stack, &ids, "the sequential client")?;
    anyhow::ensure!(
        seq_lost == 0 && seq_duplicates == 0,
        "the sequential client lost {seq_lost} and duplicated {seq_duplicates}"
    );
    eprintln!(
        "xtask bench: bulk run: console {console_s:.2} s ({throttled} throttled, {lost} lost, {duplicates} duplicated), sequential {:.2} s ({} throttled), preflight {preflight_s:.2} s",
        sequential.seconds, sequential.throttled
    );
    Ok(Run {
        console_s,
        sequential_s: sequential.seconds,
        preflight_s,
        lost,
        duplicates,
        throttled,
        sequential_throttled: sequential.throttled,
    })
}

/// The run's requests as (time, method, path, status, batch) under `target/bench/`, to see
/// where the time went (bursts, 429s, pauses) when the console is far from the optimum.
fn save_timeline(requests: &[graph_sim::RecordedRequest], name: &str) -> anyhow::Result<()> {
    let timeline: Vec<Value> = requests
        .iter()
        .map(|r| json!([r.time, r.method, r.path, r.status, r.batch_id]))
        .collect();
    let path = project::root().join("target").join("bench").join(name);
    std::fs::write(path, serde_json::to_vec(&timeline)?)?;
    Ok(())
}

/// (lost, duplicates) from the operation log; an error for any reprovision the operator did
/// not ask for.
fn check_operations(
    stack: &Stack,
    ids: &BTreeSet<String>,
    who: &str,
) -> anyhow::Result<(usize, usize)> {
    let mut per_device: HashMap<String, usize> = HashMap::new();
    for op in stack.sim.operations() {
        anyhow::ensure!(
            ids.contains(&op.cloud_pc_id),
            "{who} reprovisioned {}, which was not confirmed",
            op.cloud_pc_id
        );
        anyhow::ensure!(
            op.params.as_ref() == Some(&params()),
            "{who} reprovisioned {} with {:?} instead of the chosen parameters",
            op.cloud_pc_id,
            op.params
        );
        *per_device.entry(op.cloud_pc_id).or_default() += 1;
    }
    let lost = ids
        .iter()
        .filter(|id| !per_device.contains_key(*id))
        .count();
    let duplicates = per_device.values().map(|n| n - 1).sum();
    Ok((lost, duplicates))
}

/// Drives the console as an operator; returns (run seconds, preflight seconds).
async fn console_run(
    stack: &Stack,
    browser: &Browser,
    devices: usize,
) -> anyhow::Result<(f64, f64)> {
    let client = &browser.client;
    let timeout = Duration::from_secs(120);
    client.goto(&stack.console.url()).await?;
    let loaded = format!("{devices} Cloud PCs");
    testkit::wait::until("the inventory", timeout, || async {
        Ok(text(client, "[data-testid=inventory-progress]")
            .await?
            .filter(|t| *t == loaded))
    })
    .await?;
    client
        .find(Locator::XPath(
            "//button[starts-with(text(), 'Select all')]",
        ))
        .await?
        .click()
        .await?;
    let selected = text(client, "[data-testid=selected-count]").await?;
    anyhow::ensure!(
        selected.as_deref() == Some(format!("{devices} selected").as_str()),
        "selected: {selected:?}"
    );
    client
        .find(Locator::Css("[data-testid=bulk-reprovision]"))
        .await?
        .click()
        .await?;
    for choice in ["#bulk-os-windows-11", "#bulk-account-standard-user"] {
        client.find(Locator::Css(choice)).await?.click().await?;
    }
    let preflight_started = std::time::Instant::now();
    client
        .find(Locator::XPath("//button[text()='Check with Graph']"))
        .await?
        .click()
        .await?;
    testkit::wait::until("the confirmation", timeout, || async {
        Ok(js(
            client,
            "return document.querySelector('[data-testid=to-wipe]') ? true : null",
        )
        .await?
        .as_bool())
    })
    .await?;
    let preflight_s = preflight_started.elapsed().as_secs_f64();
    let confirm = format!("Reprovision {devices} Cloud PCs");
    client
        .find(Locator::XPath(&format!(
            "//*[@role='dialog']//button[text()='{confirm}']"
        )))
        .await
        .map_err(|e| {
            anyhow::anyhow!("no '{confirm}' button (not every device passed the preflight?): {e}")
        })?;
    client
        .find(Locator::Css("#confirm-count"))
        .await?
        .send_keys(&devices.to_string())
        .await?;
    // Every budget full again before the timed part, as the optimum assumes.
    let window = stack.sim.sim().limits().window_secs / TIME_SCALE;
    tokio::time::sleep(Duration::from_secs_f64(window + 0.5)).await;
    stack.sim.sim().clear_requests();

    // Timed in the page: from the click to the mutation that shows every device answered.
    let done = format!("{devices} of {devices} devices done");
    js(
        client,
        &format!(
            r#"const done = {done:?}, label = {confirm:?};
            window.__bulkBench = {{ start: null, end: null }};
            const seen = () => {{
              const p = document.querySelector('[data-testid=run-progress]');
              if (p && p.textContent.startsWith(done) && window.__bulkBench.end === null) window.__bulkBench.end = performance.now();
            }};
            new MutationObserver(seen).observe(document.body, {{ subtree: true, childList: true, characterData: true }});
            const button = [...document.querySelectorAll('[role=dialog] button')].find(b => b.textContent === label);
            window.__bulkBench.start = performance.now();
            button.click();
            return 0;"#
        ),
    )
    .await?;
    let run_timeout = Duration::from_secs(180);
    let elapsed_ms = testkit::wait::until("every device answered", run_timeout, || async {
        Ok(js(
            client,
            "const b = window.__bulkBench; return b && b.end !== null ? b.end - b.start : null",
        )
        .await?
        .as_f64())
    })
    .await?;
    let successful: usize = text(client, "[data-testid=count-successful]")
        .await?
        .unwrap_or_default()
        .parse()
        .unwrap_or(0);
    anyhow::ensure!(
        successful == devices,
        "the console reports {successful} of {devices} successful"
    );
    Ok((elapsed_ms / 1000.0, preflight_s))
}

/// A Graph-shaped tenant file of exactly `devices` provisioned enterprise Cloud PCs (every one
/// eligible), taken from a generated tenant; written under `target/bench/`.
async fn eligible_tenant(devices: usize) -> anyhow::Result<PathBuf> {
    let generated = graph_sim::start(
        graph_sim::SimConfig {
            devices: devices * 2 + 100,
            seed: SEED,
            limits: graph_sim::Limits::unlimited(),
            ..Default::default()
        },
        "127.0.0.1:0".parse()?,
    )
    .await?;
    let raw = testkit::http::get_json(&format!("{}/_sim/tenant", generated.base_url()), None).await;
    generated.shutdown().await;
    let raw = raw?;
    let eligible: Vec<Value> = raw["value"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|pc| pc["status"] == "provisioned" && pc["productType"] == "enterprise")
        .take(devices)
        .cloned()
        .collect();
    anyhow::ensure!(
        eligible.len() == devices,
        "only {} eligible Cloud PCs generated",
        eligible.len()
    );
    let dir = project::root().join("target").join("bench");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("bulk-tenant-{devices}.json"));
    std::fs::write(&path, serde_json::to_vec(&json!({ "value": eligible }))?)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optimum_is_the_burst_then_the_refill_rate() {
        let graph = graph_sim::Limits::default();
        // 5,000 writes: 200 at once, 4,800 at 10 per simulated second, plus one latency.
        let real = optimum_seconds(5_000, &graph, 20.0, 0.05);
        assert!((real - (480.05 / 20.0)).abs() < 1e-9, "{real}");
        // Fewer writes than the budget: one latency.
        assert!((optimum_seconds(100, &graph, 1.0, 0.05) - 0.05).abs() < 1e-9);
        // The tenant's budget binds when it is the smaller one.
        let tight = graph_sim::Limits {
            tenant_writes: 100,
            ..graph_sim::Limits::default()
        };
        assert!((optimum_seconds(1_100, &tight, 1.0, 0.0) - 200.0).abs() < 1e-9);
    }
}
