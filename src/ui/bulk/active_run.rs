//! The bulk run under way (or last finished) in this session: its ledger as a signal, so every
//! change the engine reports repaints the results view; its Stop flag; its journal in the
//! browser's storage, so a reload or a closed tab does not lose it; and the unfinished run found
//! on return, which the operator may reconcile.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::bulk::drive::{drive, resume};
use crate::bulk::journal::{latest_unfinished, RunJournal, STORAGE_KEY_PREFIX};
use crate::bulk::outcome::{Change, RunLedger};
use crate::bulk::pace::RunPace;
use crate::bulk::sink::{CancelFlag, RunSink};
use crate::bulk::time::Millis;
use crate::ui::activity_store::SessionActivity;
use crate::ui::session::Session;

/// Wait after a change before the journal is written again (every change repaints; writing the
/// whole journal on each would cost more than the run). Sends are written at once.
const SAVE_DELAY_MS: u64 = 400;

#[derive(Clone, Copy)]
pub struct ActiveRun {
    pub ledger: RwSignal<Option<RunLedger>>,
    cancel: StoredValue<CancelFlag, LocalStorage>,
    pub running: RwSignal<bool>,
    /// A run found in the browser's storage that did not finish, offered for reconciling.
    pub unfinished: RwSignal<Option<RunJournal>>,
    /// Why the journal could not be written (e.g. storage full), shown with the run.
    pub journal_error: RwSignal<Option<String>>,
    /// The run card shows only its header and progress.
    pub collapsed: RwSignal<bool>,
    operator: StoredValue<Option<String>>,
    save_scheduled: StoredValue<bool>,
}

impl ActiveRun {
    pub fn new() -> Self {
        Self {
            ledger: RwSignal::new(None),
            cancel: StoredValue::new_local(CancelFlag::new()),
            running: RwSignal::new(false),
            unfinished: RwSignal::new(None),
            journal_error: RwSignal::new(None),
            collapsed: RwSignal::new(false),
            operator: StoredValue::new(None),
            save_scheduled: StoredValue::new(false),
        }
    }

    /// Looks in the browser's storage for `operator`'s latest run that did not finish; from now
    /// on, also writes the run's journal when the page goes away (reload, closed tab), so the
    /// answers of the last moments are not left to the delayed write.
    pub fn look_for_unfinished(&self, operator: Option<String>) {
        let run = *self;
        let _ = window_event_listener(leptos::ev::pagehide, move |_| {
            // `try_`: the listener outlives these pages after a sign-out.
            if run.ledger.try_with_untracked(Option::is_some) == Some(true) {
                LedgerSink { run }.save();
            }
        });
        self.operator.set_value(operator.clone());
        let texts: Vec<String> = journal_keys()
            .into_iter()
            .filter_map(|k| storage().and_then(|s| s.get_item(&k).ok().flatten()))
            .collect();
        self.unfinished
            .set(latest_unfinished(&texts, operator.as_deref()));
    }

    /// Starts a confirmed run: sends by its strategy, settles unclear answers, follows the
    /// devices. The journal is written before the first request goes out.
    pub fn launch(&self, session: Session, ledger: RunLedger, activity: SessionActivity) {
        self.unfinished.set(None);
        let (sink, cancel) = self.begin(ledger);
        sink.save();
        let client = session.client();
        let pace = pace_of(&session);
        let run = *self;
        spawn_local(async move {
            drive(&*client, &sink, &pace, &cancel).await;
            run.finish(sink);
            activity.record_run_end(run.ledger, cancel.is_canceled());
        });
    }

    /// Reconciles the unfinished run with Graph (reads only: devices whose request was on the
    /// wire are checked, never re-sent), then follows it.
    pub fn reconcile_unfinished(&self, session: Session, activity: SessionActivity) {
        let Some(journal) = self.unfinished.get_untracked() else {
            return;
        };
        self.unfinished.set(None);
        let (ledger, _interrupted) = journal.restore(now());
        let (sink, cancel) = self.begin(ledger);
        sink.save();
        let client = session.client();
        let pace = pace_of(&session);
        let run = *self;
        spawn_local(async move {
            resume(&*client, &sink, &pace, &cancel).await;
            run.finish(sink);
            activity.record_run_end(run.ledger, cancel.is_canceled());
        });
    }

