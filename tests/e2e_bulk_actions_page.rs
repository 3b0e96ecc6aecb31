//! End to end: the bulk actions page lists the tenant's bulk actions (created here through the
//! simulator as any Graph client would, one with injected failures) with status, summary counts,
//! who started them and when; its Retry button, after the typed confirmation, sends
//! `bulkActions/{id}/retry` without a body, and the simulator reprovisions exactly the devices
//! that had failed.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde_json::{json, Value};
use testkit::browser::Browser;
use testkit::fantoccini::Locator;
use testkit::http::{get_json, post_json};
use testkit::page::{js, text};
use testkit::stack::{Stack, StackOptions};
use testkit::wait;

const TIMEOUT: Duration = Duration::from_secs(40);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built console: run `cargo xtask test`"]
async fn the_bulk_actions_page_shows_the_tenants_actions_and_retries_the_failed_devices(
) -> anyhow::Result<()> {
    let mut sim = graph_sim::SimConfig {
        devices: 100,
        seed: 8,
        time_scale: 60.0,
        ..Default::default()
    };
    sim.timing.reprovision_failure_rate = 0.5;
    let stack = Stack::start(StackOptions::for_tests(sim)?).await?;
    let browser = Browser::start().await?;
    let result = scenario(&stack, &browser).await;
    if result.is_err() {
        browser.evidence("bulk-actions-page-failure").await;
    }
    browser.close().await?;
    result
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_default()
}

