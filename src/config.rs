//! The console's runtime configuration, read from `config.json` beside `index.html` so one build
//! serves any tenant from any host. Validation names the field, the problem and the fix: the
//! admin who hosts the console sees a setup page with these messages, never a blank page.

use serde_json::{Map, Value};

use crate::graph::cloud::{Cloud, GraphBase};

/// How the operator signs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthMode {
    /// Microsoft Entra ID through MSAL (production).
    Msal,
    /// Tokens from the Graph simulator (demo, training, tests).
    Simulated,
}

/// A validated configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct ConsoleConfig {
    pub cloud: Cloud,
    pub auth: AuthMode,
    /// Directory (tenant) id or verified domain; required for MSAL.
    pub tenant_id: Option<String>,
    /// Application (client) id of the console's Entra ID app registration; required for MSAL.
    pub client_id: Option<String>,
    /// The redirect bridge page (`…/redirect.html`); required for MSAL.
    pub redirect_uri: Option<String>,
    /// Where Graph requests go: the cloud's Graph host, or a loopback simulator.
    pub graph_base: GraphBase,
    /// The simulator's origin when `graphBaseUrl` points at one.
    pub simulator_origin: Option<String>,
    /// The operator the simulator signs in (simulated mode).
    pub simulated_user: String,
    /// How much faster than real time the simulator's tenant runs (`simulatorTimeScale`, only
    /// with `graphBaseUrl`): bulk runs shrink their waits by it ([`crate::bulk::pace`]). 1 for
    /// real Graph.
    pub simulator_time_scale: f64,
    /// What the console may do: read only (`CloudPC.Read.All`, reprovision disabled) or read and
    /// reprovision (`CloudPC.ReadWrite.All`, the default).
    pub access: Access,
}

/// `"access"` in config.json: which delegated permission the console asks for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Access {
    /// `CloudPC.ReadWrite.All`: list and reprovision.
    #[default]
    ReadWrite,
    /// `CloudPC.Read.All`: list and look only; every reprovision is disabled with the reason.
    ReadOnly,
}

impl Access {
    /// Why reprovision is unavailable under this access, or `None` when it is available.
    pub fn reprovision_blocked(self) -> Option<&'static str> {
        match self {
            Access::ReadWrite => None,
            Access::ReadOnly => Some("This console is set up read-only (\"access\": \"readOnly\" in config.json): it asks Graph for CloudPC.Read.All only, so it cannot reprovision. Ask the console's administrator for a copy with read-write access."),
        }
    }
}

/// One thing wrong with `config.json`, phrased for the admin who hosts the console.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigProblem {
    pub field: String,
    pub problem: String,
    pub fix: String,
}

pub const DEFAULT_SIMULATED_USER: &str = "helpdesk@contoso.onmicrosoft.com";

const KNOWN_FIELDS: &[&str] = &[
    "cloud",
    "auth",
    "tenantId",
    "clientId",
    "redirectUri",
    "graphBaseUrl",
    "simulatedUser",
    "simulatorTimeScale",
    "access",
];

impl ConsoleConfig {
    /// Parses and validates `config.json`; every problem is reported, not just the first.
    pub fn parse(text: &str) -> Result<Self, Vec<ConfigProblem>> {
        let text = text.trim_start_matches('\u{feff}');
        let value: Value = serde_json::from_str(text).map_err(|e| {
            vec![problem(
                "config.json",
                format!("is not valid JSON ({e})"),
                "Fix the syntax: a JSON object such as {\"cloud\":\"global\",\"tenantId\":\"…\",\"clientId\":\"…\",\"redirectUri\":\"…\"}.",
            )]
        })?;
        let Value::Object(map) = value else {
            return Err(vec![problem(
                "config.json",
                "is not a JSON object",
                "Put the settings in one object: {\"cloud\":\"global\", …}.",
            )]);
        };
        Validator::default().validate(&map)
    }

    /// The sign-in authority, e.g. `https://login.microsoftonline.com/{tenant}`.
    pub fn authority(&self) -> Option<String> {
        self.tenant_id
            .as_ref()
            .map(|t| format!("{}/{}", self.cloud.authority_host(), t))
    }

    /// Delegated scopes the console asks for (on the cloud's own Graph host).
    pub fn scopes(&self) -> Vec<String> {
        self.cloud.scopes(self.access == Access::ReadWrite)
    }

    /// The simulator's token endpoint in simulated mode.
    pub fn simulator_token_url(&self) -> Option<String> {
        self.simulator_origin
            .as_ref()
            .map(|origin| format!("{origin}/_sim/token"))
    }
}

