//! Reprovisioning many Cloud PCs: parameters and strategy, a preflight that asks Graph which
//! devices support it and sets aside those that cannot be reprovisioned (with the reason), and a
//! confirmation that lists exactly the devices to be wiped and needs their number typed.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::bulk::outcome::{Reason, RunLedger, Target};
use crate::bulk::preflight::{check_support, preflight, Preflight};
use crate::bulk::strategy::Strategy;
use crate::graph::models::{CloudPc, OsVersion, ReprovisionParams, UserAccountType};
use crate::ui::bulk::active_run::ActiveRun;
use crate::ui::focus_trap::{refocus_after_change, use_focus_trap};
use crate::ui::parameter_fields::ParameterFields;
use crate::ui::session::use_session;

/// Devices listed in the confirmation before "and N more".
const LISTED: usize = 200;

#[derive(Clone)]
enum Step {
    Choose,
    Checking,
    Review(Preflight),
}

#[component]
pub fn BulkReprovisionDialog(
    targets: Vec<CloudPc>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let run = expect_context::<ActiveRun>();
    let activity = crate::ui::activity_store::use_activity();
    let step = RwSignal::new(Step::Choose);
    let os_version = RwSignal::new(None::<OsVersion>);
    let account_type = RwSignal::new(None::<UserAccountType>);
    let params = move || ReprovisionParams {
        os_version: os_version.get(),
        user_account_type: account_type.get(),
    };
    let chosen = RwSignal::new(None::<Strategy>);
    let strategy = move || {
        chosen
            .get()
            .unwrap_or_else(|| Strategy::default_for(&params()))
    };
    let typed = RwSignal::new(String::new());
    let count = targets.len();
    let targets = StoredValue::new(targets);

    let check = move |_| {
        step.set(Step::Checking);
        let client = session.client();
        let strategy = strategy();
        spawn_local(async move {
            let ids: Vec<String> =
                targets.with_value(|t| t.iter().map(|pc| pc.id.clone()).collect());
            let support = check_support(&client, &ids).await;
            let verdict = targets.with_value(|t| preflight(t, strategy, &support));
            step.set(Step::Review(verdict));
        });
    };

    let start = move |verdict: Preflight| {
        let strategy = strategy();
        let params = if strategy.takes_parameters() {
            params()
        } else {
            ReprovisionParams::default()
        };
        let now = js_sys::Date::now() as u64;
        let name = format!(
            "Reprovision {} Cloud PCs ({})",
            verdict.to_wipe.len(),
            js_sys::Date::new_0().to_iso_string()
        );
        let ids: Vec<String> = verdict
            .to_wipe
            .iter()
            .map(|t| t.cloud_pc_id.clone())
            .collect();
        let ledger = RunLedger::new(
            crate::graph::transport::new_guid(),
            strategy,
            params,
            name,
            verdict.to_wipe,
            verdict.set_aside,
            now,
        );
        activity.record_run_start(&ledger, &ids);
        on_close.run(());
        run.launch(session, ledger, activity);
    };

    let body = move || {
        match step.get() {
        Step::Choose => view! {
            <p>{format!("{count} Cloud PCs selected. Choose how to reinstall them.")}</p>
            <ParameterFields os_version account_type os_name="bulk-os" account_name="bulk-account"/>
            <fieldset>
                <legend>"How to send it"</legend>
                {Strategy::ALL.into_iter().map(|s| {
                    let blocked = move || !s.takes_parameters() && !params().is_empty();
                    let id = format!("strategy-{}", s.label().to_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
                    view! {
                        <div class="choice">
                            <input type="radio" name="strategy" id=id.clone() prop:checked=move || strategy() == s disabled=blocked on:change=move |_| chosen.set(Some(s))/>
                            <label for=id>{s.label()}<span class="hint">{s.describe()}{move || blocked().then_some(" Not available with an OS version or account type chosen.")}</span></label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <div class="actions">
                <button on:click=move |_| on_close.run(())>"Cancel"</button>
                <button class="primary" on:click=check>"Check with Graph"</button>
            </div>
        }.into_any(),
        Step::Checking => view! {
            <p role="status">{format!("Asking Graph whether each of the {count} Cloud PCs can be reprovisioned now…")}</p>
        }.into_any(),
        Step::Review(verdict) => {
            let wipe = verdict.to_wipe.len();
            let confirm_ok = move || typed.with(|t| t.trim() == wipe.to_string());
            let listed: Vec<Target> = verdict.to_wipe.iter().take(LISTED).cloned().collect();
            let aside: Vec<(Target, Reason)> = verdict.set_aside.clone();
            let for_start = verdict.clone();
            view! {
                <div class="message warning">
                    <span class="title">{format!("This wipes {wipe} Cloud PCs")}</span>
                    <p>"Each is reinstalled; its user's files, apps and settings on it are deleted and cannot be recovered."</p>
                </div>
                <h3>{format!("Will be reprovisioned ({wipe})")}</h3>
                <ul class="device-list" data-testid="to-wipe" tabindex="0" aria-label="Cloud PCs that will be reprovisioned">
                    {listed.into_iter().map(|t| view! { <li>{t.name.clone()}<span class="muted">{t.user.clone().map(|u| format!(" — {u}"))}</span></li> }).collect_view()}
                    {(wipe > LISTED).then(|| view! { <li class="muted">{format!("… and {} more", wipe - LISTED)}</li> })}
                </ul>
                {(!aside.is_empty()).then(|| view! {
                    <h3>{format!("Set aside: not supported ({})", aside.len())}</h3>
                    <ul class="device-list" data-testid="set-aside" tabindex="0" aria-label="Cloud PCs set aside">
                        {aside.into_iter().map(|(t, r)| view! { <li>{t.name.clone()}": "<span class="muted">{r.message.clone()}</span></li> }).collect_view()}
                    </ul>
                })}
                <label for="confirm-count">"Type the number of Cloud PCs to wipe, " <strong>{wipe}</strong> ", to confirm"</label>
                <input id="confirm-count" type="text" inputmode="numeric" autocomplete="off" prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
                <div class="actions">
                    <button on:click=move |_| step.set(Step::Choose)>"Back"</button>
                    <button class="danger" disabled=move || !confirm_ok() || wipe == 0
                        on:click=move |_| start(for_start.clone())>{format!("Reprovision {wipe} Cloud PCs")}</button>
                </div>
            }.into_any()
        }
    }
    };

    // Escape closes, except while Graph is being asked (keyboard: crate::ui::focus_trap).
    let dialog = NodeRef::<leptos::html::Div>::new();
    use_focus_trap(
        dialog,
        Callback::new(move |_| {
            if !matches!(step.get_untracked(), Step::Checking) {
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
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="bulk-title" node_ref=dialog>
                <h2 id="bulk-title">{format!("Reprovision {count} Cloud PCs")}</h2>
                {body}
            </div>
        </div>
    }
}
