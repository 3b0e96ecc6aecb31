//! The Microsoft Graph client of the console: every Cloud PC endpoint, typed, paged, batched,
//! throttle-aware and safe with destructive calls. Pure Rust, no DOM: the HTTP transport, the
//! token provider and the timer are traits ([`transport`]); the browser implements them in
//! [`browser_transport`] (wasm32 only), tests with fakes.
//!
//! No other part of the console builds Graph URLs or parses Graph JSON: use [`calls`] (request
//! builders), [`client::GraphClient`] (typed calls) and [`parse`] (reading answers).

// `GraphError` carries everything support asks for (code, message, three ids, status): its size
// is the point, and errors are rare next to the cost of a network round trip.
#![allow(clippy::result_large_err)]

pub mod batch;
pub mod calls;
pub mod client;
pub mod cloud;
pub mod error;
pub mod http_date;
pub mod limiter;
pub mod models;
pub mod parse;
pub mod query;
pub mod request;
pub mod retry;
pub mod sign_in_gate;
pub mod transport;

#[cfg(target_arch = "wasm32")]
pub mod browser_transport;

#[cfg(test)]
pub(crate) mod testing;

pub use calls::CloudPcQuery;
pub use client::GraphClient;
pub use cloud::{Cloud, GraphBase};
pub use error::{ErrorKind, GraphError};
pub use request::{GraphRequest, Method};
