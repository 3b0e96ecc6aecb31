//! OData collection pages: `{"value":[…], "@odata.nextLink"?, "@odata.count"?}`.

use serde::Deserialize;

use super::nullable::vec_or_null;

/// One page of a Graph collection.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct ODataPage<T> {
    #[serde(default = "Vec::new", deserialize_with = "vec_or_null")]
    pub value: Vec<T>,
    /// Absolute URL of the next page; request it whole, never build skip tokens.
    #[serde(rename = "@odata.nextLink", default)]
    pub next_link: Option<String>,
    /// Present when `$count=true` was asked.
    #[serde(rename = "@odata.count", default)]
    pub count: Option<u64>,
}

/// A single value wrapped in `{"value": …}` (e.g. `bulkReprovisionCloudPc`'s answer).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ODataValue<T> {
    pub value: T,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_null_pages_parse() {
        let p: ODataPage<u8> =
            serde_json::from_str(r#"{"value":[],"@odata.nextLink":"https://x/y"}"#).unwrap();
        assert!(p.value.is_empty());
        assert_eq!(p.next_link.as_deref(), Some("https://x/y"));
        let p: ODataPage<u8> =
            serde_json::from_str(r#"{"@odata.context":"c","value":null,"@odata.count":7}"#)
                .unwrap();
        assert!(p.value.is_empty());
        assert_eq!(p.count, Some(7));
        assert_eq!(p.next_link, None);
    }
}
