//! Property tests of the import parser: whatever an operator pastes or uploads (random bytes,
//! random text, text made of the characters that matter to CSV), parsing never panics, every
//! line is accounted for, and only well-formed identifiers become entries; resolving then
//! targets only inventory devices, each once.

use proptest::prelude::*;

use super::*;
use crate::targets::resolve::{resolve, DeviceKeys, InventoryIndex, Resolution};

/// What makes an entry acceptable, restated independently of [`classify`].
fn well_formed(id: &Identifier) -> Result<(), String> {
    let s = id.as_str();
    if s.is_empty() {
        return Err("empty".into());
    }
    if s.chars().count() > MAX_IDENTIFIER_LEN {
        return Err("too long".into());
    }
    if s.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("control character or whitespace".into());
    }
    match id {
        Identifier::Guid(g) => {
            let ok = g.len() == 36
                && g.char_indices().all(|(i, c)| {
                    if [8, 13, 18, 23].contains(&i) {
                        c == '-'
                    } else {
                        c.is_ascii_hexdigit() && !c.is_ascii_uppercase()
                    }
                });
            if !ok {
                return Err("not a lower-case GUID".into());
            }
        }
        Identifier::UserPrincipalName(u) => {
            let parts: Vec<&str> = u.split('@').collect();
            if parts.len() != 2 || parts[0].is_empty() || !parts[1].contains('.') {
                return Err("not a UPN".into());
            }
        }
        Identifier::DeviceName(n) => {
            if n.chars().any(|c| "\\/:*?\"<>|@".contains(c)) {
                return Err("a character device names cannot have".into());
            }
        }
    }
    Ok(())
}

fn check(import: &ParsedImport, total_lines: usize) -> Result<(), TestCaseError> {
    let mut previous = 0;
    let mut keys = std::collections::HashSet::new();
    for l in &import.lines {
        prop_assert!(l.line > previous && l.line <= total_lines.max(1));
        previous = l.line;
        prop_assert!(l.text.chars().count() <= 201);
        match &l.parsed {
            ParsedLine::Entry(id) => {
                if let Err(why) = well_formed(id) {
                    return Err(TestCaseError::fail(format!("entry {id:?}: {why}")));
                }
                prop_assert!(
                    keys.insert(id.as_str().to_lowercase()),
                    "a duplicate became an entry: {id:?}"
                );
            }
            ParsedLine::Invalid(reason) => prop_assert!(!reason.trim().is_empty()),
            ParsedLine::Duplicate { first_line } => prop_assert!(*first_line < l.line),
        }
    }
    if let Some(h) = import.header_line {
        prop_assert!(import.lines.iter().all(|l| l.line > h));
    }
    Ok(())
}

/// Text made mostly of what matters to the parser: separators, quotes, line ends, braces, `@`,
/// dots, hex digits, GUID dashes, spaces, control and right-to-left characters, a BOM.
fn csv_like() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        ",",
        ";",
        "\t",
        "\"",
        "\"\"",
        "\r",
        "\n",
        "\r\n",
        "{",
        "}",
        "@",
        ".",
        "-",
        " ",
        "a",
        "F",
        "0",
        "9",
        "x",
        "CPC-",
        "contoso.com",
        "\u{7}",
        "\u{0}",
        "\u{202e}",
        "\u{feff}",
        "é",
        "<",
        "|",
        "id",
        "UPN",
        "Device name",
        "30d0e128-de93-41dc-89ec-33d84bb662a0",
        "30D0E128-DE93-41DC-89EC-33D84BB662A0",
    ]);
    prop::collection::vec(pieces, 0..300).prop_map(|v| v.concat())
}

fn line_count(text: &str) -> usize {
    split_lines(text.strip_prefix('\u{feff}').unwrap_or(text)).len()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        match parse_bytes(&bytes) {
            Ok(import) => {
                let text = std::str::from_utf8(&bytes).unwrap();
                check(&import, line_count(text))?;
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        if let Ok(import) = parse_text(&text) {
            check(&import, line_count(&text))?;
        }
    }

    #[test]
    fn csv_like_text_yields_only_well_formed_unique_entries(text in csv_like()) {
        let import = parse_text(&text).expect("far below the line limit");
        check(&import, line_count(&text))?;
    }

    #[test]
    fn resolving_targets_only_inventory_devices_each_once(text in csv_like()) {
        let import = parse_text(&text).expect("far below the line limit");
        let ids = ["30d0e128-de93-41dc-89ec-33d84bb662a0", "7b1e0b1a-0000-4000-8000-000000000001"];
        let index = InventoryIndex::build(ids.iter().enumerate().map(|(i, id)| DeviceKeys {
            cloud_pc_id: id,
            managed_device_id: None,
            display_name: Some(if i == 0 { "CPC-" } else { "x" }),
            managed_device_name: None,
            user_principal_name: Some("a@contoso.com"),
        }));
        let report = resolve(&import, &index);
        let mut seen = std::collections::HashSet::new();
        for t in &report.targets {
            prop_assert!(*t < ids.len());
            prop_assert!(seen.insert(*t), "targeted twice");
        }
        // Every target comes from a line that matched exactly one device.
        let matched: std::collections::HashSet<usize> = report.lines.iter().filter_map(|l| match l.resolution {
            Resolution::Matched { device, .. } => Some(device),
            _ => None,
        }).collect();
        prop_assert!(report.targets.iter().all(|t| matched.contains(t)));
    }
}

#[test]
fn a_hundred_thousand_lines_are_refused_with_the_limit_quickly() {
    let text: String = (0..100_000).map(|i| format!("CPC-{i:05}\n")).collect();
    let started = std::time::Instant::now();
    let error = parse_text(&text).unwrap_err();
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(
        error,
        ImportError::TooManyLines {
            lines: 100_000,
            limit: MAX_IMPORT_LINES
        }
    );
    let message = error.to_string();
    assert!(
        message.contains("100000") && message.contains(&MAX_IMPORT_LINES.to_string()),
        "{message}"
    );
    assert!(message.contains("Split it"), "says what to do: {message}");
    // Blank lines do not count; the limit itself is accepted.
    let at_limit: String = (0..MAX_IMPORT_LINES)
        .map(|i| format!("CPC-{i:05}\n\n"))
        .collect();
    assert_eq!(parse_text(&at_limit).unwrap().lines.len(), MAX_IMPORT_LINES);
}

#[test]
fn one_enormous_line_is_invalid_not_a_target() {
    let text = "A".repeat(1_000_000);
    let import = parse_text(&text).unwrap();
    assert_eq!(import.lines.len(), 1);
    assert!(matches!(import.lines[0].parsed, ParsedLine::Invalid(_)));
}
