//! Serves the built console (`dist/`) from loopback, the way a CDN would, optionally replacing
//! `config.json` so one build can point at any simulator.

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::http::{header, HeaderValue};
use axum::routing::get;
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

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
        let app = app
            .fallback_service(ServeDir::new(dir))
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
