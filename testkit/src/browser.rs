//! Headless Debian Chromium driven through chromedriver, for end-to-end tests and screenshots.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;

/// Where Debian puts the browser and its driver; `CHROME` / `CHROMEDRIVER` override them.
pub fn chromium_path() -> PathBuf {
    std::env::var_os("CHROME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

pub fn chromedriver_path() -> PathBuf {
    std::env::var_os("CHROMEDRIVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromedriver"))
}

/// Flags for a headless Chromium on a machine with a closed network, possibly running as root.
pub fn chromium_args(profile_dir: &Path, width: u32, height: u32) -> Vec<String> {
    vec![
        "--headless=new".into(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--disable-quic".into(),
        "--no-first-run".into(),
        "--no-default-browser-check".into(),
        format!("--window-size={width},{height}"),
        format!("--user-data-dir={}", profile_dir.display()),
    ]
}

/// A chromedriver process and one browser session on it. Call [`Browser::close`] at the end;
/// dropping it kills the driver (and with it the browser) in any case.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: TempDir,
    /// Set by [`Browser::allow_csp_violations`]: [`Browser::close`] then skips its CSP check.
    csp_violations_allowed: std::cell::Cell<bool>,
}

impl Browser {
    pub async fn start() -> anyhow::Result<Self> {
        Self::start_sized(1280, 900).await
    }

    /// A 1280×900 session with extra Chromium flags (e.g. `--enable-precise-memory-info`).
    pub async fn start_with_args(extra: &[&str]) -> anyhow::Result<Self> {
        Self::launch(1280, 900, extra).await
    }

    pub async fn start_sized(width: u32, height: u32) -> anyhow::Result<Self> {
        Self::launch(width, height, &[]).await
    }

    async fn launch(width: u32, height: u32, extra: &[&str]) -> anyhow::Result<Self> {
        let driver_path = chromedriver_path();
        anyhow::ensure!(
            driver_path.exists(),
            "{} not found: install Debian's chromium and chromium-driver (cargo xtask test does it when run as root)",
            driver_path.display()
        );
        let port = free_port()?;
        // Its own process group, so the browser it starts dies with it (see `kill_group`).
        let driver = Command::new(&driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()?;
        let profile = TempDir::new("cloudpc-chromium")?;
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": chromium_path(),
                "args": chromium_args(&profile.0, width, height)
                    .into_iter()
                    .chain(extra.iter().map(|a| a.to_string()))
                    .collect::<Vec<_>>(),
            }),
        );
        // Collect the browser console so tests can search it (e.g. for leaked tokens).
        caps.insert(
            "goog:loggingPrefs".into(),
            serde_json::json!({ "browser": "ALL" }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let mut last = None;
        for _ in 0..50 {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    let browser = Self {
                        client,
                        driver,
                        _profile: profile,
                        csp_violations_allowed: std::cell::Cell::new(false),
                    };
                    // Every document of every test records CSP violations; `close` fails on any.
                    browser.record_csp_violations().await?;
                    return Ok(browser);
                }
                Err(e) => last = Some(e),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let mut driver = driver;
        kill_group(&mut driver);
        Err(anyhow::anyhow!(
            "could not start a Chromium session through chromedriver: {:?}",
            last
        ))
    }

    /// Ends the session. Fails when the console met its Content-Security-Policy: a
    /// `securitypolicyviolation` in the current document, or a violation Chromium logged in any
    /// document since the browser log was last read (unless [`Browser::allow_csp_violations`]).
    pub async fn close(mut self) -> anyhow::Result<()> {
        let violations = if self.csp_violations_allowed.get() {
            Vec::new()
        } else {
            self.csp_violations_seen().await
        };
        let _ = self.client.clone().close().await;
        kill_group(&mut self.driver);
        anyhow::ensure!(
            violations.is_empty(),
            "the console met its Content-Security-Policy: {violations:?}"
        );
        Ok(())
    }

    /// For a test that provokes a violation on purpose: `close` no longer fails on violations.
    pub fn allow_csp_violations(&self) {
        self.csp_violations_allowed.set(true);
    }

    /// The current document's recorded violations and the browser log's CSP messages.
    pub async fn csp_violations_seen(&self) -> Vec<serde_json::Value> {
        let mut seen = self.csp_violations().await.unwrap_or_default();
        seen.extend(
            self.console_log()
                .await
                .unwrap_or_default()
                .into_iter()
                .filter(|entry| {
                    let message = entry["message"].as_str().unwrap_or_default();
                    message.contains("Content Security Policy")
                }),
        );
        seen
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // A test that fails half-way never calls `close`: take the browser down with the driver.
        kill_group(&mut self.driver);
    }
}

/// Kills chromedriver and everything in its process group (the browser and its helpers), once:
/// only while the driver has not been reaped, so its id still names its own group.
fn kill_group(driver: &mut Child) {
    if !matches!(driver.try_wait(), Ok(None)) {
        return;
    }
    let group = driver.id();
    if group > 1 {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{group}")])
            .stderr(Stdio::null())
            .status();
    }
    let _ = driver.kill();
    let _ = driver.wait();
}

fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// A throwaway directory, removed on drop (a fresh browser profile per session).
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(prefix: &str) -> std::io::Result<Self> {
        let unique = format!(
            "{prefix}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default()
        );
        let path = std::env::temp_dir().join(unique);
        std::fs::create_dir_all(&path)?;
        Ok(Self(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Browser {
    /// Saves a screenshot and the page's text under `target/e2e/NAME.{png,txt}` and returns the
    /// text, so a failing test shows what the operator would have seen.
    pub async fn evidence(&self, name: &str) -> String {
        let dir = evidence_dir();
        let _ = std::fs::create_dir_all(&dir);
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::write(dir.join(format!("{name}.png")), png);
        }
        let text = match self
            .client
            .execute(
                "return document.body ? document.body.innerText : ''",
                vec![],
            )
            .await
        {
            Ok(v) => v.as_str().unwrap_or_default().to_string(),
            Err(e) => format!("(page text unavailable: {e})"),
        };
        let _ = std::fs::write(dir.join(format!("{name}.txt")), &text);
        text
    }
}

/// Where screenshots and page text of end-to-end tests go (`target/e2e`).
pub fn evidence_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .parent()
                .expect("testkit lives in the workspace")
                .join("target")
        });
    target.join("e2e")
}

