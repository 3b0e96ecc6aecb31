//! The seams between the Graph client and the world: HTTP transport, access tokens and timers.
//! The browser implements them with gloo ([`super::browser_transport`]); tests with fakes.

use std::fmt;
use std::rc::Rc;
use std::time::Duration;

use super::request::Method;

/// An HTTP request ready to go on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    /// Absolute URL.
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

impl HttpRequest {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// An HTTP response as received.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpResponse {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// True for 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

pub(crate) fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Why no HTTP response came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportError {
    /// The request failed to go out or the connection broke (DNS, TLS, reset, CORS…).
    Network(String),
    /// No answer in time.
    Timeout,
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportError::Network(m) => write!(f, "network failure: {m}"),
            TransportError::Timeout => f.write_str("no answer in time"),
        }
    }
}

/// Sends HTTP requests.
#[allow(async_fn_in_trait)]
pub trait Transport {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError>;

    /// Resolves once a request can reach the network (the browser is online). The client waits
    /// for it before each attempt, so requests made while offline are held, not failed.
    async fn wait_until_online(&self) {}
}

/// Why no token came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenError {
    pub message: String,
    /// The user must sign in or consent interactively.
    pub interaction_required: bool,
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Supplies access tokens for Graph (MSAL in the browser).
#[allow(async_fn_in_trait)]
pub trait TokenProvider {
    /// A token for `scopes`; with `force_refresh`, not the cached one (after a 401).
    async fn access_token(
        &self,
        scopes: &[String],
        force_refresh: bool,
    ) -> Result<String, TokenError>;
}

/// Waits.
#[allow(async_fn_in_trait)]
pub trait Sleeper {
    async fn sleep(&self, d: Duration);
}

/// Fresh GUIDs for `client-request-id` (replaceable in tests).
pub trait RequestIds {
    fn fresh(&self) -> String;
}

/// Random v4 GUIDs.
#[derive(Debug, Clone, Copy, Default)]
pub struct RandomRequestIds;

impl RequestIds for RandomRequestIds {
    fn fresh(&self) -> String {
        new_guid()
    }
}

/// A random v4 GUID, lowercase and hyphenated.
pub fn new_guid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A random number in `[0, 1)`, for back-off jitter.
pub fn random_unit() -> f64 {
    let bytes = uuid::Uuid::new_v4().into_bytes();
    let n = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    f64::from(n) / (f64::from(u32::MAX) + 1.0)
}

impl<T: Transport> Transport for Rc<T> {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        (**self).send(req).await
    }

    async fn wait_until_online(&self) {
        (**self).wait_until_online().await
    }
}

impl<A: TokenProvider> TokenProvider for Rc<A> {
    async fn access_token(
        &self,
        scopes: &[String],
        force_refresh: bool,
    ) -> Result<String, TokenError> {
        (**self).access_token(scopes, force_refresh).await
    }
}

impl<S: Sleeper> Sleeper for Rc<S> {
    async fn sleep(&self, d: Duration) {
        (**self).sleep(d).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_case_insensitive() {
        let r = HttpResponse {
            status: 429,
            headers: vec![("Retry-After".into(), "7".into())],
            body: String::new(),
        };
        assert_eq!(r.header("retry-after"), Some("7"));
        assert_eq!(r.header("request-id"), None);
        assert!(!r.is_success());
    }

    #[test]
    fn guids_are_fresh_v4() {
        let a = new_guid();
        let b = new_guid();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        let x = random_unit();
        assert!((0.0..1.0).contains(&x));
    }
}
