//! End to end: the browser goes offline (DevTools network emulation, which also sets
//! `navigator.onLine` and fires `offline`/`online`). The console shows a banner, holds its Graph
//! requests instead of failing them (an inventory refresh, a confirmed bulk run), marks nothing
//! done meanwhile, and sends everything, once, when the network is back.
#![cfg(not(target_arch = "wasm32"))]

use std::time::Duration;

use serde_json::json;
use testkit::browser::Browser;
use testkit::fantoccini::{Client, Locator};
use testkit::page::{js, text};
use testkit::stack::{Stack, StackOptions};
use testkit::wait;

const TIMEOUT: Duration = Duration::from_secs(60);
const DEVICES: usize = 60;
/// How long the test stays offline to see that nothing is sent or marked.
const OFFLINE_FOR: Duration = Duration::from_secs(3);
/// Longer than the client's retries of a read would take to give up (three back-offs of at
/// most 1, 2 and 4 s), so a read that was failed rather than held would show its error.
const READS_GIVE_UP_AFTER: Duration = Duration::from_secs(9);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built console: run `cargo xtask test`"]
async fn offline_shows_a_banner_holds_requests_and_marks_nothing_done() -> anyhow::Result<()> {
    let sim = graph_sim::SimConfig {
        devices: DEVICES,
        seed: 23,
        time_scale: 60.0,
        ..Default::default()
    };
    let stack = Stack::start(StackOptions::for_tests(sim)?).await?;
    let browser = Browser::start().await?;
    let result = scenario(&stack, &browser).await;
    if result.is_err() {
        browser.evidence("offline-failure").await;
    }
    let closed = browser.close().await;
    result?;
    closed
}

async fn network(browser: &Browser, offline: bool) -> anyhow::Result<()> {
    browser.cdp("Network.enable", json!({})).await?;
    browser
        .cdp(
            "Network.emulateNetworkConditions",
            json!({ "offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 }),
        )
        .await?;
    Ok(())
}

async fn banner(client: &Client) -> anyhow::Result<bool> {
    Ok(text(client, "[data-testid=offline-banner]")
        .await?
        .is_some())
}

async fn wait_banner(client: &Client, shown: bool) -> anyhow::Result<()> {
    wait::until(
        if shown {
            "the offline banner"
        } else {
            "the banner to go"
        },
        TIMEOUT,
        || async { Ok((banner(client).await? == shown).then_some(())) },
    )
    .await
}

async fn scenario(stack: &Stack, browser: &Browser) -> anyhow::Result<()> {
    let client = &browser.client;
    client
        .goto(&format!(
            "{}#/cloudpcs?status=provisioned&product=enterprise",
            stack.console.url()
        ))
        .await?;
    let loaded = format!("{DEVICES} Cloud PCs");
    wait::until("the inventory", TIMEOUT, || async {
        Ok(text(client, "[data-testid=inventory-progress]")
            .await?
            .filter(|t| *t == loaded))
    })
    .await?;
    assert!(!banner(client).await?, "a banner while online");

    // Offline: a refresh is held, not failed.
    network(browser, true).await?;
    wait_banner(client, true).await?;
    browser.evidence("offline-banner").await;
    stack.sim.sim().clear_requests();
    client
        .find(Locator::XPath("//button[text()='Refresh']"))
        .await?
        .click()
        .await?;
    tokio::time::sleep(READS_GIVE_UP_AFTER).await;
    assert!(
        text(client, "[data-testid=graph-error]").await?.is_none(),
        "a held refresh was shown as failed"
    );
    assert!(stack.sim.requests().is_empty(), "sent while offline");
    network(browser, false).await?;
    wait_banner(client, false).await?;
    wait::until("the refreshed inventory", TIMEOUT, || async {
        Ok(text(client, "[data-testid=inventory-progress]")
            .await?
            .filter(|t| *t == loaded))
    })
    .await?;
    assert!(
        !stack.sim.requests().is_empty(),
        "the refresh went out once online"
    );

    // A bulk run confirmed offline: held, nothing marked done, then sent once when back.
    js(client, "const boxes = document.querySelectorAll('tr[data-cloudpc-id] input[type=checkbox]'); boxes[0].click(); boxes[9].dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, shiftKey: true})); return 0").await?;
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
        .find(Locator::XPath("//button[text()='Check with Graph']"))
        .await?
        .click()
        .await?;
    let count = wait::until("the preflight", TIMEOUT, || async {
        Ok(client.find(Locator::Css("#confirm-count")).await.ok())
    })
    .await?;
    count.send_keys("10").await?;
    network(browser, true).await?;
    wait_banner(client, true).await?;
    client
        .find(Locator::XPath(
            "//*[@role='dialog']//button[starts-with(text(), 'Reprovision 10')]",
        ))
        .await?
        .click()
        .await?;
    tokio::time::sleep(OFFLINE_FOR).await;
    for category in ["successful", "failed", "notFound", "unknown"] {
        assert_eq!(
            text(client, &format!("[data-testid=count-{category}]"))
                .await?
                .as_deref(),
            Some("0"),
            "{category} while offline"
        );
    }
    assert!(
        stack.sim.operations().is_empty(),
        "reprovisioned while offline"
    );
    browser.evidence("offline-bulk-held").await;
    network(browser, false).await?;
    wait_banner(client, false).await?;
    wait::until("every device answered", TIMEOUT, || async {
        Ok(text(client, "[data-testid=run-progress]")
            .await?
            .filter(|t| t.starts_with("10 of 10 devices done")))
    })
    .await?;
    assert_eq!(
        text(client, "[data-testid=count-successful]")
            .await?
            .as_deref(),
        Some("10")
    );
    let operations = stack.sim.operations();
    let once: std::collections::HashSet<_> =
        operations.iter().map(|o| o.cloud_pc_id.clone()).collect();
    assert_eq!((operations.len(), once.len()), (10, 10), "each sent once");
    Ok(())
}
