//! End to end: axe-core's WCAG 2.1 A and AA rules find nothing on any page or dialog of the
//! console, in the light and the dark theme, under the strict Content-Security-Policy it ships
//! with: the inventory, a device page, both steps of the single reprovision dialog, both steps of
//! the bulk dialog, the results view of a finished bulk run, the setup page for a bad
//! config.json and the not-found page.
#![cfg(not(target_arch = "wasm32"))]

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use testkit::axe;
use testkit::browser::{Browser, ColorScheme};
use testkit::fantoccini::Locator;
use testkit::flows;
use testkit::page::{js, text};
use testkit::stack::{Stack, StackOptions};
use testkit::static_host::{StaticHost, StaticHostOptions};
use testkit::wait;

const TIMEOUT: Duration = Duration::from_secs(40);

/// Every state checked, with what axe found in it: `(state, theme, violations)`.
type Findings = Vec<(String, ColorScheme, Vec<axe::Violation>)>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built console: run `cargo xtask test`"]
async fn axe_finds_no_wcag21_aa_violation_on_any_page_or_dialog_in_either_theme(
) -> anyhow::Result<()> {
    let sim = graph_sim::SimConfig {
        devices: 40,
        seed: 9,
        time_scale: 120.0,
        ..Default::default()
    };
    let options = StackOptions::for_tests(sim)?;
    let dist = options.dist.clone();
    let stack = Stack::start_strict(options).await?;
    // The setup page: a console whose config.json names no cloud it knows and lacks its ids.
    let misconfigured = StaticHost::start_with(
        dist,
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        StaticHostOptions {
            config_json: Some(r#"{"cloud":"mars","auth":"msal","clientId":"not a guid"}"#.into()),
            csp: None,
        },
    )
    .await?;
    let browser = Browser::start().await?;
    let mut findings = Findings::new();
    let result = scenario(&stack, &misconfigured, &browser, &mut findings).await;
    if result.is_err() {
        browser.evidence("accessibility-failure").await;
    }
    browser.close().await?;
    result?;

    let checked = findings.len();
    let failed: Vec<String> = findings
        .iter()
        .filter(|(_, _, v)| !v.is_empty())
        .map(|(state, theme, v)| {
            format!("{state} ({} theme):\n{}", theme.as_str(), axe::describe(v))
        })
        .collect();
    assert!(
        failed.is_empty(),
        "axe-core found WCAG 2.1 AA violations:\n{}",
        failed.join("\n")
    );
    // Twelve page states, each in two themes: a scenario that stopped early must not pass.
    assert_eq!(checked, 24, "the scenario stopped early");
    Ok(())
}

/// Runs axe on the current page in both themes (without reloading, so dialogs and runs stay
/// as they are), then goes back to the light theme.
async fn check_both(
    browser: &Browser,
    state: &str,
    screenshot: Option<&str>,
    findings: &mut Findings,
) -> anyhow::Result<()> {
    for theme in ColorScheme::BOTH {
        browser.emulate_color_scheme(theme).await?;
        let applied = js(
            &browser.client,
            &format!(
                "return matchMedia('(prefers-color-scheme: {})').matches",
                theme.as_str()
            ),
        )
        .await?;
        anyhow::ensure!(
            applied == serde_json::Value::Bool(true),
            "the page does not see the {} theme",
            theme.as_str()
        );
        if let Some(name) = screenshot {
            save_screenshot(browser, &format!("{name}-{}", theme.as_str())).await?;
        }
        let violations = axe::check(&browser.client).await?;
        if !violations.is_empty() {
            browser
                .evidence(&format!(
                    "accessibility-{}-{}",
                    state.replace(' ', "-"),
                    theme.as_str()
                ))
                .await;
        }
        findings.push((state.to_string(), theme, violations));
    }
    browser.emulate_color_scheme(ColorScheme::Light).await
}

/// The README's screenshots: always under `target/e2e/screenshots/`, and into
/// `docs/screenshots/` (committed) when `CLOUDPC_UPDATE_SCREENSHOTS` is set, so an ordinary test
/// run leaves the working tree alone.
async fn save_screenshot(browser: &Browser, name: &str) -> anyhow::Result<()> {
    // Let the page repaint in the theme just set.
    browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(0)));",
            vec![],
        )
        .await?;
    let png = browser.client.screenshot().await?;
    let mut dirs = vec![testkit::browser::evidence_dir().join("screenshots")];
    if std::env::var_os("CLOUDPC_UPDATE_SCREENSHOTS").is_some() {
        dirs.push(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots"));
    }
    for dir in dirs {
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join(format!("{name}.png")), &png)?;
    }
    Ok(())
}

