//! End to end: the inventory at scale and the device page, in headless Chromium against
//! graph-sim (paging with progress, filter and facets, URL state across a reload, range
//! selection, select-all-matching, virtualised rows, unknown statuses, device page with action
//! history and the reprovision gate, deep links that survive a reload).
#![cfg(not(target_arch = "wasm32"))]

use std::time::Duration;

use testkit::browser::{Browser, TempDir};
use testkit::fantoccini::{Client, Locator};
use testkit::page::{js, text};
use testkit::stack::{Stack, StackOptions};
use testkit::wait;

const TIMEOUT: Duration = Duration::from_secs(60);
const DEVICES: usize = 1500;

async fn wait_text(client: &Client, what: &str, css: &str, want: &str) -> anyhow::Result<()> {
    wait::until(what, TIMEOUT, || async {
        Ok(text(client, css).await?.filter(|t| t == want).map(|_| ()))
    })
    .await
}

async fn click(client: &Client, css: &str) -> anyhow::Result<()> {
    client.find(Locator::Css(css)).await?.click().await?;
    Ok(())
}

/// A tenant in Graph's own shape: the generated one, with two Cloud PCs in a status no
/// version of the console has heard of.
async fn tenant_with_unknown_statuses(dir: &TempDir) -> anyhow::Result<std::path::PathBuf> {
    let generator = graph_sim::start(
        graph_sim::SimConfig {
            devices: DEVICES,
            seed: 11,
            ..Default::default()
        },
        "127.0.0.1:0".parse()?,
    )
    .await?;
    let mut tenant =
        testkit::http::get_json(&format!("{}/_sim/tenant", generator.base_url()), None).await?;
    generator.shutdown().await;
    let pcs = tenant["value"].as_array_mut().expect("value");
    for pc in pcs
        .iter_mut()
        .filter(|pc| pc["status"] == "provisioned")
        .take(2)
    {
        pc["status"] = "hibernating".into();
    }
    let path = dir.0.join("tenant.json");
    std::fs::write(
        &path,
        serde_json::to_vec(&serde_json::json!({ "value": tenant["value"] }))?,
    )?;
    Ok(path)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built console: run `cargo xtask test`"]
async fn inventory_at_scale_and_the_device_page() -> anyhow::Result<()> {
    let dir = TempDir::new("cloudpc-e2e-inventory")?;
    let tenant = tenant_with_unknown_statuses(&dir).await?;
    let mut sim = graph_sim::SimConfig {
        tenant_file: Some(tenant),
        page_size: 100,
        max_page_size: 100,
        ..Default::default()
    };
    // Slow pages, so the progress indicator can be seen while paging.
    sim.faults.latency_ms = Some(graph_sim::LatencyRange {
        min_ms: 40,
        max_ms: 60,
    });
    let stack = Stack::start(StackOptions::for_tests(sim)?).await?;
    let browser = Browser::start().await?;
    let result = scenario(&stack, &browser).await;
    if result.is_err() {
        browser.evidence("inventory-failure").await;
    }
    browser.close().await?;
    result
}

async fn scenario(stack: &Stack, browser: &Browser) -> anyhow::Result<()> {
    let client = &browser.client;
    client.goto(&stack.console.url()).await?;

    // Paging to completion, with progress while it runs.
    let progress = wait::until("a progress count while loading", TIMEOUT, || async {
        Ok(text(client, "[data-testid=inventory-progress]")
            .await?
            .filter(|t| t.starts_with("Loading…") && !t.starts_with("Loading… 0 ")))
    })
    .await?;
    assert!(progress.ends_with("Cloud PCs so far"), "{progress}");
    wait_text(
        client,
        "every Cloud PC",
        "[data-testid=inventory-progress]",
        "1500 Cloud PCs",
    )
    .await?;
    assert!(text(client, "[data-testid=loaded-at]")
        .await?
        .unwrap()
        .starts_with("Last loaded at"));
    let list_requests: Vec<_> = stack
        .sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path.ends_with("/virtualEndpoint/cloudPCs"))
        .collect();
    assert_eq!(list_requests.len(), 15, "1500 Cloud PCs at 100 a page");
    let first_query = list_requests[0].query.clone().unwrap_or_default();
    assert!(
        first_query.contains("select=id,displayName"),
        "selects only what it shows: {first_query}"
    );

    // Virtualised: a few dozen rows in the DOM, however many devices.
    let rows_in_dom = js(
        client,
        "return document.querySelectorAll('tr[data-cloudpc-id]').length",
    )
    .await?;
    assert!(
        rows_in_dom.as_u64().unwrap() <= 80,
        "{rows_in_dom} rows in the DOM"
    );
    js(
        client,
        "document.querySelector('.grid-scroll').scrollTop = 40 * 1000; return 0",
    )
    .await?;
    wait::until("rows around #1000 after scrolling", TIMEOUT, || async {
        let idx = js(client, "const r = document.querySelector('tr[data-cloudpc-id]'); return r ? Number(r.getAttribute('aria-rowindex')) : 0").await?;
        Ok((idx.as_u64().unwrap_or(0) > 900).then_some(()))
    })
    .await?;
    let rows_in_dom = js(
        client,
        "return document.querySelectorAll('tr[data-cloudpc-id]').length",
    )
    .await?;
    assert!(rows_in_dom.as_u64().unwrap() <= 80);

    // A status never seen before is shown by its raw name, as text (and a neutral colour).
    click(
        client,
        "fieldset[data-facet=status] input[data-value=hibernating]",
    )
    .await?;
    wait_text(
        client,
        "the unknown-status facet",
        "[data-testid=match-count]",
        "2 of 1500 match",
    )
    .await?;
    // A cell cut off with an ellipsis shows its whole text on hover, and only such a cell.
    let tips = js(client, "return [...document.querySelectorAll('tr[data-cloudpc-id] td:nth-child(3)')].map(td => { td.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})); return [td.scrollWidth > td.clientWidth, td.getAttribute('title'), td.textContent]; })").await?;
    let tips: Vec<(bool, Option<String>, String)> = serde_json::from_value(tips)?;
    assert!(!tips.is_empty());
    for (cut_off, title, text) in &tips {
        assert_eq!(title.as_ref(), cut_off.then_some(text), "{text}");
    }
    let badges = js(client, "return [...document.querySelectorAll('tr[data-cloudpc-id] .status')].map(b => b.textContent + '|' + b.className)").await?;
    assert_eq!(
        badges,
        serde_json::json!(["hibernating|status other", "hibernating|status other"])
    );

    // Text filter plus facet, kept in the URL and restored after a reload.
    click(
        client,
        "fieldset[data-facet=status] input[data-value=hibernating]",
    )
    .await?;
    click(
        client,
        "fieldset[data-facet=status] input[data-value=failed]",
    )
    .await?;
    let failed = js(client, "return Number(document.querySelector('fieldset[data-facet=status] input[data-value=failed]').closest('label').querySelector('.facet-count').textContent)").await?;
    let failed = failed.as_u64().unwrap();
    assert!(failed > 0);
    wait_text(
        client,
        "the failed facet",
        "[data-testid=match-count]",
        &format!("{failed} of 1500 match"),
    )
    .await?;
    let search = client.find(Locator::Css("#inventory-search")).await?;
    search.send_keys("CPC-").await?; // every device name starts so
    wait_text(
        client,
        "the text filter",
        "[data-testid=match-count]",
        &format!("{failed} of 1500 match"),
    )
    .await?;
    search.send_keys("-nobody-").await?;
    wait_text(
        client,
        "a filter that matches nothing",
        "[data-testid=match-count]",
        "0 of 1500 match",
    )
    .await?;
    assert!(text(client, "[data-testid=no-match]").await?.is_some());
    search.clear().await?;
    search.send_keys("cpc").await?;
    wait_text(
        client,
        "the filter again",
        "[data-testid=match-count]",
        &format!("{failed} of 1500 match"),
    )
    .await?;
    // The URL follows once typing pauses.
    let fragment = wait::until("the filter in the URL", TIMEOUT, || async {
        let url = client.current_url().await?;
        let fragment = url.fragment().unwrap_or_default().to_string();
        Ok((fragment.contains("status=failed") && fragment.contains("q=cpc")).then_some(fragment))
    })
    .await?;
    assert!(!fragment.contains("nobody"), "{fragment}");
    client.refresh().await?;
    wait_text(
        client,
        "every Cloud PC after the reload",
        "[data-testid=inventory-progress]",
        "1500 Cloud PCs",
    )
    .await?;
    wait_text(
        client,
        "the restored filter",
        "[data-testid=match-count]",
        &format!("{failed} of 1500 match"),
    )
    .await?;
    let restored = js(client, "return [document.querySelector('#inventory-search').value, document.querySelector('fieldset[data-facet=status] input[data-value=failed]').checked]").await?;
    assert_eq!(restored, serde_json::json!(["cpc", true]));

    // Range selection with shift-click, then select-all-matching; selection survives filters.
    client
        .goto(&format!("{}#/cloudpcs", stack.console.url()))
        .await?;
    wait_text(
        client,
        "the unfiltered list",
        "[data-testid=match-count]",
        "1500 of 1500 match",
    )
    .await?;
    // The page was shown again for the new URL: its rows are those of one table, in order.
    let places = js(client, "return [...document.querySelectorAll('tr[data-cloudpc-id]')].map(r => Number(r.getAttribute('aria-rowindex')))").await?;
    let places: Vec<u64> = serde_json::from_value(places)?;
    assert!(
        !places.is_empty() && places.windows(2).all(|w| w[1] == w[0] + 1),
        "rows in list order, each once: {places:?}"
    );
    js(client, "document.querySelectorAll('tr[data-cloudpc-id] input[type=checkbox]')[1].click(); return 0").await?;
    js(client, "document.querySelectorAll('tr[data-cloudpc-id] input[type=checkbox]')[5].dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, shiftKey: true})); return 0").await?;
    wait_text(
        client,
        "a range of five",
        "[data-testid=selected-count]",
        "5 selected",
    )
    .await?;
    let checked = js(client, "return [...document.querySelectorAll('tr[data-cloudpc-id] input[type=checkbox]')].slice(0, 7).map(c => c.checked)").await?;
    assert_eq!(
        checked,
        serde_json::json!([false, true, true, true, true, true, false])
    );
    click(
        client,
        "fieldset[data-facet=status] input[data-value=failed]",
    )
    .await?;
    wait_text(
        client,
        "the failed facet",
        "[data-testid=match-count]",
        &format!("{failed} of 1500 match"),
    )
    .await?;
    client
        .find(Locator::XPath(
            "//button[starts-with(text(), 'Select all')]",
        ))
        .await?
        .click()
        .await?;
    let selected = text(client, "[data-testid=selected-count]").await?.unwrap();
    let n: usize = selected.trim_end_matches(" selected").parse()?;
    assert!(
        n >= failed as usize && n <= failed as usize + 5,
        "{selected}"
    );
    client
        .find(Locator::XPath("//button[text()='Clear selection']"))
        .await?
        .click()
        .await?;
    wait_text(
        client,
        "a cleared selection",
        "[data-testid=selected-count]",
        "0 selected",
    )
    .await?;

    // Sorting by a column.
    client
        .goto(&format!("{}#/cloudpcs", stack.console.url()))
        .await?;
    wait_text(
        client,
        "the unfiltered list",
        "[data-testid=match-count]",
        "1500 of 1500 match",
    )
    .await?;
    client
        .find(Locator::XPath("//th//button[starts-with(text(), 'Name')]"))
        .await?
        .click()
        .await?;
    let names = js(client, "return [...document.querySelectorAll('tr[data-cloudpc-id] td.col-name')].slice(0, 10).map(td => td.textContent.toLowerCase())").await?;
    let names: Vec<String> = serde_json::from_value(names)?;
    let mut sorted = names.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(names, sorted, "descending by name after the second click");

    // Device page: a provisioned Cloud PC, reached from its row.
    let pcs = stack.all_cloud_pcs().await?;
    let provisioned = pcs
        .iter()
        .find(|pc| pc["status"] == "provisioned" && pc["managedDeviceId"].is_string())
        .expect("a provisioned PC");
    let id = provisioned["id"].as_str().unwrap();
    client
        .goto(&format!("{}#/cloudpcs?q={id}", stack.console.url()))
        .await?;
    wait_text(
        client,
        "the one device",
        "[data-testid=match-count]",
        "1 of 1500 match",
    )
    .await?;
    click(client, "td.col-name a").await?;
    let name = wait::until("the device page", TIMEOUT, || async {
        text(client, "[data-testid=device-name]").await
    })
    .await?;
    assert_eq!(name, provisioned["displayName"].as_str().unwrap());
    wait::until("the action history", TIMEOUT, || async {
        text(client, "[data-testid=history-current]").await
    })
    .await?;
    let page = text(client, "main").await?.unwrap();
    for group in ["Identity", "User", "Provisioning", "Status"] {
        assert!(page.contains(group), "group {group} missing");
    }
    assert!(page.contains("Remote action results (Intune managed device)"));
    let reprovision = client
        .find(Locator::Css("[data-testid=device-reprovision]"))
        .await?;
    assert!(
        reprovision.is_enabled().await?,
        "provisioned and supported: enabled"
    );
    assert!(text(client, "[data-testid=supported-actions]")
        .await?
        .unwrap()
        .to_lowercase()
        .contains("reprovision"));

    // Reprovision from the device page; after a refresh its history shows the new action.
    reprovision.click().await?;
    client
        .find(Locator::XPath("//button[text()='Continue']"))
        .await?
        .click()
        .await?;
    client
        .find(Locator::Css("#confirm-name"))
        .await?
        .send_keys(&name)
        .await?;
    client
        .find(Locator::XPath("//button[text()='Reprovision']"))
        .await?
        .click()
        .await?;
    wait::until("the reprovision outcome", TIMEOUT, || async {
        text(client, "[data-testid=reprovision-outcome]").await
    })
    .await?;
    client
        .find(Locator::XPath("//button[text()='Close']"))
        .await?
        .click()
        .await?;
    client
        .find(Locator::XPath("//button[text()='Refresh']"))
        .await?
        .click()
        .await?;
    let history = wait::until("the new action in the history", TIMEOUT, || async {
        let rows = js(client, "return [...document.querySelectorAll('[data-testid=history-current] tbody tr')].map(r => [...r.cells].slice(0, 4).map(c => c.textContent))").await?;
        let rows: Vec<Vec<String>> = serde_json::from_value(rows)?;
        Ok(rows.into_iter().find(|r| r[0].eq_ignore_ascii_case("reprovision") && r[1] != "done" && r[1] != "failed"))
    })
    .await?;
    assert!(
        ["pending", "active"].contains(&history[1].as_str()),
        "{history:?}"
    );
    assert!(!history[2].is_empty(), "a start time is shown: {history:?}");
    let hover = js(client, "return document.querySelector('[data-testid=history-current] tbody time').getAttribute('title')").await?;
    assert!(
        hover.as_str().unwrap().ends_with("(UTC)"),
        "UTC on hover: {hover}"
    );
    let reprovisions: Vec<_> = stack
        .sim
        .operations()
        .into_iter()
        .filter(|o| o.cloud_pc_id == id)
        .collect();
    assert_eq!(reprovisions.len(), 1, "{reprovisions:?}");
    assert_eq!(
        reprovisions[0].params, None,
        "keep current: no parameters sent"
    );

    // A Cloud PC in provisioning, by deep link, after a reload: Reprovision is blocked, with the reason.
    let busy = pcs
        .iter()
        .find(|pc| pc["status"] == "provisioning")
        .expect("a provisioning PC");
    let busy_id = busy["id"].as_str().unwrap();
    client
        .goto(&format!("{}#/cloudpcs/{busy_id}", stack.console.url()))
        .await?;
    client.refresh().await?;
    let reason = wait::until("the reason Reprovision is blocked", TIMEOUT, || async {
        text(client, "[data-testid=reprovision-blocked]").await
    })
    .await?;
    assert!(reason.contains("provisioning"), "{reason}");
    assert!(
        !client
            .find(Locator::Css("[data-testid=device-reprovision]"))
            .await?
            .is_enabled()
            .await?
    );
    Ok(())
}
