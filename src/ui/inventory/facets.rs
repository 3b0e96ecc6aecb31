//! Facets: narrow the inventory by status, product type, OS version and policy, with counts.

use leptos::prelude::*;

use crate::inventory::filter::Facet;
use crate::inventory::url_state::InventoryView;
use crate::ui::inventory::store::InventoryStore;

#[component]
pub fn FacetPanel(view_state: RwSignal<InventoryView>) -> impl IntoView {
    let store = expect_context::<InventoryStore>();
    let filter = Memo::new(move |_| view_state.with(|v| v.filter.clone()));
    let counts = Memo::new(move |_| filter.with(|f| store.rows.with(|rows| f.facet_counts(rows))));
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
