//! The inventory table, virtualised: only the rows in view (plus a small overscan) exist in the
//! DOM, so 50,000 Cloud PCs scroll like 50. Heights come from CSS custom properties; spacer
//! heights are set through the style property API (allowed under a strict CSP).

use leptos::html;
use leptos::prelude::*;
use web_sys::MouseEvent;

use crate::inventory::row::DeviceRow;
use crate::inventory::sort::Column;
use crate::inventory::url_state::InventoryView;
use crate::inventory::viewport::window;
use crate::route::Route;
use crate::ui::inventory::store::InventoryStore;
use crate::ui::reprovision_dialog::ReprovisionTarget;
use crate::ui::status_badge::StatusBadge;

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
    let visible = move || {
        let w = win.get();
        store.rows.with(|rows| {
            shown.with(|s| {
                s[w.start..w.end]
                    .iter()
                    .enumerate()
                    .map(|(k, &i)| (w.start + k, rows[i as usize].clone()))
                    .collect::<Vec<_>>()
            })
        })
    };

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
                    <For each=visible key=|(_, row)| (row.id.clone(), row.status.clone(), row.last_modified.clone()) let:item>
                        <Row position=item.0 row=item.1 on_check on_reprovision/>
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

#[component]
fn Row(
    position: usize,
    row: DeviceRow,
    on_check: impl Fn(String, MouseEvent) + Send + Sync + 'static,
    on_reprovision: Callback<ReprovisionTarget>,
) -> impl IntoView {
    let store = expect_context::<InventoryStore>();
    let target = ReprovisionTarget::from(&row);
    let id = row.id.clone();
    let checked_id = row.id.clone();
    let check_label = format!("Select {}", target.name);
    let action_label = format!("Reprovision {}…", target.name);
    let href = Route::Device { id: row.id.clone() }.href();
    let cell = |text: &str| {
        let (title, text) = (text.to_string(), text.to_string());
        view! { <td title=title>{text}</td> }
    };
    view! {
        <tr data-cloudpc-id=row.id.clone() aria-rowindex=position + 2
            class:selected=move || store.selection.with(|s| s.contains(&checked_id))>
            <td class="col-select">
                <input type="checkbox" aria-label=check_label
                    prop:checked={ let id = id.clone(); move || store.selection.with(|s| s.contains(&id)) }
                    on:click={ let id = id.clone(); move |ev: MouseEvent| on_check(id.clone(), ev) }/>
            </td>
            <td class="col-name" title=target.name.clone()><a href=href>{target.name.clone()}</a></td>
            {cell(&row.user_principal_name)}
            <td><StatusBadge status=row.status.clone()/></td>
            {cell(&row.os_version)}
            {cell(&row.user_account_type)}
            {cell(&row.product_type)}
            {cell(&row.provisioning_policy)}
            {cell(&row.service_plan)}
            {cell(&row.last_modified)}
            <td class="col-actions">
                <button aria-label=action_label on:click=move |_| on_reprovision.run(target.clone())>"Reprovision…"</button>
            </td>
        </tr>
    }
}
