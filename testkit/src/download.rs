//! Reading what the console offers as a download (exports), without writing it to disk: the
//! test catches the `Blob` handed to `URL.createObjectURL` and the file name of the download
//! link, and keeps the link from starting a real download.

use fantoccini::{Client, Locator};

/// A file the page offered for download.
#[derive(Debug, Clone)]
pub struct Download {
    pub name: String,
    pub text: String,
}

/// Installed in the page before the click: remembers the last blob and download name.
const CATCH: &str = r#"
if (!window.__downloads) {
  window.__downloads = [];
  const createObjectURL = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (blob) => { window.__lastBlob = blob; return createObjectURL(blob); };
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function () {
    if (this.download) {
      window.__downloads.push({ name: this.download, blob: window.__lastBlob });
      return;
    }
    return click.call(this);
  };
}
return window.__downloads.length;
"#;

/// Clicks the element at `locator` (e.g. "Export JSON") and returns the file it offered.
pub async fn click_and_catch(client: &Client, locator: Locator<'_>) -> anyhow::Result<Download> {
    let before = client
        .execute(CATCH, vec![])
        .await?
        .as_u64()
        .unwrap_or_default();
    client.find(locator).await?.click().await?;
    let read = format!(
        r#"const done = arguments[arguments.length - 1];
           const d = window.__downloads[{before}];
           if (!d || !d.blob) {{ done(null); return; }}
           d.blob.text().then(text => done({{ name: d.name, text }}), e => done(null));"#
    );
    let value = client.execute_async(&read, vec![]).await?;
    match (value["name"].as_str(), value["text"].as_str()) {
        (Some(name), Some(text)) => Ok(Download {
            name: name.to_owned(),
            text: text.to_owned(),
        }),
        _ => anyhow::bail!("the click offered no download"),
    }
}
