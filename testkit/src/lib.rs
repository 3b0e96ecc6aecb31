//! Plumbing shared by `cargo xtask demo` and the browser tests: a static host for the built
//! console (on its own origin, like a CDN) and a headless Chromium driven over WebDriver.

pub mod axe;
pub mod browser;
pub mod csp;
pub mod download;
pub mod flows;
pub mod hosting;
pub mod http;
pub mod nginx;
pub mod page;
pub mod run_flows;
pub mod stack;
pub mod static_host;
pub mod wait;

pub use fantoccini;
