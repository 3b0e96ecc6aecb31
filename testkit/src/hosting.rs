//! The ready-to-upload folder that `cargo xtask dist` writes, and the Content-Security-Policy the
//! console ships with. It lives here so that the end-to-end test hosts exactly what `cargo xtask
//! dist` produces: both call [`write_upload`].
//!
//! Output layout (`OUT`):
//!
//! ```text
//! OUT/site/                 the console: upload its contents to the base path
//! OUT/hosting/nginx/cloudpc-console.conf
//! OUT/hosting/azure-static-web-apps/staticwebapp.config.json
//! OUT/hosting/headers/_headers
//! OUT/hosting/csp.txt       the two policies, for hosts configured by hand (S3 + CloudFront, IIS)
//! OUT/hosting/README.md     the hosting guide (a copy of hosting/README.md)
//! ```
//!
//! When the base path is `/`, `staticwebapp.config.json` and `_headers` are also put in `site/`,
//! where Azure Static Web Apps, Netlify and Cloudflare Pages look for them.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const NGINX_TEMPLATE: &str = include_str!("../../hosting/nginx/cloudpc-console.conf");
const SWA_TEMPLATE: &str =
    include_str!("../../hosting/azure-static-web-apps/staticwebapp.config.json");
const HEADERS_TEMPLATE: &str = include_str!("../../hosting/headers/_headers");
const HOSTING_README: &str = include_str!("../../hosting/README.md");

/// `Permissions-Policy`: the console uses none of these features.
pub const PERMISSIONS_POLICY: &str = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

/// The clouds the console can be hosted for (China offers no Cloud PC APIs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cloud {
    Global,
    UsGov,
    UsGovDod,
}

impl Cloud {
    pub fn parse(name: &str) -> anyhow::Result<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "global" => Ok(Cloud::Global),
            "usgov" => Ok(Cloud::UsGov),
            "usgovdod" => Ok(Cloud::UsGovDod),
            "china" => anyhow::bail!(
                "Microsoft Graph offers no Cloud PC APIs in the China cloud (21Vianet), so there is nothing to host for it"
            ),
            other => anyhow::bail!(
                "unknown cloud \"{other}\": use global (commercial and GCC), usgov (GCC High) or usgovdod (DoD)"
            ),
        }
    }

    /// The name `config.json` uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Cloud::Global => "global",
            Cloud::UsGov => "usgov",
            Cloud::UsGovDod => "usgovdod",
        }
    }

    /// Graph, as the console calls it (origin only).
    pub fn graph_origin(self) -> &'static str {
        match self {
            Cloud::Global => "https://graph.microsoft.com",
            Cloud::UsGov => "https://graph.microsoft.us",
            Cloud::UsGovDod => "https://dod-graph.microsoft.us",
        }
    }

    /// The sign-in authority's origin (MSAL's token requests and its hidden renewal frame).
    pub fn login_origin(self) -> &'static str {
        match self {
            Cloud::Global => "https://login.microsoftonline.com",
            Cloud::UsGov | Cloud::UsGovDod => "https://login.microsoftonline.us",
        }
    }
}

/// How and where the console will be hosted.
#[derive(Clone, Debug)]
pub struct HostingOptions {
    pub cloud: Cloud,
    /// The URL path the console is served under, with leading and trailing `/` (`/tools/cpc/`).
    pub base_path: String,
    /// A Graph simulator origin (`http://127.0.0.1:PORT`): `config.json` is written for simulated
    /// sign-in against it, and the CSP allows connecting to it. Never for production.
    pub simulator: Option<String>,
    /// Where the `site` folder will be on the nginx machine (with a trailing `/`).
    pub nginx_root: String,
    /// Also put the policy into `<meta>` tags (for hosts that cannot send headers).
    pub meta_csp: bool,
    /// A `report-uri` for CSP violation reports, if the organisation collects them.
    pub report_uri: Option<String>,
    /// Values for `config.json`; placeholders stay where they are `None`.
    pub tenant_id: Option<String>,
    pub client_id: Option<String>,
    /// `https://host` where the console will be served: completes `redirectUri`.
    pub origin: Option<String>,
}

