//! End to end: importing a pasted list that mixes Cloud PC ids, Intune managed device ids,
//! device names and user principal names with junk (header row, BOM, quotes, blank lines,
//! duplicates, an ambiguous user, unknown and invalid entries). The import report gives every
//! line its verdict, and a bulk run from the import reprovisions exactly the matched Cloud PCs,
//! as the simulator's operation log shows.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Duration;

use serde_json::{json, Value};
use testkit::browser::Browser;
use testkit::fantoccini::Locator;
use testkit::page::{js, text};
use testkit::stack::{Stack, StackOptions};
use testkit::wait;

const TIMEOUT: Duration = Duration::from_secs(40);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built console: run `cargo xtask test`"]
async fn an_imported_list_is_reported_per_line_and_only_matched_devices_are_reprovisioned(
) -> anyhow::Result<()> {
    let sim = graph_sim::SimConfig {
        devices: 150,
        seed: 33,
        time_scale: 60.0,
        ..Default::default()
    };
    let stack = Stack::start(StackOptions::for_tests(sim)?).await?;
    let browser = Browser::start().await?;
    let result = scenario(&stack, &browser).await;
    if result.is_err() {
        browser.evidence("import-failure").await;
    }
    browser.close().await?;
    result
}

fn s<'a>(pc: &'a Value, key: &str) -> &'a str {
    pc[key].as_str().unwrap_or_default()
}

