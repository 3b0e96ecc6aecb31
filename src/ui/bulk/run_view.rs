//! The results view of a bulk run: every device in exactly one outcome category (successful,
//! failed, not found, not supported, plus pending, in progress and unknown while work is in
//! flight), as counts, a bar and expandable lists with each device's reason and request-id;
//! progress with an estimate; Stop; export as CSV or JSON; after the requests, the devices
//! followed until they are provisioned again or failed. The card collapses to its header and
//! progress, so the console stays usable during a long run. Before any run of this session, it
//! offers to reconcile a run that did not finish (found in the browser's storage).

use leptos::prelude::*;

use crate::bulk::export::{to_csv, to_json};
use crate::bulk::follow::{follow_counts, FollowCounts};
use crate::bulk::outcome::{Category, FollowPhase, RunLedger, Tracking};
use crate::bulk::time::parse_iso8601;
use crate::ui::bulk::active_run::ActiveRun;
use crate::ui::session::use_session;

#[component]
pub fn RunView() -> impl IntoView {
    let run = expect_context::<ActiveRun>();
    let counts = Memo::new(move |_| run.ledger.with(|l| l.as_ref().map(RunLedger::counts)));
    let following = Memo::new(move |_| run.ledger.with(|l| l.as_ref().map(follow_counts)));
    let progress = move || {
        run.ledger
            .with(|l| l.as_ref().map(|l| l.progress(js_sys::Date::now() as u64)))
    };
    let collapsed = run.collapsed;
    let session = use_session();
    // The card is built once per run; only its parts follow the ledger's changes.
    let header = Memo::new(move |_| {
        run.ledger.with(|l| {
            l.as_ref()
                .map(|l| (l.run_id.clone(), l.display_name.clone(), l.strategy.label()))
        })
    });
    move || {
        let Some((_, name, strategy)) = header.get() else {
            return Some(view! { <UnfinishedRun/> }.into_any());
        };
        Some(view! {
            <section class="card run" aria-labelledby="run-title" data-testid="run" data-running=move || run.running.get().to_string() class:collapsed=move || collapsed.get()>
                <div class="page-header">
                    <h2 id="run-title">{name}</h2>
                    <span class="muted">{strategy}</span>
                    <span class="spacer"></span>
                    <button data-testid="run-collapse" aria-controls="run-details" aria-expanded=move || (!collapsed.get()).to_string()
                        on:click=move |_| collapsed.update(|c| *c = !*c)>
                        {move || if collapsed.get() { "Show details" } else { "Hide details" }}
                    </button>
                    {move || run.running.get().then(|| {
                        // Once nothing is left to send, the run only follows the devices (a
                        // created bulk action's pending devices are queued in Graph, not here).
                        let queued_in_graph = run.ledger.with(|l| l.as_ref().is_some_and(|l| l.bulk_action.is_some()));
                        let sending = !queued_in_graph && counts.get().is_some_and(|c| c.get(Category::Pending) > 0);
                        view! { <button on:click=move |_| run.stop()>{if sending { "Stop sending" } else { "Stop following" }}</button> }
                    })}
                    <button on:click=move |_| download(run, "csv")>"Export CSV"</button>
                    <button on:click=move |_| download(run, "json")>"Export JSON"</button>
                </div>
                <p role="status" data-testid="run-progress">{move || progress().map(|p| {
                    let eta = p.eta_ms.filter(|_| p.done < p.total).map(|ms| format!(", about {} s left", ms.div_ceil(1000))).unwrap_or_default();
                    format!("{} of {} devices done{eta}", p.done, p.total)
                })}</p>
                {move || (run.running.get() && session.sign_in_needed.with(Option::is_some)).then(|| view! {
                    <p class="message warning" role="status" data-testid="run-paused">"Paused: sign in again to continue. Nothing more is sent until you do."</p>
                })}
                {move || run.journal_error.get().map(|why| view! { <p class="message warning" role="status">{why}</p> })}
                <FollowLine counts=following/>
                <div id="run-details" hidden=move || collapsed.get()>
                <div class="run-bar" aria-hidden="true">
                    {move || counts.get().map(|c| c.bar().into_iter().filter(|(_, share)| *share > 0.0).map(|(category, share)| view! {
                        <span class=format!("segment {}", category.key()) style:width=format!("{:.3}%", share * 100.0)></span>
                    }).collect_view())}
                </div>
                <div class="run-categories">
                    {Category::ALL.into_iter().map(|category| {
                        // A category's devices are listed only while it is open: re-listing
                        // thousands of devices on every answer made a 5,000-device run spend
                        // more time drawing lists than sending (see `cargo xtask bench`).
                        let open = RwSignal::new(false);
                        view! {
                        <details class=format!("category {}", category.key()) data-category=category.key()
                            on:toggle=move |ev| open.set(event_target::<web_sys::Element>(&ev).has_attribute("open"))>
                            <summary>
                                <span class="category-label">{category.label()}</span>
                                <span class="category-count" data-testid=format!("count-{}", category.key())>{move || counts.get().map(|c| c.get(category)).unwrap_or(0)}</span>
                            </summary>
                            <ul class="device-list" tabindex="0" aria-label=format!("{} devices", category.label())>
                                {move || open.get().then(|| run.ledger.with(|l| l.as_ref().map(|l| l.in_category(category).into_iter().map(|d| {
                                    let reason = d.reason.clone();
                                    view! {
                                        <li data-cloudpc-id=d.target.cloud_pc_id.clone()>
                                            <strong>{d.target.name.clone()}</strong>
                                            <span class="muted">{d.target.user.clone().map(|u| format!(" — {u}"))}</span>
                                            {reason.map(|r| view! {
                                                <div class="reason">
                                                    {r.code.clone().map(|c| view! { <code>{c}</code>": " })}
                                                    {r.message.clone()}
                                                    {r.request_id.clone().map(|id| view! { <span class="muted mono">" request-id "{id}</span> })}
                                                    // No answer (a dropped connection): the id the console sent traces it.
                                                    {r.request_id.is_none().then(|| r.client_request_id.clone()).flatten().map(|id| view! { <span class="muted mono">" client-request-id "{id}</span> })}
                                                </div>
                                            })}
                                            {d.tracking.as_ref().map(|t| view! { <div class="tracking muted" data-phase=phase_key(t.phase)>{tracking_text(t)}</div> })}
                                        </li>
                                    }
                                }).collect_view())))}
                            </ul>
                        </details>
                    }}).collect_view()}
                </div>
                <crate::ui::bulk::retry_panel::RetryPanel/>
                </div>
            </section>
        }.into_any())
    }
}