fn problem(field: &str, problem: impl Into<String>, fix: impl Into<String>) -> ConfigProblem {
    ConfigProblem {
        field: field.to_string(),
        problem: problem.into(),
        fix: fix.into(),
    }
}

#[derive(Default)]
struct Validator {
    problems: Vec<ConfigProblem>,
}

impl Validator {
    fn validate(mut self, map: &Map<String, Value>) -> Result<ConsoleConfig, Vec<ConfigProblem>> {
        for key in map.keys() {
            if !KNOWN_FIELDS.contains(&key.as_str()) {
                let fix = match KNOWN_FIELDS.iter().find(|k| k.eq_ignore_ascii_case(key)) {
                    Some(k) => format!("Did you mean \"{k}\"? Names are case-sensitive."),
                    None => format!("Remove it. Known fields: {}.", KNOWN_FIELDS.join(", ")),
                };
                self.problems
                    .push(problem(key, "is not a setting the console knows", fix));
            }
        }

        let cloud = match self.string(map, "cloud") {
            None => Some(Cloud::Global),
            Some(s) => match s.as_str() {
                "global" => Some(Cloud::Global),
                "usgov" => Some(Cloud::UsGov),
                "usgovdod" => Some(Cloud::UsGovDod),
                "china" => Some(Cloud::China),
                other => {
                    self.problems.push(problem(
                        "cloud",
                        format!("\"{other}\" is not a cloud the console knows"),
                        "Use \"global\" (commercial and GCC), \"usgov\" (GCC High), \"usgovdod\" (DoD) or \"china\" (21Vianet).",
                    ));
                    None
                }
            },
        };

        let auth = match self.string(map, "auth").as_deref() {
            None | Some("msal") => Some(AuthMode::Msal),
            Some("simulated") => Some(AuthMode::Simulated),
            Some(other) => {
                self.problems.push(problem(
                    "auth",
                    format!("\"{other}\" is not a sign-in mode"),
                    "Use \"msal\" to sign in with Microsoft Entra ID, or \"simulated\" with the Graph simulator.",
                ));
                None
            }
        };

        let (graph_override, simulator_origin) = match self.string(map, "graphBaseUrl") {
            None => (None, None),
            Some(url) => match GraphBase::loopback_override(&url) {
                Ok(base) => (Some(base), origin_of(&url)),
                Err(why) => {
                    self.problems.push(problem(
                        "graphBaseUrl",
                        format!("\"{url}\" cannot be used: {why}"),
                        "Remove graphBaseUrl to use the cloud's own Graph host. It exists only to point the console at the Graph simulator on this machine (http://127.0.0.1:PORT).",
                    ));
                    (None, None)
                }
            },
        };

        let access = match self.string(map, "access").as_deref() {
            None | Some("readWrite") => Access::ReadWrite,
            Some("readOnly") => Access::ReadOnly,
            Some(other) => {
                self.problems.push(problem(
                    "access",
                    format!("\"{other}\" is not an access level"),
                    "Use \"readWrite\" (list and reprovision: CloudPC.ReadWrite.All, the default) or \"readOnly\" (list only: CloudPC.Read.All).",
                ));
                Access::ReadWrite
            }
        };

        let tenant_id = self.string(map, "tenantId");
        let client_id = self.string(map, "clientId");
        let redirect_uri = self.string(map, "redirectUri");
        let simulated_user = self
            .string(map, "simulatedUser")
            .unwrap_or_else(|| DEFAULT_SIMULATED_USER.to_string());

        let simulator_time_scale = self.time_scale(map, graph_override.is_some());

        match auth {
            Some(AuthMode::Msal) => {
                self.check_tenant(tenant_id.as_deref());
                self.check_client(client_id.as_deref());
                self.check_redirect(redirect_uri.as_deref());
            }
            Some(AuthMode::Simulated) => {
                if graph_override.is_none() && !self.has_problem("graphBaseUrl") {
                    self.problems.push(problem(
                        "graphBaseUrl",
                        "is missing, and simulated sign-in needs the simulator",
                        "Set it to the Graph simulator's address, e.g. \"http://127.0.0.1:8081\" (cargo xtask demo does this for you), or use \"auth\": \"msal\".",
                    ));
                }
                if !simulated_user.contains('@') {
                    self.problems.push(problem(
                        "simulatedUser",
                        format!("\"{simulated_user}\" is not a user principal name"),
                        "Use a name like helpdesk@contoso.onmicrosoft.com.",
                    ));
                }
            }
            None => {}
        }

        if !self.problems.is_empty() {
            return Err(self.problems);
        }
        let cloud = cloud.expect("no problems means the cloud parsed");
        let graph_base = graph_override.unwrap_or_else(|| GraphBase::for_cloud(cloud));
        Ok(ConsoleConfig {
            cloud,
            auth: auth.expect("no problems means the mode parsed"),
            tenant_id,
            client_id,
            redirect_uri,
            graph_base,
            simulator_origin,
            simulated_user,
            simulator_time_scale,
            access,
        })
    }

