//! End to end: a tenant full of hostile strings. Every string Graph sends (names, UPNs, policy
//! and plan names, statuses, status details, error messages, properties the console has never
//! heard of) carries HTML, `<script>`, event handlers, `javascript:` URLs, very long and
//! right-to-left text and control characters. The inventory, a device page and a bulk run whose
//! failures carry such messages must render all of it as text: no payload runs (the global each
//! would set stays undefined, no dialog opens, no element or attribute is injected, no CSP
//! violation, which `Browser::close` checks), and the layout holds (rows keep their fixed
//! height, the page never scrolls sideways). Screenshots: `target/e2e/hostile-*.png`.
#![cfg(not(target_arch = "wasm32"))]

use std::time::Duration;

use graph_sim::{FaultEffect, FaultRule, Faults, Phase};
use serde_json::{json, Value};
use testkit::browser::{Browser, TempDir};
use testkit::fantoccini::{Client, Locator};
use testkit::page::{js, text};
use testkit::stack::{Stack, StackOptions};
use testkit::wait;

const TIMEOUT: Duration = Duration::from_secs(60);
const DEVICES: usize = 40;

/// Each payload, if it ever ran, would set `window.__pwned` and open a dialog.
fn payloads() -> Vec<String> {
    vec![
        "<script>window.__pwned='script';alert('script')</script>".into(),
        "<img src=x onerror=\"window.__pwned='img';alert('img')\">".into(),
        "\"><svg onload=window.__pwned='svg'>".into(),
        "'><iframe src=\"javascript:parent.__pwned='iframe'\"></iframe>".into(),
        "javascript:window.__pwned='url';alert('url')".into(),
        "<a href=\"javascript:window.__pwned='link'\" id=pwn>click</a>".into(),
        "<style>*{display:none!important}</style><b onmouseover=window.__pwned='hover'>bold</b>"
            .into(),
        "{{constructor.constructor('window.__pwned=1')()}} ${window.__pwned=1}".into(),
        // Right-to-left override and Arabic/Hebrew text.
        "\u{202e}exe.tnemucod\u{202c} مرحبا بالعالم שלום עולם".into(),
        // Control characters and an ANSI escape.
        "ctrl\u{0}\u{1}\u{7}\u{8}\u{1b}[31mred\u{1b}[0m\u{7f}\u{2028}\u{2029}end".into(),
        // Very long, without a place to break.
        format!("CPC-{}", "W".repeat(3000)),
        // Very long, with spaces.
        "a very long name with spaces ".repeat(120),
    ]
}

/// The generated tenant with hostile strings in every text property of its first Cloud PCs.
async fn hostile_tenant(dir: &TempDir) -> anyhow::Result<std::path::PathBuf> {
    let generator = graph_sim::start(
        graph_sim::SimConfig {
            devices: DEVICES,
            seed: 13,
            ..Default::default()
        },
        "127.0.0.1:0".parse()?,
    )
    .await?;
    let mut tenant =
        testkit::http::get_json(&format!("{}/_sim/tenant", generator.base_url()), None).await?;
    generator.shutdown().await;
    let payloads = payloads();
    let pcs = tenant["value"].as_array_mut().expect("value");
    for (i, pc) in pcs.iter_mut().enumerate().take(24) {
        let p = |k: usize| payloads[(i + k) % payloads.len()].clone();
        pc["displayName"] = p(0).into();
        pc["managedDeviceName"] = p(1).into();
        pc["userPrincipalName"] = format!("{}@contoso.onmicrosoft.com", p(2)).into();
        pc["provisioningPolicyName"] = p(3).into();
        pc["servicePlanName"] = p(4).into();
        pc["imageDisplayName"] = p(5).into();
        pc["onPremisesConnectionName"] = p(6).into();
        pc["hostileExtra"] = json!({ "note": p(7), "list": [p(8), p(9)] });
        let detail = json!({ "code": p(10), "message": p(11), "additionalInformation": [{ "name": p(0), "value": p(1) }] });
        pc["statusDetail"] = detail.clone();
        pc["statusDetails"] = detail.clone();
        if let Some(last) = pc
            .get_mut("lastRemoteActionResult")
            .filter(|v| v.is_object())
        {
            last["statusDetail"] = detail.clone();
            last["statusDetails"] = detail;
        }
        match i % 6 {
            // A product the console has never heard of: the simulator refuses its reprovision
            // with an error message quoting it.
            0 | 3 => {
                pc["productType"] = p(1).into();
                pc["status"] = "provisioned".into();
            }
            // A status the console has never heard of.
            5 => pc["status"] = p(2).into(),
            _ => pc["status"] = "provisioned".into(),
        }
    }
    let path = dir.0.join("hostile-tenant.json");
    std::fs::write(
        &path,
        serde_json::to_vec(&json!({ "value": tenant["value"] }))?,
    )?;
    Ok(path)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built console: run `cargo xtask test`"]
async fn a_hostile_tenant_is_rendered_as_text_and_the_layout_holds() -> anyhow::Result<()> {
    let dir = TempDir::new("cloudpc-e2e-hostile")?;
    let sim = graph_sim::SimConfig {
        tenant_file: Some(hostile_tenant(&dir).await?),
        seed: 13,
        time_scale: 60.0,
        ..Default::default()
    };
    let stack = Stack::start(StackOptions::for_tests(sim)?).await?;
    let browser = Browser::start().await?;
    let result = scenario(&stack, &browser).await;
    if result.is_err() {
        browser.evidence("hostile-failure").await;
    }
    let closed = browser.close().await;
    result?;
    closed
}

/// Nothing ran, nothing was injected, no dialog is open.
async fn assert_inert(client: &Client, where_: &str) -> anyhow::Result<()> {
    let pwned = js(
        client,
        "return window.__pwned === undefined ? null : String(window.__pwned)",
    )
    .await?;
    anyhow::ensure!(pwned == Value::Null, "a payload ran on {where_}: {pwned}");
    let alert = client.get_alert_text().await;
    anyhow::ensure!(alert.is_err(), "a dialog opened on {where_}: {alert:?}");
    let injected = js(
        client,
        // Text in an attribute (an aria-label naming a device) is harmless; an element the
        // payloads would create, an event-handler attribute or a `javascript:` URL is not.
        "return [...document.querySelectorAll('body *')].filter(e =>
             e.id === 'pwn'
             || (['script', 'iframe', 'img', 'svg', 'style', 'b'].includes(e.localName)
                 && /pwned|!important|src=.?x/i.test(e.outerHTML))
             || [...e.attributes].some(a => a.name.startsWith('on')
                 || (['href', 'src', 'action', 'formaction'].includes(a.name) && /^\\s*javascript:/i.test(a.value)))
         ).map(e => e.outerHTML.slice(0, 200));",
    )
    .await?;
    anyhow::ensure!(
        injected == json!([]),
        "elements injected on {where_}: {injected}"
    );
    Ok(())
}