/// After the requests: where the devices Graph took on stand, until each is provisioned again
/// or failed.
#[component]
fn FollowLine(counts: Memo<Option<FollowCounts>>) -> impl IntoView {
    move || {
        counts.get().filter(|c| c.followed > 0).map(|c| {
            let title = if c.is_over() {
                format!("Followed {} Cloud PCs after their reprovision:", c.followed)
            } else {
                format!("Following {} Cloud PCs after their reprovision:", c.followed)
            };
            let part = |key: &'static str, n: usize, label: &'static str| {
                view! { <span class="follow-part" data-testid=format!("follow-{key}")><strong>{n}</strong>" "{label}</span> }
            };
            view! {
                <p class="follow-line" role="status" data-testid="follow">
                    {title}" "
                    {part("waiting", c.waiting, "waiting to start")}", "
                    {part("running", c.running, "reprovisioning")}", "
                    {part("provisioned", c.provisioned, "provisioned again")}", "
                    {part("failed", c.failed, "failed")}
                    {(c.gone > 0).then(|| view! { ", "{part("gone", c.gone, "no longer exist")} })}
                    {(c.unclear > 0).then(|| view! { ", "{part("unclear", c.unclear, "unclear")} })}
                </p>
            }
        })
    }
}

/// A run of this operator that did not finish in this browser (the page was reloaded or closed):
/// offered for reconciling with Graph, which only reads.
#[component]
fn UnfinishedRun() -> impl IntoView {
    let run = expect_context::<ActiveRun>();
    let session = use_session();
    let activity = crate::ui::activity_store::use_activity();
    move || {
        run.unfinished.get().map(|j| {
            let c = j.ledger.counts();
            let on_wire = j.ledger.devices().iter().filter(|d| d.awaiting_answer).count();
            let never_sent = j.ledger.devices().iter().filter(|d| d.never_sent()).count();
            let saved = js_sys::Date::new(&(j.saved_at as f64).into()).to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED);
            view! {
                <section class="card run message warning" data-testid="unfinished-run" aria-labelledby="unfinished-title">
                    <h2 id="unfinished-title">"A bulk run did not finish in this browser"</h2>
                    <p>{format!("“{}” ({}), last saved {}: {} Cloud PCs — {} successful, {} failed, {} not found, {} not supported, {} pending, {} in progress, {} unknown.",
                        j.ledger.display_name, j.ledger.strategy.label(), String::from(saved), c.total(), c.successful, c.failed, c.not_found, c.not_supported, c.pending, c.in_progress, c.unknown)}</p>
                    <p>{format!("{on_wire} had a request on the wire when the page went away; {never_sent} were never sent. Reconciling reads each device's status and remote action results from Graph to settle them; it sends nothing. Devices never sent are marked failed (not sent), for you to run again if needed.")}</p>
                    <div class="actions">
                        <button on:click=move |_| run.discard_unfinished()>"Discard"</button>
                        <button class="primary" data-testid="reconcile-run" on:click=move |_| run.reconcile_unfinished(session, activity)>"Reconcile with Graph"</button>
                    </div>
                </section>
            }
        })
    }
}

