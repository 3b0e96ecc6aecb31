//! Accessibility checks with axe-core (from `node_modules/axe-core`, installed by npm) against
//! the page under test, with the WCAG 2.1 A and AA rules.
//!
//! axe is injected through WebDriver's execute-script, which runs in the page through the
//! DevTools protocol and is not subject to the page's Content-Security-Policy, so the console
//! can be checked under the strict policy it ships with.

use std::path::PathBuf;

use fantoccini::Client;
use serde::Deserialize;

/// The axe-core tags of the rules we hold the console to.
pub const WCAG21_AA: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/// One failed rule, with every element that fails it.
#[derive(Clone, Debug, Deserialize)]
pub struct Violation {
    pub id: String,
    pub impact: Option<String>,
    pub help: String,
    #[serde(rename = "helpUrl")]
    pub help_url: String,
    pub nodes: Vec<ViolationNode>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct ViolationNode {
    /// CSS selectors to the element (more than one when it is inside frames or shadow roots).
    pub target: Vec<serde_json::Value>,
    /// axe's explanation for this element (e.g. the contrast ratio it measured).
    #[serde(rename = "failureSummary")]
    pub failure_summary: Option<String>,
}

/// `node_modules/axe-core/axe.min.js` of the workspace; `AXE_CORE` overrides it.
pub fn axe_path() -> PathBuf {
    std::env::var_os("AXE_CORE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .parent()
                .expect("testkit lives in the workspace")
                .join("node_modules/axe-core/axe.min.js")
        })
}

/// Runs axe's WCAG 2.1 A/AA rules on the current document (injecting axe first if this
/// document does not have it yet) and returns the violations.
pub async fn check(client: &Client) -> anyhow::Result<Vec<Violation>> {
    let present = client
        .execute("return typeof window.axe === 'object'", vec![])
        .await?;
    if present != serde_json::Value::Bool(true) {
        let path = axe_path();
        let source = std::fs::read_to_string(&path).map_err(|e| {
            anyhow::anyhow!(
                "could not read axe-core at {} ({e}): run `npm ci` (cargo xtask test does it)",
                path.display()
            )
        })?;
        client
            .execute(&format!("{source}\n;return true;"), vec![])
            .await?;
    }
    let result = client
        .execute_async(
            "const [tags, done] = arguments;
             axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
               .then(r => done({ ok: r.violations.map(v => ({
                   id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                   nodes: v.nodes.map(n => ({ target: n.target, failureSummary: n.failureSummary })),
                 })) }))
               .catch(e => done({ error: String(e) }));",
            vec![serde_json::json!(WCAG21_AA)],
        )
        .await?;
    if let Some(error) = result.get("error") {
        anyhow::bail!("axe-core could not run: {error}");
    }
    Ok(serde_json::from_value(result["ok"].clone())?)
}

/// The violations as lines an operator can act on: rule, impact, help, then each element.
pub fn describe(violations: &[Violation]) -> String {
    let mut out = String::new();
    for v in violations {
        out.push_str(&format!(
            "- {} ({}): {} <{}>\n",
            v.id,
            v.impact.as_deref().unwrap_or("?"),
            v.help,
            v.help_url
        ));
        for node in &v.nodes {
            let target: Vec<String> = node
                .target
                .iter()
                .map(|t| {
                    t.as_str()
                        .map(String::from)
                        .unwrap_or_else(|| t.to_string())
                })
                .collect();
            out.push_str(&format!("    at {}", target.join(" > ")));
            if let Some(summary) = &node.failure_summary {
                out.push_str(&format!(": {}", summary.replace('\n', " ")));
            }
            out.push('\n');
        }
    }
    out
}
