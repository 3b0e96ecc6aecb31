//! End to end: a bulk reprovision with parameters (per device, through `$batch`) from the
//! inventory selection, against graph-sim, checked against the simulator's operation log.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde_json::json;
use testkit::browser::Browser;
use testkit::fantoccini::Locator;
use testkit::page::{js, text};
use testkit::stack::{Stack, StackOptions};
use testkit::wait;

const TIMEOUT: Duration = Duration::from_secs(90);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built console: run `cargo xtask test`"]
async fn a_per_device_bulk_run_reprovisions_exactly_the_confirmed_devices_once(
) -> anyhow::Result<()> {
    let sim = graph_sim::SimConfig {
        devices: 300,
        seed: 21,
        time_scale: 60.0,
        ..Default::default()
    };
    let stack = Stack::start(StackOptions::for_tests(sim)?).await?;
    let browser = Browser::start().await?;
    let result = scenario(&stack, &browser).await;
    if result.is_err() {
        browser.evidence("bulk-failure").await;
    }
    browser.close().await?;
    result
}

async fn scenario(stack: &Stack, browser: &Browser) -> anyhow::Result<()> {
    let client = &browser.client;
    // Provisioned and failed Cloud PCs only, then the first 15 enterprise ones selected.
    client
        .goto(&format!(
            "{}#/cloudpcs?status=provisioned&product=enterprise",
            stack.console.url()
        ))
        .await?;
    wait::until("the inventory", TIMEOUT, || async {
        Ok(text(client, "[data-testid=inventory-progress]")
            .await?
            .filter(|t| t == "300 Cloud PCs"))
    })
    .await?;
    js(client, "const boxes = document.querySelectorAll('tr[data-cloudpc-id] input[type=checkbox]'); boxes[0].click(); boxes[14].dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, shiftKey: true})); return 0").await?;
    let chosen: Vec<String> = serde_json::from_value(js(client, "return [...document.querySelectorAll('tr[data-cloudpc-id]')].slice(0, 15).map(r => r.dataset.cloudpcId)").await?)?;
    assert_eq!(
        text(client, "[data-testid=selected-count]")
            .await?
            .as_deref(),
        Some("15 selected")
    );

    client
        .find(Locator::Css("[data-testid=bulk-reprovision]"))
        .await?
        .click()
        .await?;
    client
        .find(Locator::Css("#bulk-os-windows-11"))
        .await?
        .click()
        .await?;
    client
        .find(Locator::Css("#bulk-account-standard-user"))
        .await?
        .click()
        .await?;
    client
        .find(Locator::XPath("//button[text()='Check with Graph']"))
        .await?
        .click()
        .await?;
    let listed = wait::until("the preflight", TIMEOUT, || async {
        Ok(js(client, "const l = document.querySelector('[data-testid=to-wipe]'); return l ? l.children.length : null").await?.as_u64())
    })
    .await?;
    assert_eq!(
        listed, 15,
        "all 15 are provisioned enterprise PCs, supported"
    );
    let confirm = client
        .find(Locator::XPath(
            "//*[@role='dialog']//button[starts-with(text(), 'Reprovision 15')]",
        ))
        .await?;
    assert!(
        !confirm.is_enabled().await?,
        "enabled before the number was typed"
    );
    client
        .find(Locator::Css("#confirm-count"))
        .await?
        .send_keys("15")
        .await?;
    confirm.click().await?;

    wait::until("every device answered", TIMEOUT, || async {
        Ok(text(client, "[data-testid=run-progress]")
            .await?
            .filter(|t| t.starts_with("15 of 15 devices done")))
    })
    .await?;
    let mut counts = BTreeMap::new();
    for key in [
        "pending",
        "inProgress",
        "successful",
        "failed",
        "notFound",
        "notSupported",
        "unknown",
    ] {
        let n: u64 = text(client, &format!("[data-testid=count-{key}]"))
            .await?
            .unwrap()
            .parse()?;
        counts.insert(key, n);
    }
    assert_eq!(
        counts.values().sum::<u64>(),
        15,
        "every device in exactly one category: {counts:?}"
    );
    assert_eq!(counts["successful"] + counts["failed"], 15, "{counts:?}");

    // The simulator carried out exactly the confirmed devices, once each, with exactly the
    // chosen parameters, through $batch.
    let operations = stack.sim.operations();
    let done: BTreeSet<String> = operations.iter().map(|o| o.cloud_pc_id.clone()).collect();
    assert_eq!(done, chosen.iter().cloned().collect::<BTreeSet<_>>());
    assert_eq!(operations.len(), 15, "once each");
    for o in &operations {
        assert_eq!(
            o.params,
            Some(json!({"osVersion": "windows11", "userAccountType": "standardUser"}))
        );
    }
    let batched = stack
        .sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/reprovision"))
        .all(|r| r.batch_id.is_some());
    assert!(batched, "every reprovision went through $batch");
    // What the operator sees (target/e2e/bulk-results.png).
    testkit::run_flows::open_categories(browser).await?;
    browser.evidence("bulk-results").await;
    Ok(())
}
