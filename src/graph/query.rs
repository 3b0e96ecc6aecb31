//! OData query options for collections, and the percent-encoding of paths and query values.

/// Query options for listing Cloud PCs. `$orderby` and `$search` are not documented for
/// cloudPCs, so they are not offered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CloudPcQuery {
    /// `$select`: property names; empty means all.
    pub select: Vec<String>,
    /// `$filter`, e.g. `productType eq 'enterprise'` (build literals with [`odata_string`]).
    pub filter: Option<String>,
    /// `$top`: page size.
    pub top: Option<u32>,
    /// `$count=true`.
    pub count: bool,
}

impl CloudPcQuery {
    /// The query string (without `?`), empty when no option is set.
    pub fn to_query_string(&self) -> String {
        let mut parts = Vec::new();
        if !self.select.is_empty() {
            let names: Vec<String> = self
                .select
                .iter()
                .map(|s| encode_query_value(s.trim()))
                .collect();
            parts.push(format!("$select={}", names.join(",")));
        }
        if let Some(filter) = self.filter.as_deref().filter(|f| !f.trim().is_empty()) {
            parts.push(format!("$filter={}", encode_query_value(filter.trim())));
        }
        if let Some(top) = self.top {
            parts.push(format!("$top={top}"));
        }
        if self.count {
            parts.push("$count=true".to_owned());
        }
        parts.join("&")
    }

    /// `path` with this query appended.
    pub fn apply(&self, path: &str) -> String {
        let q = self.to_query_string();
        if q.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{q}")
        }
    }
}

/// An OData string literal: `'…'` with single quotes doubled.
pub fn odata_string(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// `property eq '…'`, the filter the console uses most.
pub fn filter_eq(property: &str, value: &str) -> String {
    format!("{property} eq {}", odata_string(value))
}

/// Percent-encodes one path segment (an id): everything but RFC 3986 unreserved characters.
/// An empty, `.` or `..` segment (which a URL parser would drop or resolve, reaching another
/// resource) is prefixed with `%20` so that it stays a literal, non-existent id.
pub fn encode_path_segment(segment: &str) -> String {
    let encoded = encode(segment, |_| false);
    if segment.bytes().all(|b| b == b'.') {
        format!("%20{encoded}")
    } else {
        encoded
    }
}

/// Percent-encodes a query value: like a path segment, but keeps the sub-delimiters OData
/// expressions use (`'`, `(`, `)`, `,`, `:`, `@`, `/`) readable. Spaces become `%20`.
pub fn encode_query_value(value: &str) -> String {
    encode(value, |b| {
        matches!(b, b'\'' | b'(' | b')' | b',' | b':' | b'@' | b'/' | b'$')
    })
}

fn encode(input: &str, keep: impl Fn(u8) -> bool) -> String {
    let mut out = String::with_capacity(input.len());
    for &b in input.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') || keep(b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_string_has_every_option_encoded() {
        let q = CloudPcQuery {
            select: vec!["id".into(), "displayName".into(), "status".into()],
            filter: Some(filter_eq("userPrincipalName", "o'brien+x@contoso.com")),
            top: Some(100),
            count: true,
        };
        assert_eq!(
            q.to_query_string(),
            "$select=id,displayName,status&$filter=userPrincipalName%20eq%20'o''brien%2Bx@contoso.com'&$top=100&$count=true"
        );
        assert_eq!(
            CloudPcQuery::default().apply("/me/cloudPCs"),
            "/me/cloudPCs"
        );
    }

    #[test]
    fn path_segments_escape_everything_dangerous() {
        assert_eq!(
            encode_path_segment("4b5ad5e0-6a0b-4ffc-818d-36bb23cf4dbd"),
            "4b5ad5e0-6a0b-4ffc-818d-36bb23cf4dbd"
        );
        assert_eq!(encode_path_segment("../x?y=1&z#"), "..%2Fx%3Fy%3D1%26z%23");
        assert_eq!(encode_path_segment("é"), "%C3%A9");
        assert_eq!(encode_path_segment(".."), "%20..");
        assert_eq!(encode_path_segment(""), "%20");
    }
}
