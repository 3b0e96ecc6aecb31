//! Where a run reports what happens: every state change goes through a [`RunSink`], which the
//! UI implements over its ledger signal and tests over a [`SharedLedger`].

use std::cell::RefCell;
use std::rc::Rc;

use super::outcome::{Change, LedgerError, RunLedger};
use super::time::Millis;

/// Receives a run's changes and lends its current ledger.
pub trait RunSink {
    /// The current time (the engine has no clock of its own).
    fn now(&self) -> Millis;
    /// Records one change (e.g. `signal.update(|l| { let _ = l.apply(&change); })`).
    fn apply(&self, change: Change);
    /// Reads the current ledger (e.g. `signal.with_untracked(f)`).
    fn with_ledger<R>(&self, f: impl FnOnce(&RunLedger) -> R) -> R;
}

/// A ledger behind an `Rc<RefCell<_>>` with a clock: the simplest [`RunSink`]. Refused changes
/// are kept in [`SharedLedger::refused`] (the engine never expects one).
#[derive(Clone)]
pub struct SharedLedger {
    ledger: Rc<RefCell<RunLedger>>,
    clock: Rc<dyn Fn() -> Millis>,
    refused: Rc<RefCell<Vec<(Change, LedgerError)>>>,
}

impl SharedLedger {
    pub fn new(ledger: RunLedger, clock: impl Fn() -> Millis + 'static) -> SharedLedger {
        SharedLedger {
            ledger: Rc::new(RefCell::new(ledger)),
            clock: Rc::new(clock),
            refused: Rc::default(),
        }
    }

    /// A copy of the ledger as it is now.
    pub fn snapshot(&self) -> RunLedger {
        self.ledger.borrow().clone()
    }

    /// Changes the ledger refused, with why.
    pub fn refused(&self) -> Vec<(Change, LedgerError)> {
        self.refused.borrow().clone()
    }
}

impl RunSink for SharedLedger {
    fn now(&self) -> Millis {
        (self.clock)()
    }

    fn apply(&self, change: Change) {
        let result = self.ledger.borrow_mut().apply(&change);
        if let Err(e) = result {
            self.refused.borrow_mut().push((change, e));
        }
    }

    fn with_ledger<R>(&self, f: impl FnOnce(&RunLedger) -> R) -> R {
        f(&self.ledger.borrow())
    }
}

impl<K: RunSink> RunSink for &K {
    fn now(&self) -> Millis {
        (**self).now()
    }
    fn apply(&self, change: Change) {
        (**self).apply(change)
    }
    fn with_ledger<R>(&self, f: impl FnOnce(&RunLedger) -> R) -> R {
        (**self).with_ledger(f)
    }
}

/// Stops a run between requests (shared with the UI's Stop button; clones share the flag).
/// Requests already on the wire are not recalled.
#[derive(Clone, Default, Debug)]
pub struct CancelFlag(Rc<std::cell::Cell<bool>>);

impl CancelFlag {
    pub fn new() -> CancelFlag {
        CancelFlag::default()
    }
    pub fn cancel(&self) {
        self.0.set(true)
    }
    pub fn is_canceled(&self) -> bool {
        self.0.get()
    }
}
