//! Leptos views. Thin by design: what to show is decided by the pure modules
//! (`config`, `graph`, `status_tone`, `error_advice`); views only lay it out.

pub mod activity_page;
pub mod activity_store;
pub mod app;
pub mod bulk;
pub mod bulk_actions_page;
pub mod device_page;
pub mod download;
pub mod error_message;
pub mod focus_trap;
pub mod import;
pub mod inventory;
pub mod local_time;
pub mod nav;
pub mod notifications;
pub mod offline_banner;
pub mod parameter_fields;
pub mod reprovision_dialog;
pub mod session;
pub mod setup_form;
pub mod setup_page;
pub mod shortcuts;
pub mod sign_in_again;
pub mod status_badge;
