//! Bulk-run flows shared by end-to-end tests: select Cloud PCs in the inventory, start a run
//! through the dialog, wait for it to end, and read the results view and the simulator's record.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use fantoccini::Locator;
use serde_json::Value;

use crate::browser::Browser;
use crate::page::{js, text};
use crate::stack::Stack;
use crate::wait;

/// The results view's categories, by their machine names.
pub const CATEGORIES: [&str; 7] = [
    "successful",
    "failed",
    "notFound",
    "notSupported",
    "pending",
    "inProgress",
    "unknown",
];

/// Opens the inventory filtered by `query` (e.g. `status=provisioned&product=enterprise`),
/// waits for all `devices` to load, selects the first `n` rows (click, shift-click) and returns
/// their Cloud PC ids.
pub async fn select_first(
    stack: &Stack,
    browser: &Browser,
    query: &str,
    devices: usize,
    n: usize,
    timeout: Duration,
) -> anyhow::Result<Vec<String>> {
    let client = &browser.client;
    client
        .goto(&format!("{}#/cloudpcs?{query}", stack.console.url()))
        .await?;
    let loaded = format!("{devices} Cloud PCs");
    wait::until("the inventory", timeout, || async {
        Ok(text(client, "[data-testid=inventory-progress]")
            .await?
            .filter(|t| *t == loaded))
    })
    .await?;
    js(client, &format!("const boxes = document.querySelectorAll('tr[data-cloudpc-id] input[type=checkbox]'); boxes[0].click(); boxes[{}].dispatchEvent(new MouseEvent('click', {{bubbles: true, cancelable: true, shiftKey: true}})); return 0", n - 1)).await?;
    let chosen: Vec<String> = serde_json::from_value(
        js(
            client,
            &format!("return [...document.querySelectorAll('tr[data-cloudpc-id]')].slice(0, {n}).map(r => r.dataset.cloudpcId)"),
        )
        .await?,
    )?;
    anyhow::ensure!(
        text(client, "[data-testid=selected-count]")
            .await?
            .as_deref()
            == Some(format!("{n} selected").as_str()),
        "the selection is not {n}"
    );
    Ok(chosen)
}

/// Opens the inventory filtered to provisioned enterprise Cloud PCs, waits for all `devices`
/// to load and selects every matching one ("Select all N matching"); returns their ids, as a
/// plain Graph client reads them from the simulator.
pub async fn select_all_provisioned_enterprise(
    stack: &Stack,
    browser: &Browser,
    devices: usize,
    timeout: Duration,
) -> anyhow::Result<Vec<String>> {
    let client = &browser.client;
    client
        .goto(&format!(
            "{}#/cloudpcs?status=provisioned&product=enterprise",
            stack.console.url()
        ))
        .await?;
    let loaded = format!("{devices} Cloud PCs");
    wait::until("the inventory", timeout, || async {
        Ok(text(client, "[data-testid=inventory-progress]")
            .await?
            .filter(|t| *t == loaded))
    })
    .await?;
    let ids: Vec<String> = stack
        .all_cloud_pcs()
        .await?
        .into_iter()
        .filter(|pc| pc["status"] == "provisioned" && pc["productType"] == "enterprise")
        .filter_map(|pc| pc["id"].as_str().map(String::from))
        .collect();
    client
        .find(Locator::XPath(&format!(
            "//button[text()='Select all {} matching']",
            ids.len()
        )))
        .await?
        .click()
        .await?;
    anyhow::ensure!(
        text(client, "[data-testid=selected-count]")
            .await?
            .as_deref()
            == Some(format!("{} selected", ids.len()).as_str()),
        "the selection is not {}",
        ids.len()
    );
    Ok(ids)
}

/// Opens the bulk dialog for the selection, clicks each of `choices` (CSS selectors, e.g. a
/// parameter's radio) and then the strategy whose label starts with `strategy_label`, checks
/// with Graph, expects `to_wipe` devices listed, types the number and confirms.
pub async fn start_run(
    browser: &Browser,
    choices: &[&str],
    strategy_label: &str,
    to_wipe: usize,
    timeout: Duration,
) -> anyhow::Result<()> {
    let client = &browser.client;
    client
        .find(Locator::Css("[data-testid=bulk-reprovision]"))
        .await?
        .click()
        .await?;
    for choice in choices {
        client.find(Locator::Css(choice)).await?.click().await?;
    }
    client
        .find(Locator::XPath(&format!(
            "//*[@role='dialog']//label[starts-with(normalize-space(.), '{strategy_label}')]"
        )))
        .await?
        .click()
        .await?;
    client
        .find(Locator::XPath("//button[text()='Check with Graph']"))
        .await?
        .click()
        .await?;
    let listed = wait::until("the preflight", timeout, || async {
        // Listed devices, plus the "… and N more" beyond the list's limit.
        Ok(js(client, "const l = document.querySelector('[data-testid=to-wipe]'); if (!l) return null; const more = [...l.querySelectorAll('li.muted')].map(li => parseInt(li.textContent.replace(/[^0-9]/g, ''), 10)).reduce((a, b) => a + b, 0); return l.querySelectorAll('li:not(.muted)').length + more;").await?.as_u64())
    })
    .await?;
    anyhow::ensure!(
        listed as usize == to_wipe,
        "{listed} listed to wipe, expected {to_wipe}"
    );
    let confirm = client
        .find(Locator::XPath(&format!(
            "//*[@role='dialog']//button[starts-with(text(), 'Reprovision {to_wipe}')]"
        )))
        .await?;
    anyhow::ensure!(
        !confirm.is_enabled().await?,
        "Reprovision was enabled before the number was typed"
    );
    client
        .find(Locator::Css("#confirm-count"))
        .await?
        .send_keys(&to_wipe.to_string())
        .await?;
    confirm.click().await?;
    Ok(())
}

