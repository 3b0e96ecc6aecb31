//! The bulk reprovision engine: preflight, three strategies, outcome accounting, following,
//! reconcile, retry, exports, the run journal and the activity log. Pure logic over the Graph
//! client (no DOM, no clock: times are passed in); the UI drives it and shows its
//! [`outcome::RunLedger`].
//!
//! A run, as the UI drives it:
//! 1. [`preflight::check_support`] (optional), then [`preflight::preflight`] → the devices that
//!    will be wiped and those set aside; the operator confirms.
//! 2. [`outcome::RunLedger::new`] with both lists; wrap it in a [`sink::RunSink`] (the UI's
//!    signal, or [`sink::SharedLedger`]).
//! 3. By [`strategy::Strategy`]: [`run_per_device::run_per_device`],
//!    [`run_bulk_action::run_bulk_action`] or [`run_seed::run_seed`].
//! 4. [`follow::follow`] until the devices are provisioned again or failed (the bulk action
//!    strategy follows the action itself).
//! 5. [`follow::reconcile`] for `Unknown` devices; [`retry::plan_retry`] /
//!    [`retry::run_retry`] with the operator's approval.
//! 6. After every change, save a [`journal::RunJournal`]; on return, restore it and reconcile.

// Results carry `GraphError` (everything support asks for), as in `crate::graph`.
#![allow(clippy::result_large_err)]

pub mod activity;
pub mod drive;
pub mod export;
pub mod follow;
pub mod journal;
pub mod outcome;
pub mod pace;
pub mod preflight;
pub mod recheck;
pub mod redact;
pub mod retry;
pub mod run_bulk_action;
pub mod run_per_device;
pub mod run_seed;
pub mod sink;
pub mod strategy;
pub mod time;

#[cfg(test)]
mod testing;

pub use outcome::{Category, Change, Counts, DeviceOutcome, Progress, Reason, RunLedger, Target};
pub use sink::{CancelFlag, RunSink, SharedLedger};
pub use strategy::Strategy;
