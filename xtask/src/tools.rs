//! Installs what the build and the tests need, only when it is missing or at the wrong version,
//! so a warm run costs seconds. Everything comes from crates.io, npm or Debian's packages.

use std::path::Path;

use crate::project::{self, command, output, run};

pub const TRUNK_VERSION: &str = "0.21.14";

pub fn ensure_build_tools() -> anyhow::Result<()> {
    ensure_wasm_target()?;
    ensure_trunk()?;
    ensure_wasm_bindgen()?;
    ensure_npm_packages()?;
    Ok(())
}

fn ensure_wasm_target() -> anyhow::Result<()> {
    let installed =
        output(command("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    run(command("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn ensure_trunk() -> anyhow::Result<()> {
    let version = output(command("trunk").arg("--version")).unwrap_or_default();
    if version.split_whitespace().nth(1) == Some(TRUNK_VERSION) {
        return Ok(());
    }
    eprintln!("xtask: installing trunk {TRUNK_VERSION} (about 10 minutes on 2 cores, once)");
    run(command("cargo").args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]))
}

/// wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
fn ensure_wasm_bindgen() -> anyhow::Result<()> {
    let wanted = locked_version("wasm-bindgen")?;
    let version = output(command("wasm-bindgen").arg("--version")).unwrap_or_default();
    if version.split_whitespace().nth(1) == Some(wanted.as_str()) {
        return Ok(());
    }
    eprintln!("xtask: installing wasm-bindgen-cli {wanted} (a few minutes, once)");
    // Not --locked: the CLI's own lock file names a crate version this registry lacks.
    run(command("cargo").args(["install", "wasm-bindgen-cli", "--version", &wanted]))
}

fn ensure_npm_packages() -> anyhow::Result<()> {
    let root = project::root();
    let installed = root.join("node_modules").join(".package-lock.json");
    let lock = root.join("package-lock.json");
    if is_newer_or_same(&installed, &lock) {
        return Ok(());
    }
    run(command("npm").args(["ci", "--no-audit", "--no-fund"]))
}

/// Debian's Chromium and chromedriver for the browser tests, and nginx for the hosting test.
pub fn ensure_browser() -> anyhow::Result<()> {
    let wanted = [
        ("/usr/bin/chromium", "chromium"),
        ("/usr/bin/chromedriver", "chromium-driver"),
        ("/usr/sbin/nginx", "nginx"),
    ];
    let missing: Vec<&str> = wanted
        .iter()
        .filter(|(path, _)| !Path::new(path).exists())
        .map(|(_, package)| *package)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let is_root = output(command("id").arg("-u"))
        .map(|s| s.trim() == "0")
        .unwrap_or(false);
    anyhow::ensure!(
        is_root,
        "the browser tests need Debian's {}; install them with:\n  sudo apt-get update && sudo apt-get install -y {}\nthen run cargo xtask test again",
        missing.join(", "),
        missing.join(" ")
    );
    run(command("apt-get").arg("update"))?;
    // Debian starts a freshly installed nginx as a service on port 80 of every interface; the
    // tests run their own on loopback. policy-rc.d (Debian's switch for this) forbids service
    // starts during the install.
    let policy = Path::new("/usr/sbin/policy-rc.d");
    let temporary_policy = missing.contains(&"nginx") && !policy.exists();
    if temporary_policy {
        std::fs::write(
            policy,
            "#!/bin/sh\n# cargo xtask test: no service starts while installing\nexit 101\n",
        )?;
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(policy, std::fs::Permissions::from_mode(0o755))?;
    }
    let installed = run(command("apt-get")
        .args(["install", "-y", "--no-install-recommends"])
        .args(&missing)
        .env("DEBIAN_FRONTEND", "noninteractive"));
    if temporary_policy {
        std::fs::remove_file(policy)?;
    }
    installed
}

/// The version of `name` recorded in Cargo.lock.
pub fn locked_version(name: &str) -> anyhow::Result<String> {
    let lock = std::fs::read_to_string(project::root().join("Cargo.lock"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == format!("name = \"{name}\"") {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
            {
                return Ok(v.trim_matches('"').to_string());
            }
        }
    }
    anyhow::bail!("{name} is not in Cargo.lock")
}

fn is_newer_or_same(a: &Path, b: &Path) -> bool {
    match (
        a.metadata().and_then(|m| m.modified()),
        b.metadata().and_then(|m| m.modified()),
    ) {
        (Ok(a), Ok(b)) => a >= b,
        _ => false,
    }
}
