//! The bulk actions page (`#/bulk-actions`): every bulk action of the tenant
//! (`GET virtualEndpoint/bulkActions`), newest first, with its status, summary counts, who
//! started it and when; a bulk action with failed devices can be retried
//! (`bulkActions/{id}/retry`, every failed device) after a typed confirmation.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::bulk::activity::{ActivityEntry, ActivityKind};
use crate::bulk::outcome::Reason;
use crate::graph::calls;
use crate::graph::error::GraphError;
use crate::graph::models::CloudPcBulkAction;
use crate::ui::activity_store;
use crate::ui::error_message::ErrorMessage;
use crate::ui::local_time::LocalTime;
use crate::ui::session::use_session;

#[derive(Clone)]
enum RetryOutcome {
    Accepted { name: String, reason: Reason },
    Failed { name: String, error: GraphError },
}

#[component]
pub fn BulkActionsPage() -> impl IntoView {
    let session = use_session();
    let actions = RwSignal::new(None::<Vec<CloudPcBulkAction>>);
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<GraphError>);
    let confirming = RwSignal::new(None::<CloudPcBulkAction>);
    let outcome = RwSignal::new(None::<RetryOutcome>);
    let activity = activity_store::use_activity();

    let load = move || {
        if loading.get_untracked() {
            return;
        }
        loading.set(true);
        error.set(None);
        let client = session.client();
        spawn_local(async move {
            match client.list_bulk_actions(|_| {}).await {
                Ok(mut list) => {
                    // Newest first (Graph's ISO 8601 UTC times sort as text).
                    list.sort_by(|a, b| b.created_date_time.cmp(&a.created_date_time));
                    actions.set(Some(list));
                }
                Err(e) => error.set(Some(e)),
            }
            loading.set(false);
        });
    };
    load();

    let retry = move |action: CloudPcBulkAction| {
        confirming.set(None);
        outcome.set(None);
        let client = session.client();
        spawn_local(async move {
            let name = action
                .display_name
                .clone()
                .unwrap_or_else(|| action.id.clone());
            let failed = action.action_summary.map_or(0, |s| s.failed_count);
            let what = format!("Retry the {failed} failed Cloud PCs of bulk action “{name}”");
            let mut entry = ActivityEntry::new(
                activity_store::now(),
                ActivityKind::Retry,
                &what,
                Vec::new(),
                "",
            );
            match client
                .send(&calls::retry_bulk_action(&action.id, None))
                .await
            {
                Ok(resp) => {
                    let reason = Reason::accepted(
                        &resp,
                        format!("Graph accepted the retry (HTTP {}).", resp.status),
                    );
                    entry.outcome = format!("{} (bulk action {})", reason.message, action.id);
                    entry.request_ids.extend(reason.request_id.clone());
                    outcome.set(Some(RetryOutcome::Accepted { name, reason }));
                }
                Err(e) => {
                    entry.outcome = format!("Not retried: {}", Reason::from_error(&e).summary());
                    entry.request_ids.extend(e.request_id.clone());
                    outcome.set(Some(RetryOutcome::Failed { name, error: e }));
                }
            }
            activity.record(entry);
            load();
        });
    };

    view! {
        <main class="bulk-actions-page">
            <div class="page-header">
                <h1>"Bulk actions"</h1>
                <span class="progress-text" role="status" data-testid="bulk-actions-count">
                    {move || if loading.get() { "Loading…".to_string() } else {
                        actions.with(|a| a.as_ref().map(|a| format!("{} bulk actions", a.len())).unwrap_or_default())
                    }}
                </span>
                <span class="spacer"></span>
                <button on:click=move |_| load() disabled=move || loading.get()>"Refresh"</button>
            </div>
            <p class="muted">"Every bulk action of the tenant, whoever started it. Retry sends the failed Cloud PCs of a bulk action again: they are wiped and reinstalled."</p>
            {move || error.get().map(|e| view! { <ErrorMessage title="The bulk actions could not be loaded" error=e/> })}
            {move || outcome.get().map(|o| match o {
                RetryOutcome::Accepted { name, reason } => view! {
                    <div class="message success" role="status" data-testid="bulk-retry-outcome">
                        <span class="title">{format!("Retry of “{name}” sent")}</span>
                        <p>{reason.message.clone()}" The counts below follow as Graph carries it out (Refresh)."</p>
                        <p class="muted mono">"request-id "{reason.request_id.clone().unwrap_or_else(|| "(none received)".into())}</p>
                    </div>
                }.into_any(),
                RetryOutcome::Failed { name, error } => view! {
                    <ErrorMessage title=format!("The retry of “{name}” was not accepted") error/>
                }.into_any(),
            })}
            {move || actions.get().map(|list| if list.is_empty() {
                view! { <p class="empty" data-testid="bulk-actions-empty">"No bulk actions in this tenant."</p> }.into_any()
            } else {
                view! {
                    <table class="grid bulk-actions" data-testid="bulk-actions">
                        <thead><tr>
                            <th>"Name"</th><th>"Status"</th><th>"Successful"</th><th>"Failed"</th><th>"In progress"</th><th>"Pending"</th><th>"Not supported"</th><th>"Started by"</th><th>"Created"</th><th><span class="visually-hidden">"Actions"</span></th>
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|a| {
                                let s = a.action_summary.unwrap_or_default();
                                let kind = if a.is_reprovision() { None } else { a.odata_type.clone().map(|t| t.trim_start_matches("#microsoft.graph.").to_string()) };
                                let retryable = s.failed_count > 0;
                                let for_retry = a.clone();
                                view! {
                                    <tr data-bulk-action-id=a.id.clone()>
                                        <td>{a.display_name.clone().unwrap_or_else(|| a.id.clone())}
                                            {kind.map(|k| view! { <div class="muted small">{k}</div> })}
                                            <div class="muted small">{format!("{} Cloud PCs", a.cloud_pc_ids.len())}</div></td>
                                        <td data-testid="bulk-status">{a.status.as_ref().map(|s| s.as_str().to_string()).unwrap_or_else(|| "(none)".into())}</td>
                                        <td data-testid="bulk-successful">{s.successful_count}</td>
                                        <td data-testid="bulk-failed">{s.failed_count}</td>
                                        <td data-testid="bulk-in-progress">{s.in_progress_count}</td>
                                        <td data-testid="bulk-pending">{s.pending_count}</td>
                                        <td data-testid="bulk-not-supported">{s.not_supported_count}</td>
                                        <td>{a.initiated_by_user_principal_name.clone().unwrap_or_default()}</td>
                                        <td>{a.created_date_time.clone().map(|t| view! { <LocalTime utc=t/> })}</td>
                                        <td>
                                            <button data-testid="bulk-retry" disabled=!retryable
                                                title=if retryable { "Retry the failed Cloud PCs".to_string() } else { "Nothing failed".to_string() }
                                                on:click=move |_| confirming.set(Some(for_retry.clone()))>
                                                {format!("Retry {} failed…", s.failed_count)}
                                            </button>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            })}
            {move || confirming.get().map(|a| view! { <ConfirmRetry action=a on_confirm=retry on_cancel=move |_| confirming.set(None)/> })}
        </main>
    }
}

/// Retrying wipes the failed Cloud PCs again: the operator types their number.
#[component]
fn ConfirmRetry(
    action: CloudPcBulkAction,
    #[prop(into)] on_confirm: Callback<CloudPcBulkAction>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let failed = action.action_summary.map_or(0, |s| s.failed_count);
    let name = action
        .display_name
        .clone()
        .unwrap_or_else(|| action.id.clone());
    let typed = RwSignal::new(String::new());
    let ok = move || typed.with(|t| t.trim() == failed.to_string());
    let action = StoredValue::new(action);
    view! {
        <div class="dialog-backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="bulk-retry-title">
                <h2 id="bulk-retry-title">{format!("Retry {failed} failed Cloud PCs")}</h2>
                <div class="message warning">
                    <span class="title">{format!("This reprovisions again the {failed} Cloud PCs that failed in “{name}”")}</span>
                    <p>"Graph retries every device of the bulk action that failed: each is wiped and reinstalled; its user's files, apps and settings on it are deleted."</p>
                </div>
                <label for="bulk-retry-count">"Type the number of Cloud PCs to retry, " <strong>{failed}</strong> ", to confirm"</label>
                <input id="bulk-retry-count" type="text" inputmode="numeric" autocomplete="off" prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
                <div class="actions">
                    <button on:click=move |_| on_cancel.run(())>"Cancel"</button>
                    <button class="danger" disabled=move || !ok() on:click=move |_| on_confirm.run(action.get_value())>{format!("Retry {failed} Cloud PCs")}</button>
                </div>
            </div>
        </div>
    }
}
