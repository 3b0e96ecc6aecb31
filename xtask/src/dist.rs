//! `cargo xtask dist`: a ready-to-upload folder with host configurations, and the step every
//! release build goes through after trunk so that the console runs under a strict
//! Content-Security-Policy (no inline script, every script named by its content hash and
//! checked by Subresource Integrity).

use std::path::{Path, PathBuf};

use base64::Engine as _;
use clap::Args;
use sha2::{Digest, Sha256, Sha384};
use testkit::hosting::{self, Cloud, HostingOptions};

use crate::{build, project, tools};

#[derive(Args)]
pub struct DistArgs {
    /// The Microsoft cloud of the tenant: global (commercial and GCC), usgov (GCC High) or
    /// usgovdod (DoD). Decides the Graph and sign-in hosts the Content-Security-Policy allows.
    #[arg(long, default_value = "global")]
    cloud: String,
    /// The URL path the console is served under, e.g. /tools/cpc/ for https://host/tools/cpc/.
    #[arg(long, default_value = "/")]
    base_path: String,
    /// Where to write the output (replaced if it is an earlier output).
    #[arg(long, default_value = "target/dist-upload")]
    out: PathBuf,
    /// Where the site folder will live on the nginx machine (goes into the nginx configuration).
    #[arg(long, default_value = "/var/www/cloudpc-console/")]
    nginx_root: String,
    /// https://host where the console will be served: completes redirectUri in config.json.
    #[arg(long)]
    origin: Option<String>,
    /// Directory (tenant) id or verified domain, for config.json.
    #[arg(long)]
    tenant_id: Option<String>,
    /// Application (client) id of the app registration, for config.json.
    #[arg(long)]
    client_id: Option<String>,
    /// A Graph simulator (http://127.0.0.1:PORT) to sign in against instead of Entra ID, for
    /// demos and training: config.json uses it and the policy allows connecting to it.
    #[arg(long)]
    simulator: Option<String>,
    /// Also put the policy in <meta> tags, for hosts that cannot send headers (GitHub Pages).
    #[arg(long)]
    meta_csp: bool,
    /// Where browsers send reports of Content-Security-Policy violations (report-uri).
    #[arg(long)]
    csp_report_uri: Option<String>,
    /// Package this existing release build (from `cargo xtask build`) instead of building.
    #[arg(long)]
    from: Option<PathBuf>,
}

pub fn run(args: DistArgs) -> anyhow::Result<()> {
    let cloud = Cloud::parse(&args.cloud)?;
    let mut options = HostingOptions::new(cloud, &args.base_path)?;
    options.nginx_root = args.nginx_root;
    options.meta_csp = args.meta_csp;
    options.report_uri = args.csp_report_uri;
    options.tenant_id = args.tenant_id;
    options.client_id = args.client_id;
    if let Some(origin) = &args.origin {
        anyhow::ensure!(
            origin.starts_with("https://") || origin.starts_with("http://localhost"),
            "--origin must be the https address of the host, e.g. https://intranet.contoso.com"
        );
        options.origin = Some(origin.clone());
    }
    if let Some(sim) = &args.simulator {
        anyhow::ensure!(
            sim.starts_with("http://127.0.0.1:") || sim.starts_with("http://localhost:"),
            "--simulator must be a loopback address such as http://127.0.0.1:8081 (the console refuses any other)"
        );
        options.simulator = Some(sim.trim_end_matches('/').to_string());
    }
    let build = match args.from {
        Some(dir) => dir,
        None => {
            tools::ensure_build_tools()?;
            build::release()?
        }
    };
    let out = if args.out.is_absolute() {
        args.out
    } else {
        project::root().join(args.out)
    };
    let upload = hosting::write_upload(&build, &out, &options)?;
    println!();
    println!(
        "Ready to upload ({} cloud, served at {}):",
        cloud.as_str(),
        options.base_path
    );
    println!(
        "  {}   the console: copy its contents to {}",
        upload.site.display(),
        options.base_path
    );
    println!(
        "  {}   host configurations and the hosting guide (README.md)",
        out.join("hosting").display()
    );
    if options.simulator.is_none() {
        println!(
            "Fill in {} (tenantId, clientId, redirectUri); the console's setup page explains any field left wrong.",
            upload.site.join("config.json").display()
        );
    }
    Ok(())
}