impl HostingOptions {
    pub fn new(cloud: Cloud, base_path: &str) -> anyhow::Result<Self> {
        Ok(Self {
            cloud,
            base_path: normalize_base_path(base_path)?,
            simulator: None,
            nginx_root: "/var/www/cloudpc-console/".into(),
            meta_csp: false,
            report_uri: None,
            tenant_id: None,
            client_id: None,
            origin: None,
        })
    }
}

/// `tools/cpc` → `/tools/cpc/`. Only letters, digits and `-._~/` are accepted, so the path can go
/// into host configurations unquoted.
pub fn normalize_base_path(path: &str) -> anyhow::Result<String> {
    let trimmed = path.trim().trim_matches('/');
    anyhow::ensure!(
        trimmed
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~/".contains(c))
            && !trimmed.contains("//")
            && !trimmed.split('/').any(|s| s == "." || s == ".."),
        "base path \"{path}\" may contain only letters, digits and - . _ ~ / (e.g. /tools/cpc/)"
    );
    Ok(if trimmed.is_empty() {
        "/".into()
    } else {
        format!("/{trimmed}/")
    })
}

/// The console's two policies: the app (every page and file) and the sign-in bridge page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Csp {
    pub app: String,
    pub bridge: String,
}

impl Csp {
    /// Scripts only from the console's own origin (plus compiling WebAssembly), network access
    /// only to the cloud's Graph and sign-in hosts (and the simulator when configured), nothing
    /// inline, no plugins, no `<base>`, never framed. The bridge page may be framed by the
    /// console itself: MSAL renews tokens silently in a hidden frame that ends on it.
    pub fn for_cloud(cloud: Cloud, simulator: Option<&str>, report_uri: Option<&str>) -> Self {
        let mut connect = vec!["'self'", cloud.graph_origin(), cloud.login_origin()];
        if let Some(sim) = simulator {
            connect.push(sim);
        }
        let report = report_uri
            .map(|uri| format!("; report-uri {uri}"))
            .unwrap_or_default();
        let app = format!(
            "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
             img-src 'self' data:; font-src 'self'; connect-src {}; frame-src 'self' {}; \
             form-action 'none'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'{report}",
            connect.join(" "),
            cloud.login_origin()
        );
        let bridge = format!(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             form-action 'none'; frame-ancestors 'self'; object-src 'none'; base-uri 'none'{report}"
        );
        Self { app, bridge }
    }

    /// The same policies without what a `<meta>` tag cannot carry (`frame-ancestors`,
    /// `report-uri`), for hosts that cannot send headers.
    pub fn for_meta(&self) -> Self {
        let strip = |policy: &str| {
            policy
                .split(';')
                .map(str::trim)
                .filter(|d| !d.starts_with("frame-ancestors") && !d.starts_with("report-uri"))
                .collect::<Vec<_>>()
                .join("; ")
        };
        Self {
            app: strip(&self.app),
            bridge: strip(&self.bridge),
        }
    }

    /// The policy a given path of the site gets (`redirect.html` or anything else).
    pub fn for_path(&self, path: &str) -> &str {
        if path.ends_with("/redirect.html") || path == "redirect.html" {
            &self.bridge
        } else {
            &self.app
        }
    }
}

/// A file name trunk or `cargo xtask build` gave a content hash: `name-0123456789abcdef.ext`
/// (`name-0123456789abcdef_bg.wasm` for the WebAssembly module).
pub fn is_hashed_asset(name: &str) -> bool {
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    // wasm-bindgen names the module `name-HASH_bg.wasm`.
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let Some((_, hash)) = stem.rsplit_once('-') else {
        return false;
    };
    matches!(ext, "js" | "css" | "wasm")
        // trunk writes its hash without leading zeros: 16 hex digits, sometimes fewer.
        && (12..=16).contains(&hash.len())
        && hash.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f'))
}

