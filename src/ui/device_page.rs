//! One Cloud PC: every property Graph returned, grouped; its remote action history (current
//! and seed endpoints); which actions Graph supports right now, and Reprovision behind that gate.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::device::properties::{grouped, PropertyValue};
use crate::device::reprovision_gate::{reprovision_gate, Gate};
use crate::graph::error::GraphError;
use crate::graph::models::{CloudPc, CloudPcRemoteActionCapability, CloudPcRemoteActionResult};
use crate::route::Route;
use crate::ui::error_message::ErrorMessage;
use crate::ui::local_time::LocalTime;
use crate::ui::reprovision_dialog::{ReprovisionDialog, ReprovisionTarget};
use crate::ui::session::use_session;
use crate::ui::status_badge::StatusBadge;

type Raw = serde_json::Map<String, serde_json::Value>;

#[derive(Clone)]
struct Loaded {
    pc: CloudPc,
    raw: Raw,
    history: Result<Vec<CloudPcRemoteActionResult>, GraphError>,
    /// `None` when the Cloud PC has no managed device id (Windows 365 Business).
    seed_history: Option<Result<Vec<CloudPcRemoteActionResult>, GraphError>>,
    supported: Result<Vec<CloudPcRemoteActionCapability>, String>,
}

#[component]
pub fn DevicePage(id: String) -> impl IntoView {
    let session = use_session();
    let state = RwSignal::new(None::<Result<Loaded, GraphError>>);
    let dialog = RwSignal::new(false);

    let load = {
        let id = id.clone();
        move || {
            state.set(None);
            let client = session.client();
            let id = id.clone();
            spawn_local(async move {
                let (pc, history, supported) = futures::join!(
                    client.get_cloud_pc_with_raw(&id),
                    client.retrieve_remote_action_results(&id),
                    client.supported_remote_actions(&id),
                );
                let loaded = match pc {
                    Err(e) => Err(e),
                    Ok((pc, raw)) => {
                        let seed_history =
                            match pc.managed_device_id.as_deref().filter(|m| !m.is_empty()) {
                                Some(md) => {
                                    Some(client.managed_device_remote_action_results(md).await)
                                }
                                None => None,
                            };
                        Ok(Loaded {
                            pc,
                            raw,
                            history,
                            seed_history,
                            supported: supported.map_err(|e| e.to_string()),
                        })
                    }
                };
                state.set(Some(loaded));
            });
        }
    };
    load();
    let reload = load.clone();

    view! {
        <main class="device-page">
            <nav class="breadcrumb"><a href=Route::Inventory { query: String::new() }.href()>"Cloud PCs"</a> " › "</nav>
            {move || match state.get() {
                None => view! { <p role="status" class="muted">"Loading the Cloud PC…"</p> }.into_any(),
                Some(Err(error)) => view! {
                    <h1>{id.clone()}</h1>
                    <ErrorMessage title="This Cloud PC could not be loaded" error/>
                }.into_any(),
                Some(Ok(loaded)) => {
                    let gate = match session.config.with_value(|c| c.access.reprovision_blocked()) {
                        Some(read_only) => Gate::Blocked(read_only.to_string()),
                        None => reprovision_gate(&loaded.pc, &loaded.supported),
                    };
                    let target = ReprovisionTarget::from(&loaded.pc);
                    let status = loaded.pc.status.as_ref().map(|s| s.as_str().to_string()).unwrap_or_default();
                    view! {
                        <div class="page-header">
                            <h1 data-testid="device-name">{loaded.pc.name().to_string()}</h1>
                            <StatusBadge status/>
                            <button on:click={ let reload = reload.clone(); move |_| reload() }>"Refresh"</button>
                        </div>
                        <section class="card" aria-labelledby="actions-title">
                            <h2 id="actions-title">"Actions"</h2>
                            <SupportedActions supported=loaded.supported.clone()/>
                            {match gate {
                                Gate::Allowed => view! {
                                    <button class="danger" data-testid="device-reprovision" on:click=move |_| dialog.set(true)>"Reprovision…"</button>
                                }.into_any(),
                                Gate::Blocked(why) => view! {
                                    <button class="danger" data-testid="device-reprovision" disabled=true aria-describedby="reprovision-blocked">"Reprovision…"</button>
                                    <p id="reprovision-blocked" class="muted" data-testid="reprovision-blocked">{why}</p>
                                }.into_any(),
                            }}
                        </section>
                        <div class="property-groups">
                            {grouped(&loaded.raw).into_iter().map(|(group, properties)| view! {
                                <section class="card property-group">
                                    <h2>{group.label()}</h2>
                                    <dl class="summary">
                                        {properties.into_iter().map(|p| view! {
                                            <dt title=p.name.clone()>{p.label}</dt>
                                            <dd data-property=p.name>{property_value(p.value)}</dd>
                                        }).collect_view()}
                                    </dl>
                                </section>
                            }).collect_view()}
                        </div>
                        <ActionHistory title="Remote action history" source="retrieveCloudPcRemoteActionResults" testid="history-current" result=loaded.history.clone()/>
                        {match loaded.seed_history.clone() {
                            Some(result) => view! {
                                <ActionHistory title="Remote action results (Intune managed device)" source="managedDevices/{id}/getCloudPcRemoteActionResults" testid="history-seed" result/>
                            }.into_any(),
                            None => view! {
                                <section class="card"><h2>"Remote action results (Intune managed device)"</h2>
                                <p class="muted">"This Cloud PC has no Intune managed device id (Windows 365 Business), so the managed-device endpoint does not apply."</p></section>
                            }.into_any(),
                        }}
                        {move || dialog.get().then(|| view! {
                            <ReprovisionDialog target=target.clone() on_close=move |_| dialog.set(false)/>
                        })}
                    }.into_any()
                }
            }}
        </main>
    }
}