async fn scenario(stack: &Stack, browser: &Browser) -> anyhow::Result<()> {
    let client = &browser.client;
    let token = stack.token().await?;
    let base = format!(
        "{}/beta/deviceManagement/virtualEndpoint/bulkActions",
        stack.sim.base_url()
    );
    let pcs = stack.all_cloud_pcs().await?;
    let eligible: Vec<String> = pcs
        .iter()
        .filter(|pc| s(pc, "status") == "provisioned" && s(pc, "productType") == "enterprise")
        .map(|pc| s(pc, "id").to_string())
        .collect();
    let create = |name: &str, ids: &[String]| {
        json!({
            "@odata.type": "#microsoft.graph.cloudPcBulkReprovision",
            "displayName": name,
            "cloudPcIds": ids,
            "scheduledDuringMaintenanceWindow": false,
        })
    };
    let first = post_json(
        &base,
        Some(&token),
        &create("Image fix wave 1", &eligible[..8]),
    )
    .await?;
    let second = post_json(
        &base,
        Some(&token),
        &create("Image fix wave 2", &eligible[8..10]),
    )
    .await?;
    let (first_id, second_id) = (s(&first, "id").to_string(), s(&second, "id").to_string());
    // Both finish in simulated minutes.
    let settled = |id: String| {
        let (base, token) = (base.clone(), token.clone());
        async move {
            wait::until("the bulk action to complete", TIMEOUT, || async {
                let a = get_json(&format!("{base}/{id}"), Some(&token)).await?;
                Ok((s(&a, "status") != "pending").then_some(a))
            })
            .await
        }
    };
    let first_done = settled(first_id.clone()).await?;
    settled(second_id.clone()).await?;
    let failed_count = first_done["actionSummary"]["failedCount"]
        .as_u64()
        .unwrap_or(0);
    anyhow::ensure!(failed_count >= 1, "the seed failed nothing in wave 1");
    let statuses: BTreeMap<String, String> = stack
        .all_cloud_pcs()
        .await?
        .iter()
        .map(|pc| (s(pc, "id").to_string(), s(pc, "status").to_string()))
        .collect();
    let failed: BTreeSet<String> = eligible[..8]
        .iter()
        .filter(|id| statuses[*id] == "failed")
        .cloned()
        .collect();
    assert_eq!(failed.len() as u64, failed_count);

    // The page, through its nav link.
    client.goto(&stack.console.url()).await?;
    // The nav appears once the console has started and signed in.
    wait::until("the nav link", TIMEOUT, || async {
        text(client, "[data-testid=nav-bulk-actions]").await
    })
    .await?;
    client
        .find(Locator::Css("[data-testid=nav-bulk-actions]"))
        .await?
        .click()
        .await?;
    wait::until("the bulk actions", TIMEOUT, || async {
        Ok(text(client, "[data-testid=bulk-actions-count]")
            .await?
            .filter(|t| t == "2 bulk actions"))
    })
    .await?;
    let row = |id: &str, cell: &str| {
        format!("return document.querySelector('tr[data-bulk-action-id=\"{id}\"] [data-testid={cell}]').textContent")
    };
    let summary = &first_done["actionSummary"];
    for (cell, key) in [
        ("bulk-successful", "successfulCount"),
        ("bulk-failed", "failedCount"),
        ("bulk-in-progress", "inProgressCount"),
        ("bulk-pending", "pendingCount"),
        ("bulk-not-supported", "notSupportedCount"),
    ] {
        assert_eq!(
            js(client, &row(&first_id, cell)).await?.as_str(),
            Some(summary[key].as_u64().unwrap_or(0).to_string().as_str()),
            "{cell}"
        );
    }
    assert_eq!(
        js(client, &row(&first_id, "bulk-status")).await?.as_str(),
        Some(s(&first_done, "status"))
    );
    let page_text = text(client, "[data-testid=bulk-actions]")
        .await?
        .unwrap_or_default();
    assert!(
        page_text.contains(&stack.user),
        "who started it: {page_text}"
    );
    assert!(page_text.contains("Image fix wave 1") && page_text.contains("Image fix wave 2"));
    browser.evidence("bulk-actions-page").await;

    // Retry wave 1: every failed device, after typing their number.
    let ops_before = stack.sim.operations().len();
    client
        .find(Locator::Css(&format!(
            "tr[data-bulk-action-id='{first_id}'] [data-testid=bulk-retry]"
        )))
        .await?
        .click()
        .await?;
    wait::until("the retry confirmation", TIMEOUT, || async {
        text(client, "#bulk-retry-title").await
    })
    .await?;
    let confirm = client
        .find(Locator::XPath(&format!(
            "//*[@role='dialog']//button[text()='Retry {failed_count} Cloud PCs']"
        )))
        .await?;
    assert!(
        !confirm.is_enabled().await?,
        "enabled before the number was typed"
    );
    client
        .find(Locator::Css("#bulk-retry-count"))
        .await?
        .send_keys(&failed_count.to_string())
        .await?;
    confirm.click().await?;
    let shown_request_id = wait::until("the retry outcome", TIMEOUT, || async {
        text(client, "[data-testid=bulk-retry-outcome]").await
    })
    .await?;
    let retry = stack
        .sim
        .requests()
        .into_iter()
        .find(|r| r.method == "POST" && r.path.ends_with("/retry"))
        .ok_or_else(|| anyhow::anyhow!("no retry request"))?;
    assert!(retry
        .path
        .ends_with(&format!("/bulkActions/{first_id}/retry")));
    assert!(
        retry.body.is_null(),
        "no body: every failed device ({})",
        retry.body
    );
    assert!(
        shown_request_id.contains(&retry.request_id),
        "the page shows Graph's request-id: {shown_request_id}"
    );

    // Exactly the failed devices are reprovisioned again, once each.
    let new_ops = || -> Vec<String> {
        stack.sim.operations()[ops_before..]
            .iter()
            .map(|o| o.cloud_pc_id.clone())
            .collect()
    };
    wait::until(
        "the failed devices reprovisioned again",
        TIMEOUT,
        || async { Ok((new_ops().len() >= failed.len()).then_some(())) },
    )
    .await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let again = new_ops();
    assert_eq!(again.iter().cloned().collect::<BTreeSet<_>>(), failed);
    assert_eq!(again.len(), failed.len(), "once each: {again:?}");
    Ok(())
}
