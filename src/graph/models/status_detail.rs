//! `cloudPcStatusDetail` / `cloudPcStatusDetails`: why a Cloud PC or an action is in its state.

use serde::{Deserialize, Serialize};

use super::nullable::vec_or_null;

/// `keyValuePair`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyValuePair {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub value: Option<String>,
}

/// `cloudPcStatusDetail` (and the older, identical `cloudPcStatusDetails`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudPcStatusDetail {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default, deserialize_with = "vec_or_null")]
    pub additional_information: Vec<KeyValuePair>,
}

/// The deprecated `cloudPcStatusDetails` type has the same members as `cloudPcStatusDetail`.
pub type CloudPcStatusDetails = CloudPcStatusDetail;

impl CloudPcStatusDetail {
    /// One line for the operator: `code: message`, either part when the other is missing.
    pub fn summary(&self) -> String {
        match (self.code.as_deref(), self.message.as_deref()) {
            (Some(c), Some(m)) if !c.is_empty() && !m.is_empty() => format!("{c}: {m}"),
            (Some(c), _) if !c.is_empty() => c.to_owned(),
            (_, Some(m)) => m.to_owned(),
            _ => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_additional_information_and_ignores_extra_members() {
        let d: CloudPcStatusDetail = serde_json::from_value(serde_json::json!({
            "@odata.type": "microsoft.graph.cloudPcStatusDetail",
            "code": "internalServerError",
            "message": "There was an internal server error. Please contact support xxx.",
            "additionalInformation": [{"@odata.type": "microsoft.graph.keyValuePair", "name": "correlationId", "value": "52367774-cfb7-4e9c-ab51-1b864c6f11b1"}],
            "somethingNew": 3
        }))
        .unwrap();
        assert_eq!(d.code.as_deref(), Some("internalServerError"));
        assert_eq!(d.additional_information.len(), 1);
        assert_eq!(d.additional_information[0].name, "correlationId");
        assert_eq!(
            d.summary(),
            "internalServerError: There was an internal server error. Please contact support xxx."
        );
    }

    #[test]
    fn null_additional_information_is_empty() {
        let d: CloudPcStatusDetail =
            serde_json::from_str(r#"{"code":null,"message":"m","additionalInformation":null}"#)
                .unwrap();
        assert!(d.additional_information.is_empty());
        assert_eq!(d.summary(), "m");
    }
}
