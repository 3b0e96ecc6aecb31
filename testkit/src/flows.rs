//! Operator flows that several end-to-end tests go through the same way.

use std::time::Duration;

use fantoccini::Locator;
use serde_json::Value;

use crate::browser::Browser;
use crate::page::text;
use crate::wait;

/// A Cloud PC row in the inventory.
pub struct Row {
    pub id: String,
    pub name: String,
}

/// The first rendered inventory row whose status is `provisioned`.
pub async fn first_provisioned_row(browser: &Browser) -> anyhow::Result<Row> {
    let target: Value = browser
        .client
        .execute(
            "const row = [...document.querySelectorAll('tr[data-cloudpc-id]')]
                 .find(r => r.querySelector('.status').textContent === 'provisioned');
             return row ? { id: row.dataset.cloudpcId, name: row.querySelector('td.col-name').textContent } : null;",
            vec![],
        )
        .await?;
    let field = |k: &str| target[k].as_str().map(String::from);
    match (field("id"), field("name")) {
        (Some(id), Some(name)) => Ok(Row { id, name }),
        _ => anyhow::bail!("no provisioned Cloud PC among the rendered rows"),
    }
}

/// Reprovisions `row` from its inventory row with Windows 11 and a standard user account, the
/// way an operator does: choose, continue, read the wipe warning, see Reprovision stay disabled
/// until the name is typed, type it, confirm. Returns the outcome text; on a timeout, saves
/// evidence as `evidence` and says what the page showed.
pub async fn reprovision_windows11_standard_user(
    browser: &Browser,
    row: &Row,
    timeout: Duration,
    evidence: &str,
) -> anyhow::Result<String> {
    let client = &browser.client;
    client
        .find(Locator::Css(&format!(
            "tr[data-cloudpc-id='{}'] button[aria-label^='Reprovision']",
            row.id
        )))
        .await?
        .click()
        .await?;
    for choice in ["#osVersion-windows-11", "#userAccountType-standard-user"] {
        client.find(Locator::Css(choice)).await?.click().await?;
    }
    client
        .find(Locator::XPath("//button[text()='Continue']"))
        .await?
        .click()
        .await?;

    // The confirmation warns about the wipe and needs the device name typed.
    let dialog = client
        .find(Locator::Css("[role=dialog]"))
        .await?
        .text()
        .await?;
    anyhow::ensure!(dialog.contains("wipes"), "no wipe warning in: {dialog}");
    let confirm = client
        .find(Locator::XPath("//button[text()='Reprovision']"))
        .await?;
    anyhow::ensure!(
        !confirm.is_enabled().await?,
        "Reprovision was enabled before the name was typed"
    );
    client
        .find(Locator::Css("#confirm-name"))
        .await?
        .send_keys(&row.name)
        .await?;
    confirm.click().await?;

    match wait::until("the reprovision outcome", timeout, || async {
        text(client, "[data-testid=reprovision-outcome]").await
    })
    .await
    {
        Ok(outcome) => Ok(outcome),
        Err(e) => {
            let page = browser.evidence(evidence).await;
            Err(e.context(format!("the page showed:\n{page}")))
        }
    }
}