    /// Forgets the unfinished run (its journal is removed from the browser).
    pub fn discard_unfinished(&self) {
        if let Some(j) = self.unfinished.get_untracked() {
            if let Some(s) = storage() {
                let _ = s.remove_item(&j.storage_key());
            }
        }
        self.unfinished.set(None);
    }

    /// Starts tracking a new run; returns its sink and Stop flag.
    pub fn begin(&self, ledger: RunLedger) -> (LedgerSink, CancelFlag) {
        let cancel = CancelFlag::new();
        self.cancel.set_value(cancel.clone());
        self.ledger.set(Some(ledger));
        self.running.set(true);
        self.journal_error.set(None);
        (LedgerSink { run: *self }, cancel)
    }

    /// Continues the current run with its ledger (a retry, a check of unknown devices);
    /// returns its sink and a new Stop flag.
    pub fn resume(&self) -> (LedgerSink, CancelFlag) {
        let cancel = CancelFlag::new();
        self.cancel.set_value(cancel.clone());
        self.running.set(true);
        self.journal_error.set(None);
        (LedgerSink { run: *self }, cancel)
    }

    /// The run's work is over for now: the journal is written (or removed when nothing is left).
    pub fn finish(&self, sink: LedgerSink) {
        self.running.set(false);
        sink.save();
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

/// The engine's sink over the run's ledger signal; it keeps the run's journal up to date.
#[derive(Clone, Copy)]
pub struct LedgerSink {
    run: ActiveRun,
}

impl LedgerSink {
    /// Writes the journal now: the ledger as it is, never a token (the ledger holds none and
    /// [`RunJournal::capture`] scrubs every text). A run that needs nothing more is removed.
    pub fn save(&self) {
        self.run.save_scheduled.set_value(false);
        let operator = self.run.operator.get_value();
        let Some(journal) = self.run.ledger.with_untracked(|l| {
            l.as_ref()
                .map(|l| RunJournal::capture(l, operator.as_deref(), now()))
        }) else {
            return;
        };
        let Some(storage) = storage() else {
            self.run.journal_error.set(Some(
                "This browser offers no storage: the run cannot be recovered after a reload."
                    .into(),
            ));
            return;
        };
        let result = if journal.needs_attention() || self.run.running.get_untracked() {
            storage.set_item(&journal.storage_key(), &journal.to_json())
        } else {
            storage.remove_item(&journal.storage_key())
        };
        if result.is_err() {
            self.run.journal_error.set(Some(
                "The run could not be saved in this browser (storage full or blocked): keep this tab open until it ends, or export the results.".into(),
            ));
        }
    }

    fn schedule_save(&self) {
        if self.run.save_scheduled.get_value() {
            return;
        }
        self.run.save_scheduled.set_value(true);
        let sink = *self;
        set_timeout(
            move || {
                if sink.run.save_scheduled.get_value() {
                    sink.save();
                }
            },
            std::time::Duration::from_millis(SAVE_DELAY_MS),
        );
    }
}

impl RunSink for LedgerSink {
    fn now(&self) -> Millis {
        now()
    }

    fn apply(&self, change: Change) {
        let sent = matches!(change, Change::Sent { .. });
        self.run.ledger.update(|ledger| {
            if let Some(ledger) = ledger {
                if let Err(refused) = ledger.apply(&change) {
                    // The engine never expects a refusal; say so where a developer will look.
                    web_sys::console::warn_1(
                        &format!("bulk run: change refused: {refused:?}").into(),
                    );
                }
            }
        });
        if sent {
            // Before the request leaves: a reload from here on knows it may have been sent.
            self.save();
        } else {
            self.schedule_save();
        }
    }

    fn with_ledger<R>(&self, f: impl FnOnce(&RunLedger) -> R) -> R {
        self.run
            .ledger
            .with_untracked(|ledger| f(ledger.as_ref().expect("a run is active")))
    }
}

fn now() -> Millis {
    js_sys::Date::now() as Millis
}

/// The run's waits, shortened by the simulator's time scale when the console runs against it.
pub fn pace_of(session: &Session) -> RunPace {
    RunPace::for_time_scale(session.config.with_value(|c| c.simulator_time_scale))
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The storage keys of saved run journals.
fn journal_keys() -> Vec<String> {
    let Some(s) = storage() else {
        return Vec::new();
    };
    let n = s.length().unwrap_or(0);
    (0..n)
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with(STORAGE_KEY_PREFIX))
        .collect()
}
