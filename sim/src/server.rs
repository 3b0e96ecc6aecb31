//! The HTTP layer: CORS, the Graph entry point (latency, dropped connections, malformed
//! bodies), and the axum router.

use crate::control;
use crate::faults::{malform, FaultDice};
use crate::graph::{Body, GraphRequest, JSON_CONTENT_TYPE};
use crate::sim::Sim;
use axum::body::Body as AxumBody;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use bytes::Bytes;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// Shared state of the HTTP handlers.
#[derive(Clone)]
pub struct AppState {
    pub sim: Arc<Sim>,
    pub addr: SocketAddr,
}

/// Most bytes accepted in a request body.
const MAX_BODY: usize = 16 * 1024 * 1024;

/// Request headers a browser may send (CORS preflight).
pub const ALLOWED_HEADERS: &[&str] = &[
    "authorization",
    "content-type",
    "client-request-id",
    "prefer",
    "consistencylevel",
    "return-client-request-id",
    "sdkversion",
    "x-ms-client-request-id",
    "cache-control",
];

/// Response headers a browser may read.
pub const EXPOSED_HEADERS: &[&str] = &[
    "request-id",
    "client-request-id",
    "retry-after",
    "location",
    "date",
    "www-authenticate",
];

fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::any())
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PATCH,
            Method::PUT,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .allow_headers(
            ALLOWED_HEADERS
                .iter()
                .map(|h| HeaderName::from_static(h))
                .collect::<Vec<_>>(),
        )
        .expose_headers(
            EXPOSED_HEADERS
                .iter()
                .map(|h| HeaderName::from_static(h))
                .collect::<Vec<_>>(),
        )
        .max_age(Duration::from_secs(3600))
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(control::router())
        .fallback(graph_entry)
        .layer(cors())
        .with_state(state)
}

async fn graph_entry(State(app): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let body = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response(),
    };
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string)
        .unwrap_or_else(|| app.addr.to_string());
    let greq = GraphRequest {
        method: parts.method.as_str().to_ascii_uppercase(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        headers,
        body,
        base_url: format!("http://{host}"),
    };
    let sim = &app.sim;
    let seq = sim.next_seq();
    let faults = sim.faults();
    if let Some(delay) = FaultDice::new(sim.config.seed, seq).latency(&faults) {
        tokio::time::sleep(delay).await;
    }
    let outcome = sim.process(&greq, seq, None);
    if outcome.drop {
        return dropped_connection();
    }
    let reply = outcome.reply;
    let mut builder = Response::builder().status(reply.status);
    for (n, v) in &reply.headers {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(n.as_bytes()),
            HeaderValue::from_str(v),
        ) {
            builder = builder.header(n, v);
        }
    }
    let body = match reply.body {
        Body::None => AxumBody::empty(),
        Body::Json(v) => {
            let ct = if (200..300).contains(&reply.status) {
                JSON_CONTENT_TYPE
            } else {
                "application/json"
            };
            builder = builder.header(header::CONTENT_TYPE, ct);
            let bytes = serde_json::to_vec(&v).unwrap_or_default();
            let bytes = if outcome.malformed {
                malform(&bytes)
            } else {
                bytes
            };
            AxumBody::from(bytes)
        }
    };
    builder
        .body(body)
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// A response whose body fails before anything is written: hyper closes the connection
/// without sending a status line, so the client sees a dropped connection.
fn dropped_connection() -> Response {
    let stream = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "connection dropped by fault injection",
        ))
    });
    Response::new(AxumBody::from_stream(stream))
}
