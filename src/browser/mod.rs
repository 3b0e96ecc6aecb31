//! The browser layer: bindings to JavaScript (sign-in) and to the page (config, location).
//! Compiled only for wasm32; everything it calls into is pure and tested natively.

pub mod config_loader;
pub mod location;
pub mod sign_in;
