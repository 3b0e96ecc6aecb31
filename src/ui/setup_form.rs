//! On the setup page: a form that writes a correct `config.json` (cloud, tenant, client id,
//! redirect URI prefilled from this page's address, access), checked as the administrator types
//! by the rules the console applies at start-up (`crate::config_draft`), ready to copy or
//! download.

use leptos::prelude::*;

use crate::config_draft::ConfigDraft;

#[component]
pub fn SetupForm() -> impl IntoView {
    let page = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    let draft = RwSignal::new(ConfigDraft::for_page(&page));
    let json = Memo::new(move |_| draft.with(ConfigDraft::to_json));
    let problems = Memo::new(move |_| draft.with(ConfigDraft::problems));
    let copied = RwSignal::new(None::<&'static str>);

    // A field's problem text, if any (the first one the console reports for it).
    let problem_of = move |field: &'static str| {
        move || {
            problems.with(|ps| {
                ps.iter()
                    .find(|p| p.field == field)
                    .map(|p| format!("{} {}", p.problem, p.fix))
            })
        }
    };
    let text_field = move |id: &'static str,
                           field: &'static str,
                           label: &'static str,
                           hint: &'static str,
                           get: fn(&ConfigDraft) -> String,
                           set: fn(&mut ConfigDraft, String)| {
        let error_id = format!("{id}-problem");
        let hint_id = format!("{id}-hint");
        let problem = problem_of(field);
        let invalid = move || problem_of(field)().is_some();
        view! {
            <div class="form-field">
                <label for=id>{label}</label>
                <span class="hint" id=hint_id.clone()>{hint}</span>
                <input type="text" id=id autocomplete="off" spellcheck="false"
                    aria-describedby=format!("{hint_id} {error_id}")
                    aria-invalid=move || if invalid() { "true" } else { "false" }
                    prop:value=move || draft.with(get)
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| set(d, v)) }/>
                <span class="field-problem" id=error_id>{problem}</span>
            </div>
        }
    };

    let copy = move |_| {
        let text = json.get_untracked();
        let Some(window) = web_sys::window() else {
            return;
        };
        let promise = window.navigator().clipboard().write_text(&text);
        leptos::task::spawn_local(async move {
            copied.set(Some(
                match wasm_bindgen_futures::JsFuture::from(promise).await {
                    Ok(_) => "Copied to the clipboard.",
                    Err(_) => {
                        "The browser did not allow copying: select the text above and copy it."
                    }
                },
            ));
        });
    };
    let download = move |_| {
        crate::ui::download::offer_file(json.get_untracked(), "config.json", "application/json")
    };

    view! {
        <section class="card setup-form" aria-labelledby="setup-form-title">
            <h2 id="setup-form-title">"Write a config.json"</h2>
            <p>"Fill in the app registration's details (see the hosting guide). The file below is checked as you type by the same rules the console uses when it starts; upload it next to index.html, replacing the current one, and reload."</p>
            <div class="form-field">
                <label for="setup-cloud">"Cloud"</label>
                <select id="setup-cloud" prop:value=move || draft.with(|d| d.cloud.clone())
                    on:change=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.cloud = v) }>
                    <option value="global">"Global (commercial and GCC)"</option>
                    <option value="usgov">"US Government (GCC High)"</option>
                    <option value="usgovdod">"US Government (DoD)"</option>
                </select>
            </div>
            {text_field("setup-tenant", "tenantId", "Directory (tenant) id", "A GUID from the Entra ID overview page, or a verified domain such as contoso.onmicrosoft.com.", |d| d.tenant_id.clone(), |d, v| d.tenant_id = v)}
            {text_field("setup-client", "clientId", "Application (client) id", "The console's app registration, a GUID.", |d| d.client_id.clone(), |d, v| d.client_id = v)}
            {text_field("setup-redirect", "redirectUri", "Redirect URI", "redirect.html beside this page; register the same address in Entra ID (platform: Single-page application).", |d| d.redirect_uri.clone(), |d, v| d.redirect_uri = v)}
            <fieldset>
                <legend>"Access"</legend>
                <div class="choice">
                    <input type="radio" id="setup-access-readwrite" name="setup-access"
                        prop:checked=move || draft.with(|d| d.access != "readOnly")
                        on:change=move |_| draft.update(|d| d.access = "readWrite".into())/>
                    <label for="setup-access-readwrite">"Read and reprovision"<span class="hint">"Asks for CloudPC.ReadWrite.All."</span></label>
                </div>
                <div class="choice">
                    <input type="radio" id="setup-access-readonly" name="setup-access"
                        prop:checked=move || draft.with(|d| d.access == "readOnly")
                        on:change=move |_| draft.update(|d| d.access = "readOnly".into())/>
                    <label for="setup-access-readonly">"Read only"<span class="hint">"Asks for CloudPC.Read.All; reprovision is disabled."</span></label>
                </div>
            </fieldset>
            <p role="status" data-testid="setup-verdict" class:ready=move || problems.with(Vec::is_empty)>
                {move || problems.with(|ps| if ps.is_empty() {
                    "Ready: the console accepts this config.json.".to_string()
                } else {
                    format!("{} field(s) still to fix: {}.", ps.len(), ps.iter().map(|p| p.field.as_str()).collect::<Vec<_>>().join(", "))
                })}
            </p>
            <label for="setup-json">"config.json"</label>
            <textarea id="setup-json" class="mono" readonly=true rows="8" data-testid="setup-json" prop:value=move || json.get()></textarea>
            <div class="actions">
                <button on:click=copy>"Copy"</button>
                <button class="primary" on:click=download disabled=move || !problems.with(Vec::is_empty)>"Download config.json"</button>
            </div>
            <p role="status" class="muted">{move || copied.get()}</p>
        </section>
    }
}
