//! End to end through a real web server: the folder `cargo xtask dist` writes, served by
//! Debian's nginx under a sub-path (`/tools/cpc/`) with the nginx configuration it ships, against
//! graph-sim in headless Chromium. The page runs under the shipped Content-Security-Policy, and
//! the test asserts that nothing was blocked, three independent ways: the pages'
//! `securitypolicyviolation` events, the reports Chromium sends to the policy's `report-uri`,
//! and Chromium's console log. A deliberate violation at the end proves the first two see one.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;
use testkit::browser::{Browser, TempDir};
use testkit::csp::ReportCollector;
use testkit::flows;
use testkit::hosting::{self, Cloud, HostingOptions};
use testkit::http;
use testkit::nginx::Nginx;
use testkit::page::text;
use testkit::wait;

const TIMEOUT: Duration = Duration::from_secs(60);
const BASE: &str = "/tools/cpc/";
const OPERATOR: &str = "helpdesk@contoso.onmicrosoft.com";

fn header<'a>(response: &'a http::Response, name: &str) -> Option<&'a str> {
    response.headers.get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built console: run `cargo xtask test`"]
async fn the_dist_folder_served_by_nginx_under_a_sub_path_works_under_the_strict_csp(
) -> anyhow::Result<()> {
    let dist = std::env::var_os("CLOUDPC_DIST").map(PathBuf::from).ok_or_else(|| {
        anyhow::anyhow!("CLOUDPC_DIST is not set: run the end-to-end tests with `cargo xtask test`, which builds the console first")
    })?;
    let sim = graph_sim::start(
        graph_sim::SimConfig {
            devices: 120,
            seed: 11,
            page_size: 100,
            max_page_size: 100,
            time_scale: 1.0,
            ..Default::default()
        },
        "127.0.0.1:0".parse()?,
    )
    .await?;
    let reports = ReportCollector::start().await?;

    // What `cargo xtask dist --base-path /tools/cpc/ --simulator http://127.0.0.1:PORT
    // --csp-report-uri URL --nginx-root DIR` writes: the same function.
    let work = TempDir::new("cloudpc-dist-upload")?;
    let mut options = HostingOptions::new(Cloud::Global, BASE)?;
    options.simulator = Some(sim.base_url());
    options.report_uri = Some(reports.url());
    options.nginx_root = format!("{}/", work.0.join("site").display());
    let upload = hosting::write_upload(&dist, &work.0, &options)?;
    let nginx = Nginx::start(&upload.nginx_conf).await?;
    let origin = nginx.origin();
    let base = format!("{origin}{BASE}");

    // The headers a host must send.
    let index = http::send("GET", &base, None, None).await?;
    assert_eq!(index.status, 200, "{}", nginx.error_log());
    assert_eq!(
        header(&index, "content-security-policy"),
        Some(upload.csp.app.as_str())
    );
    assert_eq!(header(&index, "cache-control"), Some("no-cache"));
    assert_eq!(header(&index, "x-content-type-options"), Some("nosniff"));
    assert!(!hosting::has_inline_script(&index.body), "{}", index.body);
    for directive in [
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'none'",
    ] {
        assert!(upload.csp.app.contains(directive), "{}", upload.csp.app);
    }
    assert!(
        !upload.csp.app.contains("'unsafe-inline'") && !upload.csp.app.contains("'unsafe-eval'")
    );
    let bridge = http::send("GET", &format!("{base}redirect.html"), None, None).await?;
    assert_eq!(bridge.status, 200);
    assert_eq!(
        header(&bridge, "content-security-policy"),
        Some(upload.csp.bridge.as_str())
    );
    assert_eq!(header(&bridge, "cache-control"), Some("no-store"));
    assert_eq!(header(&bridge, "cross-origin-opener-policy"), None);
    let wasm = upload
        .files
        .iter()
        .find(|f| f.ends_with("_bg.wasm"))
        .expect("the build has a wasm module");
    let module = http::send("GET", &format!("{base}{wasm}"), None, None).await?;
    assert_eq!(header(&module, "content-type"), Some("application/wasm"));
    assert_eq!(
        header(&module, "cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    let config = http::send("GET", &format!("{base}config.json"), None, None).await?;
    assert_eq!(header(&config, "cache-control"), Some("no-store"));
    assert_eq!(config.json()?["graphBaseUrl"], sim.base_url());
    let bare = http::send("GET", &format!("{origin}/tools/cpc"), None, None).await?;
    assert_eq!((bare.status, header(&bare, "location")), (301, Some(BASE)));
    let unknown = http::send("GET", &format!("{base}devices/unknown"), None, None).await?;
    assert_eq!(
        (unknown.status, header(&unknown, "location")),
        (302, Some(BASE))
    );
    let stale = http::send(
        "GET",
        &format!("{base}app-0000000000000000.css"),
        None,
        None,
    )
    .await?;
    assert_eq!(stale.status, 404);

    // The console, entered as an admin would type it (no trailing slash).
    let browser = Browser::start().await?;
    browser.record_csp_violations().await?;
    let client = &browser.client;
    client.goto(&format!("{origin}/tools/cpc")).await?;
    let account = wait::until("the signed-in account", TIMEOUT, || async {
        text(client, "[data-testid=account]").await
    })
    .await;
    let account = match account {
        Ok(account) => account,
        Err(e) => {
            let page = browser.evidence("hosting-start").await;
            let violations = browser.csp_violations().await.unwrap_or_default();
            return Err(e.context(format!(
                "the page showed:\n{page}\nCSP violations: {violations:?}\nnginx: {}",
                nginx.error_log()
            )));
        }
    };
    assert_eq!(account, OPERATOR);
    // The console stays under the sub-path; its pages are hash routes.
    let here = client.current_url().await?;
    assert!(
        here.as_str() == base || here.as_str().starts_with(&format!("{base}#/")),
        "{here} is not under {base}"
    );
    wait::until("all 120 Cloud PCs", TIMEOUT, || async {
        let text = text(client, "[data-testid=inventory-progress]").await?;
        Ok(text.filter(|t| t == "120 Cloud PCs"))
    })
    .await?;

    // A reprovision goes through (the walking skeleton's flow).
    let row = flows::first_provisioned_row(&browser).await?;
    let id = row.id.clone();
    let outcome =
        flows::reprovision_windows11_standard_user(&browser, &row, TIMEOUT, "hosting-reprovision")
            .await?;
    assert!(outcome.contains("Reprovision started"), "{outcome}");
    let reprovisions: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/reprovision"))
        .collect();
    assert_eq!(reprovisions.len(), 1, "{reprovisions:?}");
    assert_eq!(
        reprovisions[0].path,
        format!("/beta/deviceManagement/virtualEndpoint/cloudPCs/{id}/reprovision")
    );

    // Nothing on the console page was blocked.
    let violations = browser.csp_violations().await?;
    assert!(
        violations.is_empty(),
        "CSP violations on the console: {violations:?}"
    );

    // The sign-in bridge under its own policy: both its scripts run (integrity and policy
    // allow them) and, with no sign-in response to hand back, it says so.
    client.goto(&format!("{base}redirect.html")).await?;
    let status = wait::until("the bridge page's verdict", TIMEOUT, || async {
        let text = text(client, "#status").await?;
        Ok(text.filter(|t| t.starts_with("Sign-in could not be completed")))
    })
    .await?;
    assert!(status.contains("Close this window"), "{status}");
    let violations = browser.csp_violations().await?;
    assert!(
        violations.is_empty(),
        "CSP violations on the bridge: {violations:?}"
    );

    // Chromium's console saw no blocked resource and no failed integrity check either. (It does
    // warn that integrity is ignored on trunk's `<link rel=preload as=fetch>` of the wasm module:
    // harmless, the module is hashed by name.)
    let blocked: Vec<Value> = browser
        .console_log()
        .await?
        .into_iter()
        .filter(|entry| {
            let message = entry["message"].as_str().unwrap_or_default();
            message.contains("Content Security Policy")
                || message.contains("Refused to")
                || message.contains("valid digest in the 'integrity' attribute")
        })
        .collect();
    assert!(
        blocked.is_empty(),
        "the browser console reports: {blocked:?}"
    );

    // The detectors work: an inline script is refused, seen as an event and as a report.
    let ran: Value = client
        .execute(
            "const s = document.createElement('script');
             s.textContent = 'window.__inlineRan = true';
             document.head.appendChild(s);
             return window.__inlineRan === true;",
            vec![],
        )
        .await?;
    assert_eq!(
        ran,
        Value::Bool(false),
        "an inline script ran under the policy"
    );
    wait::until("the deliberate violation as an event", TIMEOUT, || async {
        Ok((browser.csp_violations().await?.len() == 1).then_some(()))
    })
    .await?;
    wait::until("the deliberate violation as a report", TIMEOUT, || async {
        Ok((!reports.reports().is_empty()).then_some(()))
    })
    .await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let unexpected: Vec<Value> = reports
        .reports()
        .into_iter()
        .filter(|r| {
            let report = &r["csp-report"];
            !(report["blocked-uri"] == "inline"
                && report["document-uri"]
                    .as_str()
                    .is_some_and(|d| d.ends_with("/redirect.html")))
        })
        .collect();
    assert!(unexpected.is_empty(), "CSP reports: {unexpected:?}");
    // The check every end-to-end test gets from `Browser::close` sees it too.
    assert!(!browser.csp_violations_seen().await.is_empty());
    browser.allow_csp_violations();

    browser.close().await?;
    drop(nginx);
    sim.shutdown().await;
    Ok(())
}

/// The opt-in strict policy of `testkit`'s static host (`Stack::start_strict`), which other
/// end-to-end tests can use: the console loads under it with no violation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built console: run `cargo xtask test`"]
async fn the_test_stack_can_serve_the_console_under_the_same_strict_csp() -> anyhow::Result<()> {
    let sim = graph_sim::SimConfig {
        devices: 30,
        seed: 3,
        ..Default::default()
    };
    let stack =
        testkit::stack::Stack::start_strict(testkit::stack::StackOptions::for_tests(sim)?).await?;
    let page = http::send("GET", &stack.console.url(), None, None).await?;
    let policy = header(&page, "content-security-policy").unwrap_or_default();
    assert!(
        policy.contains(&format!(
            "connect-src 'self' https://graph.microsoft.com https://login.microsoftonline.com {};",
            stack.sim.base_url()
        )),
        "{policy}"
    );
    let browser = Browser::start().await?;
    browser.record_csp_violations().await?;
    let client = &browser.client;
    client.goto(&stack.console.url()).await?;
    wait::until("all 30 Cloud PCs", TIMEOUT, || async {
        let text = text(client, "[data-testid=inventory-progress]").await?;
        Ok(text.filter(|t| t == "30 Cloud PCs"))
    })
    .await?;
    let violations = browser.csp_violations().await?;
    assert!(violations.is_empty(), "CSP violations: {violations:?}");
    browser.close().await?;
    Ok(())
}
