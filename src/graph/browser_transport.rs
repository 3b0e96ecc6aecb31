//! The browser's [`Transport`] (gloo-net `fetch`) and [`Sleeper`] (gloo-timers). wasm32 only.

use std::future::Future;
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use gloo_net::http::{Method as HttpMethod, RequestBuilder};

use super::request::Method;
use super::transport::{HttpRequest, HttpResponse, Sleeper, Transport, TransportError};

/// How long a Graph request may take before it counts as timed out.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// `fetch` through gloo-net, with a timeout.
#[derive(Debug, Clone, Copy)]
pub struct BrowserTransport {
    pub timeout: Duration,
}

impl Default for BrowserTransport {
    fn default() -> Self {
        BrowserTransport {
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

/// `navigator.onLine`: false when the browser knows it has no network (true when unknown).
pub fn browser_online() -> bool {
    let Some(window) = web_sys::window() else {
        return true;
    };
    js_sys::Reflect::get(&window, &"navigator".into())
        .and_then(|n| js_sys::Reflect::get(&n, &"onLine".into()))
        .map(|v| v.as_bool() != Some(false))
        .unwrap_or(true)
}

/// How often a held request looks whether the browser is back online.
const ONLINE_POLL: Duration = Duration::from_millis(250);

impl Transport for BrowserTransport {
    async fn wait_until_online(&self) {
        while !browser_online() {
            gloo_timers::future::sleep(ONLINE_POLL).await;
        }
    }

    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        // Also here: the network may have gone between the client's check and the send.
        self.wait_until_online().await;
        let method = match req.method {
            Method::Get => HttpMethod::GET,
            Method::Post => HttpMethod::POST,
            Method::Patch => HttpMethod::PATCH,
            Method::Delete => HttpMethod::DELETE,
        };
        let mut builder = RequestBuilder::new(&req.url).method(method);
        for (name, value) in &req.headers {
            builder = builder.header(name, value);
        }
        let request = match req.body {
            Some(body) => builder.body(body),
            None => builder.build(),
        }
        .map_err(|e| TransportError::Network(e.to_string()))?;
        let exchange = async move {
            let resp = request
                .send()
                .await
                .map_err(|e| TransportError::Network(e.to_string()))?;
            let status = resp.status();
            let headers = resp.headers().entries().collect();
            let body = resp
                .text()
                .await
                .map_err(|e| TransportError::Network(e.to_string()))?;
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        };
        match with_timeout(exchange, self.timeout).await {
            Some(result) => result,
            None => Err(TransportError::Timeout),
        }
    }
}

/// Runs `fut` unless `limit` passes first.
async fn with_timeout<F: Future>(fut: F, limit: Duration) -> Option<F::Output> {
    let mut fut = pin!(fut);
    let mut timer = pin!(gloo_timers::future::sleep(limit));
    std::future::poll_fn(|cx| {
        if let Poll::Ready(v) = fut.as_mut().poll(cx) {
            return Poll::Ready(Some(v));
        }
        if timer.as_mut().poll(cx).is_ready() {
            return Poll::Ready(None);
        }
        Poll::Pending
    })
    .await
}

/// Waits with `setTimeout` through gloo-timers.
#[derive(Debug, Clone, Copy, Default)]
pub struct BrowserSleeper;

impl Sleeper for BrowserSleeper {
    async fn sleep(&self, d: Duration) {
        gloo_timers::future::sleep(d).await
    }
}
