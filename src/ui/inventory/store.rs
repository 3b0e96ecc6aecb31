//! The loaded inventory, shared by the inventory and device pages for the whole session (going
//! to a device page and back does not reload tens of thousands of Cloud PCs).

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::graph::error::GraphError;
use crate::inventory::inventory_query;
use crate::inventory::row::DeviceRow;
use crate::inventory::selection::Selection;
use crate::inventory::text_index::TextIndex;
use crate::ui::session::Session;

/// While the first load runs, rows are shown in batches at most this often, so thousands of
/// rows per second do not each re-sort and re-filter the table.
const FLUSH_EVERY_MS: f64 = 250.0;

#[derive(Clone, Copy)]
pub struct InventoryStore {
    pub rows: RwSignal<Vec<DeviceRow>>,
    pub loading: RwSignal<bool>,
    /// Cloud PCs received by the load under way.
    pub received: RwSignal<usize>,
    pub error: RwSignal<Option<GraphError>>,
    /// Local time of the last completed load.
    pub loaded_at: RwSignal<Option<String>>,
    pub selection: RwSignal<Selection>,
    /// Changes whenever `rows` is replaced rather than appended to, so the sorted order can
    /// tell a batch of new rows (merged in) from a new list (sorted afresh).
    pub epoch: StoredValue<u64>,
    /// The rows' searchable text, with the epoch it was built for; brought up to date on use.
    text_index: StoredValue<(u64, TextIndex)>,
}

impl InventoryStore {
    pub fn new() -> Self {
        Self {
            rows: RwSignal::new(Vec::new()),
            loading: RwSignal::new(false),
            received: RwSignal::new(0),
            error: RwSignal::new(None),
            loaded_at: RwSignal::new(None),
            selection: RwSignal::new(Selection::default()),
            epoch: StoredValue::new(0),
            text_index: StoredValue::new((0, TextIndex::new())),
        }
    }

    /// Runs `f` with the text index of `rows` (the value of `self.rows`), indexing the rows
    /// appended since the last call, or all of them after the list was replaced.
    pub fn with_text_index<T>(self, rows: &[DeviceRow], f: impl FnOnce(&TextIndex) -> T) -> T {
        let epoch = self.epoch.get_value();
        self.text_index.update_value(|(indexed, index)| {
            index.sync(rows, *indexed == epoch);
            *indexed = epoch;
        });
        self.text_index.with_value(|(_, index)| f(index))
    }

    /// Loads every Cloud PC (all pages). The first load shows rows as they arrive; a refresh
    /// keeps the current rows until the new list is complete.
    pub fn load(self, session: Session) {
        if self.loading.get_untracked() {
            return;
        }
        self.loading.set(true);
        self.error.set(None);
        self.received.set(0);
        let first_load = self.rows.with_untracked(Vec::is_empty);
        let client = session.client();
        spawn_local(async move {
            // Rows received and not yet in `rows`: on the first load they move into `rows` at
            // each flush (one copy of the list at any time); a refresh keeps them all until the
            // new list is complete and then replaces the old one with them.
            let pending: Rc<RefCell<Vec<DeviceRow>>> = Rc::default();
            let mut received = 0usize;
            let mut last_flush = js_sys::Date::now();
            let result = client
                .each_cloud_pc_page(&inventory_query(), |page| {
                    let mut pending = pending.borrow_mut();
                    received += page.len();
                    pending.extend(page.into_iter().map(DeviceRow::from));
                    self.received.set(received);
                    let now = js_sys::Date::now();
                    if first_load && now - last_flush >= FLUSH_EVERY_MS {
                        self.rows.update(|rows| rows.append(&mut pending));
                        last_flush = now;
                    }
                })
                .await;
            let mut rest = pending.take();
            match result {
                Ok(_) => {
                    if first_load {
                        self.rows.update(|rows| rows.append(&mut rest));
                    } else {
                        self.replace_rows(rest);
                    }
                    self.rows.with_untracked(|rows| {
                        let known: HashSet<&str> = rows.iter().map(|r| r.id.as_str()).collect();
                        self.selection.update(|s| s.retain_known(&known));
                    });
                    self.loaded_at.set(Some(local_time_now()));
                    mark_after_paint("cloudpc:inventory-loaded");
                }
                Err(error) => {
                    if first_load {
                        // Show what did arrive; the error says the list is incomplete.
                        self.rows.update(|rows| rows.append(&mut rest));
                    }
                    self.error.set(Some(error));
                }
            }
            self.loading.set(false);
        });
    }
}

impl InventoryStore {
    fn replace_rows(self, rows: Vec<DeviceRow>) {
        self.epoch.update_value(|e| *e += 1);
        self.rows.set(rows);
    }
}

impl Default for InventoryStore {
    fn default() -> Self {
        Self::new()
    }
}

/// A User Timing mark once the next frame is painted, so `cargo xtask bench` measures what the
/// operator sees (navigation to the full list on screen), not when the data merely arrived.
fn mark_after_paint(name: &'static str) {
    request_animation_frame(move || {
        // The frame after this callback has been presented by the time the timeout runs.
        set_timeout(
            move || {
                if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
                    let _ = performance.mark(name);
                }
            },
            std::time::Duration::ZERO,
        );
    });
}

fn local_time_now() -> String {
    js_sys::Date::new_0()
        .to_locale_time_string("default")
        .as_string()
        .unwrap_or_default()
}
