//! Loads `config.json` from beside `index.html` (a relative URL, so sub-path hosting works).

use gloo_net::http::Request;

use crate::config::{ConfigProblem, ConsoleConfig};

pub async fn load() -> Result<ConsoleConfig, Vec<ConfigProblem>> {
    let unreachable = |why: String| {
        vec![ConfigProblem {
            field: "config.json".into(),
            problem: why,
            fix: "Deploy config.json next to index.html (cargo xtask dist writes one to fill in), and make sure the host serves it.".into(),
        }]
    };
    let response = Request::get("config.json")
        .cache(web_sys::RequestCache::NoStore)
        .send()
        .await
        .map_err(|e| unreachable(format!("could not be loaded ({e})")))?;
    if !response.ok() {
        return Err(unreachable(format!(
            "could not be loaded (HTTP {} {})",
            response.status(),
            response.status_text()
        )));
    }
    let text = response
        .text()
        .await
        .map_err(|e| unreachable(format!("could not be read ({e})")))?;
    ConsoleConfig::parse(&text)
}
