//! A Cloud PC status as text plus colour (never colour alone); statuses the console has never
//! seen are shown by their raw name.

use leptos::prelude::*;

use crate::status_tone::{tone_of, Tone};

/// `status` is Graph's raw member name (empty when Graph sent none).
#[component]
pub fn StatusBadge(#[prop(into)] status: String) -> impl IntoView {
    let (label, tone) = if status.is_empty() {
        ("(no status)".to_string(), Tone::Other)
    } else {
        let tone = tone_of(&status);
        (status, tone)
    };
    view! { <span class=format!("status {}", tone.css_class())>{label}</span> }
}
