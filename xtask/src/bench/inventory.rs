//! Start-up and inventory figures, measured in headless Chromium against the simulator.
//!
//! - `startup.shell_ms`: navigation to the first contentful paint (the app shell).
//! - `load_ms`: navigation to the `cloudpc:inventory-loaded` mark, which the console sets once
//!   every Cloud PC is loaded and the frame showing them has been painted.
//! - `filter_p95_ms`: for each keystroke of a scripted typing sequence, the time from the input
//!   event to the DOM updated and laid out (script, style and layout; paint follows in the same
//!   frame), 95th percentile.
//!   The sequence is typed three times; `filter_p95_ms` is the first time. On a busy machine
//!   two figures are steadier: `filter_steady_p95_ms`, the 95th percentile of each
//!   keystroke's fastest of the three (what the console costs without other processes
//!   taking the CPU), and `filter_p50_ms`, the first time's median.
//! - `dom_rows_max`: the most `<tr>` elements in the page at any sample (typing and scrolling).
//! - `js_heap_mb`: `performance.memory.usedJSHeapSize` after loading and filtering.
//! - `wasm_memory_mb`: the console's WebAssembly memory at the same moment (where the rows and
//!   their text index live; `js_heap_mb` does not include it).
//! - `last_page_ms` (for reading `load_ms`): navigation to the end of the last Cloud PC page's
//!   answer; `load_ms` minus this is what the console spends after the data has arrived.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use testkit::browser::Browser;
use testkit::stack::{Stack, StackOptions};

use super::report::Report;
use super::stats::{percentile, Figure};

const TIMEOUT: Duration = Duration::from_secs(120);

const TYPING: &str = r#"
const done = arguments[arguments.length - 1];
(async () => {
  const input = document.querySelector('#inventory-search');
  const words = ['cpc-', 'alex', 'contoso', 'zz-nothing', 'w'];
  const sequence = [];
  for (const w of words) {
    for (let i = 1; i <= w.length; i++) sequence.push(w.slice(0, i));
    for (let i = w.length - 1; i >= 0; i--) sequence.push(w.slice(0, i));
  }
  const tick = () => new Promise(r => { const c = new MessageChannel(); c.port1.onmessage = () => r(); c.port2.postMessage(0); });
  const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  const rounds = [];
  // For --cpu-profile: each keystroke of the first round as [text, script ms, layout ms].
  const split = [];
  let rows = 0;
  for (let round = 0; round < 3; round++) {
    const times = [];
    for (const value of sequence) {
      const t0 = performance.now();
      input.value = value;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await tick();
      const t1 = performance.now();
      void document.body.offsetHeight;
      const t2 = performance.now();
      times.push(t2 - t0);
      if (round === 0) split.push([value, t1 - t0, t2 - t1]);
      rows = Math.max(rows, document.querySelectorAll('tr').length);
      await frame();
    }
    rounds.push(times);
  }
  const times = rounds[0];
  const steady = times.map((_, i) => Math.min(...rounds.map(r => r[i])));
  const scroller = document.querySelector('.grid-scroll');
  for (const fraction of [0.1, 0.5, 0.9, 1.0, 0.0]) {
    scroller.scrollTop = fraction * scroller.scrollHeight;
    await frame(); await frame();
    rows = Math.max(rows, document.querySelectorAll('tr').length);
  }
  done({ times, steady, split, rows, heap: performance.memory ? performance.memory.usedJSHeapSize : 0, wasm: window.__cloudpcWasm ? window.__cloudpcWasm.memory.buffer.byteLength : 0 });
})();
"#;

async fn mark_time(browser: &Browser, name: &str) -> anyhow::Result<f64> {
    let script = format!(
        "const e = performance.getEntriesByName('{name}'); return e.length ? e[0].startTime : null;"
    );
    testkit::wait::until(name, TIMEOUT, || async {
        Ok(browser.client.execute(&script, vec![]).await?.as_f64())
    })
    .await
}

async fn stack(dist: &Path, devices: usize) -> anyhow::Result<Stack> {
    Stack::start(StackOptions {
        dist: dist.to_path_buf(),
        sim: graph_sim::SimConfig {
            devices,
            seed: 1,
            ..Default::default()
        },
        console_port: 0,
        sim_port: 0,
        user: "helpdesk@contoso.onmicrosoft.com".into(),
    })
    .await
}

