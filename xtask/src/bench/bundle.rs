//! What a browser downloads for the console itself (MSAL excluded, measured apart), raw and
//! brotli-compressed at the quality a CDN uses for static assets.

use std::io::Write;
use std::path::Path;

use super::report::Report;
use super::stats::Figure;

pub fn measure(dist: &Path, report: &mut Report) -> anyhow::Result<()> {
    let mut sizes = [(0u64, 0u64); 3]; // wasm, js, css: (raw, brotli)
    let mut msal = 0u64;
    for entry in std::fs::read_dir(dist)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let kind = if name.ends_with(".wasm") {
            Some(0)
        } else if name.starts_with("msal-") {
            msal += brotli_size(&path)?;
            None
        } else if name.ends_with(".js") && !name.starts_with("redirect-bridge") {
            // The redirect bridge (content-hashed as redirect-bridge-HASH.js) is loaded only by
            // redirect.html during sign-in, not by the console.
            Some(1)
        } else if name.ends_with(".css") {
            Some(2)
        } else {
            None
        };
        if let Some(k) = kind {
            sizes[k].0 += path.metadata()?.len();
            sizes[k].1 += brotli_size(&path)?;
        }
    }
    for (k, name) in ["wasm", "js", "css"].iter().enumerate() {
        report.add(
            &format!("bundle.{name}_bytes"),
            Figure::single(sizes[k].0 as f64),
            "B",
        );
        report.add(
            &format!("bundle.{name}_brotli_bytes"),
            Figure::single(sizes[k].1 as f64),
            "B",
        );
    }
    let app: u64 = sizes.iter().map(|s| s.1).sum();
    report.add("bundle.app_brotli_bytes", Figure::single(app as f64), "B");
    report.add("bundle.msal_brotli_bytes", Figure::single(msal as f64), "B");
    Ok(())
}

fn brotli_size(path: &Path) -> anyhow::Result<u64> {
    let data = std::fs::read(path)?;
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        w.write_all(&data)?;
    }
    Ok(out.len() as u64)
}
