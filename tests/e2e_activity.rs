//! End to end: the activity page lists what this operator did in the session (an import, a bulk
//! run, a bulk action retry), newest first, with targets, outcomes and Graph's request-ids, and
//! exports it as CSV and JSON (the files the page builds are read back here).
#![cfg(not(target_arch = "wasm32"))]

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
async fn the_activity_page_lists_the_sessions_actions_and_exports_them() -> anyhow::Result<()> {
    let mut sim = graph_sim::SimConfig {
        devices: 100,
        seed: 12,
        time_scale: 60.0,
        ..Default::default()
    };
    sim.timing.reprovision_failure_rate = 0.5;
    let stack = Stack::start(StackOptions::for_tests(sim)?).await?;
    let browser = Browser::start().await?;
    let result = scenario(&stack, &browser).await;
    if result.is_err() {
        browser.evidence("activity-failure").await;
    }
    browser.close().await?;
    result
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_default()
}

async fn click(client: &testkit::fantoccini::Client, css: &str) -> anyhow::Result<()> {
    client.find(Locator::Css(css)).await?.click().await?;
    Ok(())
}

async fn scenario(stack: &Stack, browser: &Browser) -> anyhow::Result<()> {
    let client = &browser.client;
    let pcs = stack.all_cloud_pcs().await?;
    let eligible: Vec<&Value> = pcs
        .iter()
        .filter(|pc| s(pc, "status") == "provisioned" && s(pc, "productType") == "enterprise")
        .collect();

    // 1. Import two names and a name that matches nothing; 2. reprovision the two.
    client
        .goto(&format!("{}#/cloudpcs", stack.console.url()))
        .await?;
    wait::until("the inventory", TIMEOUT, || async {
        Ok(text(client, "[data-testid=inventory-progress]")
            .await?
            .filter(|t| t == "100 Cloud PCs"))
    })
    .await?;
    click(client, "[data-testid=import-list]").await?;
    let list = format!(
        "{}\n{}\nCPC-ghost-0000\n",
        s(eligible[0], "displayName"),
        s(eligible[1], "displayName")
    );
    client
        .find(Locator::Css("#import-text"))
        .await?
        .send_keys(&list)
        .await?;
    client
        .find(Locator::XPath("//button[text()='Check list']"))
        .await?
        .click()
        .await?;
    wait::until("the import report", TIMEOUT, || async {
        text(client, "[data-testid=import-summary]").await
    })
    .await?;
    click(client, "[data-testid=import-reprovision]").await?;
    click(client, "#strategy-per-device").await?;
    client
        .find(Locator::XPath("//button[text()='Check with Graph']"))
        .await?
        .click()
        .await?;
    wait::until("the preflight", TIMEOUT, || async {
        Ok(js(client, "const l = document.querySelector('[data-testid=to-wipe]'); return l ? l.children.length : null").await?.as_u64())
    })
    .await?;
    client
        .find(Locator::Css("#confirm-count"))
        .await?
        .send_keys("2")
        .await?;
    client
        .find(Locator::XPath(
            "//*[@role='dialog']//button[starts-with(text(), 'Reprovision 2')]",
        ))
        .await?
        .click()
        .await?;
    wait::until("both devices answered", TIMEOUT, || async {
        Ok(text(client, "[data-testid=run-progress]")
            .await?
            .filter(|t| t.starts_with("2 of 2 devices done")))
    })
    .await?;
    // The run then follows both devices until they are provisioned again; its end is logged.
    testkit::run_flows::wait_run_ended(browser, TIMEOUT).await?;

    // 3. A bulk action with failures (started elsewhere), retried from the bulk actions page.
    let token = stack.token().await?;
    let base = format!(
        "{}/beta/deviceManagement/virtualEndpoint/bulkActions",
        stack.sim.base_url()
    );
    let ids: Vec<&str> = eligible[2..10].iter().map(|pc| s(pc, "id")).collect();
    let action = post_json(
        &base,
        Some(&token),
        &json!({"@odata.type": "#microsoft.graph.cloudPcBulkReprovision", "displayName": "Wave", "cloudPcIds": ids}),
    )
    .await?;
    let action_id = s(&action, "id").to_string();
    let failed = wait::until("the bulk action to complete", TIMEOUT, || async {
        let a = get_json(&format!("{base}/{action_id}"), Some(&token)).await?;
        Ok((s(&a, "status") != "pending")
            .then(|| a["actionSummary"]["failedCount"].as_u64().unwrap_or(0)))
    })
    .await?;
    anyhow::ensure!(failed > 0, "the seed failed nothing");
    click(client, "[data-testid=nav-bulk-actions]").await?;
    let retry_button = format!("tr[data-bulk-action-id='{action_id}'] [data-testid=bulk-retry]");
    wait::until("the bulk actions", TIMEOUT, || async {
        text(client, &retry_button).await
    })
    .await?;
    click(client, &retry_button).await?;
    wait::until("the retry confirmation", TIMEOUT, || async {
        text(client, "#bulk-retry-title").await
    })
    .await?;
    client
        .find(Locator::Css("#bulk-retry-count"))
        .await?
        .send_keys(&failed.to_string())
        .await?;
    client
        .find(Locator::XPath(&format!(
            "//*[@role='dialog']//button[text()='Retry {failed} Cloud PCs']"
        )))
        .await?
        .click()
        .await?;
    wait::until("the retry outcome", TIMEOUT, || async {
        text(client, "[data-testid=bulk-retry-outcome]").await
    })
    .await?;
    let retry_request_id = stack
        .sim
        .requests()
        .into_iter()
        .find(|r| r.method == "POST" && r.path.ends_with("/retry"))
        .map(|r| r.request_id)
        .ok_or_else(|| anyhow::anyhow!("no retry request"))?;

    // The activity page: newest first.
    click(client, "[data-testid=nav-activity]").await?;
    let kinds: Vec<String> = wait::until("the activity log", TIMEOUT, || async {
        let k = js(client, "const rows = document.querySelectorAll('[data-testid=activity-log] tbody tr'); return rows.length ? [...rows].map(r => r.dataset.kind) : null").await?;
        Ok((!k.is_null()).then(|| serde_json::from_value(k)).transpose()?)
    })
    .await?;
    assert_eq!(
        kinds,
        ["retry", "follow", "startRun", "other"],
        "newest first"
    );
    let cells: Vec<Vec<String>> = serde_json::from_value(
        js(client, "return [...document.querySelectorAll('[data-testid=activity-log] tbody tr')].map(r => [...r.cells].map(c => c.textContent))").await?,
    )?;
    assert!(
        cells[0][1].contains("Retry the") && cells[0][1].contains("Wave"),
        "{:?}",
        cells[0]
    );
    assert!(
        cells[0][4].contains(&retry_request_id),
        "retry request-id: {:?}",
        cells[0]
    );
    assert!(
        cells[1][1].starts_with("Finished: Reprovision 2 Cloud PCs"),
        "{:?}",
        cells[1]
    );
    assert!(
        cells[2][1].starts_with("Reprovision 2 Cloud PCs (per device)"),
        "{:?}",
        cells[2]
    );
    assert!(cells[2][2].starts_with("2 Cloud PCs"), "{:?}", cells[2]);
    assert_eq!(
        cells[3][3],
        "2 Cloud PCs matched from 3 lines: 2 matched, 1 no match."
    );
    browser.evidence("activity").await;

    // Exports: catch the files the page builds.
    js(client, "window.__exports = []; const create = URL.createObjectURL; URL.createObjectURL = b => { window.__exports.push(b); return create.call(URL, b); }; return 0").await?;
    click(client, "[data-testid=activity-export-csv]").await?;
    click(client, "[data-testid=activity-export-json]").await?;
    let files: Vec<String> = serde_json::from_value(
        client
            .execute_async(
                "const done = arguments[arguments.length - 1]; Promise.all(window.__exports.map(b => b.text())).then(done)",
                vec![],
            )
            .await?,
    )?;
    assert_eq!(files.len(), 2);
    let csv: Vec<&str> = files[0].split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        csv[0],
        "time,kind,action,runId,targetCount,targets,outcome,requestIds"
    );
    assert_eq!(csv.len(), 5, "a header and four entries: {csv:?}");
    assert!(csv[4].contains(&retry_request_id), "{}", csv[4]);
    let json: Vec<Value> = serde_json::from_str(&files[1])?;
    let json_kinds: Vec<&str> = json.iter().map(|e| s(e, "kind")).collect();
    assert_eq!(
        json_kinds,
        ["other", "startRun", "follow", "retry"],
        "oldest first in the file"
    );
    assert_eq!(json[1]["targets"].as_array().map(Vec::len), Some(2));
    assert!(
        !files.iter().any(|f| f.contains("Bearer")),
        "no token in exports"
    );
    Ok(())
}
