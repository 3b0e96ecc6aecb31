//! `cargo xtask bench`: measures what the console claims (size, start-up, inventory at scale,
//! bulk reprovision against the fastest possible and against a sequential script) against the release build, the simulator and headless Chromium, and writes
//! `target/bench/report.json` plus a table. Every figure is the median of several runs with
//! min and max; the machine is shared and noisy, so compare figures within one report.

mod bulk;
mod bundle;
mod inventory;
mod profile;
mod report;
mod sequential;
mod stats;

use std::time::Instant;

use clap::Args;

use crate::{build, project, tools};
use report::Report;

#[derive(Args)]
pub struct BenchArgs {
    /// Smaller tenants and fewer runs: the same figures, for a fast check.
    #[arg(long)]
    quick: bool,
    /// Runs per figure (default 3, or 1 with --quick).
    #[arg(long)]
    runs: Option<usize>,
    /// Measure this existing build (e.g. `dist` after `cargo xtask build`, or a copy kept for
    /// a before/after comparison) instead of building the console.
    #[arg(long, value_name = "DIR")]
    dist: Option<std::path::PathBuf>,
    /// Inventory sizes to measure instead of the defaults (comma-separated device counts,
    /// e.g. `--sizes 50000` for a targeted before/after comparison).
    #[arg(long, value_delimiter = ',')]
    sizes: Vec<usize>,
    /// Measure only these parts (comma-separated: bundle, inventory, bulk); default all.
    #[arg(long, value_delimiter = ',')]
    only: Vec<Part>,
    /// Record a CPU profile of the typing sequence at each inventory size, write it to
    /// `target/bench/<size>.cpuprofile` (open it in Chromium's DevTools, Performance panel) and
    /// print the functions that took the most time. Measure a build with function names
    /// (`--dist` of a build made with `data-keep-debug`) to see the console's own functions.
    #[arg(long)]
    cpu_profile: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Part {
    /// Bundle sizes.
    Bundle,
    /// Start-up and the inventory at two sizes.
    Inventory,
    /// Bulk reprovision: console, optimum, sequential.
    Bulk,
}

pub fn run(args: BenchArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    tools::ensure_build_tools()?;
    tools::ensure_browser()?;
    let dist = if let Some(dist) = args.dist {
        anyhow::ensure!(
            dist.join("index.html").is_file(),
            "no build in {}: run `cargo xtask build` first",
            dist.display()
        );
        std::fs::canonicalize(dist)?
    } else {
        build::release()?
    };
    let runs = args.runs.unwrap_or(if args.quick { 1 } else { 3 }).max(1);
    let defaults: &[usize] = if args.quick {
        &[1_000, 5_000]
    } else {
        &[10_000, 50_000]
    };
    let sizes: Vec<(usize, String)> = if args.sizes.is_empty() {
        defaults
    } else {
        &args.sizes
    }
    .iter()
    .map(|&n| (n, format!("inventory{}k", n / 1000)))
    .collect();

    // 5,000 Cloud PCs is the figure; --quick checks the same path on 1,000.
    let bulk_devices = if args.quick { 1_000 } else { 5_000 };
    let wanted = |part| args.only.is_empty() || args.only.contains(&part);

    let mut report = Report::new(args.quick, runs);
    if wanted(Part::Bundle) {
        bundle::measure(&dist, &mut report)?;
    }
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        if wanted(Part::Inventory) {
            inventory::startup(&dist, runs, &mut report).await?;
            for (devices, name) in &sizes {
                inventory::measure(&dist, *devices, name, runs, args.cpu_profile, &mut report)
                    .await?;
            }
        }
        if wanted(Part::Bulk) {
            bulk::measure(&dist, bulk_devices, runs, &mut report).await?;
        }
        anyhow::Ok(())
    })?;

    let out = project::root().join("target").join("bench");
    std::fs::create_dir_all(&out)?;
    let path = out.join("report.json");
    std::fs::write(&path, serde_json::to_string_pretty(&report.to_json())?)?;
    println!("{}", report.table());
    println!(
        "Report written to {} ({:.0} s)",
        path.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
