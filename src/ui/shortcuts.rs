//! The inventory's keyboard shortcuts (`crate::keyboard` decides what a key means) and the line
//! of help that lists them.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement, KeyboardEvent};

use crate::keyboard::{help_text, shortcut, KeyPress, Shortcut};

/// Listens for the shortcuts while the calling component lives.
pub fn use_inventory_shortcuts(search: NodeRef<html::Input>, select_all: Callback<()>) {
    let handle = window_event_listener(ev::keydown, move |event: KeyboardEvent| {
        let key = event.key();
        let press = KeyPress {
            key: &key,
            shift: event.shift_key(),
            ctrl: event.ctrl_key(),
            alt: event.alt_key(),
            meta: event.meta_key(),
            in_text_field: focus_in_text_field(),
            dialog_open: document()
                .query_selector("[role=dialog][aria-modal=true]")
                .ok()
                .flatten()
                .is_some(),
        };
        match shortcut(&press) {
            Some(Shortcut::FocusSearch) => {
                if let Some(input) = search.get_untracked() {
                    event.prevent_default();
                    let _ = input.focus();
                    input.select();
                }
            }
            Some(Shortcut::SelectAllMatching) => {
                event.prevent_default();
                select_all.run(());
            }
            None => {}
        }
    });
    on_cleanup(move || handle.remove());
}

/// Whether the focused element takes typed characters (a text-like input, a text area, a
/// select or editable content), where `/` and `A` must type rather than act.
fn focus_in_text_field() -> bool {
    let Some(active) = document().active_element() else {
        return false;
    };
    if let Some(input) = active.dyn_ref::<HtmlInputElement>() {
        return !matches!(
            input.type_().as_str(),
            "checkbox" | "radio" | "button" | "submit" | "reset"
        );
    }
    matches!(active.tag_name().as_str(), "TEXTAREA" | "SELECT")
        || active
            .dyn_ref::<HtmlElement>()
            .is_some_and(|e| e.is_content_editable())
}

/// "Keyboard shortcuts: / filter the Cloud PCs · Shift+A select all matching · Esc closes a dialog".
#[component]
pub fn ShortcutHelp() -> impl IntoView {
    view! {
        <p class="shortcut-help" data-testid="shortcut-help">
            {format!("Keyboard shortcuts: {}", help_text())}
        </p>
    }
}
