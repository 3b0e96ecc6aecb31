//! Retrying a finished run's failed devices, in its results view: choose some (or, for a bulk
//! action, all), see exactly which will be wiped again and how, type their number, go.
//!
//! Devices whose outcome is unknown are never retried blindly: before any retry is planned they
//! are checked with Graph (status and remote action history, [`reconcile`]); those that turn
//! out not started become failed (and may then be chosen), the others settle as Graph says.
//! The plan itself comes from the engine ([`plan_retry`]): `bulkActions/{id}/retry` with
//! `cloudPcIds` for a chosen subset or without a body for every failed device, or a re-run of
//! the chosen devices with the run's own strategy and parameters.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::bulk::activity::ActivityKind;
use crate::bulk::follow::{follow, reconcile, ReconcileReport};
use crate::bulk::outcome::{Category, RunLedger};
use crate::bulk::retry::{plan_retry, run_retry, RetryError, RetryPlan};
use crate::bulk::strategy::Strategy;
use crate::ui::activity_store;
use crate::ui::bulk::active_run::{pace_of, ActiveRun};
use crate::ui::session::use_session;

#[derive(Clone)]
pub enum Step {
    Idle,
    /// Checking unknown devices with Graph.
    Checking,
    Confirm(RetryPlan),
    Problem(String),
}

/// A failed device as listed.
#[derive(Clone, PartialEq)]
struct FailedDevice {
    id: String,
    name: String,
    reason: String,
}

/// The panel's choices, kept above the results view: the view is drawn again on every change
/// of the run (a check with Graph changes it), and the operator's choice must survive that.
#[derive(Clone, Copy)]
pub struct RetryState {
    run_id: RwSignal<Option<String>>,
    step: RwSignal<Step>,
    chosen: RwSignal<BTreeSet<String>>,
    note: RwSignal<Option<String>>,
}

impl RetryState {
    pub fn new() -> Self {
        Self {
            run_id: RwSignal::new(None),
            step: RwSignal::new(Step::Idle),
            chosen: RwSignal::new(BTreeSet::new()),
            note: RwSignal::new(None),
        }
    }
}

impl Default for RetryState {
    fn default() -> Self {
        Self::new()
    }
}

