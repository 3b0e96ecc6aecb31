//! Control endpoints under `/_sim` (outside Graph's paths, no authentication).

use crate::auth::TokenRequest;
use crate::faults::Faults;
use crate::server::AppState;
use crate::throttle::Limits;
use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/_sim/health", get(health))
        .route("/_sim/requests", get(requests).delete(clear_requests))
        .route("/_sim/operations", get(operations))
        .route("/_sim/token", axum::routing::post(token))
        .route("/_sim/reset", axum::routing::post(reset))
        .route("/_sim/faults", get(get_faults).post(set_faults))
        .route("/_sim/limits", get(get_limits).post(set_limits))
        .route("/_sim/tenant", get(tenant))
}

fn bad(msg: impl Into<String>) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"error": {"code": "BadRequest", "message": msg.into()}})),
    )
        .into_response()
}

async fn health(State(app): State<AppState>) -> Json<Value> {
    let sim = &app.sim;
    let state = sim.state();
    Json(json!({
        "status": "ok",
        "devices": state.pcs.len(),
        "seed": sim.config.seed,
        "timeScale": sim.clock.scale(),
        "simulatedSeconds": sim.clock.now(),
        "baseUrl": format!("http://{}", app.addr),
    }))
}

async fn requests(State(app): State<AppState>) -> Response {
    Json(app.sim.requests()).into_response()
}

async fn clear_requests(State(app): State<AppState>) -> StatusCode {
    app.sim.clear_requests();
    StatusCode::NO_CONTENT
}

async fn operations(State(app): State<AppState>) -> Response {
    let ops = app.sim.state().operations();
    Json(ops).into_response()
}

async fn token(
    State(app): State<AppState>,
    body: Result<Json<TokenRequest>, JsonRejection>,
) -> Response {
    let Ok(Json(req)) = body else {
        return bad("expected {\"upn\": \"user@domain\", \"scopes\": [...]?, \"write\": bool?, \"appId\": string?, \"appOnly\": bool?, \"expiresIn\": seconds?}");
    };
    if req.upn.trim().is_empty() {
        return bad("upn must not be empty");
    }
    let lifetime = app.sim.faults().token_lifetime_secs;
    Json(app.sim.tokens().issue(&req, lifetime)).into_response()
}

async fn reset(State(app): State<AppState>) -> Response {
    match app.sim.reset() {
        Ok(()) => {
            Json(json!({"status": "reset", "devices": app.sim.state().pcs.len()})).into_response()
        }
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({"error": {"code": "ResetFailed", "message": format!("{e:#}")}})),
        )
            .into_response(),
    }
}

async fn get_faults(State(app): State<AppState>) -> Json<Faults> {
    Json(app.sim.faults())
}

async fn set_faults(
    State(app): State<AppState>,
    body: Result<Json<Faults>, JsonRejection>,
) -> Response {
    let faults = match body {
        Ok(Json(f)) => f,
        Err(e) => return bad(format!("invalid fault settings: {}", e.body_text())),
    };
    if let Err(e) = faults.validate() {
        return bad(e);
    }
    app.sim.set_faults(faults);
    Json(app.sim.faults()).into_response()
}

async fn get_limits(State(app): State<AppState>) -> Json<Limits> {
    Json(app.sim.limits())
}

async fn set_limits(
    State(app): State<AppState>,
    body: Result<Json<Limits>, JsonRejection>,
) -> Response {
    match body {
        Ok(Json(l)) if l.window_secs > 0.0 && l.max_batch > 0 => {
            app.sim.set_limits(l);
            Json(app.sim.limits()).into_response()
        }
        Ok(_) => bad("windowSecs and maxBatch must be positive"),
        Err(e) => bad(format!("invalid limits: {}", e.body_text())),
    }
}

async fn tenant(State(app): State<AppState>) -> Response {
    let state = app.sim.state();
    let value: Vec<Value> = state
        .pcs
        .iter()
        .map(|e| serde_json::to_value(&e.pc).unwrap_or(Value::Null))
        .collect();
    let bulk: Vec<Value> = state.bulk_actions.iter().map(|b| b.to_json()).collect();
    Json(json!({"value": value, "bulkActions": bulk})).into_response()
}
