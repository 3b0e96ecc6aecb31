//! OData query options of collection requests: `$top`, `$skiptoken`, `$select`, `$count` and
//! `$filter` (`eq`/`ne` on string and enum properties, `in`, `startswith`, `and`/`or`/`not`,
//! parentheses), with Graph-shaped 400s for everything else.

use crate::graph::GraphError;
use crate::model::{enum_members, CloudPc, BETA_CLOUD_PC_PROPERTIES};
use serde_json::{Map, Value};

/// Parsed query options.
#[derive(Debug, Clone, Default)]
pub struct QueryOptions {
    pub top: Option<usize>,
    /// The offset encoded in `$skiptoken`.
    pub offset: usize,
    pub select: Option<Vec<String>>,
    pub filter: Option<Filter>,
    pub count: bool,
    /// The decoded pairs of the query other than `$skiptoken`, to build `@odata.nextLink`.
    pub carried: Vec<(String, String)>,
}

fn not_allowed(name: &str) -> GraphError {
    let pretty = match name {
        "orderby" => "OrderBy",
        "skip" => "Skip",
        "search" => "Search",
        "expand" => "Expand",
        "format" => "Format",
        "apply" => "Apply",
        other => other,
    };
    GraphError::bad_request(format!(
        "Query option '{pretty}' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings."
    ))
}

/// Parses the query string of a collection request.
pub fn parse_query(query: Option<&str>) -> Result<QueryOptions, GraphError> {
    let mut out = QueryOptions::default();
    let Some(q) = query else { return Ok(out) };
    for (name, value) in form_urlencoded::parse(q.as_bytes()) {
        let (name, value) = (name.into_owned(), value.into_owned());
        let dollar = name.starts_with('$');
        let bare = name.trim_start_matches('$').to_ascii_lowercase();
        match bare.as_str() {
            "top" => {
                let n: usize = value.trim().parse().map_err(|_| {
                    GraphError::bad_request(format!(
                        "Invalid value '{value}' for $top query option found. The $top query option requires a non-negative integer value."
                    ))
                })?;
                out.top = Some(n);
            }
            "skiptoken" => {
                out.offset = decode_skip_token(&value).ok_or_else(|| {
                    GraphError::bad_request("The $skiptoken value is not valid or has expired.")
                })?;
                continue;
            }
            "select" => {
                let mut props = Vec::new();
                for p in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    props.push(canonical_property(p)?.to_string());
                }
                out.select = Some(props);
            }
            "filter" => out.filter = Some(parse_filter(&value)?),
            "count" => {
                out.count = match value.trim().to_ascii_lowercase().as_str() {
                    "true" => true,
                    "false" => false,
                    _ => {
                        return Err(GraphError::bad_request(format!(
                            "'{value}' is not a valid count option."
                        )))
                    }
                }
            }
            "orderby" | "skip" | "search" | "expand" | "format" | "apply" => {
                return Err(not_allowed(&bare))
            }
            _ if dollar => {
                return Err(GraphError::bad_request(format!(
                    "Unrecognized query argument specified: '{name}'."
                )))
            }
            // Without `$`, unknown names are ordinary parameters that this resource ignores.
            _ => {}
        }
        out.carried.push((name, value));
    }
    Ok(out)
}

const SKIP_KEY: u64 = 0x5eed_c10d_a7e5;

/// Encodes a paging offset as an opaque `$skiptoken`.
pub fn encode_skip_token(offset: usize) -> String {
    format!("RFNwdCB{:012x}", (offset as u64) ^ SKIP_KEY)
}

fn decode_skip_token(token: &str) -> Option<usize> {
    let hex = token.strip_prefix("RFNwdCB")?;
    if hex.len() != 12 {
        return None;
    }
    let v = u64::from_str_radix(hex, 16).ok()? ^ SKIP_KEY;
    usize::try_from(v).ok()
}

/// The next-page link for a page that ended at `offset`.
pub fn next_link(base_url: &str, path: &str, opts: &QueryOptions, offset: usize) -> String {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in &opts.carried {
        ser.append_pair(k, v);
    }
    ser.append_pair("$skiptoken", &encode_skip_token(offset));
    // Keep `$` readable, as Graph does.
    let q = ser.finish().replace("%24", "$");
    format!("{base_url}{path}?{q}")
}

fn unknown_property(p: &str) -> GraphError {
    GraphError::bad_request(format!(
        "Could not find a property named '{p}' on type 'microsoft.graph.cloudPC'."
    ))
}

/// The canonical spelling of a `cloudPC` property (names match case-insensitively).
pub fn canonical_property(p: &str) -> Result<&'static str, GraphError> {
    BETA_CLOUD_PC_PROPERTIES
        .iter()
        .find(|c| c.eq_ignore_ascii_case(p))
        .copied()
        .ok_or_else(|| unknown_property(p))
}

