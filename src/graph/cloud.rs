//! National clouds: the Graph host and the sign-in scopes derive from the configured cloud.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The Microsoft cloud a tenant lives in. Tokens of one cloud are not valid in another.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Cloud {
    /// Global (and GCC).
    #[default]
    #[serde(rename = "global")]
    Global,
    /// US Government L4 (GCC High).
    #[serde(rename = "usgov")]
    UsGov,
    /// US Government L5 (DoD).
    #[serde(rename = "usgovdod")]
    UsGovDod,
    /// China, operated by 21Vianet.
    #[serde(rename = "china")]
    China,
}

/// The Graph permission for reads.
pub const READ_PERMISSION: &str = "CloudPC.Read.All";
/// The Graph permission for writes (reprovision, bulk actions).
pub const WRITE_PERMISSION: &str = "CloudPC.ReadWrite.All";
/// The Graph version the console calls: everything it needs exists only in beta.
pub const GRAPH_VERSION: &str = "beta";

impl Cloud {
    /// Every cloud, for configuration pickers.
    pub const ALL: [Cloud; 4] = [Cloud::Global, Cloud::UsGov, Cloud::UsGovDod, Cloud::China];

    /// The configuration name (`global`, `usgov`, `usgovdod`, `china`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Cloud::Global => "global",
            Cloud::UsGov => "usgov",
            Cloud::UsGovDod => "usgovdod",
            Cloud::China => "china",
        }
    }

    /// Parses a configuration name.
    pub fn parse(name: &str) -> Option<Cloud> {
        Cloud::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(name.trim()))
    }

    /// A human name for the operator.
    pub fn label(&self) -> &'static str {
        match self {
            Cloud::Global => "Global (and GCC)",
            Cloud::UsGov => "US Government L4 (GCC High)",
            Cloud::UsGovDod => "US Government L5 (DoD)",
            Cloud::China => "China (21Vianet)",
        }
    }

    /// The Graph host, scheme included, no trailing slash.
    pub fn graph_host(&self) -> &'static str {
        match self {
            Cloud::Global => "https://graph.microsoft.com",
            Cloud::UsGov => "https://graph.microsoft.us",
            Cloud::UsGovDod => "https://dod-graph.microsoft.us",
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }

    /// The sign-in authority host, scheme included, no trailing slash.
    pub fn authority_host(&self) -> &'static str {
        match self {
            Cloud::Global => "https://login.microsoftonline.com",
            Cloud::UsGov | Cloud::UsGovDod => "https://login.microsoftonline.us",
            Cloud::China => "https://login.chinacloudapi.cn",
        }
    }

    /// The sign-in scopes on this cloud's own Graph host: `CloudPC.ReadWrite.All` when `write`,
    /// else `CloudPC.Read.All`.
    pub fn scopes(&self, write: bool) -> Vec<String> {
        let permission = if write {
            WRITE_PERMISSION
        } else {
            READ_PERMISSION
        };
        vec![format!("{}/{}", self.graph_host(), permission)]
    }

    /// Cloud PC APIs are not offered in the China cloud.
    pub fn offers_cloud_pc_apis(&self) -> bool {
        !matches!(self, Cloud::China)
    }
}

impl fmt::Display for Cloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where Graph requests go: the version root, e.g. `https://graph.microsoft.com/beta`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GraphBase {
    /// The version root, no trailing slash.
    pub root: String,
}

impl GraphBase {
    /// The beta root of a cloud's Graph host.
    pub fn for_cloud(cloud: Cloud) -> GraphBase {
        GraphBase {
            root: format!("{}/{}", cloud.graph_host(), GRAPH_VERSION),
        }
    }