/// The `Cache-Control` a file of the site gets.
pub fn cache_control(name: &str) -> &'static str {
    match name {
        "redirect.html" | "config.json" => "no-store",
        _ if is_hashed_asset(name) => "public, max-age=31536000, immutable",
        _ => "no-cache",
    }
}

/// What [`write_upload`] wrote.
#[derive(Debug)]
pub struct Upload {
    pub site: PathBuf,
    pub nginx_conf: PathBuf,
    pub csp: Csp,
    pub files: Vec<String>,
}

/// Copies the release build `build` into `out/site` with a `config.json` for `options`, and
/// writes the host configurations into `out/hosting`. `out` is replaced.
pub fn write_upload(build: &Path, out: &Path, options: &HostingOptions) -> anyhow::Result<Upload> {
    anyhow::ensure!(
        build.join("index.html").is_file(),
        "{} has no index.html: build the console first (cargo xtask build)",
        build.display()
    );
    let index = std::fs::read_to_string(build.join("index.html"))?;
    anyhow::ensure!(
        !has_inline_script(&index),
        "{}/index.html still has an inline script, which the Content-Security-Policy blocks: build it with `cargo xtask build` (plain `trunk build` does not move it out)",
        build.display()
    );
    if out.exists() {
        anyhow::ensure!(
            out.join("site").is_dir() || std::fs::read_dir(out)?.next().is_none(),
            "{} exists and is not an earlier dist output: choose another --out",
            out.display()
        );
        std::fs::remove_dir_all(out)?;
    }
    let site = out.join("site");
    let hosting = out.join("hosting");
    std::fs::create_dir_all(&site)?;

    let mut files = Vec::new();
    for entry in std::fs::read_dir(build)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !entry.file_type()?.is_file() || name == "config.json" || name.starts_with('.') {
            continue;
        }
        std::fs::copy(entry.path(), site.join(&name))?;
        files.push(name);
    }
    std::fs::write(site.join("config.json"), config_json(options))?;
    files.push("config.json".into());
    files.sort();

    let csp = Csp::for_cloud(
        options.cloud,
        options.simulator.as_deref(),
        options.report_uri.as_deref(),
    );
    if options.meta_csp {
        let meta = csp.for_meta();
        insert_meta_csp(&site.join("index.html"), &meta.app)?;
        insert_meta_csp(&site.join("redirect.html"), &meta.bridge)?;
    }

    let nginx = render_nginx(options, &csp)?;
    let swa = render_swa(options, &csp, &files)?;
    let headers = render_headers(options, &csp, &files)?;
    let nginx_conf = write(&hosting.join("nginx/cloudpc-console.conf"), &nginx)?;
    write(
        &hosting.join("azure-static-web-apps/staticwebapp.config.json"),
        &swa,
    )?;
    write(&hosting.join("headers/_headers"), &headers)?;
    write(
        &hosting.join("csp.txt"),
        &format!(
            "# Content-Security-Policy for the Cloud PC console ({} cloud)\n\
             # Every page and file except redirect.html:\n{}\n\n\
             # redirect.html (the sign-in bridge):\n{}\n",
            options.cloud.as_str(),
            csp.app,
            csp.bridge
        ),
    )?;
    write(&hosting.join("README.md"), HOSTING_README)?;
    if options.base_path == "/" {
        write(&site.join("staticwebapp.config.json"), &swa)?;
        write(&site.join("_headers"), &headers)?;
    }
    Ok(Upload {
        site,
        nginx_conf,
        csp,
        files,
    })
}

