//! Modal dialogs and the keyboard: while a dialog is open, Tab and Shift+Tab cycle through its
//! controls only, Escape closes it, and when it closes focus goes back to the control that
//! opened it, so a keyboard user never loses their place.

use std::cell::RefCell;

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, KeyboardEvent};

/// What can take focus with Tab (disabled controls and `tabindex=-1` cannot).
const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";

thread_local! {
    /// The element focused when each open dialog opened, innermost last (dialogs may nest).
    static OPENERS: RefCell<Vec<Option<HtmlElement>>> = const { RefCell::new(Vec::new()) };
}

/// Traps focus in `dialog` while the calling component lives: focuses its first control once it
/// is in the page, keeps Tab inside it, runs `on_escape` on Escape, and gives focus back to the
/// opener when the component is disposed.
pub fn use_focus_trap(dialog: NodeRef<html::Div>, on_escape: Callback<()>) {
    let opener = document()
        .active_element()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok());
    OPENERS.with(|o| o.borrow_mut().push(opener));

    Effect::new(move |focused: Option<bool>| {
        if focused == Some(true) {
            return true;
        }
        match dialog.get() {
            Some(el) => {
                if let Some(first) = tab_stops(&el).first() {
                    let _ = first.focus();
                }
                true
            }
            None => false,
        }
    });

    let handle = window_event_listener(ev::keydown, move |event: KeyboardEvent| {
        let Some(el) = dialog.get_untracked() else {
            return;
        };
        match event.key().as_str() {
            "Escape" => {
                event.prevent_default();
                on_escape.run(());
            }
            "Tab" => {
                let stops = tab_stops(&el);
                let (Some(first), Some(last)) = (stops.first(), stops.last()) else {
                    event.prevent_default();
                    return;
                };
                let active = document().active_element();
                let inside = active
                    .as_ref()
                    .is_some_and(|a| el.contains(Some(a.unchecked_ref())));
                let at = |target: &HtmlElement| {
                    active
                        .as_ref()
                        .is_some_and(|a| a == target.unchecked_ref::<Element>())
                };
                // Focus that fell out of the dialog (its step changed under it) comes back in.
                if event.shift_key() && (!inside || at(first)) {
                    event.prevent_default();
                    let _ = last.focus();
                } else if !event.shift_key() && (!inside || at(last)) {
                    event.prevent_default();
                    let _ = first.focus();
                }
            }
            _ => {}
        }
    });

    on_cleanup(move || {
        handle.remove();
        let opener = OPENERS.with(|o| o.borrow_mut().pop()).flatten();
        if let Some(opener) = opener.filter(|o| o.is_connected()) {
            let _ = opener.focus();
        }
    });
}

/// After the dialog's content changed (a new step), puts focus on its first control unless
/// focus is still inside it: the control that had focus may be gone, and focus left on the page
/// would strand a keyboard or screen-reader user. Call from an effect that tracks the step.
pub fn refocus_after_change(dialog: NodeRef<html::Div>) {
    request_animation_frame(move || {
        let Some(el) = dialog.get_untracked() else {
            return;
        };
        let inside = document()
            .active_element()
            .is_some_and(|a| el.contains(Some(a.unchecked_ref())));
        if !inside {
            if let Some(first) = tab_stops(&el).first() {
                let _ = first.focus();
            }
        }
    });
}

/// The dialog's Tab stops in document order. A radio group is one stop: its checked radio, or
/// its first when none is checked (as the browser does).
fn tab_stops(dialog: &Element) -> Vec<HtmlElement> {
    let Ok(list) = dialog.query_selector_all(FOCUSABLE) else {
        return Vec::new();
    };
    let all: Vec<HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
        // Hidden controls (display: none) have no offset parent and take no focus.
        .filter(|e| e.offset_parent().is_some())
        .collect();
    let radio = |e: &HtmlElement| {
        e.dyn_ref::<HtmlInputElement>()
            .filter(|i| i.type_() == "radio")
            .map(|i| (i.name(), i.checked()))
    };
    all.iter()
        .filter(|e| match radio(e) {
            None => true,
            Some((group, checked)) => {
                let group_checked = all
                    .iter()
                    .any(|o| radio(o).is_some_and(|(g, c)| g == group && c));
                if group_checked {
                    checked
                } else {
                    // The first radio of its group.
                    all.iter()
                        .find(|o| radio(o).is_some_and(|(g, _)| g == group))
                        .is_some_and(|first| first == *e)
                }
            }
        })
        .cloned()
        .collect()
}
