//! Catching Content-Security-Policy violations in browser tests, two independent ways:
//! a `report-uri` endpoint that collects the reports Chromium sends ([`ReportCollector`]), and
//! the page's own `securitypolicyviolation` events ([`crate::browser::Browser::record_csp_violations`]).

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// A loopback endpoint for CSP `report-uri` reports. Dropping it stops the server.
pub struct ReportCollector {
    addr: SocketAddr,
    reports: Arc<Mutex<Vec<serde_json::Value>>>,
    stop: Option<oneshot::Sender<()>>,
}

impl ReportCollector {
    pub async fn start() -> anyhow::Result<Self> {
        let reports = Arc::new(Mutex::new(Vec::new()));
        let store = reports.clone();
        let app = Router::new().route(
            "/csp-report",
            post(move |body: String| {
                let store = store.clone();
                async move {
                    let value =
                        serde_json::from_str(&body).unwrap_or(serde_json::Value::String(body));
                    store.lock().unwrap().push(value);
                    StatusCode::NO_CONTENT
                }
            }),
        );
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(Self {
            addr,
            reports,
            stop: Some(stop),
        })
    }

    /// The `report-uri` to put in the policy.
    pub fn url(&self) -> String {
        format!("http://{}/csp-report", self.addr)
    }

    /// Every report received so far (`{"csp-report": {...}}` objects).
    pub fn reports(&self) -> Vec<serde_json::Value> {
        self.reports.lock().unwrap().clone()
    }
}

impl Drop for ReportCollector {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Installed before any page script (through the DevTools protocol, which the page's policy does
/// not govern): keeps every `securitypolicyviolation` event of the document.
pub const VIOLATION_RECORDER: &str = r#"(() => {
  if (window.__cspViolations) return;
  const seen = [];
  Object.defineProperty(window, "__cspViolations", { value: seen });
  window.addEventListener("securitypolicyviolation", (e) => {
    seen.push({
      directive: e.effectiveDirective || e.violatedDirective,
      blocked: e.blockedURI,
      source: e.sourceFile,
      line: e.lineNumber,
      sample: e.sample,
      document: e.documentURI,
    });
  }, true);
})();"#;
