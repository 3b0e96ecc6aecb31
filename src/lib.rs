//! Cloud PC console: a static single-page app that reprovisions Windows 365 Cloud PCs through
//! Microsoft Graph. Pure logic lives in plain modules tested natively with `cargo test`; the
//! browser layer (`browser`, `ui`) exists only in the wasm build.

pub mod bulk;
pub mod config;
pub mod config_draft;
pub mod device;
pub mod error_advice;
pub mod graph;
pub mod inventory;
pub mod keyboard;
pub mod route;
pub mod run_notice;
pub mod status_tone;
pub mod targets;

#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod ui;

/// Mounts the console on the page (the wasm entry point calls this).
#[cfg(target_arch = "wasm32")]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(ui::app::App);
}
