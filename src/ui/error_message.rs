//! A Graph error as the operator needs it: what happened, what to do, and the identifiers
//! Microsoft support asks for (request-id, client-request-id, date).

use leptos::prelude::*;

use crate::error_advice::advice;
use crate::graph::error::GraphError;

#[component]
pub fn ErrorMessage(#[prop(into)] title: String, error: GraphError) -> impl IntoView {
    let code = error.code.clone();
    let status = error.status;
    view! {
        <div class="message error" role="alert" data-testid="graph-error">
            <span class="title">{title}</span>
            <p>
                {code.map(|c| view! { <code data-testid="error-code">{c}</code> ": " })}
                <span data-testid="error-text">{error.message.clone()}</span>
            </p>
            <p>{advice(&error)}</p>
            <dl class="error-ids">
                {status.map(|s| view! { <dt>"HTTP status"</dt><dd>{s}</dd> })}
                <dt>"request-id"</dt><dd data-testid="request-id">{error.request_id.clone().unwrap_or_else(|| "(none received)".into())}</dd>
                <dt>"client-request-id"</dt><dd data-testid="client-request-id">{error.client_request_id.clone().unwrap_or_else(|| "(none)".into())}</dd>
                <dt>"date"</dt><dd>{error.date.clone().unwrap_or_else(|| "(none received)".into())}</dd>
            </dl>
        </div>
    }
}
