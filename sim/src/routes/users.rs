//! `/me/cloudPCs` and `/users/{id}/cloudPCs`: a user's own Cloud PCs.

use super::cloud_pcs::{get, list, parse_reprovision_body, reprovision};
use super::{only, Ctx};
use crate::graph::{GraphError, GraphResult};
use crate::state::Via;

fn user_not_found(id: &str) -> GraphError {
    GraphError::new(
        404,
        "Request_ResourceNotFound",
        format!("Resource '{id}' does not exist or one of its queried reference-property objects are not present."),
    )
}

fn owned_by(upn: &str) -> impl Fn(&crate::model::CloudPc) -> bool + '_ {
    move |pc| {
        pc.user_principal_name
            .as_deref()
            .is_some_and(|u| u.eq_ignore_ascii_case(upn))
    }
}

/// `/me/…`: the signed-in user (delegated tokens only).
pub(super) fn route_me(ctx: &Ctx, method: &str, rest: &[&str]) -> GraphResult {
    if ctx.principal.app_only {
        return Err(GraphError::bad_request(
            "/me request is only valid with delegated authentication flow.",
        ));
    }
    let upn = ctx.principal.upn.clone();
    let user_id = ctx
        .sim
        .state()
        .user(&upn)
        .map(|u| u.id.clone())
        .unwrap_or_else(|| upn.clone());
    route_cloud_pcs(ctx, method, rest, &upn, &user_id, Via::Me)
}

/// `/users/{id or upn}/…`.
pub(super) fn route_user(ctx: &Ctx, method: &str, rest: &[&str]) -> GraphResult {
    let Some((who, rest)) = rest.split_first() else {
        return Err(GraphError::bad_request(
            "The simulator serves only the cloudPCs of a single user.",
        ));
    };
    let (upn, user_id) = {
        let state = ctx.sim.state();
        let user = state.user(who).ok_or_else(|| user_not_found(who))?;
        (user.user_principal_name.clone(), user.id.clone())
    };
    route_cloud_pcs(ctx, method, rest, &upn, &user_id, Via::User)
}

fn route_cloud_pcs(
    ctx: &Ctx,
    method: &str,
    rest: &[&str],
    upn: &str,
    user_id: &str,
    via: Via,
) -> GraphResult {
    let Some((first, rest)) = rest.split_first() else {
        return Err(GraphError::bad_request(
            "The simulator serves only the cloudPCs navigation of users.",
        ));
    };
    if !first.eq_ignore_ascii_case("cloudPCs") {
        return Err(GraphError::unknown_segment(first));
    }
    let collection = format!("users('{user_id}')/cloudPCs");
    match rest {
        [] => {
            only(method, "GET")?;
            list(ctx, &collection, owned_by(upn))
        }
        [id] => {
            only(method, "GET")?;
            get(ctx, id, &format!("{collection}/$entity"), owned_by(upn))
        }
        [id, action] if action.eq_ignore_ascii_case("reprovision") => {
            only(method, "POST")?;
            let params = parse_reprovision_body(ctx, false)?;
            reprovision(ctx, id, &params, via, owned_by(upn))
        }
        [_, other, ..] => Err(GraphError::unknown_segment(other)),
    }
}
