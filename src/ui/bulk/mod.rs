//! Bulk reprovision: the dialog that starts a run and the results view that follows it.

pub mod active_run;
pub mod dialog;
pub mod retry_panel;
pub mod run_view;
