//! Reprovisioning one Cloud PC: choose the parameters, confirm deliberately (the PC and its
//! user's data are wiped), then see Graph's answer.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::graph::error::GraphError;
use crate::graph::models::{CloudPc, OsVersion, ReprovisionParams, UserAccountType};
use crate::inventory::row::DeviceRow;
use crate::ui::error_message::ErrorMessage;
use crate::ui::focus_trap::{refocus_after_change, use_focus_trap};
use crate::ui::parameter_fields::ParameterFields;
use crate::ui::session::use_session;

/// The Cloud PC a single reprovision is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReprovisionTarget {
    pub id: String,
    pub name: String,
    pub user: Option<String>,
}

impl From<&DeviceRow> for ReprovisionTarget {
    fn from(row: &DeviceRow) -> Self {
        Self {
            id: row.id.clone(),
            name: non_empty(&row.display_name).unwrap_or_else(|| row.id.clone()),
            user: non_empty(&row.user_principal_name),
        }
    }
}

impl From<&CloudPc> for ReprovisionTarget {
    fn from(pc: &CloudPc) -> Self {
        Self {
            id: pc.id.clone(),
            name: pc.name().to_string(),
            user: pc.user_principal_name.clone().filter(|u| !u.is_empty()),
        }
    }
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

#[derive(Clone)]
enum Step {
    Choose,
    Confirm,
    Sending,
    Done(Result<(), GraphError>),
}

#[component]
pub fn ReprovisionDialog(
    target: ReprovisionTarget,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let step = RwSignal::new(Step::Choose);
    let os_version = RwSignal::new(None::<OsVersion>);
    let account_type = RwSignal::new(None::<UserAccountType>);
    let typed = RwSignal::new(String::new());

    let name = target.name.clone();
    let user = target
        .user
        .clone()
        .unwrap_or_else(|| "its user".to_string());
    let params = move || ReprovisionParams {
        os_version: os_version.get(),
        user_account_type: account_type.get(),
    };
    let confirm_matches = {
        let name = name.clone();
        move || typed.with(|t| t.trim() == name)
    };
    let activity = crate::ui::activity_store::use_activity();
    let send = {
        let id = target.id.clone();
        let name = name.clone();
        move || {
            step.set(Step::Sending);
            let client = session.client();
            let id = id.clone();
            let name = name.clone();
            let params = params();
            spawn_local(async move {
                let result = client.reprovision(&id, &params).await;
                activity.record_single(&id, &name, &params, &result);
                step.set(Step::Done(result));
            });
        }
    };

    let read_only = session
        .config
        .with_value(|c| c.access.reprovision_blocked());
    let body = {
        let name = name.clone();
        let user = user.clone();
        move || {
            if let Some(why) = read_only {
                return view! {
                    <div class="message info" data-testid="read-only-reason"><p>{why}</p></div>
                    <div class="actions"><button class="primary" on:click=move |_| on_close.run(())>"Close"</button></div>
                }
                .into_any();
            }
            match step.get() {
                Step::Choose => view! {
                    <p>"Reprovisioning reinstalls " <strong>{name.clone()}</strong> " from its provisioning policy."</p>
                    <ParameterFields os_version account_type os_name="osVersion" account_name="userAccountType"/>
                    <div class="actions">
                        <button on:click=move |_| on_close.run(())>"Cancel"</button>
                        <button class="primary" on:click=move |_| step.set(Step::Confirm)>"Continue"</button>
                    </div>
                }
                .into_any(),
                Step::Confirm => {
                    let send = send.clone();
                    let confirm_matches = confirm_matches.clone();
                    let describe = move |v: Option<String>| v.unwrap_or_else(|| "keep current".into());
                    view! {
                        <div class="message warning">
                            <span class="title">"This wipes the Cloud PC"</span>
                            <p>{format!("{name} will be reinstalled. Everything on it, including {user}'s files, apps and settings, is deleted and cannot be recovered.")}</p>
                        </div>
                        <dl class="summary">
                            <dt>"Cloud PC"</dt><dd>{name.clone()}</dd>
                            <dt>"User"</dt><dd>{user.clone()}</dd>
                            <dt>"Operating system"</dt><dd>{describe(os_version.get().map(|v| v.to_string()))}</dd>
                            <dt>"User account type"</dt><dd>{describe(account_type.get().map(|v| v.to_string()))}</dd>
                        </dl>
                        <label for="confirm-name">"Type the Cloud PC's name, " <strong>{name.clone()}</strong> ", to confirm"</label>
                        <input id="confirm-name" type="text" autocomplete="off" spellcheck="false"
                            prop:value=move || typed.get()
                            on:input=move |ev| typed.set(event_target_value(&ev))/>
                        <div class="actions">
                            <button on:click=move |_| step.set(Step::Choose)>"Back"</button>
                            <button class="danger" disabled=move || !confirm_matches() on:click=move |_| send()>"Reprovision"</button>
                        </div>
                    }
                    .into_any()
                }
                Step::Sending => view! {
                    <p role="status">{format!("Asking Graph to reprovision {name}…")}</p>
                }
                .into_any(),
                Step::Done(Ok(())) => view! {
                    <div class="message success" role="status" data-testid="reprovision-outcome">
                        <span class="title">"Reprovision started"</span>
                        <p>{format!("Graph accepted the request for {name}. The Cloud PC is being reinstalled; {user} cannot use it until provisioning completes.")}</p>
                    </div>
                    <div class="actions"><button class="primary" on:click=move |_| on_close.run(())>"Close"</button></div>
                }
                .into_any(),
                Step::Done(Err(error)) => view! {
                    <ErrorMessage title=format!("{name} was not reprovisioned") error/>
                    <div class="actions"><button class="primary" on:click=move |_| on_close.run(())>"Close"</button></div>
                }
                .into_any(),
            }
        }
    };

    // Escape closes, except while the request is on its way (its answer must be shown).
    let dialog = NodeRef::<leptos::html::Div>::new();
    use_focus_trap(
        dialog,
        Callback::new(move |_| {
            if !matches!(step.get_untracked(), Step::Sending) {
                on_close.run(())
            }
        }),
    );

    Effect::new(move |_| {
        step.track();
        refocus_after_change(dialog);
    });

    view! {
        <div class="dialog-backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="reprovision-title" node_ref=dialog>
                <h2 id="reprovision-title">{format!("Reprovision {name}")}</h2>
                {body}
            </div>
        </div>
    }
}
