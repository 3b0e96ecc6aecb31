//! Cloud PC console: a static single-page app that reprovisions Windows 365 Cloud PCs through
//! Microsoft Graph. Pure logic lives in plain modules tested natively; the browser layer (`ui`,
//! `browser`) exists only in the wasm build.

pub mod graph;
