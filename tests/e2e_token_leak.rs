//! End to end: the access token never leaks. After sign-in, an inventory load, a failing request
//! (shown with its ids) and a bulk run with failures and both exports, every token the simulator
//! issued is searched for in: every URL the page requested (resource timing entries, and the
//! requests the simulator received), localStorage, sessionStorage and cookies, the CSV and JSON
//! exports, the browser console, and the rendered page (text and markup). Every request went to
//! the console's own origin or the configured Graph host (which, for the simulator, also signs
//! in). Planted tokens at the end prove the search finds one.
#![cfg(not(target_arch = "wasm32"))]

use std::time::Duration;

use graph_sim::{FaultEffect, FaultRule, Faults, Phase};
use testkit::browser::Browser;
use testkit::download::click_and_catch;
use testkit::fantoccini::{Client, Locator};
use testkit::page::{js, text};
use testkit::run_flows::{select_first, start_run};
use testkit::stack::{Stack, StackOptions};
use testkit::wait;

const TIMEOUT: Duration = Duration::from_secs(60);
const DEVICES: usize = 60;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built console: run `cargo xtask test`"]
async fn the_access_token_appears_nowhere_but_the_authorization_header() -> anyhow::Result<()> {
    let sim = graph_sim::SimConfig {
        devices: DEVICES,
        seed: 17,
        time_scale: 60.0,
        ..Default::default()
    };
    let stack = Stack::start(StackOptions::for_tests(sim)?).await?;
    let browser = Browser::start().await?;
    // Keep every resource timing entry (the default buffer holds 250).
    browser
        .on_every_document("performance.setResourceTimingBufferSize(1000000);")
        .await?;
    let result = scenario(&stack, &browser).await;
    if result.is_err() {
        browser.evidence("token-leak-failure").await;
    }
    let closed = browser.close().await;
    result?;
    closed
}

/// Everything the page left behind that a token must never be in, as (place, text) pairs.
async fn collect(
    browser: &Browser,
    exports: &[(String, String)],
) -> anyhow::Result<Vec<(String, String)>> {
    let client = &browser.client;
    let mut places = Vec::new();
    let urls: Vec<String> = serde_json::from_value(
        js(
            client,
            "return [location.href, document.referrer]
            .concat(performance.getEntriesByType('navigation').map(e => e.name))
            .concat(performance.getEntriesByType('resource').map(e => e.name));",
        )
        .await?,
    )?;
    places.push(("requested URLs".into(), urls.join("\n")));
    let storage = js(
        client,
        "const dump = s => { const o = {}; for (let i = 0; i < s.length; i++) { const k = s.key(i); o[k] = s.getItem(k); } return o; };
         return JSON.stringify({ local: dump(localStorage), session: dump(sessionStorage), cookies: document.cookie });",
    )
    .await?;
    places.push((
        "storage".into(),
        storage.as_str().unwrap_or_default().to_owned(),
    ));
    for (name, text) in exports {
        places.push((format!("export {name}"), text.clone()));
    }
    let console: Vec<String> = browser
        .console_log()
        .await?
        .iter()
        .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
        .collect();
    places.push(("browser console".into(), console.join("\n")));
    let page = js(
        client,
        "return document.body.innerText + '\\n' + document.documentElement.outerHTML",
    )
    .await?;
    places.push((
        "rendered page".into(),
        page.as_str().unwrap_or_default().to_owned(),
    ));
    Ok(places)
}

/// The places that hold any of `tokens` (whole, or the random part after `simtok.`).
fn leaks(places: &[(String, String)], tokens: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for (place, text) in places {
        for token in tokens {
            let random = token.trim_start_matches("simtok.");
            if text.contains(token.as_str()) || text.contains(random) {
                found.push(format!("{place} holds {token}"));
            }
        }
        if text.contains("simtok.") {
            found.push(format!("{place} holds a simulator token"));
        }
    }
    found.sort();
    found.dedup();
    found
}

async fn wait_inventory(client: &Client) -> anyhow::Result<()> {
    wait::until("the inventory", TIMEOUT, || async {
        Ok(text(client, "[data-testid=inventory-progress]")
            .await?
            .filter(|t| *t == format!("{DEVICES} Cloud PCs")))
    })
    .await
    .map(|_| ())
}

