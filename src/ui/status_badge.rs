//! A Cloud PC status as text plus colour (never colour alone); statuses the console has never
//! seen are shown by their raw name.

use leptos::prelude::*;

use crate::graph::models::CloudPcStatus;
use crate::status_tone::{tone_of, Tone};

#[component]
pub fn StatusBadge(status: Option<CloudPcStatus>) -> impl IntoView {
    let (label, tone) = match &status {
        Some(s) => (s.as_str().to_string(), tone_of(s)),
        None => ("(no status)".to_string(), Tone::Other),
    };
    view! { <span class=format!("status {}", tone.css_class())>{label}</span> }
}
