//! `cargo xtask test`: every test the project has, in a real browser, after installing what is
//! missing. Prints cargo's usual `test result:` lines.

use clap::Args;

use crate::project::{command, run as run_command};
use crate::{build, tools};

#[derive(Args)]
pub struct TestArgs {
    /// Skip the browser tests (component and end-to-end): native unit tests only.
    #[arg(long)]
    native_only: bool,
}

pub fn run(args: TestArgs) -> anyhow::Result<()> {
    if args.native_only {
        return run_command(command("cargo").args(["test", "--workspace"]));
    }
    tools::ensure_build_tools()?;
    tools::ensure_browser()?;
    let dist = build::release()?;

    // Native unit tests of every crate, then the end-to-end tests against the release build
    // (they are #[ignore]d in a plain `cargo test`, which has no build to test).
    run_command(
        command("cargo")
            .args([
                "test",
                "--workspace",
                "--no-fail-fast",
                "--",
                "--include-ignored",
            ])
            .env("CLOUDPC_DIST", &dist),
    )?;

    // Component tests: wasm-bindgen-test mounts components in headless Chromium (the library's
    // own unit tests are native-only).
    // webdriver.json at the root gives chromedriver the flags a root, offline machine needs.
    run_command(
        command("cargo")
            .args([
                "test",
                "-p",
                "cloudpc-console",
                "--target",
                "wasm32-unknown-unknown",
                "--test",
                "components",
            ])
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                "wasm-bindgen-test-runner",
            )
            .env("CHROMEDRIVER", testkit::browser::chromedriver_path())
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    )?;
    Ok(())
}