/// A chromedriver-specific command (`/session/{id}/…`) that fantoccini has no method for.
#[derive(Debug)]
struct SessionCommand {
    path: &'static str,
    body: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for SessionCommand {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

impl Browser {
    /// From now on, every document the browser loads records its `securitypolicyviolation`
    /// events in `window.__cspViolations` ([`crate::csp::VIOLATION_RECORDER`]). The recorder is
    /// installed through the DevTools protocol, so it runs before any page script and is not
    /// itself subject to the page's Content-Security-Policy. Call before `goto`.
    pub async fn record_csp_violations(&self) -> anyhow::Result<()> {
        self.client
            .issue_cmd(SessionCommand {
                path: "goog/cdp/execute",
                body: serde_json::json!({
                    "cmd": "Page.addScriptToEvaluateOnNewDocument",
                    "params": { "source": crate::csp::VIOLATION_RECORDER },
                }),
            })
            .await
            .map_err(|e| anyhow::anyhow!("could not install the CSP violation recorder: {e}"))?;
        Ok(())
    }

    /// The violations the current document recorded (see [`Browser::record_csp_violations`]).
    pub async fn csp_violations(&self) -> anyhow::Result<Vec<serde_json::Value>> {
        let value = self
            .client
            .execute(
                "return window.__cspViolations ? JSON.parse(JSON.stringify(window.__cspViolations)) : null",
                vec![],
            )
            .await?;
        match value {
            serde_json::Value::Array(items) => Ok(items),
            _ => anyhow::bail!(
                "the page has no CSP violation recorder: call Browser::record_csp_violations before loading it"
            ),
        }
    }

    /// The browser console messages logged since the last call (chromedriver's `browser` log,
    /// enabled by `goog:loggingPrefs`). Chromium logs every CSP violation there too.
    pub async fn console_log(&self) -> anyhow::Result<Vec<serde_json::Value>> {
        let value = self
            .client
            .issue_cmd(SessionCommand {
                path: "se/log",
                body: serde_json::json!({ "type": "browser" }),
            })
            .await
            .map_err(|e| anyhow::anyhow!("could not read the browser log: {e}"))?;
        Ok(value.as_array().cloned().unwrap_or_default())
    }
}

impl Browser {
    /// Runs a DevTools protocol command (e.g. `Network.emulateNetworkConditions`) in the page's
    /// target through chromedriver and returns its result.
    pub async fn cdp(
        &self,
        cmd: &str,
        params: serde_json::Value,
    ) -> anyhow::Result<serde_json::Value> {
        self.client
            .issue_cmd(SessionCommand {
                path: "goog/cdp/execute",
                body: serde_json::json!({ "cmd": cmd, "params": params }),
            })
            .await
            .map_err(|e| anyhow::anyhow!("DevTools command {cmd} failed: {e}"))
    }

    /// From now on, runs `source` in every document before any page script (not subject to
    /// the page's Content-Security-Policy).
    pub async fn on_every_document(&self, source: &str) -> anyhow::Result<()> {
        self.cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            serde_json::json!({ "source": source }),
        )
        .await
        .map(|_| ())
    }

    /// Makes the page see `prefers-color-scheme: dark` or `light`, whatever the system says.
    /// Stays in effect across navigations of this session.
    pub async fn emulate_color_scheme(&self, scheme: ColorScheme) -> anyhow::Result<()> {
        self.cdp(
            "Emulation.setEmulatedMedia",
            serde_json::json!({
                "media": "",
                "features": [{ "name": "prefers-color-scheme", "value": scheme.as_str() }],
            }),
        )
        .await?;
        Ok(())
    }
}

/// The two themes the console follows from the system.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorScheme {
    Light,
    Dark,
}

impl ColorScheme {
    pub const BOTH: [ColorScheme; 2] = [ColorScheme::Light, ColorScheme::Dark];

    pub fn as_str(self) -> &'static str {
        match self {
            ColorScheme::Light => "light",
            ColorScheme::Dark => "dark",
        }
    }
}
