//! The table body's rows as a pool of `<tr>` elements that are rewritten in place.
//!
//! Why not a Leptos `<For>` keyed by Cloud PC: every keystroke of a filter changes most rows
//! in view, and creating and dropping a few dozen rows with their cells and reactive effects
//! cost more than the 16 ms a frame has at 50,000 Cloud PCs. Here each place in the list that
//! stays in view keeps its element, so a new filter rewrites the rows where they stand (only
//! the cells whose text differs); scrolling gives the element of the place that left to the
//! place that came, so scrolling by one row moves one element. Rows with nothing to show are
//! hidden, not removed (see `slot_plan`).
//!
//! Clicks are handled once for the whole body (see `VirtualTable`), by the row's
//! `data-cloudpc-id`, and so is the tooltip of a cut-off cell: the elements here carry no
//! handlers and no reactive state.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlInputElement, Node, Text};

use crate::inventory::row::DeviceRow;
use crate::inventory::slot_plan::{self, SlotPlan};
use crate::route::Route;
use crate::ui::status_badge::badge;

/// One row of the window as the table shows it.
pub struct ShownRow<'a> {
    /// Its place in the filtered list (0-based), for `aria-rowindex`.
    pub position: usize,
    pub row: &'a DeviceRow,
    pub selected: bool,
}

/// Marks the rows this module made.
const SLOT_MARK: &str = "data-row-slot";

/// The text cells after the name and status, in column order.
const TEXT_CELLS: usize = 7;

/// The values a slot shows now, so an update writes only what changed.
#[derive(Default)]
struct Shown {
    id: String,
    position: usize,
    name: String,
    status: String,
    selected: bool,
    /// User principal name, then the columns after status.
    cells: [String; TEXT_CELLS],
}

struct Slot {
    tr: Element,
    checkbox: HtmlInputElement,
    link: Element,
    link_text: Text,
    badge: Element,
    badge_text: Text,
    /// The text of the user cell and of the cells after status.
    cells: [Text; TEXT_CELLS],
    button: Element,
    shown: Shown,
    /// Hidden, showing no Cloud PC (kept in the table to be shown again cheaply).
    idle: bool,
    /// Has shown a row (until then `shown` describes nothing).
    written: bool,
}

pub struct RowSlots {
    document: Document,
    /// Rows are kept before this element (the bottom spacer row).
    end: Element,
    slots: Vec<Slot>,
    /// Every slot, in document order (idle ones included).
    attached: Vec<usize>,
}

impl RowSlots {
    /// Rows will be placed just before `end`, which the caller keeps in the table body.
    pub fn new(end: Element) -> Option<Self> {
        // Leptos rebuilds a page of the same shape on the elements already there (the inventory
        // after its URL changed): rows another table put here are not this table's.
        let mut earlier = end.previous_element_sibling();
        while let Some(row) = earlier {
            earlier = row.previous_element_sibling();
            if row.has_attribute(SLOT_MARK) {
                row.remove();
            }
        }
        Some(Self {
            document: end.owner_document()?,
            end,
            slots: Vec::new(),
            attached: Vec::new(),
        })
    }

