//! The inventory: every Cloud PC of the tenant (all pages), with progress while it loads.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::graph::error::GraphError;
use crate::graph::models::CloudPc;
use crate::inventory::inventory_query;
use crate::ui::error_message::ErrorMessage;
use crate::ui::reprovision_dialog::ReprovisionDialog;
use crate::ui::session::use_session;
use crate::ui::status_badge::StatusBadge;

#[component]
pub fn InventoryPage() -> impl IntoView {
    let session = use_session();
    let devices = RwSignal::new(Vec::<CloudPc>::new());
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<GraphError>);
    let target = RwSignal::new(None::<CloudPc>);

    let load = move || {
        if loading.get_untracked() {
            return;
        }
        loading.set(true);
        error.set(None);
        devices.set(Vec::new());
        let client = session.client();
        spawn_local(async move {
            let result = client
                .list_cloud_pcs(&inventory_query(), |page| {
                    devices.update(|all| all.extend_from_slice(page))
                })
                .await;
            match result {
                Ok(all) => devices.set(all),
                Err(e) => error.set(Some(e)),
            }
            loading.set(false);
        });
    };
    load();

    let count = move || devices.with(|d| d.len());
    view! {
        <main>
            <div class="page-header">
                <h1>"Cloud PCs"</h1>
                <span class="progress-text" role="status" data-testid="inventory-progress">
                    {move || if loading.get() {
                        format!("Loading… {} Cloud PCs so far", count())
                    } else {
                        format!("{} Cloud PCs", count())
                    }}
                </span>
                <button on:click=move |_| load() disabled=move || loading.get()>"Refresh"</button>
            </div>
            {move || error.get().map(|e| view! { <ErrorMessage title="The Cloud PCs could not be loaded" error=e/> })}
            <table class="grid" data-testid="inventory">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"User"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"OS version"</th>
                        <th scope="col">"Provisioning policy"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || devices.get() key=|pc| pc.id.clone() let:pc>
                        <InventoryRow pc=pc on_reprovision=move |pc| target.set(Some(pc))/>
                    </For>
                </tbody>
            </table>
            {move || target.get().map(|pc| view! {
                <ReprovisionDialog pc on_close=move |_| target.set(None)/>
            })}
        </main>
    }
}

#[component]
fn InventoryRow(pc: CloudPc, #[prop(into)] on_reprovision: Callback<CloudPc>) -> impl IntoView {
    let name = pc.display_name.clone().unwrap_or_else(|| pc.id.clone());
    let label = format!("Reprovision {name}…");
    let for_click = pc.clone();
    view! {
        <tr data-cloudpc-id=pc.id.clone()>
            <td title=name.clone()>{name.clone()}</td>
            <td>{pc.user_principal_name.clone().unwrap_or_default()}</td>
            <td><StatusBadge status=pc.status.clone()/></td>
            <td>{pc.os_version.as_ref().map(|v| v.to_string()).unwrap_or_default()}</td>
            <td>{pc.provisioning_policy_name.clone().unwrap_or_default()}</td>
            <td class="actions">
                <button aria-label=label on:click=move |_| on_reprovision.run(for_click.clone())>"Reprovision…"</button>
            </td>
        </tr>
    }
}
