//! `deviceManagement/virtualEndpoint/cloudPCs` and its actions and functions.

use super::{only, Ctx, Version};
use crate::graph::{GraphError, GraphResult, Reply};
use crate::model::{
    reprovision_allowed_from, reprovision_supported, CloudPc, RemoteActionCapability,
    RemoteActionResult, EVOLVED_STATUSES, OS_VERSIONS, USER_ACCOUNT_TYPES, V1_CLOUD_PC_PROPERTIES,
};
use crate::odata::{apply_select, next_link, parse_query};
use crate::state::{Refusal, ReprovisionParams, Via};
use serde_json::{json, Map, Value};

pub(super) fn route(ctx: &Ctx, method: &str, rest: &[&str]) -> GraphResult {
    match rest {
        [] => {
            only(method, "GET")?;
            list(ctx, "deviceManagement/virtualEndpoint/cloudPCs", |_| true)
        }
        [id] => {
            only(method, "GET")?;
            get(
                ctx,
                id,
                "deviceManagement/virtualEndpoint/cloudPCs/$entity",
                |_| true,
            )
        }
        [id, action] if action.eq_ignore_ascii_case("reprovision") => {
            only(method, "POST")?;
            let params = parse_reprovision_body(ctx, true)?;
            reprovision(ctx, id, &params, Via::CloudPc, |_| true)
        }
        [id, f]
            if f.eq_ignore_ascii_case("retrieveCloudPcRemoteActionResults")
                && ctx.version == Version::Beta =>
        {
            only(method, "GET")?;
            action_results(ctx, |s| s.find(id))
        }
        [id, f]
            if f.eq_ignore_ascii_case("getSupportedCloudPcRemoteActions")
                && ctx.version == Version::Beta =>
        {
            only(method, "GET")?;
            supported_actions(ctx, id)
        }
        [_, other, ..] => Err(GraphError::unknown_segment(other)),
    }
}

/// The answer to an unknown Cloud PC id.
pub(super) fn cloud_pc_not_found(id: &str) -> GraphError {
    GraphError::not_found(format!("The Cloud PC with id '{id}' was not found."))
}

/// The Graph JSON of a Cloud PC, as this request should see it.
pub(super) fn render(ctx: &Ctx, pc: &CloudPc) -> Value {
    let mut v = serde_json::to_value(pc).unwrap_or(Value::Null);
    if ctx.version == Version::V1 {
        if let Value::Object(o) = v {
            let mut kept = Map::new();
            for p in V1_CLOUD_PC_PROPERTIES {
                kept.insert((*p).to_string(), o.get(*p).cloned().unwrap_or(Value::Null));
            }
            v = Value::Object(kept);
        }
    } else if !ctx.req.wants_unknown_enum_members()
        && EVOLVED_STATUSES.contains(&pc.status.as_str())
    {
        v["status"] = json!("unknownFutureValue");
    }
    v
}

/// A page of Cloud PCs that satisfy `scope`, with the request's query options.
pub(super) fn list(ctx: &Ctx, context: &str, scope: impl Fn(&CloudPc) -> bool) -> GraphResult {
    let opts = parse_query(ctx.req.query.as_deref())?;
    let cfg = &ctx.sim.config;
    let state = ctx.sim.state();
    let matching: Vec<usize> = state
        .pcs
        .iter()
        .enumerate()
        .filter(|(_, e)| scope(&e.pc) && opts.filter.as_ref().is_none_or(|f| f.matches(&e.pc)))
        .map(|(i, _)| i)
        .collect();
    let size = opts
        .top
        .unwrap_or(cfg.page_size)
        .min(cfg.max_page_size.max(1));
    let start = opts.offset.min(matching.len());
    let end = (start + size).min(matching.len());
    let value: Vec<Value> = matching[start..end]
        .iter()
        .map(|i| {
            let v = render(ctx, &state.pcs[*i].pc);
            match &opts.select {
                Some(sel) => apply_select(v, sel),
                None => v,
            }
        })
        .collect();
    drop(state);
    let ctx_fragment = match &opts.select {
        Some(sel) => format!("{context}({})", sel.join(",")),
        None => context.to_string(),
    };
    let mut body = Map::new();
    body.insert("@odata.context".into(), json!(ctx.context(&ctx_fragment)));
    if opts.count {
        body.insert("@odata.count".into(), json!(matching.len()));
    }
    if end < matching.len() && size > 0 {
        body.insert(
            "@odata.nextLink".into(),
            json!(next_link(&ctx.req.base_url, &ctx.req.path, &opts, end)),
        );
    }
    body.insert("value".into(), Value::Array(value));
    Ok(Reply::json(200, Value::Object(body)))
}

/// One Cloud PC, if it satisfies `scope`.
pub(super) fn get(
    ctx: &Ctx,
    id: &str,
    context: &str,
    scope: impl Fn(&CloudPc) -> bool,
) -> GraphResult {
    let opts = parse_query(ctx.req.query.as_deref())?;
    let state = ctx.sim.state();
    let pc = state
        .find(id)
        .map(|i| &state.pcs[i].pc)
        .filter(|pc| scope(pc))
        .ok_or_else(|| cloud_pc_not_found(id))?;
    let mut v = render(ctx, pc);
    if let Some(sel) = &opts.select {
        v = apply_select(v, sel);
    }
    let mut body = Map::new();
    body.insert("@odata.context".into(), json!(ctx.context(context)));
    if let Value::Object(o) = v {
        body.extend(o);
    }
    Ok(Reply::json(200, Value::Object(body)))
}

