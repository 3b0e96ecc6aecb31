//! The inventory table, virtualised: only the rows in view (plus a small overscan) exist in the
//! DOM, so 50,000 Cloud PCs scroll like 50. Heights come from CSS custom properties; spacer
//! heights are set through the style property API (allowed under a strict CSP).
//!
//! The rows are a fixed set of slots (as many as the viewport can ever show): slot k shows
//! the k-th row of the window. Filtering, sorting and scrolling change the slots' text and
//! attributes in place; no row is created or dropped, which is what a keystroke cost when
//! rows were keyed by Cloud PC.

use leptos::html;
use leptos::prelude::*;
use web_sys::MouseEvent;

use crate::inventory::row::DeviceRow;
use crate::inventory::sort::Column;
use crate::inventory::url_state::InventoryView;
use crate::inventory::viewport::{slot_count, window, Window};
use crate::route::Route;
use crate::ui::inventory::store::InventoryStore;
use crate::ui::reprovision_dialog::ReprovisionTarget;
use crate::ui::status_badge::badge;

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
    let slots = Memo::new(move |_| slot_count(ROW_HEIGHT, viewport_height.get()));

    let on_check = move |id: String, ev: MouseEvent| {
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

    view! {
        <div class="grid-scroll" node_ref=scroller tabindex="0"
            aria-label="Cloud PCs, scroll to see more"
            on:scroll=move |ev| scroll_top.set(event_target::<web_sys::Element>(&ev).scroll_top().max(0) as u32)>
            <table class="grid" data-testid="inventory" aria-rowcount=move || shown.with(Vec::len) + 1>
                <thead>
                    <tr aria-rowindex="1">
                        <th scope="col" class="col-select"><span class="visually-hidden">"Selected"</span></th>
                        {Column::ALL.into_iter().map(|column| view! {
                            <th scope="col" class=format!("col-{}", column.key())
                                aria-sort=move || view_state.with(|v| if v.sort.column != column { "none" } else if v.sort.descending { "descending" } else { "ascending" })>
                                <button class="sort" on:click=move |_| view_state.update(|v| v.sort = v.sort.clicked(column))>
                                    {column.label()}
                                    <span class="sort-mark" aria-hidden="true">{move || view_state.with(|v| if v.sort.column != column { "" } else if v.sort.descending { " ▼" } else { " ▲" })}</span>
                                </button>
                            </th>
                        }).collect_view()}
                        <th scope="col" class="col-actions"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    <tr class="spacer" aria-hidden="true" style:height=move || format!("{}px", win.get().pad_top)></tr>
                    <For each=move || 0..slots.get() key=|k| *k let:k>
                        <Slot k win shown on_check on_reprovision/>
                    </For>
                    <tr class="spacer" aria-hidden="true" style:height=move || format!("{}px", win.get().pad_bottom)></tr>
                </tbody>
            </table>
            {move || (shown.with(Vec::is_empty) && !store.loading.get()).then(|| view! {
                <p class="empty" data-testid="no-match">"No Cloud PC matches. Clear the filter or choose other facets."</p>
            })}
        </div>
    }
}

/// Row slot `k` of the window: shows the row at `win.start + k`, or is hidden (and carries no
/// Cloud PC id) when the window has fewer rows.
#[component]
fn Slot(
    k: usize,
    win: Memo<Window>,
    shown: Memo<Vec<u32>>,
    on_check: impl Fn(String, MouseEvent) + Copy + Send + Sync + 'static,
    on_reprovision: Callback<ReprovisionTarget>,
) -> impl IntoView {
    let store = expect_context::<InventoryStore>();
    // Its position in the list and the row; compared on change, so a slot whose row stays the
    // same (typing often keeps the first rows) touches nothing.
    let current = Memo::new(move |_| {
        let w = win.get();
        let position = w.start + k;
        if position >= w.end {
            return None;
        }
        let index = shown.with(|s| s.get(position).copied())?;
        store
            .rows
            .with(|rows| rows.get(index as usize).cloned())
            .map(|row| (position, row))
    });
    let text = move |f: fn(&DeviceRow) -> &str| {
        move || current.with(|c| c.as_ref().map(|(_, r)| f(r).to_owned()).unwrap_or_default())
    };
    let id = move || current.with(|c| c.as_ref().map(|(_, r)| r.id.clone()));
    let selected = move || {
        current.with(|c| {
            c.as_ref()
                .is_some_and(|(_, r)| store.selection.with(|s| s.contains(&r.id)))
        })
    };
    // As ReprovisionTarget names it: the display name, or the id when Graph sent none.
    let name = text(|r| {
        if r.display_name.is_empty() {
            &r.id
        } else {
            &r.display_name
        }
    });
    let status = Memo::new(move |_| {
        current.with(|c| badge(c.as_ref().map(|(_, r)| r.status.as_str()).unwrap_or_default()))
    });
    let cell = move |f: fn(&DeviceRow) -> &str| view! { <td title=text(f)>{text(f)}</td> };
    view! {
        <tr hidden=move || current.with(Option::is_none) data-cloudpc-id=id
            aria-rowindex=move || current.with(|c| c.as_ref().map(|(p, _)| p + 2))
            class:selected=selected>
            <td class="col-select">
                <input type="checkbox" aria-label=move || format!("Select {}", name())
                    prop:checked=selected
                    on:click=move |ev: MouseEvent| {
                        if let Some(id) = current.with_untracked(|c| c.as_ref().map(|(_, r)| r.id.clone())) {
                            on_check(id, ev);
                        }
                    }/>
            </td>
            <td class="col-name" title=name>
                <a href=move || id().map(|id| Route::Device { id }.href()).unwrap_or_default()>{name}</a>
            </td>
            {cell(|r| &r.user_principal_name)}
            <td><span class=move || status.with(|b| b.1.clone())>{move || status.with(|b| b.0.clone())}</span></td>
            {cell(|r| &r.os_version)}
            {cell(|r| &r.user_account_type)}
            {cell(|r| &r.product_type)}
            {cell(|r| &r.provisioning_policy)}
            {cell(|r| &r.service_plan)}
            {cell(|r| &r.last_modified)}
            <td class="col-actions">
                <button aria-label=move || format!("Reprovision {}…", name())
                    on:click=move |_| {
                        if let Some(target) = current.with_untracked(|c| c.as_ref().map(|(_, r)| ReprovisionTarget::from(r))) {
                            on_reprovision.run(target);
                        }
                    }>"Reprovision…"</button>
            </td>
        </tr>
    }
}
