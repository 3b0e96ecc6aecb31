//! The inventory table, virtualised: only the rows in view (plus a small overscan) exist in the
//! DOM, so 50,000 Cloud PCs scroll like 50. Heights come from CSS custom properties; spacer
//! heights are set through the style property API (allowed under a strict CSP). The rows
//! themselves are a pool of elements rewritten in place (see `row_slots`), and their clicks
//! are handled here, once for the whole body.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, MouseEvent};

use crate::inventory::sort::Column;
use crate::inventory::url_state::InventoryView;
use crate::inventory::viewport::window;
use crate::ui::inventory::row_slots::{RowSlots, ShownRow};
use crate::ui::inventory::store::InventoryStore;
use crate::ui::reprovision_dialog::ReprovisionTarget;

/// Must match `--row-height` in style/app.css.
pub const ROW_HEIGHT: u32 = 40;

#[component]
pub fn VirtualTable(
    shown: Memo<Vec<u32>>,
    view_state: RwSignal<InventoryView>,
    #[prop(into)] on_reprovision: Callback<ReprovisionTarget>,
) -> impl IntoView {
    let store = expect_context::<InventoryStore>();
    let scroller = NodeRef::<html::Div>::new();
    let scroll_top = RwSignal::new(0u32);
    let viewport_height = RwSignal::new(720u32);

    Effect::new(move |_| {
        if let Some(el) = scroller.get() {
            viewport_height.set(el.client_height().max(ROW_HEIGHT as i32) as u32);
        }
    });
    // A new filter shows the list from its top. Setting scrollTop forces a synchronous layout,
    // so it is done only when the list is scrolled at all (typing usually happens at the top).
    Effect::new(move |_| {
        shown.track();
        if scroll_top.get_untracked() != 0 {
            if let Some(el) = scroller.get_untracked() {
                el.set_scroll_top(0);
            }
            scroll_top.set(0);
        }
    });

    let win = Memo::new(move |_| {
        window(
            shown.with(Vec::len),
            ROW_HEIGHT,
            scroll_top.get(),
            viewport_height.get(),
        )
    });
    // The rows in view, written into the pool of row elements whenever the window, the list,
    // the rows or the selection change.
    let bottom = NodeRef::<html::Tr>::new();
    let slots: Rc<RefCell<Option<RowSlots>>> = Rc::default();
    Effect::new(move |_| {
        let Some(end) = bottom.get() else { return };
        let w = win.get();
        let mut slots = slots.borrow_mut();
        if slots.is_none() {
            *slots = RowSlots::new(end.into());
        }
        let Some(slots) = slots.as_mut() else { return };
        store.rows.with(|rows| {
            shown.with(|shown| {
                store.selection.with(|selection| {
                    let in_view: Vec<ShownRow<'_>> = shown[w.start..w.end]
                        .iter()
                        .enumerate()
                        .map(|(k, &i)| {
                            let row = &rows[i as usize];
                            ShownRow {
                                position: w.start + k,
                                row,
                                selected: selection.contains(&row.id),
                            }
                        })
                        .collect();
                    slots.show(&in_view);
                })
            })
        });
    });

    let on_check = move |id: String, ev: &MouseEvent| {
        if ev.shift_key() {
            store.rows.with(|rows| {
                shown.with(|shown| {
                    let ids: Vec<&str> = shown
                        .iter()
                        .map(|&i| rows[i as usize].id.as_str())
                        .collect();
                    store.selection.update(|s| s.extend_to(&id, &ids));
                })
            });
        } else {
            store.selection.update(|s| s.toggle(&id));
        }
    };
    // One handler for every row: the row's Cloud PC id says which one was meant.
    let on_row_click = move |ev: MouseEvent| {
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        let Some(id) = target
            .closest("tr[data-cloudpc-id]")
            .ok()
            .flatten()
            .and_then(|tr| tr.get_attribute("data-cloudpc-id"))
        else {
            return;
        };
        if target.matches("input[type=checkbox]").unwrap_or(false) {
            on_check(id, &ev);
        } else if let Ok(Some(_)) = target.closest("button[data-action=reprovision]") {
            let chosen = store.rows.with(|rows| {
                rows.iter()
                    .find(|r| r.id == id)
                    .map(ReprovisionTarget::from)
            });
            if let Some(chosen) = chosen {
                on_reprovision.run(chosen);
            }
        }
    };

    // A cell cut off with an ellipsis shows its whole text on hover. Decided when hovered, so
    // rewriting the rows on each keystroke sets no tooltips.
    let on_row_hover = move |ev: MouseEvent| {
        let Some(cell) = ev
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|t| t.closest("tr[data-cloudpc-id] td").ok().flatten())
        else {
            return;
        };
        if cell.scroll_width() > cell.client_width() {
            let _ = cell.set_attribute("title", &cell.text_content().unwrap_or_default());
        } else {
            let _ = cell.remove_attribute("title");
        }
    };

    view! {
        <div class="grid-scroll" node_ref=scroller tabindex="0"
            aria-label="Cloud PCs, scroll to see more"
            on:scroll=move |ev| scroll_top.set(event_target::<web_sys::Element>(&ev).scroll_top().max(0) as u32)>
            // Laid out as CSS grid rows (style/app.css says why), so the table roles are
            // spelled out: a table that is not displayed as one may lose them.
            <table class="grid" role="table" data-testid="inventory" aria-rowcount=move || shown.with(Vec::len) + 1>
                <thead role="rowgroup">
                    <tr role="row" aria-rowindex="1">
                        <th role="columnheader" scope="col" class="col-select"><span class="visually-hidden">"Selected"</span></th>
                        {Column::ALL.into_iter().map(|column| view! {
                            <th role="columnheader" scope="col" class=format!("col-{}", column.key())
                                aria-sort=move || view_state.with(|v| if v.sort.column != column { "none" } else if v.sort.descending { "descending" } else { "ascending" })>
                                <button class="sort" on:click=move |_| view_state.update(|v| v.sort = v.sort.clicked(column))>
                                    {column.label()}
                                    <span class="sort-mark" aria-hidden="true">{move || view_state.with(|v| if v.sort.column != column { "" } else if v.sort.descending { " ▼" } else { " ▲" })}</span>
                                </button>
                            </th>
                        }).collect_view()}
                        <th role="columnheader" scope="col" class="col-actions"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody role="rowgroup" on:click=on_row_click on:mouseover=on_row_hover>
                    <tr class="spacer" aria-hidden="true" style:height=move || format!("{}px", win.get().pad_top)></tr>
                    // The rows in view go here (row_slots), before the bottom spacer.
                    <tr class="spacer" aria-hidden="true" node_ref=bottom style:height=move || format!("{}px", win.get().pad_bottom)></tr>
                </tbody>
            </table>
            {move || (shown.with(Vec::is_empty) && !store.loading.get()).then(|| view! {
                <p class="empty" data-testid="no-match">"No Cloud PC matches. Clear the filter or choose other facets."</p>
            })}
        </div>
    }
}
