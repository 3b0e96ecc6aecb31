//! End to end: a console whose config.json says `"access": "readOnly"` asks for
//! `CloudPC.Read.All` only, lists Cloud PCs, and offers no way to reprovision: the bulk button
//! and the device page's button are disabled and the single dialog says why.
#![cfg(not(target_arch = "wasm32"))]

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use testkit::browser::Browser;
use testkit::fantoccini::Locator;
use testkit::flows;
use testkit::hosting::{Cloud, Csp};
use testkit::page::{js, text};
use testkit::static_host::{StaticHost, StaticHostOptions};
use testkit::wait;

const TIMEOUT: Duration = Duration::from_secs(40);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built console: run `cargo xtask test`"]
async fn a_read_only_console_asks_for_read_access_and_disables_reprovision_with_the_reason(
) -> anyhow::Result<()> {
    let dist = std::env::var_os("CLOUDPC_DIST")
        .map(std::path::PathBuf::from)
        .ok_or_else(|| anyhow::anyhow!("CLOUDPC_DIST is not set: run `cargo xtask test`"))?;
    let sim = graph_sim::start(
        graph_sim::SimConfig {
            devices: 30,
            seed: 3,
            ..Default::default()
        },
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
    )
    .await?;
    let config = serde_json::json!({
        "cloud": "global",
        "auth": "simulated",
        "graphBaseUrl": sim.base_url(),
        "access": "readOnly",
    });
    let console = StaticHost::start_with(
        dist,
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        StaticHostOptions {
            config_json: Some(config.to_string()),
            csp: Some(Csp::for_cloud(Cloud::Global, Some(&sim.base_url()), None)),
        },
    )
    .await?;
    let browser = Browser::start().await?;
    let result = scenario(&sim, &console, &browser).await;
    if result.is_err() {
        browser.evidence("read-only-failure").await;
    }
    browser.close().await?;
    result
}

async fn scenario(
    sim: &graph_sim::RunningSim,
    console: &StaticHost,
    browser: &Browser,
) -> anyhow::Result<()> {
    let client = &browser.client;
    // Record the scopes of every token the page asks the simulator for (its sign-in layer
    // keeps tokens to itself; the request is where the scopes show).
    browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            serde_json::json!({ "source": "window.__tokenScopes = []; const realFetch = window.fetch;
                window.fetch = function (url, init) {
                  if (String(url).endsWith('/_sim/token') && init && init.body) window.__tokenScopes.push(JSON.parse(init.body).scopes);
                  return realFetch.apply(this, arguments);
                };" }),
        )
        .await?;
    client.goto(&format!("{}#/cloudpcs", console.url())).await?;
    wait::until("the inventory", TIMEOUT, || async {
        Ok(text(client, "[data-testid=inventory-progress]")
            .await?
            .filter(|t| t == "30 Cloud PCs"))
    })
    .await?;

    // Every token the console asked for was for reading only.
    let asked = js(client, "return window.__tokenScopes").await?;
    let asked = asked.as_array().cloned().unwrap_or_default();
    anyhow::ensure!(!asked.is_empty(), "no token request was recorded");
    for scopes in &asked {
        anyhow::ensure!(
            *scopes == serde_json::json!(["https://graph.microsoft.com/CloudPC.Read.All"]),
            "a token was asked for {scopes}"
        );
    }

    let reason = text(client, "[data-testid=read-only-reason]").await?;
    anyhow::ensure!(
        reason.as_deref().is_some_and(|r| r.contains("read-only")),
        "the inventory says why: {reason:?}"
    );
    let row = flows::first_provisioned_row(browser).await?;
    client
        .find(Locator::Css(&format!(
            "tr[data-cloudpc-id='{}'] input[type=checkbox]",
            row.id
        )))
        .await?
        .click()
        .await?;
    anyhow::ensure!(
        text(client, "[data-testid=selected-count]")
            .await?
            .as_deref()
            == Some("1 selected"),
        "the selection works"
    );
    let bulk = client
        .find(Locator::Css("[data-testid=bulk-reprovision]"))
        .await?;
    anyhow::ensure!(!bulk.is_enabled().await?, "bulk reprovision is enabled");

    // The row's Reprovision… explains instead of offering the choice.
    client
        .find(Locator::Css(&format!(
            "tr[data-cloudpc-id='{}'] button[aria-label^='Reprovision']",
            row.id
        )))
        .await?
        .click()
        .await?;
    let dialog = client
        .find(Locator::Css("[role=dialog]"))
        .await?
        .text()
        .await?;
    anyhow::ensure!(
        dialog.contains("read-only") && !dialog.contains("Continue"),
        "the dialog offers reprovisioning: {dialog}"
    );
    client
        .find(Locator::XPath(
            "//*[@role='dialog']//button[text()='Close']",
        ))
        .await?
        .click()
        .await?;

    // The device page: disabled, with the reason beside it.
    client
        .goto(&format!("{}#/cloudpcs/{}", console.url(), row.id))
        .await?;
    let why = wait::until("the device page's reason", TIMEOUT, || async {
        text(client, "[data-testid=reprovision-blocked]").await
    })
    .await?;
    anyhow::ensure!(why.contains("read-only"), "{why}");
    let button = client
        .find(Locator::Css("[data-testid=device-reprovision]"))
        .await?;
    anyhow::ensure!(!button.is_enabled().await?, "device reprovision is enabled");
    anyhow::ensure!(sim.operations().is_empty(), "nothing was reprovisioned");
    Ok(())
}
