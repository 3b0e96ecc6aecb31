//! The two reprovision parameters as radio groups (keep current, or a value), with a short
//! explanation of each choice. Used by the single and the bulk reprovision dialogs.

use leptos::prelude::*;

use crate::graph::models::{OsVersion, UserAccountType};

/// `os_name` / `account_name` name the radio groups (and prefix their ids), so two dialogs
/// never share a group.
#[component]
pub fn ParameterFields(
    os_version: RwSignal<Option<OsVersion>>,
    account_type: RwSignal<Option<UserAccountType>>,
    os_name: &'static str,
    account_name: &'static str,
) -> impl IntoView {
    view! {
        <fieldset>
            <legend>"Operating system"</legend>
            <Choice name=os_name label="Keep current" hint="Reinstall the OS version the Cloud PC has now." checked=Signal::derive(move || os_version.get().is_none()) on_pick=move || os_version.set(None)/>
            <Choice name=os_name label="Windows 11" hint="windows11: the current Windows 365 release." checked=Signal::derive(move || os_version.get() == Some(OsVersion::Windows11)) on_pick=move || os_version.set(Some(OsVersion::Windows11))/>
            <Choice name=os_name label="Windows 10" hint="windows10: for apps that still need it." checked=Signal::derive(move || os_version.get() == Some(OsVersion::Windows10)) on_pick=move || os_version.set(Some(OsVersion::Windows10))/>
        </fieldset>
        <fieldset>
            <legend>"User account type"</legend>
            <Choice name=account_name label="Keep current" hint="The user keeps the account type they have now." checked=Signal::derive(move || account_type.get().is_none()) on_pick=move || account_type.set(None)/>
            <Choice name=account_name label="Standard user" hint="standardUser: cannot install software or change system settings." checked=Signal::derive(move || account_type.get() == Some(UserAccountType::StandardUser)) on_pick=move || account_type.set(Some(UserAccountType::StandardUser))/>
            <Choice name=account_name label="Administrator" hint="administrator: local administrator on the Cloud PC." checked=Signal::derive(move || account_type.get() == Some(UserAccountType::Administrator)) on_pick=move || account_type.set(Some(UserAccountType::Administrator))/>
        </fieldset>
    }
}

/// One radio choice with its explanation; the id is `{name}-{label in kebab case}`.
#[component]
pub fn Choice(
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    #[prop(into)] checked: Signal<bool>,
    on_pick: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let id = format!("{name}-{}", label.to_lowercase().replace(' ', "-"));
    view! {
        <div class="choice">
            <input type="radio" id=id.clone() name=name prop:checked=move || checked.get() on:change=move |_| on_pick()/>
            <label for=id>{label}<span class="hint">{hint}</span></label>
        </div>
    }
}