/// Keeps only the selected properties of a serialized entity.
pub fn apply_select(entity: Value, select: &[String]) -> Value {
    match entity {
        Value::Object(mut o) => {
            let mut out = Map::new();
            for p in select {
                out.insert(p.clone(), o.remove(p).unwrap_or(Value::Null));
            }
            Value::Object(out)
        }
        other => other,
    }
}

/// A parsed `$filter`.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    Eq(&'static str, Option<String>),
    Ne(&'static str, Option<String>),
    In(&'static str, Vec<Option<String>>),
    StartsWith(&'static str, String),
}

impl Filter {
    /// Whether a Cloud PC matches. String comparisons ignore case, as Intune's do.
    pub fn matches(&self, pc: &CloudPc) -> bool {
        let get = |p: &str| pc.string_prop(p).flatten();
        let eq = |a: Option<&str>, b: &Option<String>| match (a, b) {
            (None, None) => true,
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            _ => false,
        };
        match self {
            Filter::And(a, b) => a.matches(pc) && b.matches(pc),
            Filter::Or(a, b) => a.matches(pc) || b.matches(pc),
            Filter::Not(a) => !a.matches(pc),
            Filter::Eq(p, v) => eq(get(p), v),
            Filter::Ne(p, v) => !eq(get(p), v),
            Filter::In(p, vs) => vs.iter().any(|v| eq(get(p), v)),
            Filter::StartsWith(p, prefix) => get(p).is_some_and(|s| {
                s.len() >= prefix.len()
                    && s.is_char_boundary(prefix.len())
                    && s[..prefix.len()].eq_ignore_ascii_case(prefix)
            }),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Num(String),
    Open,
    Close,
    Comma,
}

fn invalid(msg: impl Into<String>) -> GraphError {
    GraphError::bad_request(format!("Invalid filter clause: {}", msg.into()))
}

fn tokenize(s: &str) -> Result<Vec<Tok>, GraphError> {
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push(Tok::Open);
                i += 1
            }
            ')' => {
                out.push(Tok::Close);
                i += 1
            }
            ',' => {
                out.push(Tok::Comma);
                i += 1
            }
            '\'' => {
                let mut v = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(invalid("unterminated string literal")),
                        Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                            v.push('\'');
                            i += 2;
                        }
                        Some('\'') => {
                            i += 1;
                            break;
                        }
                        Some(ch) => {
                            v.push(*ch);
                            i += 1;
                        }
                    }
                }
                out.push(Tok::Str(v));
            }
            c if c.is_ascii_digit() || c == '-' => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_ascii_alphanumeric() || "-.:".contains(chars[i]))
                {
                    i += 1;
                }
                out.push(Tok::Num(chars[start..i].iter().collect()));
            }
            c if c.is_alphabetic() || c == '_' || c == '@' || c == '$' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || "_./@$".contains(chars[i]))
                {
                    i += 1;
                }
                out.push(Tok::Ident(chars[start..i].iter().collect()));
            }
            other => return Err(invalid(format!("unexpected character '{other}'"))),
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

