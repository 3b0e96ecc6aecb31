//! A Graph request as the simulator handles it (whether it arrived over HTTP or inside a
//! `$batch`), the reply, and Graph's error shape.

use crate::clock::now_stamp;
use bytes::Bytes;
use serde_json::{json, Value};

/// The content type Graph sends with JSON payloads.
pub const JSON_CONTENT_TYPE: &str =
    "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

/// One request to a Graph path.
#[derive(Debug, Clone)]
pub struct GraphRequest {
    /// Upper-case method.
    pub method: String,
    /// The path as sent (percent-encoded), e.g. `/beta/deviceManagement/virtualEndpoint/cloudPCs`.
    pub path: String,
    /// The raw query string, without `?`.
    pub query: Option<String>,
    /// Headers with lower-case names.
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
    /// `http://host:port` as the caller addressed the simulator (for `@odata.nextLink`).
    pub base_url: String,
}

impl GraphRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn is_write(&self) -> bool {
        !matches!(self.method.as_str(), "GET" | "HEAD" | "OPTIONS")
    }

    /// Whether the caller asked for evolvable enum members (`Prefer: include-unknown-enum-members`).
    pub fn wants_unknown_enum_members(&self) -> bool {
        self.headers.iter().any(|(n, v)| {
            n == "prefer"
                && v.split(',').any(|p| {
                    p.trim()
                        .eq_ignore_ascii_case("include-unknown-enum-members")
                })
        })
    }
}

/// A Graph error before the per-request details (`innerError`) are added.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphError {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub headers: Vec<(String, String)>,
}

impl GraphError {
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        GraphError {
            status,
            code: code.into(),
            message: message.into(),
            headers: Vec::new(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "BadRequest", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, "ResourceNotFound", message)
    }

    /// Graph's answer to a path it does not know.
    pub fn unknown_segment(segment: &str) -> Self {
        Self::bad_request(format!("Resource not found for the segment '{segment}'."))
    }

    pub fn method_not_allowed(method: &str) -> Self {
        Self::new(
            405,
            "BadRequest",
            format!("The HTTP method '{method}' is not allowed for this resource."),
        )
    }

    /// The answer to a body that is not JSON.
    pub fn unreadable_body() -> Self {
        Self::bad_request(
            "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
        )
    }

    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The JSON body, with `innerError` naming this request.
    pub fn body(&self, request_id: &str, client_request_id: Option<&str>) -> Value {
        let mut inner = json!({
            "date": now_stamp().trim_end_matches('Z').split('.').next().unwrap_or_default(),
            "request-id": request_id,
            "client-request-id": client_request_id.unwrap_or(request_id),
        });
        if self.status == 429 {
            inner["code"] = json!("429");
            inner["status"] = json!("429");
            inner["message"] = json!("Please retry after");
        }
        json!({"error": {"code": self.code, "message": self.message, "innerError": inner}})
    }
}

/// A reply body.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    None,
    Json(Value),
}

/// What a handler answers.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

impl Reply {
    pub fn json(status: u16, value: Value) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: Body::Json(value),
        }
    }

    pub fn empty(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: Body::None,
        }
    }

    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Turns an error into its reply for the given request.
    pub fn error(err: &GraphError, request_id: &str, client_request_id: Option<&str>) -> Self {
        Reply {
            status: err.status,
            headers: err.headers.clone(),
            body: Body::Json(err.body(request_id, client_request_id)),
        }
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Handler results.
pub type GraphResult = Result<Reply, GraphError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_shape() {
        let e = GraphError::new(401, "InvalidAuthenticationToken", "Access token is empty.");
        let v = e.body("rid", Some("cid"));
        assert_eq!(v["error"]["code"], "InvalidAuthenticationToken");
        assert_eq!(v["error"]["message"], "Access token is empty.");
        assert_eq!(v["error"]["innerError"]["request-id"], "rid");
        assert_eq!(v["error"]["innerError"]["client-request-id"], "cid");
        assert!(v["error"]["innerError"]["date"]
            .as_str()
            .unwrap()
            .contains('T'));
    }

    #[test]
    fn prefer_header() {
        let mut r = GraphRequest {
            method: "GET".into(),
            path: "/beta".into(),
            query: None,
            headers: vec![(
                "prefer".into(),
                "odata.maxpagesize=5, include-unknown-enum-members".into(),
            )],
            body: Bytes::new(),
            base_url: "http://127.0.0.1:1".into(),
        };
        assert!(r.wants_unknown_enum_members());
        r.headers.clear();
        assert!(!r.wants_unknown_enum_members());
    }
}