async fn click_css(browser: &Browser, css: &str) -> anyhow::Result<()> {
    browser
        .client
        .find(Locator::Css(css))
        .await?
        .click()
        .await?;
    Ok(())
}

async fn click_button(browser: &Browser, label: &str) -> anyhow::Result<()> {
    browser
        .client
        .find(Locator::XPath(&format!(
            "//*[@role='dialog']//button[normalize-space(.)='{label}']"
        )))
        .await?
        .click()
        .await?;
    Ok(())
}

async fn scenario(
    stack: &Stack,
    misconfigured: &StaticHost,
    browser: &Browser,
    findings: &mut Findings,
) -> anyhow::Result<()> {
    let client = &browser.client;
    let console = stack.console.url();

    // Inventory, fully loaded.
    client.goto(&format!("{console}#/cloudpcs")).await?;
    wait::until("the inventory", TIMEOUT, || async {
        Ok(text(client, "[data-testid=inventory-progress]")
            .await?
            .filter(|t| t == "40 Cloud PCs"))
    })
    .await?;
    check_both(browser, "inventory", Some("inventory"), findings).await?;

    // Single reprovision: choose, then confirm.
    let row = flows::first_provisioned_row(browser).await?;
    click_css(
        browser,
        &format!(
            "tr[data-cloudpc-id='{}'] button[aria-label^='Reprovision']",
            row.id
        ),
    )
    .await?;
    check_both(browser, "reprovision dialog, choose", None, findings).await?;
    click_css(browser, "#osVersion-windows-11").await?;
    click_button(browser, "Continue").await?;
    client.find(Locator::Css("#confirm-name")).await?;
    check_both(
        browser,
        "reprovision dialog, confirm",
        Some("reprovision-dialog"),
        findings,
    )
    .await?;
    click_button(browser, "Back").await?;
    click_button(browser, "Cancel").await?;

    // Bulk: every provisioned or failed PC on the list, Windows 11 (per device), checked with
    // Graph, then run to the end.
    client
        .goto(&format!("{console}#/cloudpcs?status=provisioned"))
        .await?;
    wait::until("the filtered inventory", TIMEOUT, || async {
        Ok(text(client, "[data-testid=match-count]")
            .await?
            .filter(|t| !t.starts_with("0 of") && t.ends_with("of 40 match")))
    })
    .await?;
    js(
        client,
        "[...document.querySelectorAll('tr[data-cloudpc-id] input[type=checkbox]')].slice(0, 6).forEach(b => b.click()); return 0",
    )
    .await?;
    click_css(browser, "[data-testid=bulk-reprovision]").await?;
    check_both(browser, "bulk dialog, choose", None, findings).await?;
    click_css(browser, "#bulk-os-windows-11").await?;
    click_button(browser, "Check with Graph").await?;
    let to_wipe = wait::until("the preflight", TIMEOUT, || async {
        Ok(js(client, "const l = document.querySelector('[data-testid=to-wipe]'); return l ? l.children.length : null").await?.as_u64())
    })
    .await?;
    check_both(browser, "bulk dialog, review", None, findings).await?;
    client
        .find(Locator::Css("#confirm-count"))
        .await?
        .send_keys(&to_wipe.to_string())
        .await?;
    // The end of the run is announced in the page and, with the tab hidden and notifications
    // allowed, by the browser: headless Chromium can neither hide the tab nor show notifications,
    // so the page is told it is hidden and `Notification` records what the console creates.
    js(
        client,
        "Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
         window.__notifications = [];
         const Real = window.Notification;
         window.Notification = class extends Real {
           static get permission() { return 'granted'; }
           constructor(title, options) { super(title, options); window.__notifications.push([title, options && options.body]); }
         };
         return 0",
    )
    .await?;
    click_button(browser, &format!("Reprovision {to_wipe} Cloud PCs")).await?;
    wait::until(
        "the bulk run to finish",
        Duration::from_secs(60),
        || async {
            Ok(text(client, "[data-testid=run-progress]")
                .await?
                .filter(|t| t.starts_with(&format!("{to_wipe} of {to_wipe} devices done"))))
        },
    )
    .await?;
    let notice = wait::until("the finished-run notification", TIMEOUT, || async {
        text(client, "[data-testid=run-notification]").await
    })
    .await?;
    let notice_text = js(
        client,
        "return document.querySelector('[data-testid=run-notification]').innerText",
    )
    .await?;
    let notice_text = notice_text.as_str().unwrap_or_default();
    anyhow::ensure!(
        notice.contains("Finished") && notice_text.contains(&format!("{to_wipe} Cloud PCs")),
        "the notification names the finished run: {notice_text}"
    );
    let shown = js(client, "return window.__notifications").await?;
    anyhow::ensure!(
        shown.as_array().map(Vec::len) == Some(1),
        "one browser notification for the hidden tab: {shown}"
    );
    anyhow::ensure!(
        shown[0][0].as_str().is_some_and(|t| t.contains("Finished"))
            && shown[0][1].as_str().is_some_and(|b| b.ends_with('.')),
        "{shown}"
    );
    js(client, "delete document.hidden; return 0").await?;
    // The table as it first shows (opening a row's dialog scrolled it sideways).
    js(
        client,
        "document.querySelector('.grid-scroll').scrollLeft = 0; return 0",
    )
    .await?;
    for theme in ColorScheme::BOTH {
        browser.emulate_color_scheme(theme).await?;
        save_screenshot(browser, &format!("bulk-results-{}", theme.as_str())).await?;
    }
    browser.emulate_color_scheme(ColorScheme::Light).await?;
    // Open every category, so each device line and reason is checked too.
    testkit::run_flows::open_categories(browser).await?;
    check_both(browser, "bulk results view", None, findings).await?;

    // The activity page, with the run just made in it.
    click_css(browser, "[data-testid=nav-activity]").await?;
    wait::until("the activity log", TIMEOUT, || async {
        text(client, "[data-testid=activity-log]").await
    })
    .await?;
    check_both(browser, "activity page", None, findings).await?;

    // The tenant's bulk actions (the simulator's tenant starts with none: the empty page).
    click_css(browser, "[data-testid=nav-bulk-actions]").await?;
    wait::until("the bulk actions page", TIMEOUT, || async {
        Ok(text(client, "[data-testid=bulk-actions]").await?.or(text(
            client,
            "[data-testid=bulk-actions-empty]",
        )
        .await?))
    })
    .await?;
    check_both(browser, "bulk actions page", None, findings).await?;

    // The import dialog with its per-line report.
    click_css(browser, "[data-testid=nav-cloudpcs]").await?;
    click_css(browser, "[data-testid=import-list]").await?;
    client
        .find(Locator::Css("#import-text"))
        .await?
        .send_keys(&format!(
            "name\n{}\nnobody@contoso.com\nnot an id\n",
            row.id
        ))
        .await?;
    click_button(browser, "Check list").await?;
    wait::until("the import report", TIMEOUT, || async {
        text(client, "[data-testid=import-report]").await
    })
    .await?;
    check_both(browser, "import dialog with its report", None, findings).await?;
    click_button(browser, "Cancel").await?;

    // A device page, with its history.
    client
        .goto(&format!("{console}#/cloudpcs/{}", row.id))
        .await?;
    wait::until("the device page", TIMEOUT, || async {
        Ok(text(client, "[data-testid=history-current]")
            .await?
            .filter(|t| !t.contains("Loading")))
    })
    .await?;
    check_both(browser, "device page", None, findings).await?;

    // The not-found page.
    client.goto(&format!("{console}#/nowhere/at/all")).await?;
    wait::until("the not-found page", TIMEOUT, || async {
        Ok(text(client, "[role=alert] .title")
            .await?
            .filter(|t| t.contains("no such page")))
    })
    .await?;
    check_both(browser, "not-found page", None, findings).await?;

    // The setup page of a console with a wrong config.json.
    client.goto(&misconfigured.url()).await?;
    wait::until("the setup page", TIMEOUT, || async {
        text(client, ".setup-problems").await
    })
    .await?;
    check_both(browser, "setup page", None, findings).await?;
    Ok(())
}
