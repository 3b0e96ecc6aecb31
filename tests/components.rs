//! Component tests: mount views in a real headless Chromium (wasm-bindgen-test) and check the DOM.
#![cfg(target_arch = "wasm32")]

use cloudpc_console::config::ConsoleConfig;
use cloudpc_console::graph::error::{ErrorKind, GraphError};
use cloudpc_console::ui::error_message::ErrorMessage;
use cloudpc_console::ui::setup_page::SetupPage;
use cloudpc_console::ui::status_badge::StatusBadge;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts `view` in a fresh container and returns the container.
fn mount<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let container: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.clone(), view);
    // Keep the view alive for the rest of the test.
    std::mem::forget(handle);
    container
}

#[wasm_bindgen_test]
fn setup_page_lists_every_placeholder_field_with_its_fix() {
    let problems = ConsoleConfig::parse(include_str!("../public/config.json")).unwrap_err();
    let container = mount(move || view! { <SetupPage problems/> });
    let items = container.query_selector_all("li[data-field]").unwrap();
    assert_eq!(items.length(), 3);
    let text = container.text_content().unwrap();
    for field in ["tenantId", "clientId", "redirectUri"] {
        assert!(
            text.contains(field),
            "setup page does not name {field}: {text}"
        );
    }
    assert!(text.contains("Application (client) id"), "{text}");
}

#[wasm_bindgen_test]
fn a_status_the_console_has_never_seen_is_shown_by_its_raw_name() {
    let container = mount(|| view! { <StatusBadge status="hibernating"/> });
    let badge = container.query_selector(".status").unwrap().unwrap();
    assert_eq!(badge.text_content().unwrap(), "hibernating");
    assert!(badge.class_list().contains("other"));
}

#[wasm_bindgen_test]
fn a_known_status_has_text_and_tone() {
    let container = mount(|| view! { <StatusBadge status="failed"/> });
    let badge = container.query_selector(".status").unwrap().unwrap();
    assert_eq!(badge.text_content().unwrap(), "failed");
    assert!(badge.class_list().contains("bad"));
}

#[wasm_bindgen_test]
fn graph_errors_show_code_message_advice_and_support_identifiers() {
    let error = GraphError {
        kind: ErrorKind::Forbidden,
        status: Some(403),
        code: Some("Forbidden".into()),
        message: "<b>Caller</b> lacks CloudPC.ReadWrite.All".into(),
        request_id: Some("6a1e2c4e-0000-4000-8000-000000000001".into()),
        client_request_id: Some("6a1e2c4e-0000-4000-8000-000000000002".into()),
        date: Some("Mon, 23 Nov 2026 09:00:00 GMT".into()),
    };
    let container = mount(move || view! { <ErrorMessage title="Not reprovisioned" error/> });
    let text = container.text_content().unwrap();
    assert!(text.contains("Forbidden"));
    assert!(text.contains("6a1e2c4e-0000-4000-8000-000000000001"));
    assert!(text.contains("6a1e2c4e-0000-4000-8000-000000000002"));
    assert!(text.contains("Mon, 23 Nov 2026 09:00:00 GMT"));
    // Graph's message is text, never markup.
    assert!(container.query_selector("b").unwrap().is_none());
    assert!(text.contains("<b>Caller</b>"));
}