fn phase_key(p: FollowPhase) -> &'static str {
    match p {
        FollowPhase::Waiting => "waiting",
        FollowPhase::Running => "running",
        FollowPhase::Provisioned => "provisioned",
        FollowPhase::Failed => "failed",
        FollowPhase::Gone => "gone",
        FollowPhase::Unclear => "unclear",
    }
}

/// One line of what Graph last showed of the device: phase, status, the reprovision's state.
fn tracking_text(t: &Tracking) -> String {
    let phase = match t.phase {
        FollowPhase::Waiting => "Waiting to start",
        FollowPhase::Running => "Reprovisioning",
        FollowPhase::Provisioned => "Provisioned again",
        FollowPhase::Failed => "Reprovision failed",
        FollowPhase::Gone => "No longer exists",
        FollowPhase::Unclear => "Unclear",
    };
    let mut parts = vec![phase.to_owned()];
    if let Some(s) = &t.status {
        parts.push(format!("status {s}"));
    }
    if let Some(a) = &t.action_state {
        parts.push(format!("reprovision {a}"));
    }
    if let Some(when) = t.action_updated.as_deref().and_then(parse_iso8601) {
        let d = js_sys::Date::new(&(when as f64).into());
        parts.push(format!(
            "updated {}",
            String::from(d.to_locale_time_string("default"))
        ));
    }
    if let Some(d) = &t.detail {
        parts.push(d.clone());
    }
    parts.join(" · ")
}

/// Offers the run's results as a file (built in the page: nothing leaves the browser).
fn download(run: ActiveRun, format: &'static str) {
    let Some((text, name)) = run.ledger.with_untracked(|l| {
        l.as_ref().map(|l| {
            let text = if format == "csv" {
                to_csv(l, None)
            } else {
                to_json(l, None)
            };
            (text, format!("reprovision-run-{}.{format}", l.run_id))
        })
    }) else {
        return;
    };
    let mime = if format == "csv" {
        "text/csv"
    } else {
        "application/json"
    };
    crate::ui::download::offer_file(text, &name, mime);
}
