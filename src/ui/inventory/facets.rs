//! Facets: narrow the inventory by status, product type, OS version and policy, with counts.

use std::time::Duration;

use leptos::prelude::*;

use crate::inventory::filter::Facet;
use crate::inventory::url_state::InventoryView;
use crate::ui::inventory::store::InventoryStore;

#[component]
pub fn FacetPanel(view_state: RwSignal<InventoryView>) -> impl IntoView {
    let store = expect_context::<InventoryStore>();
    let filter = Memo::new(move |_| view_state.with(|v| v.filter.clone()));
    // Counting every row's facets costs more than a keystroke may: the counts follow the filter
    // once typing pauses, while the list itself follows every keystroke.
    let settled = RwSignal::new(filter.get_untracked());
    Effect::new(move |pending: Option<Option<TimeoutHandle>>| {
        let now = filter.get();
        if let Some(Some(handle)) = pending {
            handle.clear();
        }
        set_timeout_with_handle(move || settled.set(now), Duration::from_millis(150)).ok()
    });
    let counts = Memo::new(move |_| {
        settled.with(|f| {
            store
                .rows
                .with(|rows| store.with_text_index(rows, |index| f.facet_counts(rows, index)))
        })
    });
    view! {
        <aside class="facets" aria-label="Narrow by">
            {Facet::ALL.into_iter().map(|facet| view! {
                <fieldset class="facet" data-facet=facet.key()>
                    <legend>{facet.label()}</legend>
                    {move || counts.with(|c| c.get(&facet).cloned().unwrap_or_default())
                        .into_iter()
                        .map(|(value, count)| {
                            let label = if value.is_empty() { "(none)".to_string() } else { value.clone() };
                            let for_click = value.clone();
                            let for_checked = value.clone();
                            view! {
                                <label class="facet-value">
                                    <input type="checkbox" data-value=value.clone()
                                        prop:checked=move || filter.with(|f| f.is_chosen(facet, &for_checked))
                                        on:change=move |_| view_state.update(|v| v.filter.toggle(facet, &for_click))/>
                                    <span class="facet-label" title=label.clone()>{label.clone()}</span>
                                    <span class="facet-count">{count}</span>
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
            }).collect_view()}
        </aside>
    }
}