/// Waits until the run card says the run's work (requests, settling, following) has ended.
pub async fn wait_run_ended(browser: &Browser, timeout: Duration) -> anyhow::Result<()> {
    let client = &browser.client;
    wait::until("the run to end", timeout, || async {
        Ok(js(client, "const r = document.querySelector('[data-testid=run]'); return r && r.dataset.running === 'false' ? true : null").await?.as_bool())
    })
    .await
    .map(|_| ())
}

/// The count the results view shows for each category.
pub async fn counts(browser: &Browser) -> anyhow::Result<BTreeMap<&'static str, usize>> {
    let mut counts = BTreeMap::new();
    for key in CATEGORIES {
        let n = text(&browser.client, &format!("[data-testid=count-{key}]"))
            .await?
            .ok_or_else(|| anyhow::anyhow!("no count for {key}"))?
            .trim()
            .parse()?;
        counts.insert(key, n);
    }
    Ok(counts)
}

/// The Cloud PC ids the results view lists under each category.
pub async fn listed(browser: &Browser) -> anyhow::Result<BTreeMap<String, Vec<String>>> {
    open_categories(browser).await?;
    let value = js(
        &browser.client,
        "const out = {}; document.querySelectorAll('[data-testid=run] details[data-category]').forEach(d => { out[d.dataset.category] = [...d.querySelectorAll('li[data-cloudpc-id]')].map(li => li.dataset.cloudpcId); }); return out;",
    )
    .await?;
    Ok(serde_json::from_value(value)?)
}

/// The number shown by the follow line's part `key` (`provisioned`, `failed`, `running`,
/// `waiting`), or `None` when the run follows nothing (yet).
pub async fn followed(browser: &Browser, key: &str) -> anyhow::Result<Option<usize>> {
    Ok(text(
        &browser.client,
        &format!("[data-testid=follow-{key}] strong"),
    )
    .await?
    .and_then(|t| t.trim().parse().ok()))
}

/// The simulator's raw tenant (`GET /_sim/tenant`): Cloud PC status by id, and bulk actions.
pub async fn sim_tenant(stack: &Stack) -> anyhow::Result<(BTreeMap<String, String>, Vec<Value>)> {
    let tenant =
        crate::http::get_json(&format!("{}/_sim/tenant", stack.sim.base_url()), None).await?;
    let status = tenant["value"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|pc| {
            Some((
                pc["id"].as_str()?.to_owned(),
                pc["status"].as_str()?.to_owned(),
            ))
        })
        .collect();
    let bulk = tenant["bulkActions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    Ok((status, bulk))
}

/// Every device of `chosen` appears in exactly one category of `listed`, and nothing else does.
pub fn each_in_exactly_one(
    listed: &BTreeMap<String, Vec<String>>,
    chosen: &[String],
) -> anyhow::Result<()> {
    let mut seen: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (category, ids) in listed {
        for id in ids {
            seen.entry(id.as_str()).or_default().push(category.as_str());
        }
    }
    for (id, cats) in &seen {
        anyhow::ensure!(cats.len() == 1, "{id} is listed under {cats:?}");
    }
    let seen: BTreeSet<&str> = seen.keys().copied().collect();
    let want: BTreeSet<&str> = chosen.iter().map(String::as_str).collect();
    anyhow::ensure!(seen == want, "listed {seen:?}, chosen {want:?}");
    Ok(())
}

/// Opens every category of the results view and waits until each lists its devices (a
/// category's devices are drawn only while it is open).
pub async fn open_categories(browser: &Browser) -> anyhow::Result<()> {
    js(
        &browser.client,
        "document.querySelectorAll('[data-testid=run] details[data-category]').forEach(d => d.open = true); return 0",
    )
    .await?;
    wait::until("the open categories to list their devices", Duration::from_secs(10), || async {
        let all = js(
            &browser.client,
            "const c = [...document.querySelectorAll('[data-testid=run] details[data-category]')]; return c.every(d => d.querySelectorAll('li[data-cloudpc-id]').length === Number(d.querySelector('.category-count').textContent)) ? true : null",
        )
        .await?;
        Ok(all.as_bool())
    })
    .await
    .map(|_| ())
}

/// Dismisses the finished-run notifications, which float over the page's lower corner (as an
/// operator would before working in the results view underneath).
pub async fn dismiss_notifications(browser: &Browser) -> anyhow::Result<()> {
    js(
        &browser.client,
        "document.querySelectorAll('[data-testid=run-notification] button').forEach(b => b.click()); return 0",
    )
    .await?;
    Ok(())
}