/// After `trunk build`: moves trunk's inline start-up module into `boot-HASH.js`, renames the
/// scripts the pages load by name to `NAME-HASH.js`, and gives every script tag an `integrity`
/// attribute. Runs for every release build (`build`, `dist`, `demo`, `test`), so the tests run
/// what ships.
pub fn postprocess(dist: &Path) -> anyhow::Result<()> {
    let index_path = dist.join("index.html");
    let mut index = std::fs::read_to_string(&index_path)?;
    if let Some((start, end, body)) = inline_module(&index) {
        let name = hashed_name("boot.js", body.as_bytes());
        std::fs::write(dist.join(&name), body.as_bytes())?;
        let tag = format!(
            "<script type=\"module\" src=\"./{name}\" integrity=\"{}\"></script>",
            sri(body.as_bytes())
        );
        index.replace_range(start..end, &tag);
    }
    index = hash_classic_scripts(dist, &index)?;
    index = hash_msal(dist, &index)?;
    anyhow::ensure!(
        !hosting::has_inline_script(&index),
        "index.html still has an inline script after moving trunk's start-up module out"
    );
    std::fs::write(&index_path, index)?;

    let bridge_path = dist.join("redirect.html");
    let bridge = hash_classic_scripts(dist, &std::fs::read_to_string(&bridge_path)?)?;
    anyhow::ensure!(
        !hosting::has_inline_script(&bridge),
        "redirect.html has an inline script, which the Content-Security-Policy blocks"
    );
    std::fs::write(&bridge_path, bridge)?;
    Ok(())
}

/// The meta tag that tells `auth.js` the hashed name and integrity of MSAL Browser, which it
/// loads only in `msal` mode (so it is not a `<script>` of the page).
pub const MSAL_META: &str = "cloudpc-msal-script";

/// Renames `msal-browser.min.js` to `msal-browser.min-HASH.js` and names it, with its
/// integrity, in a `<meta name="cloudpc-msal-script">` in `index.html`, so MSAL is cached like
/// every hashed asset and a changed copy refuses to run. Without the meta (`trunk serve`),
/// `auth.js` loads the plain name.
fn hash_msal(dist: &Path, index: &str) -> anyhow::Result<String> {
    let plain = dist.join("msal-browser.min.js");
    if index.contains(MSAL_META) || !plain.is_file() {
        return Ok(index.to_string());
    }
    let bytes = std::fs::read(&plain)?;
    let name = hashed_name("msal-browser.min.js", &bytes);
    std::fs::rename(&plain, dist.join(&name))?;
    let meta = format!(
        "<meta name=\"{MSAL_META}\" content=\"./{name}\" data-integrity=\"{}\">\n",
        sri(&bytes)
    );
    let at = index
        .find("</head>")
        .ok_or_else(|| anyhow::anyhow!("index.html has no </head> to put the MSAL meta tag in"))?;
    let mut out = index.to_string();
    out.insert_str(at, &meta);
    Ok(out)
}

/// The byte range of trunk's `<script type="module">…</script>` and its body.
fn inline_module(html: &str) -> Option<(usize, usize, String)> {
    let open = "<script type=\"module\">";
    let start = html.find(open)?;
    let body_start = start + open.len();
    let close = html[body_start..].find("</script>")? + body_start;
    Some((
        start,
        close + "</script>".len(),
        html[body_start..close].trim().to_string() + "\n",
    ))
}

