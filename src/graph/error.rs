//! Graph errors as the operator (and Microsoft support) needs them: kind, HTTP status, Graph's
//! `code` and `message`, and the `request-id`, `client-request-id` and date of the exchange.

use std::fmt;

use serde_json::Value;

/// What kind of failure, for the console to decide what to show or do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// Graph answered with an error (any status not covered by a more specific kind).
    Graph,
    /// Graph kept answering 429 after the bounded retries.
    Throttled,
    /// 401 even after one fresh token.
    Unauthorized,
    /// 403: missing permission or Windows 365 role.
    Forbidden,
    /// 404.
    NotFound,
    /// A destructive request whose outcome is unknown (5xx, connection reset, timeout): it may
    /// or may not have been carried out. Check the device's state before trying again.
    Ambiguous,
    /// The request did not reach Graph or no answer came back (for non-destructive requests).
    Network,
    /// The token provider failed (sign-in needed, consent missing…).
    Auth,
    /// Graph answered 2xx with a body the console cannot read.
    InvalidResponse,
}

impl ErrorKind {
    /// A short operator-readable name.
    pub fn label(&self) -> &'static str {
        match self {
            ErrorKind::Graph => "Graph error",
            ErrorKind::Throttled => "Throttled by Graph",
            ErrorKind::Unauthorized => "Not authorized",
            ErrorKind::Forbidden => "Forbidden",
            ErrorKind::NotFound => "Not found",
            ErrorKind::Ambiguous => "Outcome unknown",
            ErrorKind::Network => "Network error",
            ErrorKind::Auth => "Sign-in failed",
            ErrorKind::InvalidResponse => "Unreadable answer from Graph",
        }
    }
}

/// The `code` of an [`ErrorKind::Auth`] error when the token provider says the user must sign
/// in (or consent) interactively.
pub const INTERACTION_REQUIRED: &str = "interaction_required";

/// A failed Graph exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphError {
    pub kind: ErrorKind,
    pub status: Option<u16>,
    /// Graph's `error.code`; branch on this, never on `message`.
    pub code: Option<String>,
    pub message: String,
    pub request_id: Option<String>,
    pub client_request_id: Option<String>,
    pub date: Option<String>,
}

impl GraphError {
    /// An error without an HTTP exchange behind it.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> GraphError {
        GraphError {
            kind,
            status: None,
            code: None,
            message: message.into(),
            request_id: None,
            client_request_id: None,
            date: None,
        }
    }

    /// The kind an HTTP error status maps to (before retry considerations).
    pub fn kind_for_status(status: u16) -> ErrorKind {
        match status {
            401 => ErrorKind::Unauthorized,
            403 => ErrorKind::Forbidden,
            404 => ErrorKind::NotFound,
            429 => ErrorKind::Throttled,
            _ => ErrorKind::Graph,
        }
    }

    /// Builds the error of a non-2xx answer: Graph's error body when there is one
    /// (`{"error":{"code","message","innerError":{"request-id","client-request-id","date"}}}`,
    /// `innerError` possibly nested), else the status line; ids and date fall back on the
    /// `request-id`, `client-request-id` and `Date` response headers.
    pub fn from_response(
        kind: ErrorKind,
        status: u16,
        headers: &[(String, String)],
        body: &str,
    ) -> GraphError {
        let header = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let parsed: Option<Value> = serde_json::from_str(body).ok();
        let error = parsed.as_ref().and_then(|v| v.get("error"));
        let code = error.and_then(|e| string_at(e, "code"));
        let message = error
            .and_then(|e| string_at(e, "message"))
            .or_else(|| {
                let text = body.trim();
                (!text.is_empty() && parsed.is_none() && text.len() <= 300).then(|| text.to_owned())
            })
            .unwrap_or_else(|| format!("HTTP {status} {}", reason(status)));
        let inner = error.and_then(|e| e.get("innerError").or_else(|| e.get("innererror")));
        GraphError {
            kind,
            status: Some(status),
            code,
            message,
            request_id: inner
                .and_then(|i| find_nested(i, "request-id"))
                .or_else(|| header("request-id")),
            client_request_id: inner
                .and_then(|i| find_nested(i, "client-request-id"))
                .or_else(|| header("client-request-id")),
            date: inner
                .and_then(|i| find_nested(i, "date"))
                .or_else(|| header("date")),
        }
    }

    /// True when the outcome of a destructive request is unknown.
    pub fn is_ambiguous(&self) -> bool {
        self.kind == ErrorKind::Ambiguous
    }

    /// True when a destructive request that failed this way may still have been carried out:
    /// its outcome is ambiguous (5xx, reset, timeout), or Graph answered 2xx with a body that
    /// could not be read. Such a request is checked, never re-sent blindly.
    pub fn outcome_unknown(&self) -> bool {
        matches!(self.kind, ErrorKind::Ambiguous | ErrorKind::InvalidResponse)
    }

    /// True when the token provider needs the user to sign in interactively.
    pub fn needs_interaction(&self) -> bool {
        self.kind == ErrorKind::Auth && self.code.as_deref() == Some(INTERACTION_REQUIRED)
    }
}

