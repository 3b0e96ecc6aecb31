//! The activity page (`#/activity`): everything this operator did in this session (time, action,
//! targets, outcome, request-ids), newest first, exportable as CSV and JSON for a ticket or an
//! audit.

use leptos::prelude::*;

use crate::bulk::time::iso8601;
use crate::ui::activity_store::SessionActivity;
use crate::ui::download::offer_file;
use crate::ui::local_time::LocalTime;

/// Target ids listed per entry before "and N more".
const LISTED_TARGETS: usize = 50;

#[component]
pub fn ActivityPage() -> impl IntoView {
    let activity = expect_context::<SessionActivity>();
    let count = move || activity.log.with(|l| l.entries().len());
    let export = move |format: &'static str| {
        let (text, mime) = activity.log.with_untracked(|l| {
            if format == "csv" {
                (l.to_csv(), "text/csv")
            } else {
                (l.to_json(), "application/json")
            }
        });
        let stamp = iso8601(crate::ui::activity_store::now()).replace([':', '.'], "-");
        offer_file(text, &format!("cloudpc-activity-{stamp}.{format}"), mime);
    };
    view! {
        <main class="activity-page">
            <div class="page-header">
                <h1>"Activity in this session"</h1>
                <span class="progress-text" data-testid="activity-count">{move || format!("{} entries", count())}</span>
                <span class="spacer"></span>
                <button data-testid="activity-export-csv" on:click=move |_| export("csv") disabled=move || count() == 0>"Export CSV"</button>
                <button data-testid="activity-export-json" on:click=move |_| export("json") disabled=move || count() == 0>"Export JSON"</button>
            </div>
            <p class="muted">"What you did in this console since the tab was opened: imports, bulk runs and how they ended, retries. It is kept only in this tab; export it to keep it."</p>
            {move || (count() == 0).then(|| view! { <p class="empty" data-testid="activity-empty">"Nothing yet. Imports, reprovision runs and retries appear here."</p> })}
            {move || (count() > 0).then(|| view! {
                <table class="grid activity" data-testid="activity-log">
                    <thead><tr><th>"Time"</th><th>"Action"</th><th>"Targets"</th><th>"Outcome"</th><th>"request-ids"</th></tr></thead>
                    <tbody>
                        {activity.log.with(|l| l.entries().iter().rev().map(|e| {
                            let more = e.targets.len().saturating_sub(LISTED_TARGETS);
                            view! {
                                <tr data-kind=e.kind.key()>
                                    <td><LocalTime utc=iso8601(e.at)/></td>
                                    <td>{e.action.clone()}{e.run_id.clone().map(|id| view! { <div class="muted small mono">"run "{id}</div> })}</td>
                                    <td>
                                        {e.targets.is_empty().then(|| view! { <span class="muted" title="No devices named: e.g. a bulk action retry, whose failed devices Graph chooses">"—"</span> })}
                                        <details class:visually-hidden=e.targets.is_empty()>
                                            <summary data-testid="activity-target-count">{format!("{} Cloud PCs", e.targets.len())}</summary>
                                            <ul class="mono small">
                                                {e.targets.iter().take(LISTED_TARGETS).map(|t| view! { <li>{t.clone()}</li> }).collect_view()}
                                                {(more > 0).then(|| view! { <li class="muted">{format!("… and {more} more (in the export)")}</li> })}
                                            </ul>
                                        </details>
                                    </td>
                                    <td data-testid="activity-outcome">{e.outcome.clone()}</td>
                                    <td class="mono small">{e.request_ids.iter().map(|r| view! { <div>{r.clone()}</div> }).collect_view()}</td>
                                </tr>
                            }
                        }).collect_view())}
                    </tbody>
                </table>
            })}
        </main>
    }
}
