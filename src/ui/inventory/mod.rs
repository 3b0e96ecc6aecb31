//! The inventory page: every Cloud PC of the tenant, found and selected fast.

mod facets;
mod row_slots;
pub mod store;
mod table;

use leptos::prelude::*;

use crate::browser::location;
use crate::graph::models::CloudPc;
use crate::inventory::filter::InventoryFilter;
use crate::inventory::filter_cache::FilterCache;
use crate::inventory::sort::SortOrder;
use crate::inventory::url_state::InventoryView;
use crate::route::Route;
use crate::ui::bulk::dialog::BulkReprovisionDialog;
use crate::ui::bulk::run_view::RunView;
use crate::ui::error_message::ErrorMessage;
use crate::ui::reprovision_dialog::{ReprovisionDialog, ReprovisionTarget};
use crate::ui::session::use_session;
use crate::ui::shortcuts::{use_inventory_shortcuts, ShortcutHelp};
use store::InventoryStore;

/// How long typing must pause before the URL is rewritten.
const URL_DELAY: std::time::Duration = std::time::Duration::from_millis(250);

#[component]
pub fn InventoryPage(query: String) -> impl IntoView {
    let session = use_session();
    let store = expect_context::<InventoryStore>();
    let view_state = RwSignal::new(InventoryView::from_query(&query));
    let target = RwSignal::new(None::<ReprovisionTarget>);
    let bulk_targets = RwSignal::new(None::<Vec<CloudPc>>);
    let open_bulk = move |_| {
        let chosen: Vec<CloudPc> = store.rows.with(|rows| {
            store.selection.with(|s| {
                rows.iter()
                    .filter(|r| s.contains(&r.id))
                    .map(|r| r.to_cloud_pc())
                    .collect()
            })
        });
        bulk_targets.set(Some(chosen));
    };

    // Bookmarkable: the filter and sort live in the URL (without adding history entries).
    // Typing is written once it pauses, since rewriting the URL costs over a millisecond, too
    // much for every keystroke; a change still waiting is written when the filter box loses
    // focus (before a click on a link navigates) and when the page is left. Facets and sort
    // are written at once, so the address is never behind a click (a link to the plain list
    // must still be a change of address).
    let url_pending = StoredValue::new(None::<TimeoutHandle>);
    let cancel_pending = move || {
        if let Some(handle) = url_pending.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    };
    let write_now = move || {
        cancel_pending();
        let query = view_state.with_untracked(InventoryView::to_query);
        location::replace(&Route::Inventory { query });
    };
    let write_url = move || {
        if url_pending.try_with_value(Option::is_some).unwrap_or(false) {
            write_now();
        }
    };
    Effect::new(move |previous: Option<InventoryView>| {
        let now = view_state.get();
        let only_text = previous.as_ref().is_some_and(|p| {
            p.sort == now.sort
                && p.filter.facets == now.filter.facets
                && p.filter.text != now.filter.text
        });
        if only_text {
            cancel_pending();
            url_pending.set_value(set_timeout_with_handle(write_now, URL_DELAY).ok());
        } else {
            write_now();
        }
        now
    });
    let on_leave = window_event_listener(leptos::ev::pagehide, move |_| write_url());
    on_cleanup(move || {
        on_leave.remove();
        // Another page is showing by now: the URL is its own.
        cancel_pending();
    });

    // Separate memos so typing never re-sorts and sorting never re-counts facets.
    let sort = Memo::new(move |_| view_state.with(|v| v.sort));
    let filter = Memo::new(move |_| view_state.with(|v| v.filter.clone()));
    // Each new order gets a generation, so filtering knows whether it may narrow its last result.
    let generation = StoredValue::new(0u64);
    // While loading, rows are only appended: the new ones are sorted and merged into the
    // previous order instead of sorting every row again on each batch.
    let ordered_for = StoredValue::new(None::<(u64, SortOrder, usize)>);
    let order = Memo::new(move |previous: Option<&(u64, Vec<u32>)>| {
        let sort: SortOrder = sort.get();
        let epoch = store.epoch.get_value();
        generation.update_value(|g| *g += 1);
        let order = store.rows.with(|rows| {
            let appended_to = ordered_for.get_value().and_then(|(e, s, len)| {
                (e == epoch && s == sort && len <= rows.len()).then_some(len)
            });
            ordered_for.set_value(Some((epoch, sort, rows.len())));
            match (previous, appended_to) {
                (Some((_, previous)), Some(len)) => sort.merge_appended(rows, previous, len),
                _ => sort.order(rows),
            }
        });
        (generation.get_value(), order)
    });
    // Recent results over the current order: typing forward scans only the smallest earlier
    // result it narrows, deleting back to an earlier text is a lookup (see FilterCache).
    let cache = StoredValue::new(FilterCache::new(16));
    let shown = Memo::new(move |_| {
        filter.with(|f: &InventoryFilter| {
            store.rows.with(|rows| {
                order.with(|(generation, order)| {
                    store.with_text_index(rows, |index| {
                        cache
                            .try_update_value(|c| c.apply(f, rows, index, order, *generation))
                            .unwrap_or_else(|| f.apply(rows, index, order))
                    })
                })
            })
        })
    });

    let total = move || store.rows.with(Vec::len);
    let matching = move || shown.with(Vec::len);
    let selected = move || store.selection.with(|s| s.len());

    let select_all_matching = move || {
        store.rows.with(|rows| {
            shown.with(|shown| {
                store
                    .selection
                    .update(|s| s.select_all(shown.iter().map(|&i| rows[i as usize].id.as_str())))
            })
        })
    };
    // A read-only console (config.json "access": "readOnly") cannot reprovision: say why.
    let read_only = session
        .config
        .with_value(|c| c.access.reprovision_blocked());
    let search = NodeRef::<leptos::html::Input>::new();
    use_inventory_shortcuts(search, Callback::new(move |_| select_all_matching()));

    view! {
        <main class="inventory">
            <div class="page-header">
                <h1>"Cloud PCs"</h1>
                <span class="progress-text" role="status" aria-live="polite" data-testid="inventory-progress">
                    {move || if store.loading.get() {
                        format!("Loading… {} Cloud PCs so far", store.received.get())
                    } else {
                        format!("{} Cloud PCs", total())
                    }}
                </span>
                <span class="progress-text" data-testid="loaded-at">
                    {move || store.loaded_at.get().map(|t| format!("Last loaded at {t}"))}
                </span>
                <button on:click=move |_| store.load(session) disabled=move || store.loading.get()>"Refresh"</button>
                <crate::ui::import::ImportButton/>
            </div>
            {move || store.error.get().map(|e| view! {
                <ErrorMessage title="The Cloud PCs could not all be loaded" error=e/>
            })}
            <RunView/>
            <div class="inventory-layout">
                <facets::FacetPanel view_state/>
                <section class="inventory-main" aria-label="Cloud PC list">
                    <div class="toolbar">
                        <label class="visually-hidden" for="inventory-search">"Filter Cloud PCs"</label>
                        <input id="inventory-search" node_ref=search aria-keyshortcuts="/" type="search" class="search" autocomplete="off" spellcheck="false"
                            placeholder="Filter by name, user, managed device id or Cloud PC id"
                            prop:value=move || view_state.with(|v| v.filter.text.clone())
                            on:input=move |ev| {
                                let text = event_target_value(&ev);
                                view_state.update(|v| v.filter.text = text);
                            }
                            on:blur=move |_| write_url()/>
                        <span class="progress-text" data-testid="match-count">
                            {move || format!("{} of {} match", matching(), total())}
                        </span>
                        <span class="spacer"></span>
                        <span data-testid="selected-count" class="selected-count" role="status">{move || format!("{} selected", selected())}</span>
                        <button on:click=move |_| select_all_matching() aria-keyshortcuts="Shift+A" disabled=move || matching() == 0>
                            {move || format!("Select all {} matching", matching())}
                        </button>
                        <button on:click=move |_| store.selection.update(|s| s.clear()) disabled=move || selected() == 0>
                            "Clear selection"
                        </button>
                        <button class="danger" data-testid="bulk-reprovision" on:click=open_bulk disabled=move || selected() == 0 || read_only.is_some()
                            aria-describedby=read_only.map(|_| "read-only-reason")>
                            {move || format!("Reprovision {} selected…", selected())}
                        </button>
                    </div>
                    {read_only.map(|why| view! { <p class="muted" id="read-only-reason" data-testid="read-only-reason">{why}</p> })}
                    <ShortcutHelp/>
                    <table::VirtualTable shown view_state on_reprovision=move |t| target.set(Some(t))/>
                </section>
            </div>
            {move || bulk_targets.get().map(|targets| view! {
                <BulkReprovisionDialog targets on_close=move |_| bulk_targets.set(None)/>
            })}
            {move || target.get().map(|t| view! {
                <ReprovisionDialog target=t on_close=move |_| target.set(None)/>
            })}
        </main>
    }
}