/// The height of the row of the Cloud PC named `name`, found by filtering; clears the filter.
async fn row_height_of(client: &Client, name: &str) -> anyhow::Result<f64> {
    let search = client.find(Locator::Css("#inventory-search")).await?;
    search.send_keys(name).await?;
    let height = wait::until("the plain row", TIMEOUT, || async {
        Ok(js(
            client,
            "const rows = document.querySelectorAll('tr[data-cloudpc-id]'); return rows.length === 1 ? rows[0].getBoundingClientRect().height : null",
        )
        .await?
        .as_f64())
    })
    .await?;
    search.clear().await?;
    js(client, "document.querySelector('#inventory-search').dispatchEvent(new Event('input', {bubbles: true})); return 0").await?;
    wait::until("the whole list again", TIMEOUT, || async {
        Ok(text(client, "[data-testid=match-count]")
            .await?
            .filter(|t| t.starts_with(&format!("{DEVICES} of")))
            .map(|_| ()))
    })
    .await?;
    Ok(height)
}

/// The page never scrolls sideways.
async fn assert_no_horizontal_overflow(client: &Client, where_: &str) -> anyhow::Result<()> {
    let widths = js(
        client,
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth, document.body.scrollWidth];",
    )
    .await?;
    let w: Vec<u64> = serde_json::from_value(widths)?;
    assert!(
        w[0] <= w[1] && w[2] <= w[1],
        "the page scrolls sideways on {where_}: scrollWidth {} / body {} > {}",
        w[0],
        w[2],
        w[1]
    );
    Ok(())
}