async fn scenario(stack: &Stack, browser: &Browser) -> anyhow::Result<()> {
    let client = &browser.client;
    let console = stack.console.url();

    // Sign-in and the inventory.
    client.goto(&format!("{console}#/cloudpcs")).await?;
    wait_inventory(client).await?;

    // A failing request, shown with its ids: the device page's action history answers 500.
    stack.sim.sim().set_faults(Faults {
        rules: vec![FaultRule {
            method: "GET".into(),
            effect: FaultEffect::Status(500),
            rate: 1.0,
            phase: Phase::Before,
            path_contains: Some("retrieveCloudPcRemoteActionResults".into()),
        }],
        ..Faults::default()
    });
    let id = stack.all_cloud_pcs().await?[0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    client.goto(&format!("{console}#/cloudpcs/{id}")).await?;
    wait::until(
        "the failed history with its request-id",
        TIMEOUT,
        || async {
            Ok(
                text(client, "[data-testid=graph-error] [data-testid=request-id]")
                    .await?
                    .filter(|t| t.len() == 36),
            )
        },
    )
    .await?;

    // A bulk run of ten Cloud PCs where some reprovisions answer 503, exported both ways.
    stack.sim.sim().set_faults(Faults {
        rules: vec![FaultRule {
            method: "POST".into(),
            effect: FaultEffect::Status(503),
            rate: 0.4,
            phase: Phase::Before,
            path_contains: Some("/reprovision".into()),
        }],
        ..Faults::default()
    });
    select_first(
        stack,
        browser,
        "status=provisioned&product=enterprise",
        DEVICES,
        10,
        TIMEOUT,
    )
    .await?;
    start_run(browser, &["#bulk-os-windows-11"], "Per device", 10, TIMEOUT).await?;
    wait::until("every device answered", TIMEOUT, || async {
        Ok(text(client, "[data-testid=run-progress]")
            .await?
            .filter(|t| t.starts_with("10 of 10 devices done")))
    })
    .await?;
    stack.sim.sim().set_faults(Faults::default());
    let mut exports = Vec::new();
    for format in ["CSV", "JSON"] {
        let file = click_and_catch(
            client,
            Locator::XPath(&format!("//button[text()='Export {format}']")),
        )
        .await?;
        assert!(
            file.text.contains("request"),
            "{format} export: {}",
            file.text
        );
        exports.push((file.name, file.text));
    }
    testkit::run_flows::open_categories(browser).await?;

    // The search.
    let tokens = stack.sim.sim().tokens().issued_tokens();
    assert!(
        !tokens.is_empty(),
        "the console signed in with a simulator token"
    );
    let places = collect(browser, &exports).await?;
    let found = leaks(&places, &tokens);
    assert!(found.is_empty(), "the token leaked: {found:#?}");

    // On the wire, only the Authorization header carried it: the simulator saw no token in a
    // path or query string.
    for r in stack.sim.requests() {
        let url = format!("{}?{}", r.path, r.query.clone().unwrap_or_default());
        assert!(
            leaks(&[("a Graph request URL".into(), url.clone())], &tokens).is_empty(),
            "{url}"
        );
    }

    // Only our own origin and the configured Graph host (the simulator, which also issues the
    // tokens in simulated sign-in) were contacted.
    let origins: Vec<String> = serde_json::from_value(js(
        client,
        "return [...new Set(performance.getEntriesByType('resource').map(e => new URL(e.name).origin))];",
    )
    .await?)?;
    let allowed = [
        console.trim_end_matches('/').to_owned(),
        stack.sim.base_url(),
    ];
    assert!(
        origins.iter().all(|o| allowed.contains(o)),
        "contacted {origins:?}; allowed {allowed:?}"
    );
    assert!(origins.contains(&stack.sim.base_url()), "{origins:?}");

    // The search finds a token where there is one.
    let token = &tokens[0];
    js(client, &format!("sessionStorage.setItem('planted', '{token}'); console.log('planted {token}'); return 0")).await?;
    let planted = leaks(&collect(browser, &[]).await?, &tokens);
    assert!(
        planted.iter().any(|p| p.starts_with("storage"))
            && planted.iter().any(|p| p.starts_with("browser console")),
        "the search missed planted tokens: {planted:?}"
    );
    js(client, "sessionStorage.removeItem('planted'); return 0").await?;
    browser.evidence("token-leak").await;
    Ok(())
}