    /// `simulatorTimeScale`: a number ≥ 1, and only beside a simulator's `graphBaseUrl` (real
    /// Graph runs in real time). Absent: 1.
    fn time_scale(&mut self, map: &Map<String, Value>, simulator: bool) -> f64 {
        let fix = "Remove simulatorTimeScale, or set it to the simulator's --time-scale (a number of at least 1) beside a graphBaseUrl that points at the simulator.";
        match map.get("simulatorTimeScale") {
            None | Some(Value::Null) => 1.0,
            Some(Value::Number(n)) => match n.as_f64() {
                Some(x) if x.is_finite() && x >= 1.0 && simulator => x,
                Some(_) if !simulator => {
                    self.problems.push(problem(
                        "simulatorTimeScale",
                        "is set, but graphBaseUrl does not point at the Graph simulator",
                        fix,
                    ));
                    1.0
                }
                _ => {
                    self.problems.push(problem(
                        "simulatorTimeScale",
                        format!("{n} is not a number of at least 1"),
                        fix,
                    ));
                    1.0
                }
            },
            Some(other) => {
                self.problems.push(problem(
                    "simulatorTimeScale",
                    format!("must be a number, not {other}"),
                    fix,
                ));
                1.0
            }
        }
    }

    fn has_problem(&self, field: &str) -> bool {
        self.problems.iter().any(|p| p.field == field)
    }

    /// A string field; a present non-string is a problem; an empty string counts as absent.
    fn string(&mut self, map: &Map<String, Value>, field: &str) -> Option<String> {
        match map.get(field) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(Value::String(s)) => Some(s.trim().to_string()),
            Some(other) => {
                self.problems.push(problem(
                    field,
                    format!("must be a string, not {other}"),
                    format!("Write it in quotes: \"{field}\": \"…\"."),
                ));
                None
            }
        }
    }

    fn check_tenant(&mut self, tenant: Option<&str>) {
        let fix = "Use your directory (tenant) id, a GUID shown on the Entra ID overview page, or a verified domain such as contoso.onmicrosoft.com.";
        match tenant {
            None => self.problems.push(problem("tenantId", "is missing", fix)),
            Some(t) if is_placeholder(t) => {
                self.problems
                    .push(problem("tenantId", "still holds the placeholder", fix))
            }
            Some(t) if !(is_guid(t) || is_domain(t)) => self.problems.push(problem(
                "tenantId",
                format!("\"{t}\" is neither a GUID nor a domain name"),
                fix,
            )),
            Some(_) => {}
        }
    }

    fn check_client(&mut self, client: Option<&str>) {
        let fix = "Use the Application (client) id of the console's app registration in Entra ID: a GUID like 11111111-2222-3333-4444-555555555555.";
        match client {
            None => self.problems.push(problem("clientId", "is missing", fix)),
            Some(c) if is_placeholder(c) => {
                self.problems
                    .push(problem("clientId", "still holds the placeholder", fix))
            }
            Some(c) if !is_guid(c) => {
                self.problems
                    .push(problem("clientId", format!("\"{c}\" is not a GUID"), fix))
            }
            Some(_) => {}
        }
    }

    fn check_redirect(&mut self, redirect: Option<&str>) {
        let fix = "Use the full address of redirect.html where the console is hosted, e.g. https://intranet.contoso.com/tools/cpc/redirect.html, and register the same URI (platform: Single-page application) in Entra ID.";
        let Some(uri) = redirect else {
            self.problems
                .push(problem("redirectUri", "is missing", fix));
            return;
        };
        if is_placeholder(uri) {
            self.problems
                .push(problem("redirectUri", "still holds the placeholder", fix));
            return;
        }
        match url::Url::parse(uri) {
            // The console carries no Unicode IDNA tables (bundle size: Cargo.lock pins
            // idna_adapter 1.0), so an internationalised host must be written as Punycode.
            Err(e) if !uri.is_ascii() => self.problems.push(problem(
                "redirectUri",
                format!("\"{uri}\" is not an absolute URL the console can read ({e})"),
                "Write an internationalised host name in its Punycode (xn--…) form, as registered in Entra ID.",
            )),
            Err(e) => self.problems.push(problem(
                "redirectUri",
                format!("\"{uri}\" is not an absolute URL ({e})"),
                fix,
            )),
            Ok(u) => {
                let loopback = matches!(u.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
                if u.scheme() != "https" && !(u.scheme() == "http" && loopback) {
                    self.problems.push(problem(
                        "redirectUri",
                        format!("\"{uri}\" does not use https"),
                        "Entra ID accepts http only for localhost. Host the console over https.",
                    ));
                } else if !u.path().ends_with("/redirect.html") {
                    self.problems.push(problem(
                        "redirectUri",
                        format!("\"{uri}\" is not the redirect bridge page"),
                        fix,
                    ));
                }
            }
        }
    }
}

