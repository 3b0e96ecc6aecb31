//! `deviceManagement/virtualEndpoint/bulkActions`: create, list, get and retry.

use super::{only, Ctx};
use crate::graph::{GraphError, GraphResult, Reply};
use serde_json::{json, Value};

fn bulk_not_found(id: &str) -> GraphError {
    GraphError::not_found(format!("The bulk action with id '{id}' was not found."))
}

pub(super) fn route(ctx: &Ctx, method: &str, rest: &[&str]) -> GraphResult {
    match rest {
        [] if method == "GET" => list(ctx),
        [] => {
            only(method, "POST")?;
            create(ctx)
        }
        [id] => {
            only(method, "GET")?;
            let state = ctx.sim.state();
            let b = state.bulk(id).ok_or_else(|| bulk_not_found(id))?;
            let mut v = b.to_json();
            v["@odata.context"] =
                json!(ctx.context("deviceManagement/virtualEndpoint/bulkActions/$entity"));
            Ok(Reply::json(200, v))
        }
        [id, action] if action.eq_ignore_ascii_case("retry") => {
            only(method, "POST")?;
            retry(ctx, id)
        }
        [_, other, ..] => Err(GraphError::unknown_segment(other)),
    }
}

fn list(ctx: &Ctx) -> GraphResult {
    let state = ctx.sim.state();
    let value: Vec<Value> = state.bulk_actions.iter().map(|b| b.to_json()).collect();
    Ok(Reply::json(
        200,
        json!({
            "@odata.context": ctx.context("deviceManagement/virtualEndpoint/bulkActions"),
            "value": value,
        }),
    ))
}

fn string_ids(v: &Value, name: &str) -> Result<Vec<String>, GraphError> {
    match v {
        Value::Array(a) => a
            .iter()
            .map(|x| x.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| {
                GraphError::bad_request(format!("'{name}' must be a collection of strings."))
            }),
        _ => Err(GraphError::bad_request(format!(
            "'{name}' must be a collection of strings."
        ))),
    }
}

fn create(ctx: &Ctx) -> GraphResult {
    let v: Value =
        serde_json::from_slice(&ctx.req.body).map_err(|_| GraphError::unreadable_body())?;
    let Value::Object(o) = v else {
        return Err(GraphError::unreadable_body());
    };
    let ty = o.get("@odata.type").and_then(Value::as_str).unwrap_or("");
    let ty = ty.trim_start_matches('#');
    if ty.is_empty() || ty == "microsoft.graph.cloudPcBulkAction" {
        return Err(GraphError::bad_request(
            "Cannot create an abstract class. Specify the '@odata.type' of the bulk action, e.g. '#microsoft.graph.cloudPcBulkReprovision'.",
        ));
    }
    if ty != "microsoft.graph.cloudPcBulkReprovision" {
        return Err(GraphError::bad_request(format!(
            "The bulk action type '{ty}' is not supported by the simulator; only '#microsoft.graph.cloudPcBulkReprovision' is carried out."
        )));
    }
    let mut display_name = "Bulk reprovision".to_string();
    let mut ids: Option<Vec<String>> = None;
    let mut scheduled = false;
    for (k, v) in &o {
        match k.as_str() {
            "displayName" => {
                display_name = v
                    .as_str()
                    .ok_or_else(|| GraphError::bad_request("'displayName' must be a string."))?
                    .to_string()
            }
            "cloudPcIds" => ids = Some(string_ids(v, "cloudPcIds")?),
            "scheduledDuringMaintenanceWindow" => {
                scheduled = match v {
                    Value::Bool(b) => *b,
                    Value::Null => false,
                    _ => {
                        return Err(GraphError::bad_request(
                            "'scheduledDuringMaintenanceWindow' must be a boolean.",
                        ))
                    }
                }
            }
            // Read-only properties a client may echo back.
            "id" | "status" | "createdDateTime" | "actionSummary" | "initiatedByUserPrincipalName" => {}
            k if k.starts_with("@odata.") => {}
            other => {
                return Err(GraphError::bad_request(format!(
                    "The property '{other}' does not exist on type 'microsoft.graph.cloudPcBulkReprovision'. Make sure to only use property names that are defined by the type or mark the type as open type."
                )))
            }
        }
    }
    let ids = ids.filter(|i| !i.is_empty()).ok_or_else(|| {
        GraphError::bad_request("'cloudPcIds' is required and must not be empty.")
    })?;
    let now = ctx.now();
    let mut state = ctx.sim.state();
    let b = state.create_bulk(
        display_name,
        ids,
        scheduled,
        ctx.principal.upn.clone(),
        Some(ctx.request_id.to_string()),
        now,
    );
    let mut v = b.to_json();
    let id = b.id.clone();
    drop(state);
    v["@odata.context"] =
        json!(ctx.context("deviceManagement/virtualEndpoint/bulkActions/$entity"));
    let location = ctx.url(&format!(
        "deviceManagement/virtualEndpoint/bulkActions/{id}"
    ));
    Ok(Reply::json(201, v).with_header("Location", location))
}

fn retry(ctx: &Ctx, id: &str) -> GraphResult {
    if ctx.principal.app_only {
        return Err(GraphError::new(
            403,
            "Forbidden",
            "Application permissions are not supported for this API; call it with a delegated token.",
        ));
    }
    let body = &ctx.req.body;
    let only_ids = if body.iter().all(|b| b.is_ascii_whitespace()) {
        None
    } else {
        let v: Value = serde_json::from_slice(body).map_err(|_| GraphError::unreadable_body())?;
        let Value::Object(o) = v else {
            return Err(GraphError::unreadable_body());
        };
        let mut ids = None;
        for (k, v) in &o {
            match k.as_str() {
                "cloudPcIds" if !v.is_null() => ids = Some(string_ids(v, "cloudPcIds")?),
                "cloudPcIds" => {}
                k if k.starts_with("@odata.") => {}
                other => {
                    return Err(GraphError::bad_request(format!(
                        "The parameter '{other}' in the request payload is not a valid parameter for the operation 'retry'."
                    )))
                }
            }
        }
        ids
    };
    let now = ctx.now();
    ctx.sim
        .state()
        .retry_bulk(
            id,
            only_ids.as_deref(),
            Some(ctx.request_id.to_string()),
            now,
        )
        .ok_or_else(|| bulk_not_found(id))?;
    Ok(Reply::empty(202))
}