/// Renames every local script a `<script src="NAME.js">` loads to `NAME-HASH.js` and adds
/// `integrity`; scripts already hashed or with an integrity attribute are left alone.
fn hash_classic_scripts(dist: &Path, html: &str) -> anyhow::Result<String> {
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some(at) = rest.find("<script ") {
        let tag_end = at + rest[at..].find('>').unwrap_or(rest.len() - at);
        let tag = &rest[at..tag_end];
        out.push_str(&rest[..at]);
        let src = attribute(tag, "src");
        match src {
            Some(src)
                if !tag.contains("integrity=")
                    && !src.contains(':')
                    && !src.starts_with('/')
                    && !hosting::is_hashed_asset(src.trim_start_matches("./")) =>
            {
                let file = src.trim_start_matches("./");
                let bytes = std::fs::read(dist.join(file)).map_err(|e| {
                    anyhow::anyhow!("a page loads {file}, which the build lacks ({e})")
                })?;
                let name = hashed_name(file, &bytes);
                std::fs::rename(dist.join(file), dist.join(&name))?;
                let new_tag = tag.replacen(
                    &format!("src=\"{src}\""),
                    &format!("src=\"./{name}\" integrity=\"{}\"", sri(&bytes)),
                    1,
                );
                out.push_str(&new_tag);
            }
            _ => out.push_str(tag),
        }
        rest = &rest[tag_end..];
    }
    out.push_str(rest);
    Ok(out)
}

fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(&tag[start..end])
}

/// `auth.js` → `auth-0123456789abcdef.js` (the first 16 hex digits of the SHA-256).
fn hashed_name(file: &str, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hash: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    match file.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}-{hash}.{ext}"),
        None => format!("{file}-{hash}"),
    }
}

/// A Subresource Integrity value.
fn sri(bytes: &[u8]) -> String {
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK_INDEX: &str = r#"<head>
  <link rel="stylesheet" href="./app-a331476b448dc635.css" integrity="sha384-x"/>
<script type="module">
import init, * as bindings from './cloudpc-console-d214d7a6f95e15f6.js';
const wasm = await init({ module_or_path: './cloudpc-console-d214d7a6f95e15f6_bg.wasm' });
</script>
  <script src="auth.js"></script>
</head>"#;

    #[test]
    fn the_inline_module_and_named_scripts_move_into_hashed_files() {
        let dir = std::env::temp_dir().join(format!("xtask-dist-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), TRUNK_INDEX).unwrap();
        std::fs::write(dir.join("auth.js"), "window.cloudpcAuth = {};").unwrap();
        std::fs::write(dir.join("bridge.js"), "1;").unwrap();
        std::fs::write(dir.join("msal-browser.min.js"), "window.msal = {};").unwrap();
        std::fs::write(
            dir.join("redirect.html"),
            "<script src=\"bridge.js\" defer></script>",
        )
        .unwrap();

        postprocess(&dir).unwrap();
        let index = std::fs::read_to_string(dir.join("index.html")).unwrap();
        assert!(!hosting::has_inline_script(&index), "{index}");
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        let boot = names.iter().find(|n| n.starts_with("boot-")).unwrap();
        let auth = names.iter().find(|n| n.starts_with("auth-")).unwrap();
        assert!(hosting::is_hashed_asset(boot) && hosting::is_hashed_asset(auth));
        assert!(!names.contains(&"auth.js".to_string()));
        let boot_js = std::fs::read_to_string(dir.join(boot)).unwrap();
        assert!(boot_js.starts_with("import init"));
        assert!(index.contains(&format!(
            "<script type=\"module\" src=\"./{boot}\" integrity=\"{}\"></script>",
            sri(boot_js.as_bytes())
        )));
        assert!(index.contains(&format!("<script src=\"./{auth}\" integrity=\"sha384-")));
        let msal = names
            .iter()
            .find(|n| n.starts_with("msal-browser.min-"))
            .unwrap();
        assert!(hosting::is_hashed_asset(msal), "{msal}");
        assert!(!names.contains(&"msal-browser.min.js".to_string()));
        assert!(index.contains(&format!(
            "<meta name=\"cloudpc-msal-script\" content=\"./{msal}\" data-integrity=\"{}\">",
            sri(b"window.msal = {};")
        )));
        let bridge = std::fs::read_to_string(dir.join("redirect.html")).unwrap();
        assert!(bridge.contains("src=\"./bridge-") && bridge.contains(" defer>"));
        // A second run changes nothing.
        postprocess(&dir).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.join("index.html")).unwrap(),
            index
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
