//! End to end: a per-device bulk run survives a page reload. The page is reloaded while
//! reprovision requests are on the wire; on return the console offers the unfinished run from
//! its journal in the browser's storage, reconciles it with Graph (reads only) and follows it.
//! Checked against the simulator: every device in exactly one category matching what the
//! simulator carried out, nothing sent twice, and no token in the browser's storage.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde_json::json;
use testkit::browser::Browser;
use testkit::fantoccini::Locator;
use testkit::page::js;
use testkit::run_flows::{
    counts, each_in_exactly_one, listed, select_all_provisioned_enterprise, sim_tenant, start_run,
    wait_run_ended,
};
use testkit::stack::{Stack, StackOptions};
use testkit::wait;

const TIMEOUT: Duration = Duration::from_secs(60);
const DEVICES: usize = 200;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built console: run `cargo xtask test`"]
async fn a_run_interrupted_by_a_reload_is_reconciled_without_sending_anything_twice(
) -> anyhow::Result<()> {
    let sim = graph_sim::SimConfig {
        devices: DEVICES,
        seed: 41,
        time_scale: 60.0,
        ..Default::default()
    };
    let stack = Stack::start(StackOptions::for_tests(sim)?).await?;
    let browser = Browser::start().await?;
    let result = scenario(&stack, &browser).await;
    if result.is_err() {
        browser.evidence("run-journal-failure").await;
    }
    browser.close().await?;
    result
}

