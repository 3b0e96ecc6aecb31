//! The import dialog: paste or upload a list (text or CSV) of Cloud PC ids, Intune managed
//! device ids, device names or users; "Check list" parses it and resolves every line against
//! the loaded inventory, and the report says per line what it matched, what is ambiguous and
//! what matched nothing. Only the matched Cloud PCs can go on: to the selection or to the bulk
//! reprovision dialog (which still checks with Graph and asks for confirmation).

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::bulk::activity::{ActivityEntry, ActivityKind};
use crate::graph::models::CloudPc;
use crate::targets::import_parse::{parse_text, ImportError};
use crate::targets::report::{describe, summary, totals, LineVerdict, Verdict};
use crate::targets::resolve::{resolve, DeviceKeys, InventoryIndex};
use crate::ui::activity_store;
use crate::ui::inventory::store::InventoryStore;

fn some(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

/// Lines of the report drawn at most (a list may have 20,000); the totals count them all.
const SHOWN_LINES: usize = 1000;
/// Largest file read (a 20,000-line list of UPNs is about 1 MB).
const MAX_FILE_BYTES: f64 = 5.0 * 1024.0 * 1024.0;

#[derive(Clone)]
struct Checked {
    summary: String,
    totals: Vec<(Verdict, usize)>,
    lines: Vec<LineVerdict>,
    targets: Vec<CloudPc>,
}

#[component]
pub fn ImportDialog(
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_reprovision: Callback<Vec<CloudPc>>,
) -> impl IntoView {
    let store = expect_context::<InventoryStore>();
    let text = RwSignal::new(String::new());
    let file_name = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let checked = RwSignal::new(None::<Checked>);
    let activity = activity_store::use_activity();

    let check = move || {
        error.set(None);
        checked.set(None);
        let parsed = match parse_text(&text.get_untracked()) {
            Ok(parsed) => parsed,
            Err(e) => return error.set(Some(e.to_string())),
        };
        let result = store.rows.with_untracked(|rows| {
            let index = InventoryIndex::build(rows.iter().map(|r| DeviceKeys {
                cloud_pc_id: &r.id,
                managed_device_id: some(&r.managed_device_id),
                display_name: some(&r.display_name),
                managed_device_name: None,
                user_principal_name: some(&r.user_principal_name),
            }));
            let report = resolve(&parsed, &index);
            let name_of = |d: usize| {
                let r = &rows[d];
                if r.display_name.is_empty() {
                    r.id.clone()
                } else {
                    r.display_name.clone()
                }
            };
            Checked {
                summary: summary(&report),
                totals: totals(&report),
                lines: describe(&report, name_of),
                targets: report
                    .targets
                    .iter()
                    .map(|&i| rows[i].to_cloud_pc())
                    .collect(),
            }
        });
        activity.record(ActivityEntry::new(
            activity_store::now(),
            ActivityKind::Other,
            &format!(
                "Import a list of targets{}",
                file_name
                    .get_untracked()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default()
            ),
            result.targets.iter().map(|pc| pc.id.clone()).collect(),
            &result.summary,
        ));
        checked.set(Some(result));
    };

    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        // `input.files[0]` through reflection: a File is a Blob, which is all we read.
        let file = js_sys::Reflect::get(&input, &"files".into())
            .ok()
            .and_then(|files| js_sys::Reflect::get(&files, &0.into()).ok())
            .filter(|f| f.is_object());
        let Some(file) = file else { return };
        let name = js_sys::Reflect::get(&file, &"name".into())
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or_default();
        let blob: web_sys::Blob = file.unchecked_into();
        if blob.size() > MAX_FILE_BYTES {
            error.set(Some(format!(
                "{name} is larger than 5 MB: that is not a list of devices. Choose the exported list (CSV or text)."
            )));
            return;
        }
        // A new file replaces whatever was checked before, also when it cannot be read.
        checked.set(None);
        error.set(None);
        spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(blob.array_buffer()).await {
                Ok(buffer) => {
                    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                    match String::from_utf8(bytes) {
                        Ok(content) => {
                            text.set(content);
                            file_name.set(Some(name));
                            check();
                        }
                        Err(_) => error.set(Some(format!("{name}: {}", ImportError::NotText))),
                    }
                }
                Err(_) => error.set(Some(format!(
                    "{name} could not be read. Choose the file again, or paste its contents."
                ))),
            }
        });
    };

    let matched = move || checked.with(|c| c.as_ref().map_or(0, |c| c.targets.len()));
    let select_matched = move |_| {
        if let Some(c) = checked.get_untracked() {
            store
                .selection
                .update(|s| s.select_all(c.targets.iter().map(|pc| pc.id.as_str())));
        }
        on_close.run(());
    };
    let reprovision_matched = move |_| {
        if let Some(c) = checked.get_untracked() {
            on_reprovision.run(c.targets);
        }
    };

    view! {
        <div class="dialog-backdrop">
            <div class="dialog wide" role="dialog" aria-modal="true" aria-labelledby="import-title" data-testid="import-dialog">
                <h2 id="import-title">"Import a list of Cloud PCs"</h2>
                <p>"Paste or upload a list: one entry per line, or a CSV file with a header row. Each entry may be a Cloud PC id, an Intune managed device id, a device name or a user principal name; they may be mixed."</p>
                <label for="import-text">"List"</label>
                <textarea id="import-text" rows="8" spellcheck="false" autocomplete="off"
                    prop:value=move || text.get()
                    on:input=move |ev| {
                        text.set(event_target_value(&ev));
                        file_name.set(None);
                    }></textarea>
                <div class="toolbar">
                    <label for="import-file">"Or upload a file (CSV or text)"</label>
                    <input id="import-file" type="file" accept=".csv,.txt,text/csv,text/plain" on:change=on_file/>
                    <span class="spacer"></span>
                    <button on:click=move |_| check() disabled=move || store.loading.get() || text.with(|t| t.trim().is_empty())>"Check list"</button>
                </div>
                {move || store.loading.get().then(|| view! {
                    <p class="muted" role="status">"The inventory is still loading: the list is checked once every Cloud PC is in."</p>
                })}
                {move || error.get().map(|why| view! {
                    <div class="message error" role="alert" data-testid="import-error"><span class="title">"The list cannot be used"</span><p>{why}</p></div>
                })}
                {move || checked.get().map(|c| {
                    let more = c.lines.len().saturating_sub(SHOWN_LINES);
                    view! {
                        <p role="status" data-testid="import-summary"><strong>{c.summary.clone()}</strong></p>
                        <p class="muted">"Only matched lines become targets. Ambiguous, unmatched, invalid and repeated lines are never sent."</p>
                        <ul class="import-totals">
                            {c.totals.iter().map(|(v, n)| view! {
                                <li class=format!("verdict {}", v.key()) data-testid=format!("import-total-{}", v.key())>{format!("{}: {n}", v.label())}</li>
                            }).collect_view()}
                        </ul>
                        <div class="import-report-scroll">
                            <table class="grid import-report" data-testid="import-report">
                                <thead><tr><th>"Line"</th><th>"Entry"</th><th>"Result"</th><th>"Detail"</th></tr></thead>
                                <tbody>
                                    {c.lines.iter().take(SHOWN_LINES).map(|l| view! {
                                        <tr data-line=l.line.to_string() data-verdict=l.verdict.key()>
                                            <td>{l.line}</td>
                                            <td class="mono">{l.text.clone()}</td>
                                            <td><span class=format!("verdict {}", l.verdict.key())>{l.verdict.label()}</span></td>
                                            <td>{l.detail.clone()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        {(more > 0).then(|| view! { <p class="muted">{format!("… and {more} more lines (counted in the totals above).")}</p> })}
                    }
                })}
                <div class="actions">
                    <button on:click=move |_| on_close.run(())>"Cancel"</button>
                    <button data-testid="import-select" on:click=select_matched disabled=move || matched() == 0>
                        {move || format!("Select {} matched", matched())}
                    </button>
                    <button class="danger" data-testid="import-reprovision" on:click=reprovision_matched disabled=move || matched() == 0>
                        {move || format!("Reprovision {} matched…", matched())}
                    </button>
                </div>
            </div>
        </div>
    }
}