fn origin_of(url: &str) -> Option<String> {
    url::Url::parse(url)
        .ok()
        .map(|u| u.origin().ascii_serialization())
}

fn is_placeholder(s: &str) -> bool {
    s.contains('<') || s.contains('>')
}

/// `8-4-4-4-12` hexadecimal digits.
pub fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

fn is_domain(s: &str) -> bool {
    s.contains('.')
        && !s.starts_with('.')
        && !s.ends_with('.')
        && s.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{
        "cloud": "usgov",
        "tenantId": "contoso.onmicrosoft.us",
        "clientId": "11111111-2222-3333-4444-555555555555",
        "redirectUri": "https://intranet.contoso.us/tools/cpc/redirect.html"
    }"#;

    fn fields(problems: &[ConfigProblem]) -> Vec<&str> {
        problems.iter().map(|p| p.field.as_str()).collect()
    }

    #[test]
    fn a_complete_msal_config_derives_the_clouds_hosts_and_scopes() {
        let config = ConsoleConfig::parse(GOOD).unwrap();
        assert_eq!(config.cloud, Cloud::UsGov);
        assert_eq!(config.auth, AuthMode::Msal);
        assert_eq!(
            config.authority().unwrap(),
            "https://login.microsoftonline.us/contoso.onmicrosoft.us"
        );
        assert_eq!(config.graph_base, GraphBase::for_cloud(Cloud::UsGov));
        assert!(config
            .scopes()
            .iter()
            .all(|s| s.starts_with("https://graph.microsoft.us/")));
        assert_eq!(config.simulator_token_url(), None);
    }

    #[test]
    fn the_shipped_placeholder_config_names_every_field_to_fill_in() {
        let shipped = include_str!("../public/config.json");
        let problems = ConsoleConfig::parse(shipped).unwrap_err();
        assert_eq!(fields(&problems), ["tenantId", "clientId", "redirectUri"]);
        assert!(problems.iter().all(|p| p.problem.contains("placeholder")));
    }

    #[test]
    fn malformed_json_is_reported_with_its_position() {
        let problems = ConsoleConfig::parse("{\"cloud\": \"global\",,}").unwrap_err();
        assert_eq!(fields(&problems), ["config.json"]);
        assert!(problems[0].problem.contains("line 1"), "{:?}", problems[0]);
    }

    #[test]
    fn a_misspelt_field_gets_a_suggestion() {
        let text = GOOD.replace("clientId", "clientID");
        let problems = ConsoleConfig::parse(&text).unwrap_err();
        assert_eq!(fields(&problems), ["clientID", "clientId"]);
        assert!(problems[0].fix.contains("\"clientId\""));
    }

    #[test]
    fn unknown_cloud_and_bad_ids_are_each_reported() {
        let text = r#"{"cloud":"mars","tenantId":"not a tenant","clientId":"1234","redirectUri":"http://example.com/redirect.html"}"#;
        let problems = ConsoleConfig::parse(text).unwrap_err();
        assert_eq!(
            fields(&problems),
            ["cloud", "tenantId", "clientId", "redirectUri"]
        );
        assert!(problems[3].problem.contains("https"));
    }

    #[test]
    fn the_redirect_uri_must_be_the_bridge_page() {
        let text = GOOD.replace("/tools/cpc/redirect.html", "/tools/cpc/");
        let problems = ConsoleConfig::parse(&text).unwrap_err();
        assert_eq!(fields(&problems), ["redirectUri"]);
        assert!(problems[0].problem.contains("redirect bridge"));
    }

    #[test]
    fn an_internationalised_host_is_asked_for_in_punycode() {
        let text = GOOD.replace("intranet.contoso.us", "intranät.contoso.us");
        let problems = ConsoleConfig::parse(&text).unwrap_err();
        assert_eq!(fields(&problems), ["redirectUri"]);
        assert!(problems[0].fix.contains("Punycode"), "{problems:?}");
        let punycode = GOOD.replace("intranet.contoso.us", "xn--intrant-fxa.contoso.us");
        assert!(ConsoleConfig::parse(&punycode).is_ok());
    }

    #[test]
    fn graph_base_override_is_accepted_only_for_loopback() {
        let sim = r#"{"auth":"simulated","graphBaseUrl":"http://127.0.0.1:8081"}"#;
        let config = ConsoleConfig::parse(sim).unwrap();
        assert_eq!(config.auth, AuthMode::Simulated);
        assert_eq!(config.graph_base.root, "http://127.0.0.1:8081/beta");
        assert_eq!(
            config.simulator_token_url().unwrap(),
            "http://127.0.0.1:8081/_sim/token"
        );
        assert_eq!(config.simulated_user, DEFAULT_SIMULATED_USER);

        let remote = r#"{"auth":"simulated","graphBaseUrl":"https://graph.evil.example"}"#;
        let problems = ConsoleConfig::parse(remote).unwrap_err();
        assert_eq!(fields(&problems), ["graphBaseUrl"]);
    }

    #[test]
    fn simulator_time_scale_only_beside_the_simulator() {
        let sim = r#"{"auth":"simulated","graphBaseUrl":"http://127.0.0.1:8081","simulatorTimeScale":60}"#;
        assert_eq!(
            ConsoleConfig::parse(sim).unwrap().simulator_time_scale,
            60.0
        );
        let plain = r#"{"auth":"simulated","graphBaseUrl":"http://127.0.0.1:8081"}"#;
        assert_eq!(
            ConsoleConfig::parse(plain).unwrap().simulator_time_scale,
            1.0
        );
        for bad in [
            r#"{"auth":"simulated","graphBaseUrl":"http://127.0.0.1:8081","simulatorTimeScale":0.5}"#,
            r#"{"auth":"simulated","graphBaseUrl":"http://127.0.0.1:8081","simulatorTimeScale":"60"}"#,
            r#"{"tenantId":"contoso.onmicrosoft.com","clientId":"11111111-2222-3333-4444-555555555555","redirectUri":"https://a.example/redirect.html","simulatorTimeScale":60}"#,
        ] {
            let problems = ConsoleConfig::parse(bad).unwrap_err();
            assert!(
                problems.iter().any(|p| p.field == "simulatorTimeScale"),
                "{bad}: {problems:?}"
            );
        }
    }

    #[test]
    fn simulated_mode_needs_the_simulator() {
        let problems = ConsoleConfig::parse(r#"{"auth":"simulated"}"#).unwrap_err();
        assert_eq!(fields(&problems), ["graphBaseUrl"]);
    }

    #[test]
    fn wrong_types_and_modes_are_explained() {
        let problems = ConsoleConfig::parse(r#"{"auth":"password","cloud":42}"#).unwrap_err();
        assert_eq!(fields(&problems), ["cloud", "auth"]);
        assert!(problems[0].problem.contains("must be a string"));
    }

    #[test]
    fn read_only_access_asks_for_the_read_permission_only() {
        let config = ConsoleConfig::parse(GOOD).unwrap();
        assert_eq!(config.access, Access::ReadWrite);
        assert_eq!(
            config.scopes(),
            ["https://graph.microsoft.us/CloudPC.ReadWrite.All"]
        );
        assert_eq!(config.access.reprovision_blocked(), None);

        let text = GOOD.replace("\"cloud\"", "\"access\": \"readOnly\", \"cloud\"");
        let config = ConsoleConfig::parse(&text).unwrap();
        assert_eq!(config.access, Access::ReadOnly);
        assert_eq!(
            config.scopes(),
            ["https://graph.microsoft.us/CloudPC.Read.All"]
        );
        assert!(config
            .access
            .reprovision_blocked()
            .is_some_and(|why| why.contains("read-only")));

        let text = GOOD.replace("\"cloud\"", "\"access\": \"write\", \"cloud\"");
        let problems = ConsoleConfig::parse(&text).unwrap_err();
        assert_eq!(fields(&problems), ["access"]);
        assert!(problems[0].fix.contains("readOnly"));
    }

    #[test]
    fn guids_and_domains() {
        assert!(is_guid("11111111-2222-3333-4444-555555555555"));
        assert!(!is_guid("11111111-2222-3333-4444-55555555555g"));
        assert!(is_domain("contoso.onmicrosoft.com"));
        assert!(!is_domain("contoso"));
        assert!(!is_domain("a..b"));
    }
}
