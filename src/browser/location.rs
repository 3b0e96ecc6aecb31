//! The page's hash route as a signal, and ways to change it.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use crate::route::Route;

fn window() -> web_sys::Window {
    web_sys::window().expect("the console runs in a window")
}

pub fn current_hash() -> String {
    window().location().hash().unwrap_or_default()
}

/// The current route, updated on every `hashchange` (links, back/forward, typed URLs).
pub fn route_signal() -> ReadSignal<Route> {
    let (route, set_route) = signal(Route::parse(&current_hash()));
    let on_change = Closure::<dyn Fn()>::new(move || set_route.set(Route::parse(&current_hash())));
    window()
        .add_event_listener_with_callback("hashchange", on_change.as_ref().unchecked_ref())
        .expect("hashchange listener");
    // The console's router lives as long as the page.
    on_change.forget();
    route
}

/// Goes to `route`, adding a history entry (fires `hashchange`).
pub fn navigate(route: &Route) {
    window().location().set_hash(&route.href()).ok();
}

/// Rewrites the URL to `route` without a history entry or `hashchange` (filter typing).
pub fn replace(route: &Route) {
    let href = route.href();
    if current_hash() == href {
        return;
    }
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&href));
    }
}
