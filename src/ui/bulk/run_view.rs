//! The results view of a bulk run: every device in exactly one outcome category (successful,
//! failed, not found, not supported, plus pending, in progress and unknown while work is in
//! flight), as counts, a bar and expandable lists with each device's reason and request-id;
//! progress with an estimate; Stop; export as CSV or JSON.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::bulk::export::{to_csv, to_json};
use crate::bulk::outcome::{Category, RunLedger};
use crate::ui::bulk::active_run::ActiveRun;

#[component]
pub fn RunView() -> impl IntoView {
    let run = expect_context::<ActiveRun>();
    let counts = Memo::new(move |_| run.ledger.with(|l| l.as_ref().map(RunLedger::counts)));
    let progress = move || {
        run.ledger
            .with(|l| l.as_ref().map(|l| l.progress(js_sys::Date::now() as u64)))
    };
    // The section is built once per run (a memo of what the header shows), not on every change
    // the engine reports: those only update the counts, the bar, progress and open lists.
    let header = Memo::new(move |_| {
        run.ledger
            .with(|l| l.as_ref().map(|l| (l.run_id.clone(), l.display_name.clone(), l.strategy.label())))
    });
    move || {
        header.get().map(|(_, name, strategy)| view! {
            <section class="card run" aria-labelledby="run-title" data-testid="run">
                <div class="page-header">
                    <h2 id="run-title">{name}</h2>
                    <span class="muted">{strategy}</span>
                    <span class="spacer"></span>
                    {move || run.running.get().then(|| {
                        // Once nothing is left to send, the run only follows the devices.
                        let sending = counts.get().is_some_and(|c| c.get(Category::Pending) > 0);
                        view! { <button on:click=move |_| run.stop()>{if sending { "Stop sending" } else { "Stop following" }}</button> }
                    })}
                    <button on:click=move |_| download(run, "csv")>"Export CSV"</button>
                    <button on:click=move |_| download(run, "json")>"Export JSON"</button>
                </div>
                <p role="status" data-testid="run-progress">{move || progress().map(|p| {
                    let eta = p.eta_ms.filter(|_| p.done < p.total).map(|ms| format!(", about {} s left", ms.div_ceil(1000))).unwrap_or_default();
                    format!("{} of {} devices done{eta}", p.done, p.total)
                })}</p>
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
                            <ul class="device-list">
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
                                                </div>
                                            })}
                                        </li>
                                    }
                                }).collect_view())))}
                            </ul>
                        </details>
                    }}).collect_view()}
                </div>
            </section>
        })
    }
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
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(if format == "csv" {
        "text/csv"
    } else {
        "application/json"
    });
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        if let Ok(a) = document.create_element("a") {
            let a: web_sys::HtmlAnchorElement = a.unchecked_into();
            a.set_href(&url);
            a.set_download(&name);
            a.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
