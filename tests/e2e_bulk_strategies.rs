//! End to end: a bulk reprovision by bulk action (`virtualEndpoint/bulkActions`, followed until
//! it completes) and by the seed endpoint (`managedDevices/bulkReprovisionCloudPc`), through
//! the console against graph-sim, each checked against the simulator's operation log and its
//! tenant: exactly the confirmed devices reprovisioned, once each, with no parameters; every
//! device in exactly one category, matching what the simulator did; the followed devices seen
//! provisioned again.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use testkit::browser::Browser;
use testkit::fantoccini::Locator;
use testkit::page::js;
use testkit::run_flows::{
    counts, each_in_exactly_one, followed, listed, select_first, sim_tenant, start_run,
    wait_run_ended,
};
use testkit::stack::{Stack, StackOptions};

const TIMEOUT: Duration = Duration::from_secs(60);
const DEVICES: usize = 300;
const CHOSEN: usize = 12;

/// A 300-device tenant running 60 times faster than real time, where a quarter of reprovisions
/// fail and a fifth of the seed endpoint's devices are refused, so every run has both outcomes.
async fn with_stack<F, Fut>(seed: u64, evidence: &str, scenario: F) -> anyhow::Result<()>
where
    F: FnOnce(Stack, Browser) -> Fut,
    Fut: std::future::Future<Output = (Browser, anyhow::Result<()>)>,
{
    let sim = graph_sim::SimConfig {
        devices: DEVICES,
        seed,
        time_scale: 60.0,
        timing: graph_sim::Timing {
            reprovision_failure_rate: 0.25,
            seed_bulk_failure_rate: 0.2,
            ..Default::default()
        },
        ..Default::default()
    };
    let stack = Stack::start(StackOptions::for_tests(sim)?).await?;
    let browser = Browser::start().await?;
    let (browser, result) = scenario(stack, browser).await;
    if result.is_err() {
        browser.evidence(&format!("{evidence}-failure")).await;
    }
    browser.close().await?;
    result
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built console: run `cargo xtask test`"]
async fn a_bulk_action_run_reprovisions_exactly_the_confirmed_devices_and_matches_graphs_summary(
) -> anyhow::Result<()> {
    with_stack(31, "bulk-action", |stack, browser| async move {
        let r = bulk_action(&stack, &browser).await;
        (browser, r)
    })
    .await
}

async fn bulk_action(stack: &Stack, browser: &Browser) -> anyhow::Result<()> {
    let chosen = select_first(
        stack,
        browser,
        "status=provisioned&product=enterprise",
        DEVICES,
        CHOSEN,
        TIMEOUT,
    )
    .await?;
    start_run(browser, &[], "Bulk action", CHOSEN, TIMEOUT).await?;
    wait_run_ended(browser, TIMEOUT).await?;

    // The simulator carried out exactly the confirmed devices, once each, without parameters,
    // all through one bulk action.
    let ops = stack.sim.operations();
    let done: BTreeSet<String> = ops.iter().map(|o| o.cloud_pc_id.clone()).collect();
    assert_eq!(done, chosen.iter().cloned().collect::<BTreeSet<_>>());
    assert_eq!(ops.len(), CHOSEN, "once each");
    assert!(ops.iter().all(|o| o.params.is_none()), "no parameters");
    assert!(ops.iter().all(|o| o.via == "bulkActions/{id}"), "{ops:?}");
    let action_ids: BTreeSet<_> = ops.iter().map(|o| o.bulk_action_id.clone()).collect();
    assert_eq!(action_ids.len(), 1, "one bulk action: {action_ids:?}");
    let creations = stack
        .sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/bulkActions"))
        .count();
    assert_eq!(creations, 1, "the bulk action was created once");

    // Every device in exactly one category, the counts add up and match Graph's summary and
    // each device's end state in the simulator.
    let counts = counts(browser).await?;
    assert_eq!(counts.values().sum::<usize>(), CHOSEN, "{counts:?}");
    let listed = listed(browser).await?;
    each_in_exactly_one(&listed, &chosen)?;
    for (category, ids) in &listed {
        assert_eq!(counts[category.as_str()], ids.len(), "{category}");
    }
    let (status, bulk) = sim_tenant(stack).await?;
    assert_eq!(bulk.len(), 1);
    let summary = &bulk[0]["actionSummary"];
    assert_eq!(
        counts["successful"] as u64,
        summary["successfulCount"].as_u64().unwrap(),
        "{summary}"
    );
    assert_eq!(
        counts["failed"] as u64,
        summary["failedCount"].as_u64().unwrap(),
        "{summary}"
    );
    assert_eq!(counts["notSupported"], 0);
    assert_eq!(
        counts["successful"] + counts["failed"],
        CHOSEN,
        "{counts:?}"
    );
    assert_category_matches_status(&listed, &status);

    // Followed until provisioned again (or failed).
    assert_eq!(
        followed(browser, "provisioned").await?,
        Some(counts["successful"])
    );
    assert_eq!(followed(browser, "failed").await?, Some(counts["failed"]));
    testkit::run_flows::open_categories(browser).await?;
    browser.evidence("bulk-action-results").await;

    // The card collapses to its header and progress, so the console stays usable.
    browser
        .client
        .find(Locator::Css("[data-testid=run-collapse]"))
        .await?
        .click()
        .await?;
    let shown = js(&browser.client, "const d = document.getElementById('run-details'); const p = document.querySelector('[data-testid=run-progress]'); return [d.offsetParent !== null, p.offsetParent !== null, document.querySelector('[data-testid=run-collapse]').textContent]").await?;
    assert_eq!(shown, serde_json::json!([false, true, "Show details"]));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built console: run `cargo xtask test`"]
async fn a_seed_bulk_run_reprovisions_exactly_the_accepted_devices_and_follows_them(
) -> anyhow::Result<()> {
    with_stack(32, "seed-bulk", |stack, browser| async move {
        let r = seed_bulk(&stack, &browser).await;
        (browser, r)
    })
    .await
}

async fn seed_bulk(stack: &Stack, browser: &Browser) -> anyhow::Result<()> {
    let chosen = select_first(
        stack,
        browser,
        "status=provisioned&product=enterprise",
        DEVICES,
        CHOSEN,
        TIMEOUT,
    )
    .await?;
    start_run(browser, &[], "Bulk by managed device", CHOSEN, TIMEOUT).await?;
    wait_run_ended(browser, TIMEOUT).await?;

    let counts = counts(browser).await?;
    assert_eq!(counts.values().sum::<usize>(), CHOSEN, "{counts:?}");
    let listed = listed(browser).await?;
    each_in_exactly_one(&listed, &chosen)?;
    for (category, ids) in &listed {
        assert_eq!(counts[category.as_str()], ids.len(), "{category}");
    }

    // One call to the seed endpoint with the chosen devices' managed device ids; the simulator
    // carried out exactly the devices it accepted, once each, without parameters.
    let calls: Vec<_> = stack
        .sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/bulkReprovisionCloudPc"))
        .collect();
    assert_eq!(calls.len(), 1, "one seed call");
    let ops = stack.sim.operations();
    assert!(ops.iter().all(|o| o.params.is_none()), "no parameters");
    assert!(
        ops.iter()
            .all(|o| o.via == "managedDevices/bulkReprovisionCloudPc"),
        "{ops:?}"
    );
    let done: BTreeSet<String> = ops.iter().map(|o| o.cloud_pc_id.clone()).collect();
    assert_eq!(ops.len(), done.len(), "once each");
    assert!(
        done.iter().all(|id| chosen.contains(id)),
        "only confirmed devices"
    );
    let sent_ids = calls[0].body["managedDeviceIds"].as_array().map(Vec::len);
    assert_eq!(sent_ids, Some(CHOSEN), "{:?}", calls[0].body);

    // Carried out → successful, or failed when its reprovision failed (as the simulator's
    // tenant shows); not carried out → refused by Graph (failed), never successful.
    let (status, _) = sim_tenant(stack).await?;
    for (category, ids) in &listed {
        for id in ids {
            let carried_out = done.contains(id);
            match category.as_str() {
                "successful" => assert!(carried_out && status[id] == "provisioned", "{id}"),
                "failed" => assert!(
                    !carried_out || status[id] == "failed",
                    "{id} failed in the console but {} in the simulator",
                    status[id]
                ),
                other => panic!("{id} ended {other}"),
            }
        }
    }
    assert_eq!(
        followed(browser, "provisioned").await?,
        Some(counts["successful"]),
        "every successful device was seen provisioned again"
    );
    testkit::run_flows::open_categories(browser).await?;
    browser.evidence("seed-bulk-results").await;
    Ok(())
}

/// Successful devices are provisioned in the simulator, failed ones failed.
fn assert_category_matches_status(
    listed: &BTreeMap<String, Vec<String>>,
    status: &BTreeMap<String, String>,
) {
    for (category, ids) in listed {
        for id in ids {
            let want = match category.as_str() {
                "successful" => "provisioned",
                "failed" => "failed",
                other => panic!("{id} ended {other}"),
            };
            assert_eq!(status[id], want, "{id} is {category} in the console");
        }
    }
}