fn kw(t: Option<&Tok>, word: &str) -> bool {
    matches!(t, Some(Tok::Ident(w)) if w.eq_ignore_ascii_case(word))
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn expect(&mut self, t: Tok, what: &str) -> Result<(), GraphError> {
        if self.next() == Some(t) {
            Ok(())
        } else {
            Err(invalid(format!("expected {what}")))
        }
    }

    fn or(&mut self) -> Result<Filter, GraphError> {
        let mut left = self.and()?;
        while kw(self.peek(), "or") {
            self.pos += 1;
            let right = self.and()?;
            left = Filter::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Filter, GraphError> {
        let mut left = self.unary()?;
        while kw(self.peek(), "and") {
            self.pos += 1;
            let right = self.unary()?;
            left = Filter::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Filter, GraphError> {
        if kw(self.peek(), "not") {
            self.pos += 1;
            return Ok(Filter::Not(Box::new(self.unary()?)));
        }
        if self.peek() == Some(&Tok::Open) {
            self.pos += 1;
            let inner = self.or()?;
            self.expect(Tok::Close, "')'")?;
            return Ok(inner);
        }
        let name = match self.next() {
            Some(Tok::Ident(n)) => n,
            Some(other) => return Err(invalid(format!("unexpected {other:?}"))),
            None => return Err(invalid("the expression ends too early")),
        };
        if self.peek() == Some(&Tok::Open) {
            return self.function(&name);
        }
        let prop = filterable(&name)?;
        let op = match self.next() {
            Some(Tok::Ident(op)) => op.to_ascii_lowercase(),
            _ => return Err(invalid(format!("expected an operator after '{name}'"))),
        };
        match op.as_str() {
            "eq" | "ne" => {
                let v = self.literal(prop)?;
                Ok(if op == "eq" {
                    Filter::Eq(prop, v)
                } else {
                    Filter::Ne(prop, v)
                })
            }
            "in" => {
                self.expect(Tok::Open, "'(' after 'in'")?;
                let mut vs = vec![self.literal(prop)?];
                while self.peek() == Some(&Tok::Comma) {
                    self.pos += 1;
                    vs.push(self.literal(prop)?);
                }
                self.expect(Tok::Close, "')'")?;
                Ok(Filter::In(prop, vs))
            }
            "gt" | "ge" | "lt" | "le" | "has" => Err(GraphError::bad_request(format!(
                "Invalid filter clause: the operator '{op}' is not supported for property '{prop}' of 'microsoft.graph.cloudPC'."
            ))),
            other => Err(invalid(format!("unknown operator '{other}'"))),
        }
    }

    fn function(&mut self, name: &str) -> Result<Filter, GraphError> {
        if !name.eq_ignore_ascii_case("startswith") {
            return Err(GraphError::bad_request(format!(
                "Invalid filter clause: the function '{name}' is not supported for 'microsoft.graph.cloudPC'."
            )));
        }
        self.expect(Tok::Open, "'('")?;
        let prop = match self.next() {
            Some(Tok::Ident(p)) => filterable(&p)?,
            _ => return Err(invalid("startswith expects a property name")),
        };
        self.expect(Tok::Comma, "','")?;
        let prefix = match self.next() {
            Some(Tok::Str(s)) => s,
            _ => return Err(invalid("startswith expects a string literal")),
        };
        self.expect(Tok::Close, "')'")?;
        Ok(Filter::StartsWith(prop, prefix))
    }

    fn literal(&mut self, prop: &str) -> Result<Option<String>, GraphError> {
        match self.next() {
            Some(Tok::Str(s)) => {
                if let Some((ty, members)) = enum_members(prop) {
                    if !members.iter().any(|m| m.eq_ignore_ascii_case(&s)) {
                        return Err(GraphError::bad_request(format!(
                            "The string '{s}' is not a valid enumerated type constant for '{ty}'."
                        )));
                    }
                }
                Ok(Some(s))
            }
            Some(Tok::Ident(w)) if w.eq_ignore_ascii_case("null") => Ok(None),
            Some(Tok::Ident(w)) | Some(Tok::Num(w)) => Err(GraphError::bad_request(format!(
                "Invalid filter clause: a binary operator with incompatible types was detected. Found operand types 'Edm.String' and '{w}' for property '{prop}'."
            ))),
            _ => Err(invalid(format!("expected a literal to compare '{prop}' with"))),
        }
    }
}

fn filterable(name: &str) -> Result<&'static str, GraphError> {
    let canonical = canonical_property(name)?;
    let probe = CloudPc {
        id: String::new(),
        aad_device_id: None,
        display_name: None,
        image_display_name: None,
        managed_device_id: None,
        managed_device_name: None,
        provisioning_policy_id: None,
        provisioning_policy_name: None,
        on_premises_connection_name: None,
        service_plan_id: None,
        service_plan_name: None,
        service_plan_type: None,
        status: String::new(),
        status_detail: None,
        status_details: None,
        user_principal_name: None,
        last_modified_date_time: None,
        provisioned_date_time: None,
        grace_period_end_date_time: None,
        provisioning_type: None,
        product_type: None,
        os_version: None,
        user_account_type: None,
        disk_encryption_state: None,
        power_state: None,
        device_region_name: None,
        user_experience_type: None,
        last_login_result: None,
        last_remote_action_result: None,
        scope_ids: Vec::new(),
        extra: Map::new(),
    };
    if probe.string_prop(canonical).is_none() {
        return Err(GraphError::bad_request(format!(
            "Invalid filter clause: filtering on property '{canonical}' of 'microsoft.graph.cloudPC' is not supported."
        )));
    }
    Ok(canonical)
}

/// Parses a `$filter` expression.
pub fn parse_filter(s: &str) -> Result<Filter, GraphError> {
    let toks = tokenize(s)?;
    if toks.is_empty() {
        return Err(invalid("the expression is empty"));
    }
    let mut p = Parser { toks, pos: 0 };
    let f = p.or()?;
    if p.pos != p.toks.len() {
        return Err(invalid(format!(
            "unexpected {:?} after a complete expression",
            p.toks[p.pos]
        )));
    }
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pc(v: Value) -> CloudPc {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn filters_match() {
        let a = pc(
            json!({"id":"1","displayName":"CPC-alexw-AAAAA","status":"provisioned","productType":"enterprise",
                          "userPrincipalName":"alex.wilber@contoso.onmicrosoft.com"}),
        );
        let b = pc(
            json!({"id":"2","displayName":"CPC-megab-BBBBB","status":"failed","productType":"business"}),
        );
        let cases = [
            ("status eq 'provisioned'", true, false),
            ("status ne 'provisioned'", false, true),
            (
                "productType eq 'enterprise' and status eq 'provisioned'",
                true,
                false,
            ),
            (
                "productType eq 'business' or status eq 'provisioned'",
                true,
                true,
            ),
            ("startswith(displayName,'CPC-alex')", true, false),
            ("startswith(displayName, 'cpc-')", true, true),
            ("status in ('failed','provisioning')", false, true),
            (
                "userPrincipalName eq 'Alex.Wilber@contoso.onmicrosoft.com'",
                true,
                false,
            ),
            ("userPrincipalName eq null", false, true),
            ("not (status eq 'failed')", true, false),
            (
                "(status eq 'failed' or status eq 'provisioned') and productType ne 'business'",
                true,
                false,
            ),
            ("displayName eq 'it''s'", false, false),
        ];
        for (f, ea, eb) in cases {
            let parsed = parse_filter(f).unwrap_or_else(|e| panic!("{f}: {e:?}"));
            assert_eq!(parsed.matches(&a), ea, "{f} on a");
            assert_eq!(parsed.matches(&b), eb, "{f} on b");
        }
    }

    #[test]
    fn unsupported_filters_are_graph_400s() {
        for f in [
            "status gt 'a'",
            "contains(displayName,'x')",
            "nosuch eq 'x'",
            "status eq 'notAStatus'",
            "status eq",
            "status eq 'provisioned' and",
            "(status eq 'failed'",
            "lastModifiedDateTime eq 2024-01-01",
            "status eq 'x",
            "displayName eq 5",
            "",
        ] {
            let e = parse_filter(f).expect_err(f);
            assert_eq!(e.status, 400, "{f}");
            assert_eq!(e.code, "BadRequest", "{f}");
        }
        assert!(parse_filter("nosuch eq 'x'")
            .unwrap_err()
            .message
            .contains("Could not find a property named 'nosuch'"));
    }

    #[test]
    fn query_options() {
        let o = parse_query(Some(
            "$top=5&$select=id,displayName&$count=true&$filter=status%20eq%20'failed'",
        ))
        .unwrap();
        assert_eq!(o.top, Some(5));
        assert_eq!(
            o.select.as_deref(),
            Some(&["id".to_string(), "displayName".to_string()][..])
        );
        assert!(o.count);
        assert!(o.filter.is_some());
        // Beta accepts options without `$`.
        assert_eq!(parse_query(Some("top=7")).unwrap().top, Some(7));
        for bad in [
            "$top=-1",
            "$top=abc",
            "$orderby=displayName",
            "$search=x",
            "$skip=3",
            "$foo=1",
            "$select=nope",
            "$count=maybe",
            "$skiptoken=garbage",
        ] {
            assert_eq!(parse_query(Some(bad)).unwrap_err().status, 400, "{bad}");
        }
        assert!(parse_query(Some("$orderby=x"))
            .unwrap_err()
            .message
            .contains("'OrderBy' is not allowed"));
        assert!(parse_query(Some("unrelated=1")).is_ok());
    }

    #[test]
    fn skip_tokens_round_trip_and_links_carry_options() {
        let o = parse_query(Some("$top=2&$filter=status eq 'failed'")).unwrap();
        let link = next_link("http://127.0.0.1:9", "/beta/x", &o, 40);
        assert!(
            link.starts_with("http://127.0.0.1:9/beta/x?$top=2&$filter="),
            "{link}"
        );
        let q = link.split_once('?').unwrap().1;
        let again = parse_query(Some(q)).unwrap();
        assert_eq!(again.offset, 40);
        assert_eq!(again.top, Some(2));
        assert!(again.filter.is_some());
        // A link built from a link does not accumulate skip tokens.
        let link2 = next_link("http://h", "/p", &again, 42);
        assert_eq!(link2.matches("skiptoken").count(), 1);
    }

    #[test]
    fn select_keeps_only_selected() {
        let v = apply_select(
            json!({"id":"1","displayName":"x","status":"y"}),
            &["displayName".into(), "status".into()],
        );
        assert_eq!(v, json!({"displayName":"x","status":"y"}));
        assert_eq!(canonical_property("DISPLAYNAME").unwrap(), "displayName");
    }
}