async fn scenario(stack: &Stack, browser: &Browser) -> anyhow::Result<()> {
    let client = &browser.client;
    let chosen = select_all_provisioned_enterprise(stack, browser, DEVICES, TIMEOUT).await?;
    let total = chosen.len();
    assert!(
        total > 100,
        "{total} devices: more batches than are in flight at once"
    );
    // From the confirmation on, Graph answers slowly, so requests are on the wire when the
    // operator reloads the page; and some reprovisions are carried out but answered with a 500,
    // so their outcome is unknown.
    let mut faults = stack.sim.sim().faults();
    faults.latency_ms = Some(graph_sim::LatencyRange {
        min_ms: 1_000,
        max_ms: 6_000,
    });
    faults.rules.push(graph_sim::FaultRule {
        method: "POST".into(),
        effect: graph_sim::FaultEffect::Status(500),
        rate: 0.15,
        phase: graph_sim::Phase::After,
        path_contains: Some("/reprovision".into()),
    });
    stack.sim.sim().set_faults(faults.clone());
    start_run(
        browser,
        &["#bulk-os-windows-11", "#bulk-account-standard-user"],
        "Per device",
        total,
        TIMEOUT,
    )
    .await?;
    wait::until(
        "some answers while requests are on the wire",
        TIMEOUT,
        || async {
            Ok(counts(browser)
                .await
                .ok()
                .filter(|c| c["inProgress"] > 0 && c["successful"] + c["unknown"] > 0)
                .map(|_| ()))
        },
    )
    .await?;
    let before = counts(browser).await?;
    client.refresh().await?;
    stack.sim.sim().set_faults(graph_sim::Faults::default());

    // On return: the unfinished run is offered; nothing is sent until the operator says so,
    // and reconciling sends nothing destructive either.
    let offer = wait::until("the unfinished run offer", TIMEOUT, || async {
        testkit::page::text(client, "[data-testid=unfinished-run]").await
    })
    .await?;
    assert!(offer.contains("did not finish"), "{offer}");
    let storage = js(
        client,
        "return JSON.stringify(Object.assign({}, localStorage))",
    )
    .await?;
    let storage = storage.as_str().unwrap_or_default().to_owned();
    assert!(
        storage.contains("cloudpc-console.bulk-run."),
        "no journal: {storage}"
    );
    let token = stack.token().await?;
    let token_head = &token[..token.len().min(24)];
    assert!(!storage.contains(token_head), "a token in localStorage");
    assert!(
        !storage.to_ascii_lowercase().contains("bearer "),
        "a bearer header in localStorage"
    );
    browser.evidence("run-journal-offer").await;
    client
        .find(Locator::Css("[data-testid=reconcile-run]"))
        .await?
        .click()
        .await?;
    wait_run_ended(browser, TIMEOUT).await?;

    // Every device in exactly one category, the counts add up.
    let counts = counts(browser).await?;
    assert_eq!(
        counts.values().sum::<usize>(),
        total,
        "{counts:?} (before the reload: {before:?})"
    );
    let listed = listed(browser).await?;
    each_in_exactly_one(&listed, &chosen)?;
    for (category, ids) in &listed {
        assert_eq!(counts[category.as_str()], ids.len(), "{category}");
    }

    // Nothing sent twice: each device's reprovision reached Graph at most once, and the
    // simulator carried out each at most once, only for confirmed devices, with the parameters.
    let mut sent: BTreeMap<String, usize> = BTreeMap::new();
    for r in stack.sim.requests() {
        if r.method == "POST" && r.path.ends_with("/reprovision") {
            let id = r.path.rsplit('/').nth(1).unwrap_or_default().to_owned();
            *sent.entry(id).or_default() += 1;
        }
    }
    assert!(sent.values().all(|n| *n == 1), "sent twice: {sent:?}");
    let ops = stack.sim.operations();
    let done: BTreeSet<String> = ops.iter().map(|o| o.cloud_pc_id.clone()).collect();
    assert_eq!(ops.len(), done.len(), "carried out twice");
    assert!(done.iter().all(|id| chosen.contains(id)));
    for o in &ops {
        assert_eq!(
            o.params,
            Some(json!({"osVersion": "windows11", "userAccountType": "standardUser"}))
        );
    }

    // Each device's category matches what the simulator did: carried out → successful (or
    // failed when its reprovision failed there); not carried out → failed, "not started" or
    // "not sent", never successful.
    let (status, _) = sim_tenant(stack).await?;
    let reasons: BTreeMap<String, String> = serde_json::from_value(js(client, "const out = {}; document.querySelectorAll('[data-testid=run] li[data-cloudpc-id]').forEach(li => { const c = li.querySelector('.reason code'); out[li.dataset.cloudpcId] = c ? c.textContent : ''; }); return out;").await?)?;
    for (category, ids) in &listed {
        for id in ids {
            let carried_out = done.contains(id);
            match category.as_str() {
                "successful" => assert!(carried_out && status[id] == "provisioned", "{id}"),
                "failed" if carried_out => assert_eq!(status[id], "failed", "{id}"),
                "failed" => assert!(
                    matches!(reasons[id].as_str(), "notStarted" | "notSent"),
                    "{id} was not carried out but failed with {:?}",
                    reasons[id]
                ),
                other => panic!("{id} ended {other}"),
            }
        }
    }
    // The reload left both kinds: reprovisions Graph carried out (answered or not) and
    // requests it never carried out (on the wire when the page went away, or never sent).
    let not_carried_out = chosen.iter().filter(|id| !done.contains(*id)).count();
    let never_sent = reasons.values().filter(|r| *r == "notSent").count();
    assert!(
        !done.is_empty() && not_carried_out > 0,
        "the reload should leave a mix: {before:?} then {counts:?}"
    );
    println!(
        "before the reload: {before:?}; after reconciling: {counts:?}; carried out: {}; not carried out: {not_carried_out}, of which never sent: {never_sent}",
        done.len()
    );
    testkit::run_flows::open_categories(browser).await?;
    browser.evidence("run-journal-reconciled").await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built console: run `cargo xtask test`"]
async fn a_bulk_action_run_interrupted_by_a_reload_is_followed_to_its_end_without_a_second_bulk_action(
) -> anyhow::Result<()> {
    // Reprovisions take 5 s of real time here, so the reload comes while Graph is at work.
    let sim = graph_sim::SimConfig {
        devices: 300,
        seed: 42,
        time_scale: 60.0,
        timing: graph_sim::Timing {
            provisioning_secs: 300.0,
            reprovision_failure_rate: 0.2,
            ..Default::default()
        },
        ..Default::default()
    };
    let stack = Stack::start(StackOptions::for_tests(sim)?).await?;
    let browser = Browser::start().await?;
    let result = bulk_action_scenario(&stack, &browser).await;
    if result.is_err() {
        browser.evidence("run-journal-bulk-action-failure").await;
    }
    browser.close().await?;
    result
}

async fn bulk_action_scenario(stack: &Stack, browser: &Browser) -> anyhow::Result<()> {
    const CHOSEN: usize = 12;
    let client = &browser.client;
    let chosen = testkit::run_flows::select_first(
        stack,
        browser,
        "status=provisioned&product=enterprise",
        300,
        CHOSEN,
        TIMEOUT,
    )
    .await?;
    start_run(browser, &[], "Bulk action", CHOSEN, TIMEOUT).await?;
    wait::until("the bulk action at work", TIMEOUT, || async {
        Ok(counts(browser)
            .await
            .ok()
            .filter(|c| c["inProgress"] > 0)
            .map(|_| ()))
    })
    .await?;
    let before = counts(browser).await?;
    client.refresh().await?;
    wait::until("the unfinished run offer", TIMEOUT, || async {
        testkit::page::text(client, "[data-testid=unfinished-run]").await
    })
    .await?;
    client
        .find(Locator::Css("[data-testid=reconcile-run]"))
        .await?
        .click()
        .await?;
    wait_run_ended(browser, TIMEOUT).await?;

    let counts = counts(browser).await?;
    assert_eq!(counts.values().sum::<usize>(), CHOSEN, "{counts:?}");
    let listed = listed(browser).await?;
    each_in_exactly_one(&listed, &chosen)?;
    // One bulk action, each device carried out once; the console's outcome of each device is
    // the simulator's, and its counts are Graph's summary.
    let creations = stack
        .sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.contains("bulkActions"))
        .count();
    assert_eq!(creations, 1, "no second bulk action, no retry");
    let ops = stack.sim.operations();
    let done: BTreeSet<String> = ops.iter().map(|o| o.cloud_pc_id.clone()).collect();
    assert_eq!(ops.len(), CHOSEN, "once each");
    assert_eq!(done, chosen.iter().cloned().collect::<BTreeSet<_>>());
    let (status, bulk) = sim_tenant(stack).await?;
    let summary = &bulk[0]["actionSummary"];
    assert_eq!(
        counts["successful"] as u64,
        summary["successfulCount"].as_u64().unwrap_or_default(),
        "{summary}"
    );
    assert_eq!(
        counts["failed"] as u64,
        summary["failedCount"].as_u64().unwrap_or_default(),
        "{summary}"
    );
    for (category, ids) in &listed {
        for id in ids {
            let want = match category.as_str() {
                "successful" => "provisioned",
                "failed" => "failed",
                other => panic!("{id} ended {other}"),
            };
            assert_eq!(status[id], want, "{id} is {category} in the console");
        }
    }
    println!("before the reload: {before:?}; after: {counts:?}");
    Ok(())
}
