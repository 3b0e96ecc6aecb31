//! End to end, keyboard only: `/` puts the cursor in the filter box, typing filters, Shift+A
//! selects every match, Tab reaches "Reprovision N selected…" and Enter opens the dialog, Tab
//! and Shift+Tab cycle inside the dialog and never leave it, the next step keeps focus in the
//! dialog, Escape closes it and focus is back on the button that opened it.
#![cfg(not(target_arch = "wasm32"))]

use std::time::Duration;

use serde_json::Value;
use testkit::browser::Browser;
use testkit::fantoccini::{Client, Locator};
use testkit::page::{js, text};
use testkit::stack::{Stack, StackOptions};
use testkit::wait;

const TIMEOUT: Duration = Duration::from_secs(40);
const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";
const ESCAPE: &str = "\u{E00C}";
const SHIFT: &str = "\u{E008}";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built console: run `cargo xtask test`"]
async fn search_select_open_cycle_and_close_the_reprovision_dialog_with_the_keyboard_only(
) -> anyhow::Result<()> {
    let sim = graph_sim::SimConfig {
        devices: 60,
        seed: 5,
        ..Default::default()
    };
    let stack = Stack::start_strict(StackOptions::for_tests(sim)?).await?;
    let browser = Browser::start().await?;
    let result = scenario(&stack, &browser).await;
    if result.is_err() {
        browser.evidence("keyboard-failure").await;
    }
    browser.close().await?;
    result
}

/// Presses `keys` on whatever has focus (the page itself when nothing does).
async fn press(client: &Client, keys: &str) -> anyhow::Result<()> {
    client.active_element().await?.send_keys(keys).await?;
    Ok(())
}

/// The focused element: its id, test id, or tag and text, and whether it is in the dialog.
async fn focused(client: &Client) -> anyhow::Result<(String, bool)> {
    let v: Value = js(
        client,
        "const a = document.activeElement;
         const name = a === document.body ? 'BODY' : (a.id || a.dataset.testid || (a.tagName + ':' + (a.getAttribute('aria-label') || a.textContent.trim())));
         const d = document.querySelector('[role=dialog]');
         return [name, !!(d && d.contains(a))];",
    )
    .await?;
    Ok((
        v[0].as_str().unwrap_or_default().to_string(),
        v[1].as_bool().unwrap_or(false),
    ))
}

async fn scenario(stack: &Stack, browser: &Browser) -> anyhow::Result<()> {
    let client = &browser.client;
    client
        .goto(&format!("{}#/cloudpcs", stack.console.url()))
        .await?;
    wait::until("the inventory", TIMEOUT, || async {
        Ok(text(client, "[data-testid=inventory-progress]")
            .await?
            .filter(|t| t == "60 Cloud PCs"))
    })
    .await?;
    let help = text(client, "[data-testid=shortcut-help]").await?;
    assert!(
        help.as_deref()
            .is_some_and(|h| h.contains("/") && h.contains("Shift+A")),
        "the shortcuts are listed on the page: {help:?}"
    );

    // `/` focuses the filter box; typing filters.
    client
        .find(Locator::Css("body"))
        .await?
        .send_keys("/")
        .await?;
    assert_eq!(focused(client).await?.0, "inventory-search");
    let users: Value = js(client, "return [...document.querySelectorAll('tr[data-cloudpc-id] td:nth-child(3)')].map(td => td.textContent)").await?;
    let user = users[0].as_str().unwrap_or_default().to_string();
    anyhow::ensure!(!user.is_empty(), "no user on the first row");
    press(client, &user).await?;
    let matching = wait::until("the filter", TIMEOUT, || async {
        Ok(text(client, "[data-testid=match-count]")
            .await?
            .filter(|t| !t.starts_with("60 of"))
            .and_then(|t| t.split(' ').next().and_then(|n| n.parse::<usize>().ok())))
    })
    .await?;
    assert!(matching >= 1, "the first row's user matches itself");

    // Shift+A in the filter box types a capital A; from outside it, it selects every match.
    press(client, TAB).await?;
    assert_ne!(
        focused(client).await?.0,
        "inventory-search",
        "Tab leaves the filter box"
    );
    press(client, &format!("{SHIFT}A")).await?;
    wait::until("the selection", TIMEOUT, || async {
        Ok(text(client, "[data-testid=selected-count]")
            .await?
            .filter(|t| *t == format!("{matching} selected")))
    })
    .await?;

    // Tab on to "Reprovision N selected…" and open it with Enter.
    let mut reached = false;
    for _ in 0..6 {
        if focused(client).await?.0 == "bulk-reprovision" {
            reached = true;
            break;
        }
        press(client, TAB).await?;
    }
    anyhow::ensure!(reached, "Tab never reached the bulk reprovision button");
    press(client, ENTER).await?;
    client.find(Locator::Css("[role=dialog]")).await?;
    let (first, inside) = wait::until("focus in the dialog", TIMEOUT, || async {
        let f = focused(client).await?;
        Ok(f.1.then_some(f))
    })
    .await?;
    assert!(inside);

    // Tab cycles through the dialog's controls and comes back to the first; never outside.
    let mut seen = vec![first.clone()];
    for _ in 0..12 {
        press(client, TAB).await?;
        let (name, inside) = focused(client).await?;
        assert!(inside, "Tab left the dialog for {name} after {seen:?}");
        if name == first {
            break;
        }
        seen.push(name);
    }
    assert_eq!(
        focused(client).await?.0,
        first,
        "Tab did not cycle back to the first control: {seen:?}"
    );
    assert!(
        seen.iter().any(|s| s.contains("Check with Graph")),
        "the dialog's actions are reachable: {seen:?}"
    );
    press(client, &format!("{SHIFT}{TAB}")).await?;
    let (last, inside) = focused(client).await?;
    assert!(inside, "Shift+Tab from the first control left the dialog");
    assert_eq!(
        &last,
        seen.last().unwrap(),
        "Shift+Tab wraps to the last control"
    );

    // Enter on "Check with Graph" moves to the next step; focus stays in the dialog.
    for _ in 0..12 {
        if focused(client).await?.0.contains("Check with Graph") {
            break;
        }
        press(client, TAB).await?;
    }
    press(client, ENTER).await?;
    // The check reads every chosen Cloud PC from Graph before the next step shows.
    wait::until("the confirmation step", TIMEOUT, || async {
        Ok(client.find(Locator::Css("#confirm-count")).await.ok())
    })
    .await?;
    let (name, inside) = wait::until("focus in the next step", TIMEOUT, || async {
        let f = focused(client).await?;
        Ok((f.1 && !f.0.contains("Check with Graph")).then_some(f))
    })
    .await?;
    assert!(inside, "focus left the dialog for {name}");

    // Escape closes it and gives focus back to the button that opened it.
    press(client, ESCAPE).await?;
    wait::until("the dialog to close", TIMEOUT, || async {
        Ok(js(
            client,
            "return document.querySelector('[role=dialog]') === null",
        )
        .await?
        .as_bool()
        .filter(|&closed| closed))
    })
    .await?;
    assert_eq!(focused(client).await?.0, "bulk-reprovision");
    Ok(())
}
