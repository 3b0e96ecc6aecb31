//! Tells the operator when a bulk run finishes: a notice in the page (announced: `role=status`,
//! or `role=alert` when devices need attention) and, if the tab is hidden and the operator
//! allowed it, the browser's own notification.

use leptos::prelude::*;
use web_sys::{Notification, NotificationOptions, NotificationPermission};

use crate::run_notice::{finished_run_notice, RunNotice};
use crate::ui::bulk::active_run::ActiveRun;

#[component]
pub fn RunNotifications() -> impl IntoView {
    let run = expect_context::<ActiveRun>();
    let notice = RwSignal::new(None::<RunNotice>);
    let permission = RwSignal::new(browser_permission());

    // A run finishes when `running` goes from true to false.
    Effect::new(move |was_running: Option<bool>| {
        let running = run.running.get();
        if running && was_running != Some(true) {
            // A new run: the last one's notice no longer applies.
            notice.set(None);
        } else if was_running == Some(true) && !running {
            let finished = run.ledger.with_untracked(|l| {
                l.as_ref().map(|l| {
                    let counts = l.counts();
                    finished_run_notice(&l.display_name, &counts, counts.done() < counts.total())
                })
            });
            if let Some(n) = finished {
                show_in_browser_if_hidden(&n);
                notice.set(Some(n));
            }
        }
        running
    });

    let ask = move |_| {
        if let Ok(promise) = Notification::request_permission() {
            leptos::task::spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
                permission.set(browser_permission());
            });
        }
    };

    view! {
        <div class="notifications">
            {move || notice.get().map(|n| {
                let role = if n.needs_attention { "alert" } else { "status" };
                view! {
                    <div class="notification" class:attention=n.needs_attention role=role data-testid="run-notification">
                        <span class="title">{n.title.clone()}</span>
                        <p>{n.body.clone()}</p>
                        <button on:click=move |_| notice.set(None)>"Dismiss"</button>
                    </div>
                }
            })}
            {move || (run.running.get() && permission.get() == Some(NotificationPermission::Default)).then(|| view! {
                <div class="notification">
                    <p>"Want to know when this run finishes while you work in another tab?"</p>
                    <button on:click=ask data-testid="allow-notifications">"Notify me in the browser"</button>
                </div>
            })}
        </div>
    }
}

/// The operator's choice for this site's notifications; `None` where the browser has none.
fn browser_permission() -> Option<NotificationPermission> {
    let supported =
        js_sys::Reflect::has(&js_sys::global(), &"Notification".into()).unwrap_or(false);
    supported.then(Notification::permission)
}

/// The browser's notification, only when the console's tab is hidden (otherwise the notice in
/// the page is enough) and the operator allowed it.
fn show_in_browser_if_hidden(notice: &RunNotice) {
    let hidden = web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden());
    if !hidden || browser_permission() != Some(NotificationPermission::Granted) {
        return;
    }
    let options = NotificationOptions::new();
    options.set_body(&notice.body);
    options.set_tag("cloudpc-console-run");
    let _ = Notification::new_with_options(&notice.title, &options);
}