pub async fn startup(dist: &Path, runs: usize, report: &mut Report) -> anyhow::Result<()> {
    let stack = stack(dist, 100).await?;
    let mut samples = Vec::new();
    for _ in 0..runs {
        let browser = Browser::start_with_args(&["--enable-precise-memory-info"]).await?;
        browser.client.goto(&stack.console.url()).await?;
        samples.push(mark_time(&browser, "first-contentful-paint").await?);
        browser.close().await?;
    }
    report.add("startup.shell_ms", Figure::new(samples), "ms");
    Ok(())
}

pub async fn measure(
    dist: &Path,
    devices: usize,
    name: &str,
    runs: usize,
    profile: bool,
    report: &mut Report,
) -> anyhow::Result<()> {
    eprintln!("xtask bench: {name} ({devices} Cloud PCs, {runs} runs)");
    let stack = stack(dist, devices).await?;
    let (mut load, mut filter, mut rows, mut heap) = (vec![], vec![], vec![], vec![]);
    let (mut last_page, mut filter_median, mut filter_steady) = (vec![], vec![], vec![]);
    let mut wasm_memory = vec![];
    for _ in 0..runs {
        let browser = Browser::start_with_args(&["--enable-precise-memory-info"]).await?;
        // The boot script announces the WebAssembly instance; keep it to read its memory.
        browser
            .on_every_document(
                "addEventListener('TrunkApplicationStarted', e => { window.__cloudpcWasm = e.detail.wasm; });",
            )
            .await?;
        browser.client.goto(&stack.console.url()).await?;
        load.push(mark_time(&browser, "cloudpc:inventory-loaded").await?);
        let pages = browser
            .client
            .execute(
                "return Math.max(...performance.getEntriesByType('resource').filter(e => e.name.includes('/cloudPCs')).map(e => e.responseEnd))",
                vec![],
            )
            .await?;
        last_page.push(pages.as_f64().unwrap_or(0.0));
        // Three rounds of typing outlast WebDriver's default script timeout on a busy machine.
        browser
            .client
            .update_timeouts(testkit::fantoccini::wd::TimeoutConfiguration::new(
                Some(TIMEOUT),
                Some(Duration::from_secs(60)),
                Some(Duration::ZERO),
            ))
            .await?;
        if profile {
            browser
                .cdp("Profiler.enable", serde_json::json!({}))
                .await?;
            browser
                .cdp(
                    "Profiler.setSamplingInterval",
                    serde_json::json!({ "interval": 100 }),
                )
                .await?;
            browser.cdp("Profiler.start", serde_json::json!({})).await?;
        }
        let result: Value = browser.client.execute_async(TYPING, vec![]).await?;
        if profile {
            let stopped = browser.cdp("Profiler.stop", serde_json::json!({})).await?;
            super::profile::write(&stopped["profile"], name)?;
            super::profile::print_split(&result["split"]);
        }
        let times: Vec<f64> = serde_json::from_value(result["times"].clone())?;
        filter.push(percentile(&times, 95.0));
        filter_median.push(percentile(&times, 50.0));
        let steady: Vec<f64> = serde_json::from_value(result["steady"].clone())?;
        filter_steady.push(percentile(&steady, 95.0));
        rows.push(result["rows"].as_f64().unwrap_or(0.0));
        heap.push(result["heap"].as_f64().unwrap_or(0.0) / (1024.0 * 1024.0));
        let wasm = result["wasm"].as_f64().unwrap_or(0.0);
        anyhow::ensure!(
            wasm > 0.0,
            "the console's WebAssembly memory could not be read"
        );
        wasm_memory.push(wasm / (1024.0 * 1024.0));
        browser.close().await?;
    }
    report.add(&format!("{name}.load_ms"), Figure::new(load), "ms");
    report.add(
        &format!("{name}.last_page_ms"),
        Figure::new(last_page),
        "ms",
    );
    report.add(&format!("{name}.filter_p95_ms"), Figure::new(filter), "ms");
    report.add(
        &format!("{name}.filter_steady_p95_ms"),
        Figure::new(filter_steady),
        "ms",
    );
    report.add(
        &format!("{name}.filter_p50_ms"),
        Figure::new(filter_median),
        "ms",
    );
    report.add(&format!("{name}.dom_rows_max"), Figure::new(rows), "rows");
    report.add(&format!("{name}.js_heap_mb"), Figure::new(heap), "MB");
    report.add(
        &format!("{name}.wasm_memory_mb"),
        Figure::new(wasm_memory),
        "MB",
    );
    Ok(())
}