fn enum_param(
    name: &str,
    value: &Value,
    allowed: &[&str],
    ty: &str,
) -> Result<Option<String>, GraphError> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) if allowed.contains(&s.as_str()) => Ok(Some(s.clone())),
        Value::String(s) => Err(GraphError::bad_request(format!(
            "Invalid value '{s}' for parameter '{name}' of type '{ty}'."
        ))),
        other => Err(GraphError::bad_request(format!(
            "Invalid value '{other}' for parameter '{name}' of type '{ty}'."
        ))),
    }
}

/// Parses the body of a reprovision. Only the admin path takes parameters; the user paths
/// refuse them as Graph does.
pub(super) fn parse_reprovision_body(
    ctx: &Ctx,
    admin: bool,
) -> Result<ReprovisionParams, GraphError> {
    let body = &ctx.req.body;
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(ReprovisionParams::default());
    }
    let v: Value = serde_json::from_slice(body).map_err(|_| GraphError::unreadable_body())?;
    let Value::Object(o) = v else {
        return Err(GraphError::unreadable_body());
    };
    let mut params = ReprovisionParams::default();
    for (k, v) in &o {
        match k.as_str() {
            "osVersion" if admin => {
                params.os_version = enum_param(k, v, OS_VERSIONS, "microsoft.graph.cloudPcOperatingSystem")?
            }
            "userAccountType" if admin => {
                params.user_account_type =
                    enum_param(k, v, USER_ACCOUNT_TYPES, "microsoft.graph.cloudPcUserAccountType")?
            }
            k if k.starts_with("@odata.") => {}
            other => {
                return Err(GraphError::bad_request(format!(
                    "The parameter '{other}' in the request payload is not a valid parameter for the operation 'reprovision'."
                )))
            }
        }
    }
    Ok(params)
}

/// The answer to a refused reprovision.
pub(super) fn refusal_error(r: &Refusal, pc: &CloudPc) -> GraphError {
    match r {
        Refusal::NotSupported => GraphError::bad_request(format!(
            "Reprovision is not supported for this Cloud PC (productType '{}').",
            pc.product_type.as_deref().unwrap_or("unknown")
        )),
        Refusal::Ineligible(status) => GraphError::bad_request(format!(
            "The Cloud PC cannot be reprovisioned while its status is '{status}'. Reprovision is allowed only when the status is 'provisioned' or 'failed'."
        )),
    }
}

/// Reprovisions the Cloud PC `id` if it satisfies `scope`.
pub(super) fn reprovision(
    ctx: &Ctx,
    id: &str,
    params: &ReprovisionParams,
    via: Via,
    scope: impl Fn(&CloudPc) -> bool,
) -> GraphResult {
    let now = ctx.now();
    let mut state = ctx.sim.state();
    let idx = state
        .find(id)
        .filter(|i| scope(&state.pcs[*i].pc))
        .ok_or_else(|| cloud_pc_not_found(id))?;
    match state.reprovision(idx, params, via, Some(ctx.request_id.to_string()), now) {
        Ok(()) => Ok(Reply::empty(204)),
        Err(r) => Err(refusal_error(&r, &state.pcs[idx].pc)),
    }
}

/// The remote action results of the Cloud PC that `find` picks.
pub(super) fn action_results(
    ctx: &Ctx,
    find: impl Fn(&crate::state::State) -> Option<usize>,
) -> GraphResult {
    let state = ctx.sim.state();
    let idx = find(&state)
        .ok_or_else(|| GraphError::not_found("The requested Cloud PC was not found."))?;
    let value: Vec<&RemoteActionResult> = state.pcs[idx].history.iter().collect();
    Ok(Reply::json(
        200,
        json!({
            "@odata.context": ctx.context("Collection(microsoft.graph.cloudPcRemoteActionResult)"),
            "value": value,
        }),
    ))
}

fn supported_actions(ctx: &Ctx, id: &str) -> GraphResult {
    let state = ctx.sim.state();
    let idx = state.find(id).ok_or_else(|| cloud_pc_not_found(id))?;
    let pc = &state.pcs[idx].pc;
    let value = capabilities(pc);
    Ok(Reply::json(
        200,
        json!({
            "@odata.context": ctx.context("Collection(microsoft.graph.cloudPcRemoteActionCapability)"),
            "value": value,
        }),
    ))
}

/// What can be done to a Cloud PC now (`cloudPcRemoteActionName` members).
pub fn capabilities(pc: &CloudPc) -> Vec<RemoteActionCapability> {
    let status = pc.status.as_str();
    let running = matches!(status, "provisioned" | "provisionedWithWarnings");
    let product = pc.product_type.as_deref().unwrap_or("enterprise");
    let business = product == "business";
    let frontline = product == "frontline";
    let cap = |name: &'static str, enabled: bool| RemoteActionCapability {
        action_name: name,
        action_capability: if enabled { "enabled" } else { "disabled" },
    };
    let mut v = vec![
        cap("restart", running),
        cap("rename", running && !business),
        cap("resize", running && !frontline),
        cap("restore", running),
        cap(
            "reprovision",
            reprovision_supported(pc) && reprovision_allowed_from(status),
        ),
        cap("troubleshoot", running),
        cap("changeUserAccountType", running && !business),
        cap("placeUnderReview", running && !business),
        cap("createSnapshot", running && !business),
    ];
    if frontline {
        let on = pc.power_state.as_deref() == Some("running");
        v.push(cap("powerOn", running && !on));
        v.push(cap("powerOff", running && on));
    }
    v
}
