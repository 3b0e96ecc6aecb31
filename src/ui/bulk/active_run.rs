//! The bulk run under way (or last finished) in this session: its ledger as a signal, so every
//! change the engine reports repaints the results view, and its Stop flag.

use leptos::prelude::*;

use crate::bulk::outcome::{Change, RunLedger};
use crate::bulk::sink::{CancelFlag, RunSink};
use crate::bulk::time::Millis;

#[derive(Clone, Copy)]
pub struct ActiveRun {
    pub ledger: RwSignal<Option<RunLedger>>,
    cancel: StoredValue<CancelFlag, LocalStorage>,
    pub running: RwSignal<bool>,
}

impl ActiveRun {
    pub fn new() -> Self {
        Self {
            ledger: RwSignal::new(None),
            cancel: StoredValue::new_local(CancelFlag::new()),
            running: RwSignal::new(false),
        }
    }

    /// Starts tracking a new run; returns its sink and Stop flag.
    pub fn begin(&self, ledger: RunLedger) -> (LedgerSink, CancelFlag) {
        let cancel = CancelFlag::new();
        self.cancel.set_value(cancel.clone());
        self.ledger.set(Some(ledger));
        self.running.set(true);
        (
            LedgerSink {
                ledger: self.ledger,
            },
            cancel,
        )
    }

    pub fn stop(&self) {
        self.cancel.with_value(CancelFlag::cancel);
    }
}

impl Default for ActiveRun {
    fn default() -> Self {
        Self::new()
    }
}

/// The engine's sink over the run's ledger signal.
#[derive(Clone, Copy)]
pub struct LedgerSink {
    ledger: RwSignal<Option<RunLedger>>,
}

impl RunSink for LedgerSink {
    fn now(&self) -> Millis {
        js_sys::Date::now() as Millis
    }

    fn apply(&self, change: Change) {
        self.ledger.update(|ledger| {
            if let Some(ledger) = ledger {
                if let Err(refused) = ledger.apply(&change) {
                    // The engine never expects a refusal; say so where a developer will look.
                    web_sys::console::warn_1(
                        &format!("bulk run: change refused: {refused:?}").into(),
                    );
                }
            }
        });
    }

    fn with_ledger<R>(&self, f: impl FnOnce(&RunLedger) -> R) -> R {
        self.ledger
            .with_untracked(|ledger| f(ledger.as_ref().expect("a run is active")))
    }
}

// Retrying (`retry_panel.rs`) and checking unknown devices go on with the finished run's ledger.
impl ActiveRun {
    /// Continues the current run (its ledger stays); returns its sink and a new Stop flag.
    pub fn resume(&self) -> (LedgerSink, CancelFlag) {
        let cancel = CancelFlag::new();
        self.cancel.set_value(cancel.clone());
        self.running.set(true);
        (
            LedgerSink {
                ledger: self.ledger,
            },
            cancel,
        )
    }
}
