//! A Graph timestamp in the operator's local time, with the UTC value on hover.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

#[component]
pub fn LocalTime(#[prop(into)] utc: String) -> impl IntoView {
    let date = js_sys::Date::new(&JsValue::from_str(&utc));
    let local = if date.get_time().is_nan() {
        utc.clone()
    } else {
        date.to_locale_string("default", &JsValue::UNDEFINED)
            .as_string()
            .unwrap_or_else(|| utc.clone())
    };
    view! { <time datetime=utc.clone() title=format!("{utc} (UTC)")>{local}</time> }
}
