//! Serves the built console (`dist/`) from loopback, the way a CDN would, optionally replacing
//! `config.json` so one build can point at any simulator, and optionally under the console's
//! Content-Security-Policy (the one `cargo xtask dist` ships, see [`crate::hosting::Csp`]).

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::routing::get;
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::hosting::Csp;

/// What a [`StaticHost`] adds to plain file serving.
#[derive(Clone, Debug, Default)]
pub struct StaticHostOptions {
    /// Answered for `config.json` instead of the file in the folder.
    pub config_json: Option<String>,
    /// Sent as `Content-Security-Policy` (the bridge policy for `redirect.html`, the app policy
    /// for everything else). `None` sends no policy.
    pub csp: Option<Csp>,
}

/// A running static host. Dropping it stops the server.
pub struct StaticHost {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
}

impl StaticHost {
    /// Serves `dir` on `addr` (port 0 picks a free port). When `config_json` is given it is
    /// answered for `config.json` instead of the file in `dir`.
    pub async fn start(
        dir: PathBuf,
        config_json: Option<String>,
        addr: SocketAddr,
    ) -> anyhow::Result<Self> {
        Self::start_with(
            dir,
            addr,
            StaticHostOptions {
                config_json,
                csp: None,
            },
        )
        .await
    }

    /// Serves `dir` on `addr` with `options` (e.g. under the strict Content-Security-Policy).
    pub async fn start_with(
        dir: PathBuf,
        addr: SocketAddr,
        options: StaticHostOptions,
    ) -> anyhow::Result<Self> {
        let StaticHostOptions { config_json, csp } = options;
        anyhow::ensure!(
            dir.join("index.html").is_file(),
            "{} has no index.html: build the console first (cargo xtask test or cargo xtask demo do it)",
            dir.display()
        );
        let mut app = Router::new();
        if let Some(config) = config_json {
            app = app.route(
                "/config.json",
                get(move || {
                    let config = config.clone();
                    async move { ([(header::CONTENT_TYPE, "application/json")], config) }
                }),
            );
        }
        let mut app = app.fallback_service(ServeDir::new(dir));
        if let Some(csp) = csp {
            app = app.layer(axum::middleware::from_fn(
                move |request: Request, next: Next| {
                    let csp = csp.clone();
                    async move {
                        let policy = csp.for_path(request.uri().path()).to_string();
                        let mut response = next.run(request).await;
                        if let Ok(value) = HeaderValue::from_str(&policy) {
                            response
                                .headers_mut()
                                .insert(header::CONTENT_SECURITY_POLICY, value);
                        }
                        response
                    }
                },
            ));
        }
        let app = app
            // The console is reloaded often during tests; never serve a stale build.
            .layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                HeaderValue::from_static("no-store"),
            ));
        let listener = TcpListener::bind(addr).await?;
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
            stop: Some(stop),
        })
    }

    /// The console's URL, e.g. `http://127.0.0.1:8080/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for StaticHost {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
