//! The release build of the console: trunk with the locally installed wasm-bindgen and wasm-opt.

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
    Ok(dist)
}