#[component]
pub fn RetryPanel() -> impl IntoView {
    let run = expect_context::<ActiveRun>();
    let session = use_session();
    let state = use_context::<RetryState>().unwrap_or_default();
    // A new run starts with nothing chosen.
    let run_id = run
        .ledger
        .with_untracked(|l| l.as_ref().map(|l| l.run_id.clone()));
    if state.run_id.get_untracked() != run_id {
        state.run_id.set(run_id);
        state.step.set(Step::Idle);
        state.chosen.set(BTreeSet::new());
        state.note.set(None);
    }
    let RetryState {
        step, chosen, note, ..
    } = state;
    let activity = activity_store::use_activity();

    let failed = Memo::new(move |_| {
        run.ledger.with(|l| {
            l.as_ref().map_or_else(Vec::new, |l| {
                l.in_category(Category::Failed)
                    .into_iter()
                    .map(|d| FailedDevice {
                        id: d.target.cloud_pc_id.clone(),
                        name: d.target.name.clone(),
                        reason: d.reason.as_ref().map(|r| r.summary()).unwrap_or_default(),
                    })
                    .collect()
            })
        })
    });
    let unknown = Memo::new(move |_| {
        run.ledger
            .with(|l| l.as_ref().map_or(0, |l| l.counts().get(Category::Unknown)))
    });
    let bulk_action_id = Memo::new(move |_| {
        run.ledger.with(|l| {
            l.as_ref()
                .filter(|l| l.strategy == Strategy::BulkAction)
                .and_then(|l| l.bulk_action.as_ref().map(|b| b.id.clone()))
        })
    });
    let shown = move || {
        run.ledger.with(Option::is_some)
            && !run.running.get()
            && (!failed.with(Vec::is_empty) || unknown.get() > 0)
    };

    // Checks the unknown devices with Graph (read-only), then says what it found.
    let check_unknown = move || async move {
        let (sink, _cancel) = run.resume();
        let client = session.client();
        let pace = pace_of(&session);
        let report = reconcile(&client, &sink, &pace.reconcile).await;
        run.finish(sink);
        let checked: Vec<String> = [
            &report.started,
            &report.not_started,
            &report.other,
            &report.still_unknown,
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
        run.ledger.with_untracked(|l| {
            if let Some(l) = l {
                activity.record_run(
                    ActivityKind::Reconcile,
                    &format!("Check unknown devices: {}", l.display_name),
                    l,
                    &checked,
                );
            }
        });
        note.set(Some(describe_check(&report)));
    };

    let prepare = move |selection: Option<Vec<String>>| {
        note.set(None);
        spawn_local(async move {
            if unknown.get_untracked() > 0 {
                step.set(Step::Checking);
                check_unknown().await;
            }
            let plan = run.ledger.with_untracked(|l| {
                l.as_ref()
                    .map(|l| plan_retry(l, selection.as_deref()))
                    .unwrap_or(Err(RetryError::NothingToRetry))
            });
            step.set(match plan {
                Ok(plan) => Step::Confirm(plan),
                Err(e) => Step::Problem(run.ledger.with_untracked(|l| {
                    l.as_ref()
                        .map(|l| describe_error(l, &e))
                        .unwrap_or_default()
                })),
            });
        });
    };

    let carry_out = move |plan: RetryPlan| {
        step.set(Step::Idle);
        chosen.set(BTreeSet::new());
        let client = session.client();
        let (sink, cancel) = run.resume();
        run.ledger.with_untracked(|l| {
            if let Some(l) = l {
                activity.record_run(
                    ActivityKind::Retry,
                    &format!("{}: {}", describe_plan(&plan), l.display_name),
                    l,
                    plan.devices(),
                );
            }
        });
        spawn_local(async move {
            let pace = pace_of(&session);
            run_retry(&client, &sink, &plan, &pace.bulk_action, &cancel).await;
            // A bulk action is followed by the retry itself; re-sent devices are followed here.
            let re_sent = matches!(&plan, RetryPlan::ReRun { strategy, .. } if *strategy != Strategy::BulkAction);
            if re_sent && !cancel.is_canceled() {
                follow(&client, &sink, &pace.follow, &cancel).await;
            }
            run.finish(sink);
            activity.record_run_end(run.ledger, cancel.is_canceled());
        });
    };

    let toggle = move |id: String| {
        chosen.update(|c| {
            if !c.remove(&id) {
                c.insert(id);
            }
        })
    };

    move || {
        shown().then(|| view! {
            <section class="retry-panel" aria-labelledby="retry-title" data-testid="retry-panel">
                <h3 id="retry-title">"Retry"</h3>
                <p class="muted">{move || match bulk_action_id.get() {
                    Some(id) => format!("Graph retries the devices in bulk action {id} (bulkActions/{id}/retry): all failed ones, or the ones you choose."),
                    None => "The chosen devices are sent again the same way, with the same parameters, and followed.".to_string(),
                }}</p>
                {move || (unknown.get() > 0).then(|| view! {
                    <div class="message warning" data-testid="retry-unknown">
                        <span class="title">{format!("The outcome of {} devices is unknown", unknown.get())}</span>
                        <p>"Graph may have started their reprovision. They are never re-sent blindly: they are checked with Graph (status and action history) before any retry, and those that did not start can then be chosen."</p>
                        <button data-testid="retry-check-unknown" on:click=move |_| {
                            step.set(Step::Checking);
                            spawn_local(async move { check_unknown().await; step.set(Step::Idle); });
                        }>"Check them now"</button>
                    </div>
                })}
                {move || note.get().map(|n| view! { <p role="status" data-testid="retry-note">{n}</p> })}
                {move || (!failed.with(Vec::is_empty)).then(|| view! {
                    <div class="toolbar">
                        <span data-testid="retry-chosen-count">{move || format!("{} of {} failed devices chosen", chosen.with(BTreeSet::len), failed.with(Vec::len))}</span>
                        <button on:click=move |_| chosen.set(failed.with(|f| f.iter().map(|d| d.id.clone()).collect()))>"Choose all"</button>
                        <button on:click=move |_| chosen.set(BTreeSet::new())>"Choose none"</button>
                    </div>
                    <ul class="device-list retry-list">
                        {move || failed.get().into_iter().map(|d| {
                            let id = d.id.clone();
                            let for_toggle = d.id.clone();
                            let box_id = format!("retry-{}", d.id);
                            view! {
                                <li>
                                    <input type="checkbox" id=box_id.clone() data-retry-id=d.id.clone()
                                        prop:checked=move || chosen.with(|c| c.contains(&id))
                                        on:change=move |_| toggle(for_toggle.clone())/>
                                    <label for=box_id><strong>{d.name.clone()}</strong>" "<span class="muted small">{d.reason.clone()}</span></label>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })}
                <div class="actions">
                    {move || bulk_action_id.get().map(|_| view! {
                        <button data-testid="retry-all" disabled=move || failed.with(Vec::is_empty) on:click=move |_| prepare(None)>"Retry all failed…"</button>
                    })}
                    <button data-testid="retry-chosen" disabled=move || chosen.with(BTreeSet::is_empty)
                        on:click=move |_| prepare(Some(chosen.get_untracked().into_iter().collect()))>
                        {move || format!("Retry {} chosen…", chosen.with(BTreeSet::len))}
                    </button>
                </div>
                {move || match step.get() {
                    Step::Idle => None,
                    Step::Checking => Some(view! { <p role="status">"Checking the unknown devices with Graph…"</p> }.into_any()),
                    Step::Problem(why) => Some(view! {
                        <div class="message error" role="alert" data-testid="retry-problem"><span class="title">"Nothing was retried"</span><p>{why}</p></div>
                    }.into_any()),
                    Step::Confirm(plan) => Some(view! { <ConfirmRetry plan on_confirm=carry_out on_cancel=move |_| step.set(Step::Idle)/> }.into_any()),
                }}
            </section>
        })
    }
}

/// The typed confirmation: the devices to be wiped again, how they will be sent.
#[component]
fn ConfirmRetry(
    plan: RetryPlan,
    #[prop(into)] on_confirm: Callback<RetryPlan>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let run = expect_context::<ActiveRun>();
    let n = plan.devices().len();
    let names: Vec<String> = run.ledger.with_untracked(|l| {
        l.as_ref().map_or_else(Vec::new, |l| {
            plan.devices()
                .iter()
                .map(|id| l.device(id).map_or(id.clone(), |d| d.target.name.clone()))
                .collect()
        })
    });
    let how = describe_plan(&plan);
    let typed = RwSignal::new(String::new());
    let ok = move || typed.with(|t| t.trim() == n.to_string());
    let plan = StoredValue::new(plan);
    view! {
        <div class="dialog-backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="retry-confirm-title">
                <h2 id="retry-confirm-title">{format!("Retry {n} Cloud PCs")}</h2>
                <div class="message warning">
                    <span class="title">{format!("This wipes {n} Cloud PCs again")}</span>
                    <p>"Each is reinstalled; its user's files, apps and settings on it are deleted and cannot be recovered."</p>
                </div>
                <p>{how}</p>
                <ul class="device-list" data-testid="retry-to-wipe">
                    {names.into_iter().map(|name| view! { <li>{name}</li> }).collect_view()}
                </ul>
                <label for="retry-confirm-count">"Type the number of Cloud PCs to retry, " <strong>{n}</strong> ", to confirm"</label>
                <input id="retry-confirm-count" type="text" inputmode="numeric" autocomplete="off" prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
                <div class="actions">
                    <button on:click=move |_| on_cancel.run(())>"Cancel"</button>
                    <button class="danger" data-testid="retry-confirm" disabled=move || !ok() on:click=move |_| on_confirm.run(plan.get_value())>{format!("Retry {n} Cloud PCs")}</button>
                </div>
            </div>
        </div>
    }
}

fn describe_plan(plan: &RetryPlan) -> String {
    match plan {
        RetryPlan::BulkAction {
            bulk_action_id,
            cloud_pc_ids: None,
            devices,
        } => format!(
            "Retry every failed device ({}) of bulk action {bulk_action_id}",
            devices.len()
        ),
        RetryPlan::BulkAction {
            bulk_action_id,
            devices,
            ..
        } => format!(
            "Retry {} chosen devices of bulk action {bulk_action_id}",
            devices.len()
        ),
        RetryPlan::ReRun { strategy, devices } => format!(
            "Send {} devices again ({})",
            devices.len(),
            strategy.label().to_lowercase()
        ),
    }
}

fn describe_check(report: &ReconcileReport) -> String {
    let mut parts = Vec::new();
    let mut part = |n: usize, what: &str| {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    };
    part(report.started.len(), "had started (followed as Graph says)");
    part(
        report.not_started.len(),
        "had not started (now failed: they may be retried)",
    );
    part(report.other.len(), "are gone or not supported");
    part(
        report.still_unknown.len(),
        "are still unknown (Graph may not show a new action yet: check again in a few minutes)",
    );
    if parts.is_empty() {
        "Nothing to check.".into()
    } else {
        format!("Checked with Graph: {}.", parts.join("; "))
    }
}

fn describe_error(ledger: &RunLedger, error: &RetryError) -> String {
    let name = |id: &str| {
        ledger
            .device(id)
            .map_or(id.to_string(), |d| d.target.name.clone())
    };
    match error {
        RetryError::NothingToRetry => "No failed device to retry.".into(),
        RetryError::NotRetryable(refused) => format!(
            "These devices cannot be retried: {}.",
            refused
                .iter()
                .map(|(id, why)| format!("{} ({})", name(id), why.describe()))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        RetryError::ReconcileFirst(unknown) => format!(
            "The outcome of {} devices is still unknown, and retrying every failed device could re-send one of them. Choose the failed devices to retry instead, or check the unknown ones again in a few minutes.",
            unknown.len()
        ),
    }
}