/// `config.json` for the options: simulated sign-in against the simulator, or Entra ID sign-in
/// with placeholders (`<…>`) the console's setup page explains.
pub fn config_json(options: &HostingOptions) -> String {
    let fields: Vec<(&str, String)> = match &options.simulator {
        Some(sim) => vec![
            ("cloud", options.cloud.as_str().into()),
            ("auth", "simulated".into()),
            ("graphBaseUrl", sim.clone()),
        ],
        None => {
            let origin = options
                .origin
                .as_deref()
                .map(|o| o.trim_end_matches('/').to_string())
                .unwrap_or_else(|| "https://<your-host>".into());
            vec![
                ("cloud", options.cloud.as_str().into()),
                (
                    "tenantId",
                    options
                        .tenant_id
                        .clone()
                        .unwrap_or_else(|| "<your-tenant-id-or-domain>".into()),
                ),
                (
                    "clientId",
                    options
                        .client_id
                        .clone()
                        .unwrap_or_else(|| "<application-client-id-from-entra-id>".into()),
                ),
                (
                    "redirectUri",
                    format!("{origin}{}redirect.html", options.base_path),
                ),
                ("auth", "msal".into()),
            ]
        }
    };
    // By hand, to keep the order of the README's table.
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("  \"{k}\": \"{}\"", json_str(v)))
        .collect();
    format!("{{\n{}\n}}\n", body.join(",\n"))
}

fn write(path: &Path, text: &str) -> anyhow::Result<PathBuf> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)?;
    Ok(path.to_path_buf())
}

/// Replaces every `{{NAME}}`; fails if one is left (a template and this code disagree).
fn render(template: &str, values: &[(&str, String)]) -> anyhow::Result<String> {
    let mut text = template.to_string();
    for (name, value) in values {
        text = text.replace(&format!("{{{{{name}}}}}"), value);
    }
    if let Some(at) = text.find("{{") {
        let rest = &text[at..];
        let end = rest.find("}}").map(|e| e + 2).unwrap_or(rest.len().min(40));
        anyhow::bail!("template placeholder {} has no value", &rest[..end]);
    }
    Ok(text)
}

fn security_headers_nginx() -> String {
    [
        "    add_header X-Content-Type-Options \"nosniff\" always;".to_string(),
        "    add_header Referrer-Policy \"no-referrer\" always;".to_string(),
        format!("    add_header Permissions-Policy \"{PERMISSIONS_POLICY}\" always;"),
    ]
    .join("\n")
}

fn render_nginx(options: &HostingOptions, csp: &Csp) -> anyhow::Result<String> {
    let base = &options.base_path;
    let root = format!("{}/", options.nginx_root.trim_end_matches('/'));
    anyhow::ensure!(
        !root.contains(|c: char| c.is_whitespace() || "\";{}'$".contains(c)),
        "nginx root \"{root}\" must not contain spaces, quotes, braces, ; or $"
    );
    let base_redirect = if base == "/" {
        String::new()
    } else {
        let bare = base.trim_end_matches('/');
        format!("\nlocation = {bare} {{\n    absolute_redirect off;\n    return 301 {base};\n}}\n")
    };
    let name = format!(
        "cloudpc_console{}",
        base.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect::<String>()
            .trim_end_matches('_')
    );
    render(
        NGINX_TEMPLATE,
        &[
            ("BASE_REDIRECT", base_redirect),
            ("BASE_REGEX", base.replace('.', "\\.")),
            ("BASE", base.clone()),
            ("ROOT", root),
            ("CLOUD", options.cloud.as_str().into()),
            ("CSP_APP", csp.app.clone()),
            ("CSP_BRIDGE", csp.bridge.clone()),
            ("SECURITY_HEADERS", security_headers_nginx()),
            ("NAME", name),
        ],
    )
}

fn json_str(s: &str) -> String {
    let quoted = serde_json::to_string(s).expect("strings serialize");
    quoted[1..quoted.len() - 1].to_string()
}

fn render_swa(options: &HostingOptions, csp: &Csp, files: &[String]) -> anyhow::Result<String> {
    let base = &options.base_path;
    let mut hashed = String::new();
    for name in files.iter().filter(|n| is_hashed_asset(n)) {
        write!(
            hashed,
            ",\n    {{\n      \"route\": \"{}{}\",\n      \"headers\": {{\n        \"Cache-Control\": \"{}\"\n      }}\n    }}",
            json_str(base),
            json_str(name),
            cache_control(name)
        )?;
    }
    let text = render(
        SWA_TEMPLATE,
        &[
            ("CSP_APP", json_str(&csp.app)),
            ("CSP_BRIDGE", json_str(&csp.bridge)),
            ("PERMISSIONS_POLICY", json_str(PERMISSIONS_POLICY)),
            ("BASE", json_str(base)),
            ("HASHED_ROUTES", hashed),
        ],
    )?;
    serde_json::from_str::<serde_json::Value>(&text)
        .map_err(|e| anyhow::anyhow!("staticwebapp.config.json is not valid JSON ({e})"))?;
    Ok(text)
}

