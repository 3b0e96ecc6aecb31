//! Leptos views. Thin by design: what to show is decided by the pure modules
//! (`config`, `graph`, `status_tone`, `error_advice`); views only lay it out.

pub mod app;
pub mod bulk;
pub mod device_page;
pub mod error_message;
pub mod focus_trap;
pub mod inventory;
pub mod local_time;
pub mod notifications;
pub mod parameter_fields;
pub mod reprovision_dialog;
pub mod session;
pub mod setup_form;
pub mod setup_page;
pub mod shortcuts;
pub mod status_badge;
