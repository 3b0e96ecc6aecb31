//! A Graph request as the console thinks of it: method, path under the version root, JSON body,
//! and whether repeating it could do harm.

use std::fmt;

/// The HTTP methods the console uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Patch,
    Delete,
}

impl Method {
    /// The method name as sent on the wire.
    pub fn as_str(&self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One Graph request, built by [`crate::graph::calls`].
#[derive(Debug, Clone, PartialEq)]
pub struct GraphRequest {
    pub method: Method,
    /// Relative to the version root, starts with '/', query included, e.g.
    /// `/deviceManagement/virtualEndpoint/cloudPCs?$top=100`.
    pub path: String,
    pub body: Option<serde_json::Value>,
    /// True for requests that change a Cloud PC (reprovision, bulk create, retry): after an
    /// ambiguous failure they are never repeated automatically.
    pub destructive: bool,
}

impl GraphRequest {
    /// A GET of `path`.
    pub fn get(path: impl Into<String>) -> GraphRequest {
        GraphRequest {
            method: Method::Get,
            path: path.into(),
            body: None,
            destructive: false,
        }
    }

    /// A destructive POST of `path` with an optional JSON body.
    pub fn destructive_post(
        path: impl Into<String>,
        body: Option<serde_json::Value>,
    ) -> GraphRequest {
        GraphRequest {
            method: Method::Post,
            path: path.into(),
            body,
            destructive: true,
        }
    }

    /// True when repeating the request after an unclear failure cannot do harm (GET only).
    pub fn is_idempotent(&self) -> bool {
        self.method == Method::Get
    }

    /// `METHOD /path`, for logs and error messages.
    pub fn describe(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}
