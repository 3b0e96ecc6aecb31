//! End to end: a bulk-action run in which the simulator fails a share of the reprovisions
//! (injected failures), then a retry of a chosen subset of the failed devices from the results
//! view: `bulkActions/{id}/retry` carries exactly the chosen `cloudPcIds`, and the simulator's
//! operation log shows that only those devices were reprovisioned again.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use testkit::browser::Browser;
use testkit::fantoccini::Locator;
use testkit::page::{js, text};
use testkit::stack::{Stack, StackOptions};
use testkit::wait;

const TIMEOUT: Duration = Duration::from_secs(40);
const DEVICES: usize = 10;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built console: run `cargo xtask test`"]
async fn retrying_a_chosen_subset_of_a_bulk_action_resends_only_those_devices() -> anyhow::Result<()>
{
    let mut sim = graph_sim::SimConfig {
        devices: 200,
        seed: 5,
        time_scale: 60.0,
        ..Default::default()
    };
    // Injected failures: about half of the reprovisions end `failed`.
    sim.timing.reprovision_failure_rate = 0.5;
    let stack = Stack::start(StackOptions::for_tests(sim)?).await?;
    let browser = Browser::start().await?;
    let result = scenario(&stack, &browser).await;
    if result.is_err() {
        browser.evidence("retry-failure").await;
    }
    browser.close().await?;
    result
}

fn reprovisions_per_device(stack: &Stack) -> BTreeMap<String, usize> {
    let mut per = BTreeMap::new();
    for o in stack.sim.operations() {
        *per.entry(o.cloud_pc_id).or_insert(0) += 1;
    }
    per
}

async fn scenario(stack: &Stack, browser: &Browser) -> anyhow::Result<()> {
    let client = &browser.client;
    client
        .goto(&format!(
            "{}#/cloudpcs?status=provisioned&product=enterprise",
            stack.console.url()
        ))
        .await?;
    wait::until("the inventory", TIMEOUT, || async {
        Ok(text(client, "[data-testid=inventory-progress]")
            .await?
            .filter(|t| t == "200 Cloud PCs"))
    })
    .await?;
    js(client, &format!("const boxes = document.querySelectorAll('tr[data-cloudpc-id] input[type=checkbox]'); boxes[0].click(); boxes[{}].dispatchEvent(new MouseEvent('click', {{bubbles: true, cancelable: true, shiftKey: true}})); return 0", DEVICES - 1)).await?;
    client
        .find(Locator::Css("[data-testid=bulk-reprovision]"))
        .await?
        .click()
        .await?;
    // No parameters: the bulk action strategy is the default.
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
        .send_keys(&DEVICES.to_string())
        .await?;
    client
        .find(Locator::XPath(&format!(
            "//*[@role='dialog']//button[starts-with(text(), 'Reprovision {DEVICES}')]"
        )))
        .await?
        .click()
        .await?;

    // The bulk action completes; the results view offers the failed devices for retry.
    let failed: Vec<String> = wait::until("the retry panel", TIMEOUT, || async {
        let ids = js(client, "const p = document.querySelector('[data-testid=retry-panel]'); return p ? [...p.querySelectorAll('input[data-retry-id]')].map(i => i.dataset.retryId) : null").await?;
        Ok((!ids.is_null()).then(|| serde_json::from_value(ids)).transpose()?)
    })
    .await?;
    testkit::run_flows::dismiss_notifications(browser).await?;
    let failed_count: usize = text(client, "[data-testid=count-failed]")
        .await?
        .unwrap_or_default()
        .parse()?;
    assert_eq!(failed.len(), failed_count, "every failed device is offered");
    anyhow::ensure!(
        failed.len() >= 3,
        "the seed gave only {} failures among {DEVICES}",
        failed.len()
    );
    let before = reprovisions_per_device(stack);
    assert_eq!(
        before.len(),
        DEVICES,
        "each device reprovisioned once so far"
    );

    // Choose two of them, and retry.
    let chosen: BTreeSet<String> = failed.iter().take(2).cloned().collect();
    for id in &chosen {
        client
            .find(Locator::Css(&format!("input[data-retry-id='{id}']")))
            .await?
            .click()
            .await?;
    }
    client
        .find(Locator::Css("[data-testid=retry-chosen]"))
        .await?
        .click()
        .await?;
    let listed = wait::until("the retry confirmation", TIMEOUT, || async {
        Ok(js(client, "const l = document.querySelector('[data-testid=retry-to-wipe]'); return l ? l.children.length : null").await?.as_u64())
    })
    .await?;
    assert_eq!(listed, 2);
    let confirm = client
        .find(Locator::Css("[data-testid=retry-confirm]"))
        .await?;
    assert!(
        !confirm.is_enabled().await?,
        "enabled before the number was typed"
    );
    client
        .find(Locator::Css("#retry-confirm-count"))
        .await?
        .send_keys("2")
        .await?;
    confirm.click().await?;

    // One retry request, with exactly the chosen ids.
    let retry = wait::until("the retry request", TIMEOUT, || async {
        Ok(stack
            .sim
            .requests()
            .into_iter()
            .find(|r| r.method == "POST" && r.path.ends_with("/retry")))
    })
    .await?;
    assert_eq!(retry.status, 202);
    let sent: BTreeSet<String> = serde_json::from_value(retry.body["cloudPcIds"].clone())?;
    assert_eq!(sent, chosen, "the retry names exactly the chosen devices");

    // The simulator reprovisions the chosen devices again, and nothing else.
    wait::until(
        "the chosen devices reprovisioned again",
        TIMEOUT,
        || async {
            let per = reprovisions_per_device(stack);
            Ok(chosen
                .iter()
                .all(|id| per.get(id) == Some(&2))
                .then_some(()))
        },
    )
    .await?;
    // Simulated minutes pass (the bulk action would have dispatched any other device by now).
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = reprovisions_per_device(stack);
    for (id, n) in &after {
        let expected = if chosen.contains(id) { 2 } else { 1 };
        assert_eq!(*n, expected, "{id}: reprovisioned {n} times");
    }
    assert_eq!(after.len(), DEVICES);
    let retries = stack
        .sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/retry"))
        .count();
    assert_eq!(retries, 1, "one retry request");
    browser.evidence("retry-results").await;
    Ok(())
}