    /// Makes the table body show exactly `rows`, in order.
    pub fn show(&mut self, rows: &[ShownRow<'_>]) {
        // Keyed by place in the list: see slot_plan.
        let table: Vec<(usize, Option<usize>)> = self
            .attached
            .iter()
            .map(|&s| {
                (
                    s,
                    (!self.slots[s].idle).then_some(self.slots[s].shown.position),
                )
            })
            .collect();
        let wanted: Vec<usize> = rows.iter().map(|r| r.position).collect();
        let SlotPlan { slots, stay, idle } = slot_plan::plan(&table, &wanted);
        for slot in idle {
            self.slots[slot].go_idle();
        }
        while self.slots.len() < slots.iter().max().map_or(0, |m| m + 1) {
            self.slots.push(Slot::new(&self.document));
        }
        for (&slot, row) in slots.iter().zip(rows) {
            self.slots[slot].write(row);
        }
        // From the last row up, each moved row goes just before the row that follows it;
        // `document` follows the moves, so it stays the table's order (idle slots included).
        let mut document: Vec<usize> = self.attached.clone();
        let mut next: Option<usize> = None;
        for (&slot, stays) in slots.iter().zip(stay).rev() {
            if !stays {
                let before: Node = match next {
                    Some(n) => self.slots[n].tr.clone().into(),
                    None => self.end.clone().into(),
                };
                if let Some(body) = before.parent_node() {
                    let _ = body.insert_before(&self.slots[slot].tr, Some(&before));
                }
                document.retain(|&s| s != slot);
                let at = next
                    .and_then(|n| document.iter().position(|&s| s == n))
                    .unwrap_or(document.len());
                document.insert(at, slot);
            }
            next = Some(slot);
        }
        self.attached = document;
    }
}

impl Slot {
    fn new(document: &Document) -> Self {
        let element = |tag: &str| document.create_element(tag).expect("create element");
        let text = || document.create_text_node("");
        // Roles spelled out: the table is laid out as a grid (see VirtualTable).
        let cell = || {
            let td = element("td");
            let _ = td.set_attribute("role", "cell");
            td
        };
        let tr = element("tr");
        let _ = tr.set_attribute("role", "row");
        let _ = tr.set_attribute(SLOT_MARK, "");
        let select_cell = cell();
        select_cell.set_class_name("col-select");
        let checkbox: HtmlInputElement = element("input").unchecked_into();
        checkbox.set_type("checkbox");
        let _ = select_cell.append_child(&checkbox);
        let _ = tr.append_child(&select_cell);

        let name_cell = cell();
        name_cell.set_class_name("col-name");
        let link = element("a");
        let link_text = text();
        let _ = link.append_child(&link_text);
        let _ = name_cell.append_child(&link);

        let status_cell = cell();
        let badge = element("span");
        let badge_text = text();
        let _ = badge.append_child(&badge_text);
        let _ = status_cell.append_child(&badge);

        let text_cells: [(Element, Text); TEXT_CELLS] = std::array::from_fn(|_| {
            let td = cell();
            let t = text();
            let _ = td.append_child(&t);
            (td, t)
        });
        let actions = cell();
        actions.set_class_name("col-actions");
        let button = element("button");
        let _ = button.set_attribute("type", "button");
        let _ = button.set_attribute("data-action", "reprovision");
        button.set_text_content(Some("Reprovision…"));
        let _ = actions.append_child(&button);

        let _ = tr.append_child(&name_cell);
        let _ = tr.append_child(&text_cells[0].0);
        let _ = tr.append_child(&status_cell);
        for (cell, _) in &text_cells[1..] {
            let _ = tr.append_child(cell);
        }
        let cells = text_cells.map(|(_, text)| text);
        let _ = tr.append_child(&actions);
        Self {
            tr,
            checkbox,
            link,
            link_text,
            badge,
            badge_text,
            cells,
            button,
            shown: Shown::default(),
            idle: false,
            written: false,
        }
    }

    /// Hides the row; it no longer names a Cloud PC, so nothing finds it as one.
    fn go_idle(&mut self) {
        let _ = self.tr.set_attribute("hidden", "");
        let _ = self.tr.remove_attribute("data-cloudpc-id");
        self.shown.id.clear();
        self.idle = true;
    }

    fn write(&mut self, shown: &ShownRow<'_>) {
        let row = shown.row;
        if self.idle {
            let _ = self.tr.remove_attribute("hidden");
            self.idle = false;
        }
        // While idle only the id is forgotten: the cells keep their text, and only what differs
        // is written when the slot shows a row again. A new slot writes everything.
        let fresh = !self.written;
        self.written = true;
        let set = |el: &Element, name: &str, value: &str| {
            let _ = el.set_attribute(name, value);
        };
        if self.shown.id != row.id || fresh {
            set(&self.tr, "data-cloudpc-id", &row.id);
            set(
                &self.link,
                "href",
                &Route::Device { id: row.id.clone() }.href(),
            );
            self.shown.id.clone_from(&row.id);
        }
        if self.shown.position != shown.position || fresh {
            set(&self.tr, "aria-rowindex", &(shown.position + 2).to_string());
            self.shown.position = shown.position;
        }
        // As ReprovisionTarget names it: the display name, or the id when Graph sent none.
        let name = if row.display_name.is_empty() {
            &row.id
        } else {
            &row.display_name
        };
        if &self.shown.name != name || fresh {
            set(&self.checkbox, "aria-label", &format!("Select {name}"));
            set(&self.button, "aria-label", &format!("Reprovision {name}…"));
            self.link_text.set_data(name);
            self.shown.name.clone_from(name);
        }
        if self.shown.status != row.status || fresh {
            let (label, class) = badge(&row.status);
            self.badge.set_class_name(&class);
            self.badge_text.set_data(&label);
            self.shown.status.clone_from(&row.status);
        }
        let values = [
            &row.user_principal_name,
            &row.os_version,
            &row.user_account_type,
            &row.product_type,
            &row.provisioning_policy,
            &row.service_plan,
            &row.last_modified,
        ];
        for ((shown, text), value) in self.shown.cells.iter_mut().zip(&self.cells).zip(values) {
            if shown != value || fresh {
                text.set_data(value);
                shown.clone_from(value);
            }
        }
        // Compared with the box itself: a click has already ticked it before the selection
        // (and this row) is updated.
        if self.checkbox.checked() != shown.selected {
            self.checkbox.set_checked(shown.selected);
        }
        if self.shown.selected != shown.selected || fresh {
            let _ = self
                .tr
                .class_list()
                .toggle_with_force("selected", shown.selected);
            self.shown.selected = shown.selected;
        }
    }
}
