//! The console's entry point in the browser (built by trunk).

#[cfg(target_arch = "wasm32")]
fn main() {
    cloudpc_console::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The Cloud PC console runs in a browser: build it with `cargo xtask demo` or `trunk build`.");
}