fn string_at(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .filter(|s| !s.is_empty())
}

/// Finds `key` in an `innerError` chain (Graph nests `innerError` objects).
fn find_nested(inner: &Value, key: &str) -> Option<String> {
    let mut current = Some(inner);
    for _ in 0..8 {
        let node = current?;
        if let Some(found) = string_at(node, key) {
            return Some(found);
        }
        current = node.get("innerError").or_else(|| node.get("innererror"));
    }
    None
}

fn reason(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        424 => "Failed Dependency",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.label())?;
        if let Some(status) = self.status {
            write!(f, " (HTTP {status})")?;
        }
        f.write_str(": ")?;
        if let Some(code) = &self.code {
            write!(f, "{code}: ")?;
        }
        f.write_str(self.message.trim_end())?;
        let mut ids = Vec::new();
        if let Some(v) = &self.request_id {
            ids.push(format!("request-id: {v}"));
        }
        if let Some(v) = &self.client_request_id {
            ids.push(format!("client-request-id: {v}"));
        }
        if let Some(v) = &self.date {
            ids.push(format!("date: {v}"));
        }
        if !ids.is_empty() {
            write!(f, " [{}]", ids.join(", "))?;
        }
        Ok(())
    }
}

impl std::error::Error for GraphError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ambiguous_and_unreadable_answers_leave_the_outcome_unknown() {
        let unknown = [ErrorKind::Ambiguous, ErrorKind::InvalidResponse];
        for kind in [
            ErrorKind::Graph,
            ErrorKind::Throttled,
            ErrorKind::Unauthorized,
            ErrorKind::Forbidden,
            ErrorKind::NotFound,
            ErrorKind::Ambiguous,
            ErrorKind::Network,
            ErrorKind::Auth,
            ErrorKind::InvalidResponse,
        ] {
            assert_eq!(
                GraphError::new(kind, "m").outcome_unknown(),
                unknown.contains(&kind),
                "{kind:?}"
            );
        }
    }

    fn headers() -> Vec<(String, String)> {
        vec![
            ("Request-Id".into(), "hdr-req".into()),
            ("client-request-id".into(), "hdr-client".into()),
            ("Date".into(), "Tue, 01 Jul 2025 10:00:00 GMT".into()),
        ]
    }

    #[test]
    fn reads_graph_error_body_with_nested_inner_error() {
        let body = r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation.","innerError":{"date":"2025-07-01T10:00:01","innerError":{"request-id":"9f3b-req","client-request-id":"77aa-client"}}}}"#;
        let e = GraphError::from_response(ErrorKind::Forbidden, 403, &headers(), body);
        assert_eq!(e.code.as_deref(), Some("Authorization_RequestDenied"));
        assert_eq!(e.request_id.as_deref(), Some("9f3b-req"));
        assert_eq!(e.client_request_id.as_deref(), Some("77aa-client"));
        assert_eq!(e.date.as_deref(), Some("2025-07-01T10:00:01"));
        assert_eq!(
            e.to_string(),
            "Forbidden (HTTP 403): Authorization_RequestDenied: Insufficient privileges to complete the operation. \
             [request-id: 9f3b-req, client-request-id: 77aa-client, date: 2025-07-01T10:00:01]"
        );
    }

    #[test]
    fn falls_back_on_headers_and_status_line() {
        let e = GraphError::from_response(ErrorKind::Graph, 502, &headers(), "");
        assert_eq!(e.code, None);
        assert_eq!(e.message, "HTTP 502 Bad Gateway");
        assert_eq!(e.request_id.as_deref(), Some("hdr-req"));
        assert_eq!(e.client_request_id.as_deref(), Some("hdr-client"));
        assert_eq!(e.date.as_deref(), Some("Tue, 01 Jul 2025 10:00:00 GMT"));
        let e = GraphError::from_response(ErrorKind::Graph, 400, &[], "upstream said no");
        assert_eq!(e.message, "upstream said no");
        assert_eq!(e.to_string(), "Graph error (HTTP 400): upstream said no");
    }

    #[test]
    fn statuses_map_to_kinds() {
        assert_eq!(GraphError::kind_for_status(401), ErrorKind::Unauthorized);
        assert_eq!(GraphError::kind_for_status(403), ErrorKind::Forbidden);
        assert_eq!(GraphError::kind_for_status(404), ErrorKind::NotFound);
        assert_eq!(GraphError::kind_for_status(429), ErrorKind::Throttled);
        assert_eq!(GraphError::kind_for_status(400), ErrorKind::Graph);
    }
}