async fn scenario(stack: &Stack, browser: &Browser) -> anyhow::Result<()> {
    let client = &browser.client;
    let pcs = stack.all_cloud_pcs().await?;
    let mut per_user: HashMap<String, Vec<&Value>> = HashMap::new();
    for pc in &pcs {
        if !s(pc, "userPrincipalName").is_empty() {
            per_user
                .entry(s(pc, "userPrincipalName").to_lowercase())
                .or_default()
                .push(pc);
        }
    }
    // Four reprovisionable Cloud PCs, each named a different way; their users have one each,
    // so only the UPN line can match through the user.
    let eligible: Vec<&Value> = pcs
        .iter()
        .filter(|pc| {
            s(pc, "status") == "provisioned"
                && s(pc, "productType") == "enterprise"
                && per_user
                    .get(&s(pc, "userPrincipalName").to_lowercase())
                    .is_some_and(|v| v.len() == 1)
        })
        .collect();
    anyhow::ensure!(
        eligible.len() >= 6,
        "the tenant has too few single-user enterprise PCs"
    );
    let (by_id, by_managed, by_name, by_upn) = (eligible[0], eligible[1], eligible[2], eligible[3]);
    let ambiguous_upn = per_user
        .iter()
        .find(|(_, v)| v.len() >= 2)
        .map(|(u, _)| u.clone())
        .ok_or_else(|| anyhow::anyhow!("no user with two Cloud PCs in this tenant"))?;

    // line 1: BOM + header; 2: Cloud PC id, quoted; 3: blank; 4: managed device id;
    // 5: device name in other case; 6: UPN; 7: user with two PCs; 8: nobody; 9: unknown name;
    // 10: a name with a space; 11: braced upper-case id of line 2 (duplicate);
    // 12: the device of line 5 by its id (already listed); 13: not a UPN.
    let list = [
        "\u{feff}\"name\"".to_string(),
        format!("\"{}\"", s(by_id, "id")),
        String::new(),
        s(by_managed, "managedDeviceId").to_string(),
        s(by_name, "displayName").to_lowercase(),
        s(by_upn, "userPrincipalName").to_string(),
        ambiguous_upn.clone(),
        "nobody.here@contoso.onmicrosoft.com".to_string(),
        "CPC-ghost-0000".to_string(),
        "Not a device".to_string(),
        format!("{{{}}}", s(by_id, "id").to_uppercase()),
        s(by_name, "id").to_string(),
        "bad@".to_string(),
    ]
    .join("\r\n");
    let expected: BTreeMap<u64, &str> = [
        (2, "matched"),
        (4, "matched"),
        (5, "matched"),
        (6, "matched"),
        (7, "ambiguous"),
        (8, "no-match"),
        (9, "no-match"),
        (10, "invalid"),
        (11, "duplicate"),
        (12, "already-listed"),
        (13, "invalid"),
    ]
    .into_iter()
    .collect();
    let matched: BTreeSet<String> = [by_id, by_managed, by_name, by_upn]
        .iter()
        .map(|pc| s(pc, "id").to_string())
        .collect();

    client
        .goto(&format!("{}#/cloudpcs", stack.console.url()))
        .await?;
    wait::until("the inventory", TIMEOUT, || async {
        Ok(text(client, "[data-testid=inventory-progress]")
            .await?
            .filter(|t| t == "150 Cloud PCs"))
    })
    .await?;
    client
        .find(Locator::Css("[data-testid=import-list]"))
        .await?
        .click()
        .await?;
    // Paste: the textarea gets the text and an input event, as a paste gives it.
    client
        .execute(
            "const t = document.querySelector('#import-text'); t.value = arguments[0]; t.dispatchEvent(new Event('input', {bubbles: true})); return 0",
            vec![json!(list)],
        )
        .await?;
    client
        .find(Locator::XPath("//button[text()='Check list']"))
        .await?
        .click()
        .await?;
    let report: BTreeMap<u64, String> = wait::until("the import report", TIMEOUT, || async {
        let rows = js(client, "const rows = document.querySelectorAll('[data-testid=import-report] tbody tr'); return rows.length ? [...rows].map(r => [Number(r.dataset.line), r.dataset.verdict]) : null").await?;
        Ok((!rows.is_null()).then(|| serde_json::from_value::<Vec<(u64, String)>>(rows)).transpose()?)
    })
    .await?
    .into_iter()
    .collect();
    let got: BTreeMap<u64, &str> = report.iter().map(|(l, v)| (*l, v.as_str())).collect();
    assert_eq!(
        got, expected,
        "every line's verdict (header and blank lines have none)"
    );
    let summary = text(client, "[data-testid=import-summary]")
        .await?
        .unwrap_or_default();
    assert_eq!(
        summary,
        "4 Cloud PCs matched from 11 lines: 4 matched, 1 already listed, 1 ambiguous, 2 no match, 2 invalid, 1 duplicate."
    );
    let detail_of = |line: u64| {
        format!("return document.querySelector('[data-testid=import-report] tr[data-line=\"{line}\"] td:last-child').textContent")
    };
    let ambiguous_detail = js(client, &detail_of(7)).await?;
    assert!(
        ambiguous_detail
            .as_str()
            .unwrap_or_default()
            .contains("none is taken"),
        "{ambiguous_detail}"
    );
    let by_managed_detail = js(client, &detail_of(4)).await?;
    assert!(
        by_managed_detail
            .as_str()
            .unwrap_or_default()
            .contains("by Intune managed device id"),
        "{by_managed_detail}"
    );
    browser.evidence("import-report").await;

    // The matched Cloud PCs go to the bulk dialog: per device, checked with Graph, confirmed.
    client
        .find(Locator::Css("[data-testid=import-reprovision]"))
        .await?
        .click()
        .await?;
    client
        .find(Locator::Css("#strategy-per-device"))
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
    assert_eq!(listed, 4, "exactly the matched Cloud PCs are to be wiped");
    client
        .find(Locator::Css("#confirm-count"))
        .await?
        .send_keys("4")
        .await?;
    client
        .find(Locator::XPath(
            "//*[@role='dialog']//button[starts-with(text(), 'Reprovision 4')]",
        ))
        .await?
        .click()
        .await?;
    wait::until("every device answered", TIMEOUT, || async {
        Ok(text(client, "[data-testid=run-progress]")
            .await?
            .filter(|t| t.starts_with("4 of 4 devices done")))
    })
    .await?;

    testkit::run_flows::open_categories(browser).await?;
    browser.evidence("import-run").await;
    let operations = stack.sim.operations();
    let done: BTreeSet<String> = operations.iter().map(|o| o.cloud_pc_id.clone()).collect();
    assert_eq!(
        done, matched,
        "exactly the matched Cloud PCs were reprovisioned"
    );
    assert_eq!(operations.len(), 4, "once each");
    let reprovision_requests = stack
        .sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .filter(|r| r.path.ends_with("/reprovision"))
        .count();
    assert_eq!(reprovision_requests, 4, "no request for any other line");

    // Uploading: a CSV with a BOM, a semicolon-separated header and quotes; the device name
    // column is preferred, the user column used where it is empty. A file that is not text is
    // refused with a message.
    let dir = std::env::temp_dir().join(format!("cloudpc-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let csv = dir.join("targets.csv");
    std::fs::write(
        &csv,
        format!(
            "\u{feff}\"Device name\";\"UPN\"\r\n\"{}\";\"\"\r\n\"\";\"{}\"\r\n",
            s(eligible[4], "displayName"),
            s(eligible[5], "userPrincipalName")
        ),
    )?;
    let binary = dir.join("photo.csv");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x81])?;
    client
        .find(Locator::Css("[data-testid=import-list]"))
        .await?
        .click()
        .await?;
    client
        .find(Locator::Css("#import-file"))
        .await?
        .send_keys(&csv.display().to_string())
        .await?;
    let uploaded = wait::until("the uploaded list's report", TIMEOUT, || async {
        text(client, "[data-testid=import-summary]").await
    })
    .await?;
    assert_eq!(uploaded, "2 Cloud PCs matched from 2 lines: 2 matched.");
    client
        .find(Locator::Css("#import-file"))
        .await?
        .send_keys(&binary.display().to_string())
        .await?;
    let refused = wait::until("the refusal", TIMEOUT, || async {
        text(client, "[data-testid=import-error]").await
    })
    .await?;
    assert!(
        refused.contains("photo.csv: The file is not text"),
        "{refused}"
    );
    assert!(
        text(client, "[data-testid=import-summary]")
            .await?
            .is_none(),
        "no report for a file that is not text"
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
