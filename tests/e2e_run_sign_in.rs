//! End to end: sign-in revoked in the middle of a per-device bulk run. The run pauses with a
//! prompt to sign in again and sends nothing meanwhile; after signing in it resumes, and every
//! confirmed device is reprovisioned exactly once: nothing lost, nothing failed for want of a
//! token, nothing sent twice.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use testkit::browser::Browser;
use testkit::fantoccini::Locator;
use testkit::page::{js, text};
use testkit::run_flows::{
    counts, each_in_exactly_one, listed, select_all_provisioned_enterprise, sim_tenant, start_run,
    wait_run_ended,
};
use testkit::stack::{Stack, StackOptions};
use testkit::wait;

const TIMEOUT: Duration = Duration::from_secs(120);

/// The tenant's size: 400 Cloud PCs (about 230 of them provisioned enterprise PCs, the run's
/// targets); with `CLOUDPC_FAULT_MATRIX=full`, as for the full fault matrix, 1,800 (over 1,000).
fn tenant_size() -> usize {
    if std::env::var("CLOUDPC_FAULT_MATRIX").as_deref() == Ok("full") {
        1_800
    } else {
        400
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built console: run `cargo xtask test`"]
async fn a_run_pauses_when_sign_in_is_revoked_and_resumes_after_signing_in_again(
) -> anyhow::Result<()> {
    let sim = graph_sim::SimConfig {
        devices: tenant_size(),
        seed: 51,
        time_scale: 60.0,
        ..Default::default()
    };
    let stack = Stack::start(StackOptions::for_tests(sim)?).await?;
    let browser = Browser::start().await?;
    let result = scenario(&stack, &browser).await;
    if result.is_err() {
        browser.evidence("run-sign-in-failure").await;
    }
    browser.close().await?;
    result
}

/// Reprovision requests that reached the simulator.
fn reprovisions_received(stack: &Stack) -> usize {
    stack
        .sim
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/reprovision"))
        .count()
}

async fn scenario(stack: &Stack, browser: &Browser) -> anyhow::Result<()> {
    let client = &browser.client;
    let chosen = select_all_provisioned_enterprise(stack, browser, tenant_size(), TIMEOUT).await?;
    let total = chosen.len();
    if tenant_size() > 400 {
        anyhow::ensure!(
            total >= 1_000,
            "the full variant runs at least 1,000 devices: {total}"
        );
    }
    // Slow answers, so the run is still sending when sign-in goes away.
    let mut faults = stack.sim.sim().faults();
    faults.latency_ms = Some(graph_sim::LatencyRange {
        min_ms: 400,
        max_ms: 1_000,
    });
    stack.sim.sim().set_faults(faults);
    start_run(
        browser,
        &["#bulk-os-windows-11"],
        "Per device",
        total,
        TIMEOUT,
    )
    .await?;
    wait::until("the first answers", TIMEOUT, || async {
        Ok(counts(browser)
            .await
            .ok()
            .filter(|c| c["successful"] > 0 && c["pending"] > 0)
            .map(|_| ()))
    })
    .await?;

    // Sign-in revoked (as when the session ends in Entra ID): the token provider needs the
    // operator again.
    js(client, "window.cloudpcAuth.signOut(); return 0").await?;
    let prompt = wait::until("the prompt to sign in again", TIMEOUT, || async {
        text(client, "[data-testid=sign-in-again]").await
    })
    .await?;
    assert!(prompt.contains("Sign in again"), "{prompt}");
    let paused = text(client, "[data-testid=run-paused]").await?;
    assert!(
        paused.is_some_and(|p| p.contains("Paused")),
        "the run says it is paused"
    );
    // Requests already on the wire finish; after that nothing more is sent while paused.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let at_pause = reprovisions_received(stack);
    let counts_at_pause = counts(browser).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        reprovisions_received(stack),
        at_pause,
        "reprovisions sent while sign-in was needed"
    );
    assert!(
        at_pause < total,
        "the pause came before everything was sent"
    );
    assert!(counts_at_pause["pending"] + counts_at_pause["inProgress"] > 0);
    browser.evidence("run-sign-in-paused").await;

    client
        .find(Locator::Css("[data-testid=sign-in-again-button]"))
        .await?
        .click()
        .await?;
    wait_run_ended(browser, TIMEOUT).await?;
    assert_eq!(text(client, "[data-testid=sign-in-again]").await?, None);

    // Nothing lost, nothing failed for want of a token, nothing sent twice.
    let counts = counts(browser).await?;
    assert_eq!(counts.values().sum::<usize>(), total, "{counts:?}");
    let listed = listed(browser).await?;
    each_in_exactly_one(&listed, &chosen)?;
    let ops = stack.sim.operations();
    let done: BTreeSet<String> = ops.iter().map(|o| o.cloud_pc_id.clone()).collect();
    assert_eq!(ops.len(), total, "once each: {} operations", ops.len());
    assert_eq!(done, chosen.iter().cloned().collect::<BTreeSet<_>>());
    assert_eq!(reprovisions_received(stack), total, "each sent once");
    let (status, _) = sim_tenant(stack).await?;
    let mut by_status: BTreeMap<&str, usize> = BTreeMap::new();
    for (category, ids) in &listed {
        for id in ids {
            let want = match category.as_str() {
                "successful" => "provisioned",
                "failed" => "failed",
                other => panic!("{id} ended {other}"),
            };
            assert_eq!(status[id], want, "{id} is {category} in the console");
            *by_status.entry(want).or_default() += 1;
        }
    }
    println!("paused at {at_pause} of {total} sent; ended {by_status:?}");
    Ok(())
}
