//! End to end: the release console in headless Chromium against graph-sim, through the same
//! HTTP path as production (fetch, CORS, bearer tokens from the sign-in layer).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::{json, Value};
use testkit::browser::Browser;
use testkit::fantoccini::Client;
use testkit::flows;
use testkit::page::text;
use testkit::stack::{Stack, StackOptions};
use testkit::wait;

const TIMEOUT: Duration = Duration::from_secs(60);

/// Every Cloud PC id the table shows, scrolling it from top to bottom (the table is
/// virtualised: only the rows in view exist at any moment).
async fn row_ids(client: &Client) -> anyhow::Result<BTreeSet<String>> {
    let ids: Value = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             (async () => {
               const scroller = document.querySelector('.grid-scroll');
               const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
               const ids = new Set();
               scroller.scrollTop = 0;
               for (let guard = 0; guard < 10000; guard++) {
                 await frame();
                 document.querySelectorAll('tr[data-cloudpc-id]').forEach(r => ids.add(r.dataset.cloudpcId));
                 const before = scroller.scrollTop;
                 scroller.scrollTop = before + scroller.clientHeight / 2;
                 await frame();
                 if (scroller.scrollTop === before) break;
               }
               document.querySelectorAll('tr[data-cloudpc-id]').forEach(r => ids.add(r.dataset.cloudpcId));
               scroller.scrollTop = 0;
               await frame();
               done([...ids]);
             })();",
            vec![],
        )
        .await?;
    Ok(ids
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(String::from))
        .collect())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built console: run `cargo xtask test`"]
async fn inventory_shows_every_page_and_reprovision_sends_exactly_the_chosen_parameters(
) -> anyhow::Result<()> {
    // 250 Cloud PCs served at most 100 to a page: the console must follow @odata.nextLink twice.
    let sim = graph_sim::SimConfig {
        devices: 250,
        seed: 7,
        page_size: 100,
        max_page_size: 100,
        time_scale: 1.0,
        ..Default::default()
    };
    let stack = Stack::start(StackOptions::for_tests(sim)?).await?;
    let expected: BTreeSet<String> = stack
        .all_cloud_pcs()
        .await?
        .iter()
        .map(|pc| pc["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(expected.len(), 250);
    let before_console = stack.sim.requests().len();

    let browser = Browser::start().await?;
    let client = &browser.client;
    client.goto(&stack.console.url()).await?;

    // The signed-in operator is shown, and every Cloud PC of every page is listed.
    let account = wait::until("the signed-in account", TIMEOUT, || async {
        text(client, "[data-testid=account]").await
    })
    .await?;
    assert_eq!(account, stack.user);
    wait::until("all 250 Cloud PCs", TIMEOUT, || async {
        let text = text(client, "[data-testid=inventory-progress]").await?;
        Ok(text.filter(|t| t == "250 Cloud PCs"))
    })
    .await?;
    assert_eq!(row_ids(client).await?, expected);
    let pages = stack.sim.requests()[before_console..]
        .iter()
        .filter(|r| r.method == "GET" && r.path.ends_with("/virtualEndpoint/cloudPCs"))
        .count();
    assert_eq!(pages, 3, "250 devices at 100 a page is 3 pages");

    // Pick a Cloud PC whose status allows reprovisioning.
    let row = flows::first_provisioned_row(&browser).await?;
    let id = row.id.clone();
    let outcome = flows::reprovision_windows11_standard_user(
        &browser,
        &row,
        TIMEOUT,
        "walking-skeleton-reprovision",
    )
    .await?;
    assert!(outcome.contains("Reprovision started"), "{outcome}");

    // The simulator saw exactly one reprovision: to that Cloud PC, with exactly the chosen
    // parameters, and with a bearer token.
    let reprovisions: Vec<_> = stack
        .sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/reprovision"))
        .collect();
    assert_eq!(reprovisions.len(), 1, "{reprovisions:?}");
    let request = &reprovisions[0];
    assert_eq!(
        request.path,
        format!("/beta/deviceManagement/virtualEndpoint/cloudPCs/{id}/reprovision")
    );
    assert_eq!(
        request.body,
        json!({"osVersion": "windows11", "userAccountType": "standardUser"})
    );
    assert_eq!(
        request.headers.get("authorization").map(String::as_str),
        Some("Bearer")
    );
    let operations = stack.sim.operations();
    assert_eq!(operations.len(), 1, "{operations:?}");

    browser.close().await?;
    Ok(())
}
