//! Reading the page under test: what the operator would see, through WebDriver.

use fantoccini::{Client, Locator};
use serde_json::Value;

/// Runs `script` in the page and returns its result.
pub async fn js(client: &Client, script: &str) -> anyhow::Result<Value> {
    Ok(client.execute(script, vec![]).await?)
}

/// The text of the first element matching `css`, or `None` when there is none (yet).
pub async fn text(client: &Client, css: &str) -> anyhow::Result<Option<String>> {
    match client.find(Locator::Css(css)).await {
        Ok(el) => Ok(Some(el.text().await?)),
        Err(_) => Ok(None),
    }
}