async fn scenario(stack: &Stack, browser: &Browser) -> anyhow::Result<()> {
    let client = &browser.client;
    let payloads = payloads();

    // The inventory.
    client
        .goto(&format!("{}#/cloudpcs", stack.console.url()))
        .await?;
    wait::until("the inventory", TIMEOUT, || async {
        Ok(text(client, "[data-testid=inventory-progress]")
            .await?
            .filter(|t| *t == format!("{DEVICES} Cloud PCs")))
    })
    .await?;
    let names: Vec<String> = serde_json::from_value(js(
        client,
        "return [...document.querySelectorAll('tr[data-cloudpc-id] td.col-name')].map(td => td.textContent)",
    )
    .await?)?;
    assert!(
        names.iter().any(|n| n.contains("<script>window.__pwned")),
        "the script payload is shown as text: {names:?}"
    );
    let rows: Vec<(f64, String)> = serde_json::from_value(js(
        client,
        "return [...document.querySelectorAll('tr[data-cloudpc-id]')].map(r => [r.getBoundingClientRect().height, r.innerText.slice(0, 80)])",
    )
    .await?)?;
    assert!(rows.len() > 5, "rows rendered: {rows:?}");
    // The height of a row of plain data, for comparison (the CSS sets a fixed row height).
    let plain = stack.all_cloud_pcs().await?[DEVICES - 1]["displayName"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let row_height = row_height_of(client, &plain).await?;
    let off: Vec<_> = rows
        .iter()
        .filter(|(h, _)| (h - row_height).abs() > 1.0)
        .collect();
    assert!(
        off.is_empty(),
        "rows not at the {row_height}px of a plain row: {off:#?}"
    );
    assert_inert(client, "the inventory").await?;
    assert_no_horizontal_overflow(client, "the inventory").await?;
    // Filtering by a hostile string finds it and renders it as text.
    client
        .find(Locator::Css("#inventory-search"))
        .await?
        .send_keys("<svg onload")
        .await?;
    wait::until("the filtered list", TIMEOUT, || async {
        Ok(text(client, "[data-testid=match-count]")
            .await?
            .filter(|t| !t.starts_with("0 of") && !t.starts_with(&format!("{DEVICES} of"))))
    })
    .await?;
    assert_inert(client, "the filtered inventory").await?;
    browser.evidence("hostile-inventory").await;
    client
        .find(Locator::Css("#inventory-search"))
        .await?
        .clear()
        .await?;
    js(client, "const s = document.querySelector('#inventory-search'); s.dispatchEvent(new Event('input', {bubbles: true})); return 0").await?;

    // The device page of the most hostile Cloud PC (every payload is somewhere in it).
    let id = stack.all_cloud_pcs().await?[0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    client
        .goto(&format!("{}#/cloudpcs/{id}", stack.console.url()))
        .await?;
    wait::until("the device page", TIMEOUT, || async {
        let body = js(client, "return document.body.innerText").await?;
        Ok(body
            .as_str()
            .filter(|t| t.contains("hostileExtra") || t.contains("Hostile extra"))
            .map(|_| ()))
    })
    .await?;
    let page_text = js(client, "return document.body.innerText").await?;
    let page_text = page_text.as_str().unwrap_or_default();
    for needle in [
        "<script>window.__pwned",
        "<img src=x onerror",
        "javascript:window.__pwned",
    ] {
        assert!(
            page_text.contains(needle),
            "{needle} not shown as text on the device page"
        );
    }
    assert_inert(client, "the device page").await?;
    assert_no_horizontal_overflow(client, "the device page").await?;
    browser.evidence("hostile-device-page").await;

    // A bulk run whose failures carry hostile error messages: the support question fails, so
    // the Cloud PCs of unknown product are sent, and Graph's refusal quotes their product type.
    stack.sim.sim().set_faults(Faults {
        rules: vec![FaultRule {
            method: "GET".into(),
            effect: FaultEffect::Status(500),
            rate: 1.0,
            phase: Phase::Before,
            path_contains: Some("getSupportedCloudPcRemoteActions".into()),
        }],
        ..Faults::default()
    });
    client
        .goto(&format!("{}#/cloudpcs", stack.console.url()))
        .await?;
    wait::until("the inventory again", TIMEOUT, || async {
        Ok(text(client, "[data-testid=inventory-progress]")
            .await?
            .filter(|t| *t == format!("{DEVICES} Cloud PCs")))
    })
    .await?;
    client
        .find(Locator::XPath(
            "//button[starts-with(text(), 'Select all')]",
        ))
        .await?
        .click()
        .await?;
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
    let confirm = Locator::XPath(
        "//*[@role='dialog']//button[contains(@class, 'danger') and starts-with(text(), 'Reprovision ')]",
    );
    let wipe: String = wait::until("the preflight", TIMEOUT, || async {
        match client.find(confirm).await {
            Ok(b) => Ok(b.text().await?.split_whitespace().nth(1).map(String::from)),
            Err(_) => Ok(None),
        }
    })
    .await?;
    assert_inert(client, "the bulk confirmation").await?;
    assert_no_horizontal_overflow(client, "the bulk confirmation").await?;
    browser.evidence("hostile-bulk-confirmation").await;
    client
        .find(Locator::Css("#confirm-count"))
        .await?
        .send_keys(&wipe)
        .await?;
    client.find(confirm).await?.click().await?;
    wait::until("every device answered", TIMEOUT, || async {
        Ok(text(client, "[data-testid=run-progress]")
            .await?
            .filter(|t| t.starts_with(&format!("{DEVICES} of {DEVICES} devices done"))))
    })
    .await?;
    stack.sim.sim().set_faults(Faults::default());
    testkit::run_flows::open_categories(browser).await?;
    let failed = text(client, "[data-testid=run] details[data-category=failed]")
        .await?
        .unwrap_or_default();
    assert!(
        failed.contains("productType '") && payloads.iter().any(|p| failed.contains(p.trim())),
        "the refusals quoting hostile product types are shown as text: {failed}"
    );
    assert_inert(client, "the bulk run").await?;
    assert_no_horizontal_overflow(client, "the bulk run").await?;
    browser.evidence("hostile-bulk-run").await;

    // No violation so far; then the detectors are shown to work: markup planted the way a
    // careless view would insert it is caught, and the policy refuses its handler.
    let violations = browser.csp_violations_seen().await;
    assert!(violations.is_empty(), "CSP violations: {violations:?}");
    js(client, "const d = document.createElement('div'); d.id = 'planted'; d.innerHTML = \"<img src=x onerror=\\\"window.__pwned='planted'\\\">\"; document.body.appendChild(d); return 0").await?;
    assert!(assert_inert(client, "a planted payload").await.is_err());
    browser.allow_csp_violations();
    js(
        client,
        "document.getElementById('planted').remove(); return 0",
    )
    .await?;
    Ok(())
}
