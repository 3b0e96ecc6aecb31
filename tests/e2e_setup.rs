//! End to end: the setup page of a console with a wrong config.json writes a correct one, and
//! that file, served back to the console, passes its checks and brings up Entra ID sign-in
//! (MSAL Browser loaded by its hashed name and integrity, under the strict policy); a changed
//! copy of MSAL refuses to load.
#![cfg(not(target_arch = "wasm32"))]

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use testkit::browser::{Browser, TempDir};
use testkit::fantoccini::{Client, Locator};
use testkit::hosting::{Cloud, Csp};
use testkit::page::{js, text};
use testkit::static_host::{StaticHost, StaticHostOptions};
use testkit::wait;

const TIMEOUT: Duration = Duration::from_secs(30);
const CLIENT_ID: &str = "11111111-2222-3333-4444-555555555555";

fn dist() -> anyhow::Result<PathBuf> {
    std::env::var_os("CLOUDPC_DIST")
        .map(PathBuf::from)
        .ok_or_else(|| anyhow::anyhow!("CLOUDPC_DIST is not set: run `cargo xtask test`"))
}

async fn host(dir: PathBuf, config: &str) -> anyhow::Result<StaticHost> {
    StaticHost::start_with(
        dir,
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        StaticHostOptions {
            config_json: Some(config.to_string()),
            csp: Some(Csp::for_cloud(Cloud::Global, None, None)),
        },
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built console: run `cargo xtask test`"]
async fn the_setup_form_writes_a_config_the_console_accepts_and_msal_loads_by_its_hash(
) -> anyhow::Result<()> {
    let broken = host(dist()?, r#"{"cloud":"mars","clientId":"1234"}"#).await?;
    let browser = Browser::start().await?;
    let result = setup_scenario(&broken, &browser).await;
    if result.is_err() {
        browser.evidence("setup-failure").await;
    }
    browser.close().await?;
    result
}

async fn type_into(client: &Client, css: &str, value: &str) -> anyhow::Result<()> {
    let field = client.find(Locator::Css(css)).await?;
    field.clear().await?;
    field.send_keys(value).await?;
    Ok(())
}

async fn setup_scenario(broken: &StaticHost, browser: &Browser) -> anyhow::Result<()> {
    let client = &browser.client;
    client.goto(&broken.url()).await?;
    wait::until("the setup form", TIMEOUT, || async {
        text(client, "[data-testid=setup-verdict]").await
    })
    .await?;
    let redirect = js(
        client,
        "return document.getElementById('setup-redirect').value",
    )
    .await?;
    anyhow::ensure!(
        redirect.as_str() == Some(&format!("{}redirect.html", broken.url())),
        "the redirect URI is prefilled from the page's address: {redirect}"
    );
    let verdict = text(client, "[data-testid=setup-verdict]")
        .await?
        .unwrap_or_default();
    anyhow::ensure!(
        verdict.contains("tenantId") && verdict.contains("clientId"),
        "an empty form names what is missing: {verdict}"
    );

    // A wrong client id is explained at the field, by the console's own rule.
    type_into(client, "#setup-tenant", "contoso.onmicrosoft.com").await?;
    type_into(client, "#setup-client", "not-a-guid").await?;
    let problem = text(client, "#setup-client-problem")
        .await?
        .unwrap_or_default();
    anyhow::ensure!(problem.contains("is not a GUID"), "{problem}");
    let invalid = client
        .find(Locator::Css("#setup-client"))
        .await?
        .attr("aria-invalid")
        .await?;
    anyhow::ensure!(invalid.as_deref() == Some("true"), "{invalid:?}");

    type_into(client, "#setup-client", CLIENT_ID).await?;
    let verdict = text(client, "[data-testid=setup-verdict]")
        .await?
        .unwrap_or_default();
    anyhow::ensure!(verdict.starts_with("Ready"), "{verdict}");
    let written = js(client, "return document.getElementById('setup-json').value").await?;
    let written = written.as_str().unwrap_or_default().to_string();
    let value: serde_json::Value = serde_json::from_str(&written)?;
    anyhow::ensure!(
        value
            == serde_json::json!({
                "cloud": "global",
                "tenantId": "contoso.onmicrosoft.com",
                "clientId": CLIENT_ID,
                "redirectUri": format!("{}redirect.html", broken.url()),
            }),
        "{written}"
    );

    // Served back, the file passes the console's checks and sign-in is set up with MSAL.
    let fixed = host(dist()?, &written).await?;
    client.goto(&fixed.url()).await?;
    let card = wait::until("the sign-in card", TIMEOUT, || async {
        Ok(text(client, "main").await?.filter(|t| {
            t.contains("Sign in to manage Cloud PCs") || t.contains("could not be set up")
        }))
    })
    .await?;
    anyhow::ensure!(card.contains("Sign in to manage"), "{card}");
    let msal: serde_json::Value = js(
        client,
        "const m = document.querySelector('meta[name=cloudpc-msal-script]');
         const s = [...document.scripts].find(s => s.src.includes('msal-browser'));
         return [typeof window.msal, m && m.content, s && s.integrity];",
    )
    .await?;
    anyhow::ensure!(msal[0] == "object", "MSAL did not load: {msal}");
    let name = msal[1].as_str().unwrap_or_default();
    anyhow::ensure!(
        name.starts_with("./msal-browser.min-") && name.ends_with(".js"),
        "MSAL is not named by its hash: {msal}"
    );
    anyhow::ensure!(
        msal[2].as_str().is_some_and(|i| i.starts_with("sha384-")),
        "MSAL was loaded without integrity: {msal}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built console: run `cargo xtask test`"]
async fn a_changed_copy_of_msal_refuses_to_load() -> anyhow::Result<()> {
    // A copy of the build whose MSAL file was altered after the build (a proxy, a bad upload).
    let copy = TempDir::new("cloudpc-tampered")?;
    copy_dir(&dist()?, &copy.0)?;
    let msal = std::fs::read_dir(&copy.0)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("msal-browser.min"))
        })
        .ok_or_else(|| anyhow::anyhow!("the build has no msal-browser.min file"))?;
    let mut bytes = std::fs::read(&msal)?;
    bytes.extend_from_slice(b"\n;window.altered = true;\n");
    std::fs::write(&msal, bytes)?;

    let config = serde_json::json!({
        "cloud": "global",
        "tenantId": "contoso.onmicrosoft.com",
        "clientId": CLIENT_ID,
        "redirectUri": "http://127.0.0.1/redirect.html",
    });
    let console = host(copy.0.clone(), &config.to_string()).await?;
    let browser = Browser::start().await?;
    let client = &browser.client;
    let result = async {
        client.goto(&console.url()).await?;
        let shown = wait::until("the sign-in outcome", TIMEOUT, || async {
            Ok(text(client, "main").await?.filter(|t| {
                t.contains("Sign in to manage Cloud PCs") || t.contains("could not be set up")
            }))
        })
        .await?;
        anyhow::ensure!(
            shown.contains("could not be set up") && shown.contains("Could not load"),
            "the altered MSAL was not refused: {shown}"
        );
        let ran = js(client, "return window.altered === true").await?;
        anyhow::ensure!(ran == false, "the altered MSAL ran");
        Ok(())
    }
    .await;
    if result.is_err() {
        browser.evidence("msal-tamper-failure").await;
    }
    browser.close().await?;
    result
}

fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}
