//! The request log and the operation log.
//!
//! The request log records every request the simulator answered on Graph's paths (including
//! each sub-request of a `$batch`); the operation log records every operation actually carried
//! out on tenant state. A throttled or rejected request appears in the first and not in the second.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, VecDeque};

/// One answered request, as served by `GET /_sim/requests`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RecordedRequest {
    pub seq: u64,
    /// When the request arrived (wall clock, RFC 3339).
    pub time: String,
    pub method: String,
    /// The path, e.g. `/beta/deviceManagement/virtualEndpoint/cloudPCs`.
    pub path: String,
    /// The raw query string, without `?`.
    pub query: Option<String>,
    /// Lower-case header names; `authorization` is reduced to its scheme (`"Bearer"`).
    pub headers: BTreeMap<String, String>,
    /// The body: parsed JSON if it was JSON, else the text, else null.
    pub body: Value,
    pub status: u16,
    /// The `request-id` the simulator sent back.
    #[serde(rename = "requestId")]
    pub request_id: String,
    /// For a `$batch` sub-request: the `seq` of the outer batch request.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub batch_id: Option<u64>,
    /// For a `$batch` sub-request: its `id` inside the batch.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sub_id: Option<String>,
}

/// One operation carried out on tenant state, as served by `GET /_sim/operations`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Operation {
    pub seq: u64,
    /// When the operation was carried out (wall clock, RFC 3339).
    pub time: String,
    /// Currently always `"reprovision"`.
    pub kind: String,
    #[serde(rename = "cloudPcId")]
    pub cloud_pc_id: String,
    #[serde(rename = "managedDeviceId")]
    pub managed_device_id: Option<String>,
    /// The parameters requested (`{"osVersion":…, "userAccountType":…}`), or null for none.
    pub params: Option<Value>,
    /// The endpoint through which it came, e.g. `cloudPCs/{id}/reprovision`.
    pub via: String,
    /// The `request-id` of the request that caused it (for a bulk action: the request that
    /// created or retried it).
    #[serde(rename = "requestId")]
    pub request_id: Option<String>,
    /// For operations of a bulk action: its id.
    #[serde(
        rename = "bulkActionId",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub bulk_action_id: Option<String>,
}

/// A bounded log: the oldest entries are dropped beyond `capacity`.
#[derive(Debug)]
pub struct BoundedLog<T> {
    entries: VecDeque<T>,
    capacity: usize,
}

impl<T: Clone> BoundedLog<T> {
    pub fn new(capacity: usize) -> Self {
        BoundedLog {
            entries: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    pub fn push(&mut self, entry: T) {
        if self.entries.len() == self.capacity {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    pub fn snapshot(&self) -> Vec<T> {
        self.entries.iter().cloned().collect()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Reduces an `Authorization` header value to its scheme, so tokens never reach the log.
pub fn redact_authorization(value: &str) -> String {
    value
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string()
}

/// The body as recorded: parsed JSON if it parses, else the text, else null.
pub fn recorded_body(bytes: &[u8]) -> Value {
    if bytes.is_empty() {
        return Value::Null;
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(v) => v,
        Err(_) => Value::String(String::from_utf8_lossy(bytes).into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_log_drops_oldest() {
        let mut log = BoundedLog::new(2);
        log.push(1);
        log.push(2);
        log.push(3);
        assert_eq!(log.snapshot(), vec![2, 3]);
        log.clear();
        assert!(log.is_empty());
    }

    #[test]
    fn authorization_is_reduced_to_scheme() {
        assert_eq!(redact_authorization("Bearer eyJ0eXAi.secret"), "Bearer");
        assert_eq!(redact_authorization(""), "");
    }

    #[test]
    fn bodies_are_parsed_when_json() {
        assert_eq!(recorded_body(b""), Value::Null);
        assert_eq!(recorded_body(br#"{"a":1}"#)["a"], 1);
        assert_eq!(recorded_body(b"{a:1}"), Value::String("{a:1}".into()));
    }
}