fn render_headers(options: &HostingOptions, csp: &Csp, files: &[String]) -> anyhow::Result<String> {
    let base = &options.base_path;
    let mut blocks = String::new();
    let mut paths: Vec<(String, &str)> = vec![(base.clone(), "index.html")];
    paths.extend(
        files
            .iter()
            .map(|name| (format!("{base}{name}"), name.as_str())),
    );
    // Cloudflare Pages (and Netlify's "pretty URLs") answer redirect.html at /redirect.
    paths.push((format!("{base}redirect"), "redirect.html"));
    for (path, name) in paths {
        let frame = if name == "redirect.html" {
            "SAMEORIGIN"
        } else {
            "DENY"
        };
        write!(
            blocks,
            "\n{path}\n  Content-Security-Policy: {}\n  X-Frame-Options: {frame}\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: no-referrer\n  Permissions-Policy: {PERMISSIONS_POLICY}\n  Cache-Control: {}\n",
            csp.for_path(name),
            cache_control(name)
        )?;
    }
    render(
        HEADERS_TEMPLATE,
        &[
            ("BASE", base.clone()),
            ("CLOUD", options.cloud.as_str().into()),
            ("BLOCKS", blocks),
        ],
    )
}

/// True when `html` has a `<script>` element without a `src` (an inline script).
pub fn has_inline_script(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("<script") {
        let tag_end = rest[at..].find('>').map(|e| at + e).unwrap_or(rest.len());
        let tag = &rest[at..tag_end];
        if !tag.contains(" src=") {
            return true;
        }
        rest = &rest[tag_end..];
    }
    false
}