/// A per-device run (Windows 11, standard user) in which some reprovisions end failed and some
/// requests get a server error before anything is carried out (their outcome is unknown to the
/// console). Retrying one chosen failed device re-sends only it, with the run's parameters; the
/// unknown devices are checked with Graph first and are not re-sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built console: run `cargo xtask test`"]
async fn a_per_device_retry_resends_only_the_chosen_device_and_never_an_unknown_one(
) -> anyhow::Result<()> {
    let mut sim = graph_sim::SimConfig {
        devices: 200,
        seed: 9,
        time_scale: 60.0,
        ..Default::default()
    };
    sim.timing.reprovision_failure_rate = 0.5;
    sim.faults.rules = vec![graph_sim::FaultRule {
        method: "POST".into(),
        effect: graph_sim::FaultEffect::Status(500),
        rate: 0.3,
        phase: graph_sim::Phase::Before,
        path_contains: Some("/reprovision".into()),
    }];
    let stack = Stack::start(StackOptions::for_tests(sim)?).await?;
    let browser = Browser::start().await?;
    let result = per_device_scenario(&stack, &browser).await;
    if result.is_err() {
        browser.evidence("retry-per-device-failure").await;
    }
    browser.close().await?;
    result
}

async fn per_device_scenario(stack: &Stack, browser: &Browser) -> anyhow::Result<()> {
    const N: usize = 8;
    let client = &browser.client;
    client
        .goto(&format!(
            "{}#/cloudpcs?status=provisioned&product=enterprise",
            stack.console.url()
        ))
        .await?;
    wait::until("the inventory", TIMEOUT, || async {
        Ok(text(client, "[data-testid=inventory-progress]")
            .await?
            .filter(|t| t == "200 Cloud PCs"))
    })
    .await?;
    js(client, &format!("const boxes = document.querySelectorAll('tr[data-cloudpc-id] input[type=checkbox]'); boxes[0].click(); boxes[{}].dispatchEvent(new MouseEvent('click', {{bubbles: true, cancelable: true, shiftKey: true}})); return 0", N - 1)).await?;
    let run_ids: Vec<String> = serde_json::from_value(js(client, &format!("return [...document.querySelectorAll('tr[data-cloudpc-id]')].slice(0, {N}).map(r => r.dataset.cloudpcId)")).await?)?;
    for css in [
        "[data-testid=bulk-reprovision]",
        "#bulk-os-windows-11",
        "#bulk-account-standard-user",
    ] {
        client.find(Locator::Css(css)).await?.click().await?;
    }
    client
        .find(Locator::XPath("//button[text()='Check with Graph']"))
        .await?
        .click()
        .await?;
    let listed = wait::until("the preflight", TIMEOUT, || async {
        Ok(js(client, "const l = document.querySelector('[data-testid=to-wipe]'); return l ? l.children.length : null").await?.as_u64())
    })
    .await?;
    assert_eq!(listed, N as u64);
    client
        .find(Locator::Css("#confirm-count"))
        .await?
        .send_keys(&N.to_string())
        .await?;
    client
        .find(Locator::XPath(&format!(
            "//*[@role='dialog']//button[starts-with(text(), 'Reprovision {N}')]"
        )))
        .await?
        .click()
        .await?;

    // Sent, then followed (first read after 30 s) until every accepted device has ended.
    let failed: Vec<String> = wait::until("the retry panel", Duration::from_secs(50), || async {
        let ids = js(client, "const p = document.querySelector('[data-testid=retry-panel]'); return p ? [...p.querySelectorAll('input[data-retry-id]')].map(i => i.dataset.retryId) : null").await?;
        Ok((!ids.is_null()).then(|| serde_json::from_value(ids)).transpose()?)
    })
    .await?;
    testkit::run_flows::dismiss_notifications(browser).await?;
    testkit::run_flows::open_categories(browser).await?;
    let unknown: Vec<String> = serde_json::from_value(js(client, "return [...document.querySelectorAll('[data-category=unknown] li[data-cloudpc-id]')].map(l => l.dataset.cloudpcId)").await?)?;
    let before = reprovisions_per_device(stack);
    // The devices whose request met the 500: nothing was carried out for them.
    let refused: Vec<&String> = run_ids
        .iter()
        .filter(|id| !before.contains_key(*id))
        .collect();
    anyhow::ensure!(
        !failed.is_empty() && !refused.is_empty(),
        "the seed gave {} failed devices and {} requests refused with 500",
        failed.len(),
        refused.len()
    );
    // The run settled those answers with reads before it ended: each was read from Graph, and
    // is either failed ("did not start", offered for an approved retry) or still unknown (never
    // offered); none was sent again on its own.
    let reads: Vec<String> = stack
        .sim
        .requests()
        .iter()
        .filter(|r| r.method == "GET")
        .map(|r| r.path.clone())
        .collect();
    for id in &refused {
        assert!(
            reads.iter().any(|p| p.contains(id.as_str())),
            "{id} was checked with Graph: {reads:?}"
        );
        assert!(
            failed.contains(id) || unknown.contains(id),
            "{id} is failed or unknown"
        );
    }
    assert!(
        unknown.iter().all(|id| !failed.contains(id)),
        "unknown devices are not offered for retry"
    );
    if !unknown.is_empty() {
        assert!(
            text(client, "[data-testid=retry-unknown]").await?.is_some(),
            "the panel says some outcomes are unknown"
        );
    }

    // The faults stop; retry one chosen failed device.
    stack.sim.sim().set_faults(graph_sim::Faults::default());
    let checks_before = stack.sim.requests().len();
    let chosen = failed[0].clone();
    client
        .find(Locator::Css(&format!("input[data-retry-id='{chosen}']")))
        .await?
        .click()
        .await?;
    js(client, "document.querySelector('[data-testid=retry-chosen]').scrollIntoView({block: 'center'}); return 0").await?;
    client
        .find(Locator::Css("[data-testid=retry-chosen]"))
        .await?
        .click()
        .await?;
    // The unknown devices are checked first; then the confirmation appears.
    wait::until("the retry confirmation", TIMEOUT, || async {
        text(client, "[data-testid=retry-to-wipe]").await
    })
    .await?;
    client
        .find(Locator::Css("#retry-confirm-count"))
        .await?
        .send_keys("1")
        .await?;
    // Before the confirmation appeared, any device still unknown was read from Graph again.
    let reads: Vec<String> = stack.sim.requests()[checks_before..]
        .iter()
        .filter(|r| r.method == "GET")
        .map(|r| r.path.clone())
        .collect();
    for id in &unknown {
        assert!(
            reads.iter().any(|p| p.contains(id.as_str())),
            "{id} was checked with Graph before the retry: {reads:?}"
        );
    }
    client
        .find(Locator::Css("[data-testid=retry-confirm]"))
        .await?
        .click()
        .await?;

    wait::until("the chosen device reprovisioned again", TIMEOUT, || async {
        let again = before.get(&chosen).copied().unwrap_or(0) + 1;
        Ok((reprovisions_per_device(stack).get(&chosen) == Some(&again)).then_some(()))
    })
    .await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after = reprovisions_per_device(stack);
    for id in &run_ids {
        let expected = before.get(id).copied().unwrap_or(0) + usize::from(*id == chosen);
        assert_eq!(after.get(id).copied().unwrap_or(0), expected, "{id}");
    }
    let last = stack
        .sim
        .operations()
        .into_iter()
        .rfind(|o| o.cloud_pc_id == chosen)
        .expect("the retried reprovision");
    assert_eq!(
        last.params,
        Some(serde_json::json!({"osVersion": "windows11", "userAccountType": "standardUser"})),
        "re-sent with the run's parameters"
    );
    browser.evidence("retry-per-device").await;
    Ok(())
}
