//! Project automation, run as `cargo xtask <command>` (alias in `.cargo/config.toml`).
//! Every command installs what it is missing first, so a fresh machine needs nothing else.

mod bench;
mod build;
mod demo;
mod dist;
mod project;
mod test;
mod tools;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Build, demo and test the Cloud PC console"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the console in release mode and run it against a simulated tenant until interrupted.
    Demo(demo::DemoArgs),
    /// Run every test: native unit tests, browser component tests and end-to-end tests.
    Test(test::TestArgs),
    /// Measure bundle size, start-up and inventory speed; writes target/bench/report.json.
    Bench(bench::BenchArgs),
    /// Install the tools the build needs (wasm target, trunk, wasm-bindgen, npm packages).
    Setup,
    /// Build the console in release mode into dist/.
    Build,
    /// Build a ready-to-upload folder with host configurations (nginx, Azure Static Web Apps,
    /// _headers) for one cloud and base path.
    Dist(dist::DistArgs),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Demo(args) => demo::run(args),
        Command::Test(args) => test::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Setup => tools::ensure_build_tools(),
        Command::Build => {
            tools::ensure_build_tools()?;
            build::release().map(|_| ())
        }
        Command::Dist(args) => dist::run(args),
    }
}