fn property_value(value: PropertyValue) -> AnyView {
    match value {
        PropertyValue::Empty => view! { <span class="muted">"—"</span> }.into_any(),
        PropertyValue::Text(text) => view! { <span>{text}</span> }.into_any(),
        PropertyValue::Time(utc) => view! { <LocalTime utc/> }.into_any(),
        PropertyValue::Lines(lines) => view! {
            <ul class="nested">
                {lines.into_iter().map(|(path, value)| view! { <li><span class="muted">{path}": "</span>{value}</li> }).collect_view()}
            </ul>
        }.into_any(),
    }
}

#[component]
fn SupportedActions(
    supported: Result<Vec<CloudPcRemoteActionCapability>, String>,
) -> impl IntoView {
    match supported {
        Err(why) => view! { <p class="muted">{format!("Supported actions could not be read: {why}")}</p> }.into_any(),
        Ok(actions) if actions.is_empty() => view! { <p class="muted">"Graph lists no supported remote actions for this Cloud PC."</p> }.into_any(),
        Ok(actions) => view! {
            <ul class="capabilities" data-testid="supported-actions">
                {actions.into_iter().map(|a| {
                    let state = a.action_capability.as_ref().map(|c| c.as_str().to_string()).unwrap_or_else(|| "unknown".into());
                    view! { <li><span>{a.action_name.clone()}</span>": "<span class=format!("capability {state}")>{state.clone()}</span></li> }
                }).collect_view()}
            </ul>
        }.into_any(),
    }
}

#[component]
fn ActionHistory(
    title: &'static str,
    source: &'static str,
    testid: &'static str,
    result: Result<Vec<CloudPcRemoteActionResult>, GraphError>,
) -> impl IntoView {
    view! {
        <section class="card" data-testid=testid>
            <h2>{title}</h2>
            <p class="muted small">"From Graph's "<code>{source}</code></p>
            {match result {
                Err(error) => view! { <ErrorMessage title="The action history could not be loaded" error/> }.into_any(),
                Ok(entries) if entries.is_empty() => view! { <p class="muted">"No remote actions recorded."</p> }.into_any(),
                Ok(entries) => view! {
                    <table class="grid history">
                        <thead><tr>
                            <th scope="col">"Action"</th><th scope="col">"State"</th><th scope="col">"Started"</th>
                            <th scope="col">"Last update"</th><th scope="col">"Status detail"</th>
                        </tr></thead>
                        <tbody>
                            {entries.into_iter().map(|e| {
                                let detail = e.status_detail.clone().or(e.status_details.clone());
                                view! {
                                    <tr>
                                        <td>{e.action_name.clone().unwrap_or_default()}</td>
                                        <td>{e.action_state.as_ref().map(|s| s.as_str().to_string()).unwrap_or_default()}</td>
                                        <td>{e.start_date_time.clone().map(|t| view! { <LocalTime utc=t/> })}</td>
                                        <td>{e.last_updated_date_time.clone().map(|t| view! { <LocalTime utc=t/> })}</td>
                                        <td class="wrap">{detail.map(|d| view! {
                                            <div>
                                                {d.code.clone().map(|c| view! { <code>{c}</code>" " })}
                                                {d.message.clone()}
                                                <ul class="nested">
                                                    {d.additional_information.iter().map(|kv| view! {
                                                        <li><span class="muted">{kv.name.clone()}": "</span>{kv.value.clone().unwrap_or_default()}</li>
                                                    }).collect_view()}
                                                </ul>
                                            </div>
                                        })}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}
