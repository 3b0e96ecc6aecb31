//! Parses a pasted or uploaded list (plain text or CSV) into identifiers, one per line, keeping
//! the line number of each so the import report can speak about every line.
//!
//! Handles a UTF-8 byte-order mark, `\r\n`/`\r`/`\n` line ends, comma, semicolon or tab
//! separators, double-quoted fields (with `""` escapes), a header row, blank lines and duplicates.

use std::collections::HashMap;

/// Most lines one import may hold; a longer list is refused whole, with this number in the message.
pub const MAX_IMPORT_LINES: usize = 20_000;
/// Longest identifier accepted (device names are at most 15 characters, UPNs at most 113).
pub const MAX_IDENTIFIER_LEN: usize = 256;

/// What kind of identifier a line holds, judged from its shape alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Identifier {
    /// A GUID: a Cloud PC id or an Intune managed device id.
    Guid(String),
    /// A user principal name (`someone@contoso.com`).
    UserPrincipalName(String),
    /// A device name (Cloud PC display name or managed device name).
    DeviceName(String),
}

impl Identifier {
    pub fn as_str(&self) -> &str {
        match self {
            Identifier::Guid(s) | Identifier::UserPrincipalName(s) | Identifier::DeviceName(s) => s,
        }
    }
}

/// One line of the import after parsing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParsedLine {
    Entry(Identifier),
    /// Not usable; the reason says why, in the operator's words.
    Invalid(String),
    /// The same identifier (case-insensitively) as an earlier line.
    Duplicate {
        first_line: usize,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportLine {
    /// 1-based line number in the operator's text.
    pub line: usize,
    /// The text of the line as given (trimmed), for the report.
    pub text: String,
    pub parsed: ParsedLine,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedImport {
    pub lines: Vec<ImportLine>,
    /// The header row's line number, when one was recognised.
    pub header_line: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    NotText,
    TooManyLines { lines: usize, limit: usize },
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::NotText => write!(f, "The file is not text (UTF-8). Export the list as CSV or plain text and try again."),
            ImportError::TooManyLines { lines, limit } => write!(f, "The list has {lines} lines; one import takes at most {limit}. Split it into smaller lists."),
        }
    }
}

/// Column names recognised in a header row, in the order of preference for a row's identifier.
const HEADER_COLUMNS: &[&str] = &[
    "cloudpcid",
    "id",
    "manageddeviceid",
    "deviceid",
    "intunedeviceid",
    "displayname",
    "devicename",
    "manageddevicename",
    "name",
    "cloudpcname",
    "userprincipalname",
    "upn",
    "user",
    "email",
];

/// Parses raw bytes (an uploaded file).
pub fn parse_bytes(bytes: &[u8]) -> Result<ParsedImport, ImportError> {
    let text = std::str::from_utf8(bytes).map_err(|_| ImportError::NotText)?;
    parse_text(text)
}

/// Parses text (pasted or decoded).
pub fn parse_text(text: &str) -> Result<ParsedImport, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw_lines = split_lines(text);
    let counted = raw_lines.iter().filter(|l| !l.trim().is_empty()).count();
    if counted > MAX_IMPORT_LINES {
        return Err(ImportError::TooManyLines {
            lines: counted,
            limit: MAX_IMPORT_LINES,
        });
    }

    let mut header: Option<(usize, Vec<usize>)> = None; // line, column indexes by preference
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut lines = Vec::new();
    for (index, raw) in raw_lines.iter().enumerate() {
        let line = index + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            continue;
        }
        let fields = split_fields(trimmed);
        if header.is_none() && lines.is_empty() {
            if let Some(columns) = header_columns(&fields) {
                header = Some((line, columns));
                continue;
            }
        }
        let value = match &header {
            Some((_, columns)) => columns
                .iter()
                .filter_map(|&c| fields.get(c))
                .map(|f| f.trim())
                .find(|f| !f.is_empty())
                .map(str::to_string),
            None => fields
                .iter()
                .map(|f| f.trim())
                .find(|f| !f.is_empty())
                .map(str::to_string),
        };
        let parsed = match value {
            None => ParsedLine::Invalid("No identifier in the expected column.".into()),
            Some(value) => match classify(&value) {
                Err(reason) => ParsedLine::Invalid(reason),
                Ok(identifier) => {
                    let key = identifier.as_str().to_lowercase();
                    match seen.get(&key) {
                        Some(&first_line) => ParsedLine::Duplicate { first_line },
                        None => {
                            seen.insert(key, line);
                            ParsedLine::Entry(identifier)
                        }
                    }
                }
            },
        };
        lines.push(ImportLine {
            line,
            text: truncate_for_report(trimmed),
            parsed,
        });
    }
    Ok(ParsedImport {
        lines,
        header_line: header.map(|(line, _)| line),
    })
}

/// Judges an identifier by its shape.
pub fn classify(value: &str) -> Result<Identifier, String> {
    if value.chars().any(|c| c.is_control()) {
        return Err("Contains control characters.".into());
    }
    if value.chars().count() > MAX_IDENTIFIER_LEN {
        return Err(format!(
            "Longer than {MAX_IDENTIFIER_LEN} characters: not a device name, id or user."
        ));
    }
    let braced = value
        .strip_prefix('{')
        .and_then(|v| v.strip_suffix('}'))
        .unwrap_or(value);
    if crate::config::is_guid(braced) {
        return Ok(Identifier::Guid(braced.to_lowercase()));
    }
    if value.contains('@') {
        let mut parts = value.split('@');
        let (local, domain) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        if parts.next().is_none()
            && !local.is_empty()
            && domain.contains('.')
            && !value.chars().any(char::is_whitespace)
        {
            return Ok(Identifier::UserPrincipalName(value.to_string()));
        }
        return Err("Looks like a user name but is not a valid user principal name.".into());
    }
    if value.chars().any(|c| "\\/:*?\"<>|".contains(c)) {
        return Err("Not a device name: contains a character device names cannot have.".into());
    }
    if value.chars().any(char::is_whitespace) {
        return Err("Not a device name: device names have no spaces.".into());
    }
    Ok(Identifier::DeviceName(value.to_string()))
}