    /// A loopback Graph (the simulator). Accepts only `http`/`https` URLs whose host is in
    /// 127.0.0.0/8, `localhost` or `[::1]`, without credentials, query or fragment. Appends
    /// `/beta` when the path has no version segment (`v1.0` or `beta`) at its end.
    pub fn loopback_override(url: &str) -> Result<GraphBase, String> {
        let parsed = url::Url::parse(url.trim()).map_err(|e| format!("not a URL ({e}): {url}"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(format!(
                "only http or https is allowed for a Graph override: {url}"
            ));
        }
        let loopback = match parsed.host() {
            Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        };
        if !loopback {
            return Err(format!(
                "a Graph override must be a loopback address (127.0.0.0/8, localhost or [::1]): {url}"
            ));
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(format!(
                "a Graph override must not carry credentials: {url}"
            ));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(format!(
                "a Graph override must not have a query or fragment: {url}"
            ));
        }
        let mut root = parsed.as_str().trim_end_matches('/').to_owned();
        let last = parsed
            .path_segments()
            .and_then(|mut s| s.rfind(|seg| !seg.is_empty()));
        if !matches!(last, Some("beta") | Some("v1.0")) {
            root.push('/');
            root.push_str(GRAPH_VERSION);
        }
        Ok(GraphBase { root })
    }

    /// The absolute URL of a path relative to the version root (`/deviceManagement/…`).
    pub fn url(&self, path: &str) -> String {
        if path.starts_with('/') {
            format!("{}{}", self.root, path)
        } else {
            format!("{}/{}", self.root, path)
        }
    }

    /// The path (query included) of an absolute URL under this root, e.g. an
    /// `@odata.nextLink`; `None` when the URL points anywhere else (the token must not leave).
    pub fn relative_path(&self, absolute: &str) -> Option<String> {
        let root = url::Url::parse(&self.root).ok()?;
        let link = url::Url::parse(absolute).ok()?;
        if root.origin() != link.origin() || link.fragment().is_some() {
            return None;
        }
        let root_path = root.path().trim_end_matches('/');
        let rest = link.path().strip_prefix(root_path)?;
        if !rest.starts_with('/') {
            return None;
        }
        Some(match link.query() {
            Some(q) => format!("{rest}?{q}"),
            None => rest.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_scopes_follow_the_cloud() {
        assert_eq!(
            GraphBase::for_cloud(Cloud::Global).root,
            "https://graph.microsoft.com/beta"
        );
        assert_eq!(
            GraphBase::for_cloud(Cloud::UsGovDod).root,
            "https://dod-graph.microsoft.us/beta"
        );
        assert_eq!(
            Cloud::UsGov.scopes(true),
            vec!["https://graph.microsoft.us/CloudPC.ReadWrite.All"]
        );
        assert_eq!(
            Cloud::Global.scopes(false),
            vec!["https://graph.microsoft.com/CloudPC.Read.All"]
        );
        assert_eq!(
            Cloud::UsGovDod.authority_host(),
            "https://login.microsoftonline.us"
        );
        assert_eq!(
            Cloud::China.graph_host(),
            "https://microsoftgraph.chinacloudapi.cn"
        );
        assert_eq!(
            Cloud::China.authority_host(),
            "https://login.chinacloudapi.cn"
        );
        assert!(!Cloud::China.offers_cloud_pc_apis());
        assert!(Cloud::UsGov.offers_cloud_pc_apis());
    }

    #[test]
    fn serde_names() {
        assert_eq!(
            serde_json::to_string(&Cloud::UsGovDod).unwrap(),
            "\"usgovdod\""
        );
        let c: Cloud = serde_json::from_str("\"china\"").unwrap();
        assert_eq!(c, Cloud::China);
        assert_eq!(Cloud::parse("USGov"), Some(Cloud::UsGov));
        assert_eq!(Cloud::parse("mars"), None);
    }

    #[test]
    fn loopback_override_accepts_only_loopback() {
        assert_eq!(
            GraphBase::loopback_override("http://127.0.0.1:8080")
                .unwrap()
                .root,
            "http://127.0.0.1:8080/beta"
        );
        assert_eq!(
            GraphBase::loopback_override("http://127.3.4.5:1/")
                .unwrap()
                .root,
            "http://127.3.4.5:1/beta"
        );
        assert_eq!(
            GraphBase::loopback_override("http://localhost:9000/beta/")
                .unwrap()
                .root,
            "http://localhost:9000/beta"
        );
        assert_eq!(
            GraphBase::loopback_override("https://[::1]:4443/sim/v1.0")
                .unwrap()
                .root,
            "https://[::1]:4443/sim/v1.0"
        );
        assert_eq!(
            GraphBase::loopback_override("http://localhost:9000/sim")
                .unwrap()
                .root,
            "http://localhost:9000/sim/beta"
        );
        for bad in [
            "https://graph.microsoft.com",
            "http://128.0.0.1",
            "http://localhost.evil.com",
            "http://10.0.0.1:80",
            "ftp://127.0.0.1",
            "file:///etc/passwd",
            "http://user:pw@127.0.0.1",
            "http://127.0.0.1/?x=1",
            "not a url",
        ] {
            assert!(GraphBase::loopback_override(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn relative_path_stays_on_the_root() {
        let base = GraphBase::for_cloud(Cloud::Global);
        assert_eq!(
            base.relative_path("https://graph.microsoft.com/beta/deviceManagement/virtualEndpoint/cloudPCs?$skiptoken=abc%3D%3D").as_deref(),
            Some("/deviceManagement/virtualEndpoint/cloudPCs?$skiptoken=abc%3D%3D")
        );
        assert_eq!(base.relative_path("https://evil.example/beta/x"), None);
        assert_eq!(
            base.relative_path("https://graph.microsoft.com/v1.0/x"),
            None
        );
        assert_eq!(
            base.relative_path("https://graph.microsoft.com/betamax/x"),
            None
        );
        assert_eq!(
            base.url("/me/cloudPCs"),
            "https://graph.microsoft.com/beta/me/cloudPCs"
        );
    }
}
