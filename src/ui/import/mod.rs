//! Choosing targets by importing a list: the inventory header's "Import list…" button, the
//! dialog that parses and resolves the list and reports on every line, and the bulk reprovision
//! dialog for the matched Cloud PCs.

mod dialog;

use leptos::prelude::*;

use crate::graph::models::CloudPc;
use crate::ui::bulk::dialog::BulkReprovisionDialog;

/// The "Import list…" button with the dialogs it opens (mounted in the inventory page header).
#[component]
pub fn ImportButton() -> impl IntoView {
    let open = RwSignal::new(false);
    let bulk_targets = RwSignal::new(None::<Vec<CloudPc>>);
    view! {
        <button data-testid="import-list" on:click=move |_| open.set(true)>"Import list…"</button>
        {move || open.get().then(|| view! {
            <dialog::ImportDialog
                on_close=move |_| open.set(false)
                on_reprovision=move |targets| {
                    open.set(false);
                    bulk_targets.set(Some(targets));
                }/>
        })}
        {move || bulk_targets.get().map(|targets| view! {
            <BulkReprovisionDialog targets on_close=move |_| bulk_targets.set(None)/>
        })}
    }
}
