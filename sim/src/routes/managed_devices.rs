//! The deprecated (seed) managed-device endpoints: `bulkReprovisionCloudPc`,
//! `{id}/reprovisionCloudPc` and `{id}/getCloudPcRemoteActionResults`.

use super::cloud_pcs::{action_results, refusal_error};
use super::{only, Ctx};
use crate::graph::{GraphError, GraphResult, Reply};
use crate::state::{ReprovisionParams, Via};
use serde_json::{json, Value};

fn managed_not_found(id: &str) -> GraphError {
    GraphError::not_found(format!("The managed device with id '{id}' was not found."))
}

pub(super) fn route(ctx: &Ctx, method: &str, rest: &[&str]) -> GraphResult {
    match rest {
        [action] if action.eq_ignore_ascii_case("bulkReprovisionCloudPc") => {
            only(method, "POST")?;
            bulk(ctx)
        }
        [id, action] if action.eq_ignore_ascii_case("reprovisionCloudPc") => {
            only(method, "POST")?;
            let now = ctx.now();
            let mut state = ctx.sim.state();
            let idx = state
                .find_managed(id)
                .ok_or_else(|| managed_not_found(id))?;
            match state.reprovision(
                idx,
                &ReprovisionParams::default(),
                Via::ManagedDevice,
                Some(ctx.request_id.to_string()),
                now,
            ) {
                Ok(()) => Ok(Reply::empty(204)),
                Err(r) => Err(refusal_error(&r, &state.pcs[idx].pc)),
            }
        }
        [id, f] if f.eq_ignore_ascii_case("getCloudPcRemoteActionResults") => {
            only(method, "GET")?;
            let found = ctx.sim.state().find_managed(id).is_some();
            if !found {
                return Err(managed_not_found(id));
            }
            action_results(ctx, |s| s.find_managed(id))
        }
        [] | [_] => Err(GraphError::bad_request(
            "The simulator serves only the Cloud PC actions of managedDevices.",
        )),
        [_, other, ..] => Err(GraphError::unknown_segment(other)),
    }
}

fn bulk(ctx: &Ctx) -> GraphResult {
    let v: Value =
        serde_json::from_slice(&ctx.req.body).map_err(|_| GraphError::unreadable_body())?;
    let ids = match v.get("managedDeviceIds") {
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| x.as_str().map(str::to_string))
            .collect::<Option<Vec<String>>>()
            .ok_or_else(|| GraphError::bad_request("managedDeviceIds must be a collection of strings."))?,
        _ => {
            return Err(GraphError::bad_request(
                "The parameter 'managedDeviceIds' is required for the operation 'bulkReprovisionCloudPc'.",
            ))
        }
    };
    if let Some(Value::Object(o)) = Some(&v) {
        if let Some(k) = o
            .keys()
            .find(|k| *k != "managedDeviceIds" && !k.starts_with("@odata."))
        {
            return Err(GraphError::bad_request(format!(
                "The parameter '{k}' in the request payload is not a valid parameter for the operation 'bulkReprovisionCloudPc'."
            )));
        }
    }
    let now = ctx.now();
    let result = ctx
        .sim
        .state()
        .seed_bulk(&ids, Some(ctx.request_id.to_string()), now);
    Ok(Reply::json(
        200,
        json!({
            "@odata.context": ctx.context("microsoft.graph.cloudPcBulkRemoteActionResult"),
            "value": result,
        }),
    ))
}