fn header_columns(fields: &[String]) -> Option<Vec<usize>> {
    let normalised: Vec<String> = fields
        .iter()
        .map(|f| {
            f.trim()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_lowercase()
        })
        .collect();
    let mut columns: Vec<(usize, usize)> = normalised
        .iter()
        .enumerate()
        .filter_map(|(col, name)| {
            HEADER_COLUMNS
                .iter()
                .position(|h| h == name)
                .map(|rank| (rank, col))
        })
        .collect();
    if columns.is_empty() {
        return None;
    }
    columns.sort();
    Some(columns.into_iter().map(|(_, col)| col).collect())
}

fn split_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                lines.push(&text[start..i]);
                start = i + 1;
            }
            b'\r' => {
                lines.push(&text[start..i]);
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

/// Splits one CSV line on `,`, `;` or tab outside double quotes; `""` inside quotes is a quote.
fn split_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut current = String::new();
    let mut in_quotes = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if in_quotes && chars.peek() == Some(&'"') => {
                current.push('"');
                chars.next();
            }
            '"' => in_quotes = !in_quotes,
            ',' | ';' | '\t' if !in_quotes => fields.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    fields.push(current);
    fields
}

fn truncate_for_report(text: &str) -> String {
    const MAX: usize = 200;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(MAX).collect();
        s.push('…');
        s
    }
}

#[cfg(test)]
mod fuzz;

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "30d0e128-de93-41dc-89ec-33d84bb662a0";

    fn entries(import: &ParsedImport) -> Vec<Identifier> {
        import
            .lines
            .iter()
            .filter_map(|l| match &l.parsed {
                ParsedLine::Entry(id) => Some(id.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_mixed_plain_list_is_classified_by_shape() {
        let text = format!("CPC-alex-7K2QX\r\n{ID}\nalex.wilber@contoso.onmicrosoft.com\r\n\n");
        let import = parse_text(&text).unwrap();
        assert_eq!(
            entries(&import),
            vec![
                Identifier::DeviceName("CPC-alex-7K2QX".into()),
                Identifier::Guid(ID.into()),
                Identifier::UserPrincipalName("alex.wilber@contoso.onmicrosoft.com".into()),
            ]
        );
        assert_eq!(
            import.lines.iter().map(|l| l.line).collect::<Vec<_>>(),
            [1, 2, 3]
        );
    }

    #[test]
    fn bom_header_quotes_and_preferred_column() {
        let text = format!(
            "\u{feff}\"Device name\";\"Cloud PC id\";\"UPN\"\n\"CPC-a\";\"{}\";\"a@contoso.com\"\n\"CPC-b\";\"\";\"b@contoso.com\"\n",
            ID.to_uppercase()
        );
        let import = parse_text(&text).unwrap();
        assert_eq!(import.header_line, Some(1));
        // The id column is preferred; a row without it falls back to the device name.
        assert_eq!(
            entries(&import),
            vec![
                Identifier::Guid(ID.into()),
                Identifier::DeviceName("CPC-b".into())
            ]
        );
    }

    #[test]
    fn duplicates_point_at_the_first_occurrence_case_insensitively() {
        let import = parse_text("CPC-a\ncpc-A\n{30D0E128-DE93-41DC-89EC-33D84BB662A0}\n30d0e128-de93-41dc-89ec-33d84bb662a0").unwrap();
        assert_eq!(
            import.lines[1].parsed,
            ParsedLine::Duplicate { first_line: 1 }
        );
        assert_eq!(
            import.lines[3].parsed,
            ParsedLine::Duplicate { first_line: 3 }
        );
    }

    #[test]
    fn quoted_commas_and_escaped_quotes_stay_in_the_field() {
        assert_eq!(split_fields(r#""a,b";"c""d""#), vec!["a,b", "c\"d"]);
    }

    #[test]
    fn invalid_lines_say_why_and_are_not_entries() {
        let import = parse_text("has space\nbad@\nx\u{7}y\nCPC<1>").unwrap();
        assert!(import
            .lines
            .iter()
            .all(|l| matches!(l.parsed, ParsedLine::Invalid(_))));
        assert!(entries(&import).is_empty());
    }

    #[test]
    fn too_many_lines_are_refused_whole_with_the_limit() {
        let text = "CPC-x\n".repeat(MAX_IMPORT_LINES + 1);
        let error = parse_text(&text).unwrap_err();
        assert_eq!(
            error,
            ImportError::TooManyLines {
                lines: MAX_IMPORT_LINES + 1,
                limit: MAX_IMPORT_LINES
            }
        );
        assert!(error.to_string().contains("20000"));
    }

    #[test]
    fn non_utf8_bytes_are_refused() {
        assert_eq!(parse_bytes(&[0xff, 0xfe, 0x00]), Err(ImportError::NotText));
    }
}
