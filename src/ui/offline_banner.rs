//! A banner while the browser is offline (`navigator.onLine`, `online`/`offline` events). Graph
//! requests made meanwhile are held by the transport until the network is back
//! ([`crate::graph::browser_transport::BrowserTransport`]), so nothing fails or is marked done
//! for want of a connection; the banner says so.

use leptos::ev;
use leptos::prelude::*;

use crate::graph::browser_transport::browser_online;

#[component]
pub fn OfflineBanner() -> impl IntoView {
    let online = RwSignal::new(browser_online());
    let back = window_event_listener(ev::online, move |_| online.set(true));
    let gone = window_event_listener(ev::offline, move |_| online.set(false));
    on_cleanup(move || {
        back.remove();
        gone.remove();
    });
    move || {
        (!online.get()).then(|| {
            view! {
                <div class="message warning offline-banner" role="alert" data-testid="offline-banner">
                    <span class="title">"You are offline"</span>
                    <p>"Requests to Microsoft Graph are held until the connection is back, then sent. Nothing is marked done while offline. Keep this page open."</p>
                </div>
            }
        })
    }
}
