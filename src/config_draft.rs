//! The setup page's form: what the administrator typed, turned into the `config.json` to
//! upload, and checked by exactly the rules the console applies when it starts
//! ([`ConsoleConfig::parse`]), so a file the form accepts is a file the console accepts.

use serde_json::{json, Map, Value};

use crate::config::{ConfigProblem, ConsoleConfig};

/// The form's fields, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfigDraft {
    /// `global`, `usgov`, `usgovdod` (`china` is refused: no Cloud PC APIs there).
    pub cloud: String,
    pub tenant_id: String,
    pub client_id: String,
    pub redirect_uri: String,
    /// `readWrite` or `readOnly`.
    pub access: String,
}

impl ConfigDraft {
    /// A draft for a console served at `page_url` (the setup page's own address): the global
    /// cloud, read-write, and the redirect bridge beside `index.html`.
    pub fn for_page(page_url: &str) -> Self {
        Self {
            cloud: "global".into(),
            access: "readWrite".into(),
            redirect_uri: redirect_uri_for(page_url).unwrap_or_default(),
            ..Default::default()
        }
    }

    /// The `config.json` text for this draft (fields in the order the hosting guide lists
    /// them; an empty `access` or the default `readWrite` is left out).
    pub fn to_json(&self) -> String {
        let mut map = Map::new();
        map.insert("cloud".into(), json!(self.cloud.trim()));
        map.insert("tenantId".into(), json!(self.tenant_id.trim()));
        map.insert("clientId".into(), json!(self.client_id.trim()));
        map.insert("redirectUri".into(), json!(self.redirect_uri.trim()));
        let access = self.access.trim();
        if !access.is_empty() && access != "readWrite" {
            map.insert("access".into(), json!(access));
        }
        let mut text = serde_json::to_string_pretty(&Value::Object(map))
            .expect("a map of strings always serialises");
        text.push('\n');
        text
    }

    /// The problems the console would report for this file, by field; empty when it is ready.
    pub fn problems(&self) -> Vec<ConfigProblem> {
        let mut problems = match ConsoleConfig::parse(&self.to_json()) {
            Ok(_) => Vec::new(),
            Err(problems) => problems,
        };
        if self.cloud.trim() == "china" {
            problems.push(ConfigProblem {
                field: "cloud".into(),
                problem: "\"china\" (21Vianet) has no Windows 365 Cloud PC APIs".into(),
                fix:
                    "The console cannot manage Cloud PCs there. Choose the cloud your tenant is in."
                        .into(),
            });
        }
        problems
    }
}

/// `https://host/tools/cpc/redirect.html` for a console page at `https://host/tools/cpc/`,
/// `…/cpc/index.html?x#/cloudpcs` and the like; `None` for an address that is not a URL.
pub fn redirect_uri_for(page_url: &str) -> Option<String> {
    let mut url = url::Url::parse(page_url).ok()?;
    url.set_fragment(None);
    url.set_query(None);
    Some(url.join("redirect.html").ok()?.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete() -> ConfigDraft {
        ConfigDraft {
            tenant_id: "contoso.onmicrosoft.com".into(),
            client_id: "11111111-2222-3333-4444-555555555555".into(),
            ..ConfigDraft::for_page("https://intranet.contoso.com/tools/cpc/#/cloudpcs")
        }
    }

    #[test]
    fn the_redirect_uri_is_the_bridge_beside_the_page() {
        for page in [
            "https://intranet.contoso.com/tools/cpc/",
            "https://intranet.contoso.com/tools/cpc/index.html",
            "https://intranet.contoso.com/tools/cpc/?v=2#/cloudpcs/abc",
        ] {
            assert_eq!(
                redirect_uri_for(page).as_deref(),
                Some("https://intranet.contoso.com/tools/cpc/redirect.html"),
                "{page}"
            );
        }
        assert_eq!(redirect_uri_for("not a url"), None);
    }

    #[test]
    fn a_complete_draft_is_a_config_the_console_accepts() {
        let draft = complete();
        assert_eq!(draft.problems(), []);
        let config = ConsoleConfig::parse(&draft.to_json()).unwrap();
        assert_eq!(
            config.redirect_uri.as_deref(),
            Some("https://intranet.contoso.com/tools/cpc/redirect.html")
        );
        let value: Value = serde_json::from_str(&draft.to_json()).unwrap();
        assert_eq!(value.get("access"), None, "the default is left out");
    }

    #[test]
    fn read_only_is_written_and_kept() {
        let draft = ConfigDraft {
            access: "readOnly".into(),
            ..complete()
        };
        let config = ConsoleConfig::parse(&draft.to_json()).unwrap();
        assert_eq!(config.access, crate::config::Access::ReadOnly);
    }

    #[test]
    fn each_wrong_field_is_reported_by_the_consoles_own_rules() {
        let draft = ConfigDraft {
            tenant_id: "contoso".into(),
            client_id: "1234".into(),
            redirect_uri: "http://intranet.contoso.com/redirect.html".into(),
            ..ConfigDraft::for_page("https://x.example/")
        };
        let fields: Vec<String> = draft.problems().into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["tenantId", "clientId", "redirectUri"]);
        let empty = ConfigDraft::for_page("https://x.example/");
        let fields: Vec<String> = empty.problems().into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["tenantId", "clientId"]);
    }

    #[test]
    fn china_is_refused_with_the_reason() {
        let draft = ConfigDraft {
            cloud: "china".into(),
            ..complete()
        };
        let problems = draft.problems();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].problem.contains("no Windows 365"));
    }
}
