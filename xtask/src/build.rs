//! The release build of the console: trunk with the locally installed wasm-bindgen and wasm-opt,
//! then the step that makes it run under a strict Content-Security-Policy.

use std::path::PathBuf;

use crate::project::{self, command, run};

/// Builds `dist/` in release mode and returns its path.
pub fn release() -> anyhow::Result<PathBuf> {
    run(command("trunk").args(["build", "--release"]))?;
    let dist = project::dist_dir();
    anyhow::ensure!(
        dist.join("index.html").is_file(),
        "trunk wrote no dist/index.html"
    );
    // No inline script, every script hashed and integrity-checked: see dist::postprocess.
    crate::dist::postprocess(&dist)?;
    Ok(dist)
}