fn insert_meta_csp(path: &Path, policy: &str) -> anyhow::Result<()> {
    let html = std::fs::read_to_string(path)?;
    let meta = format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
        policy.replace('"', "&quot;")
    );
    // Right after <meta charset>, before any script or stylesheet.
    let at = html
        .find("<meta charset=\"utf-8\">")
        .map(|i| i + "<meta charset=\"utf-8\">".len())
        .ok_or_else(|| anyhow::anyhow!("{} has no <meta charset=\"utf-8\">", path.display()))?;
    let html = format!("{}\n  {meta}{}", &html[..at], &html[at..]);
    std::fs::write(path, html)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths_are_normalized_and_checked() {
        assert_eq!(normalize_base_path("/").unwrap(), "/");
        assert_eq!(normalize_base_path("").unwrap(), "/");
        assert_eq!(normalize_base_path("tools/cpc").unwrap(), "/tools/cpc/");
        assert_eq!(normalize_base_path("/tools/cpc/").unwrap(), "/tools/cpc/");
        assert!(normalize_base_path("/tools/../etc").is_err());
        assert!(normalize_base_path("/a b/").is_err());
        assert!(normalize_base_path("/a\";/").is_err());
    }

    #[test]
    fn the_policy_is_strict_and_names_only_the_clouds_hosts() {
        for (cloud, graph, login) in [
            (
                Cloud::Global,
                "https://graph.microsoft.com",
                "https://login.microsoftonline.com",
            ),
            (
                Cloud::UsGov,
                "https://graph.microsoft.us",
                "https://login.microsoftonline.us",
            ),
            (
                Cloud::UsGovDod,
                "https://dod-graph.microsoft.us",
                "https://login.microsoftonline.us",
            ),
        ] {
            let csp = Csp::for_cloud(cloud, None, None);
            assert!(!csp.app.contains("'unsafe-inline'") && !csp.app.contains("'unsafe-eval'"));
            assert!(csp.app.contains("script-src 'self' 'wasm-unsafe-eval';"));
            assert!(csp
                .app
                .contains(&format!("connect-src 'self' {graph} {login};")));
            assert!(csp.app.contains(&format!("frame-src 'self' {login};")));
            for d in [
                "frame-ancestors 'none'",
                "object-src 'none'",
                "base-uri 'none'",
            ] {
                assert!(csp.app.contains(d), "{d}");
            }
            assert!(csp.bridge.contains("frame-ancestors 'self'"));
            assert!(!csp.app.contains("127.0.0.1"));
        }
        let sim = Csp::for_cloud(Cloud::Global, Some("http://127.0.0.1:9999"), Some("/csp"));
        assert!(sim
            .app
            .contains("https://login.microsoftonline.com http://127.0.0.1:9999;"));
        assert!(sim.app.ends_with("; report-uri /csp"));
        let meta = sim.for_meta();
        assert!(!meta.app.contains("frame-ancestors") && !meta.app.contains("report-uri"));
    }

    #[test]
    fn hashed_assets_are_recognized() {
        assert!(is_hashed_asset("cloudpc-console-d214d7a6f95e15f6_bg.wasm"));
        assert!(is_hashed_asset("cloudpc-console-d214d7a6f95e15f6.js"));
        assert!(is_hashed_asset("app-a331476b448dc635.css"));
        assert!(is_hashed_asset("boot-0123456789abcdef.js"));
        assert!(is_hashed_asset("cloudpc-console-bc81a68ee9dff2b_bg.wasm"));
        assert!(is_hashed_asset("cloudpc-console-546d859dc31de9f_bg.wasm"));
        assert!(!is_hashed_asset("msal-browser.min.js"));
        assert!(!is_hashed_asset("index.html"));
        assert_eq!(cache_control("redirect.html"), "no-store");
        assert_eq!(cache_control("msal-browser.min.js"), "no-cache");
    }

    #[test]
    fn inline_scripts_are_found() {
        assert!(has_inline_script(
            "<script type=\"module\">import x</script>"
        ));
        assert!(!has_inline_script(
            "<script src=\"./a.js\"></script><script type=\"module\" src=\"b.js\"></script>"
        ));
    }

    #[test]
    fn templates_render_for_a_sub_path_and_for_the_root() {
        let files: Vec<String> = ["app-a331476b448dc635.css", "index.html", "redirect.html"]
            .map(String::from)
            .to_vec();
        for base in ["/tools/cpc/", "/"] {
            let options = HostingOptions::new(Cloud::UsGov, base).unwrap();
            let csp = Csp::for_cloud(options.cloud, None, None);
            let nginx = render_nginx(&options, &csp).unwrap();
            assert!(nginx.contains(&format!("location = {base}redirect.html")));
            assert_eq!(nginx.contains("return 301"), base != "/");
            let swa = render_swa(&options, &csp, &files).unwrap();
            assert!(swa.contains(&format!("{base}app-a331476b448dc635.css")));
            let headers = render_headers(&options, &csp, &files).unwrap();
            assert!(headers.contains(&format!("\n{base}redirect.html\n")));
        }
    }

    #[test]
    fn config_json_has_placeholders_or_the_simulator() {
        let mut options = HostingOptions::new(Cloud::Global, "/tools/cpc").unwrap();
        let text = config_json(&options);
        assert!(text.contains("\"redirectUri\": \"https://<your-host>/tools/cpc/redirect.html\""));
        options.origin = Some("https://intranet.contoso.com/".into());
        assert!(config_json(&options)
            .contains("\"https://intranet.contoso.com/tools/cpc/redirect.html\""));
        options.simulator = Some("http://127.0.0.1:8081".into());
        let sim: serde_json::Value = serde_json::from_str(&config_json(&options)).unwrap();
        assert_eq!(sim["auth"], "simulated");
        assert_eq!(sim["graphBaseUrl"], "http://127.0.0.1:8081");
    }
}
