//! A Cloud PC status as text plus colour (never colour alone); statuses the console has never
//! seen are shown by their raw name.

use leptos::prelude::*;

use crate::status_tone::{tone_of, Tone};

/// `status` is Graph's raw member name (empty when Graph sent none).
#[component]
pub fn StatusBadge(#[prop(into)] status: String) -> impl IntoView {
    let (label, class) = badge(&status);
    view! { <span class=class>{label}</span> }
}

/// The badge's text and class for `status` (for views that update a badge in place).
pub fn badge(status: &str) -> (String, String) {
    let (label, tone) = if status.is_empty() {
        ("(no status)".to_string(), Tone::Other)
    } else {
        (status.to_string(), tone_of(status))
    };
    (label, format!("status {}", tone.css_class()))
}
