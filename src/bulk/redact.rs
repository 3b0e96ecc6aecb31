//! Last line of defence for everything the bulk engine writes out (journal, exports, activity
//! log): text that looks like an access token is replaced before it leaves memory. The engine
//! never holds tokens; this guards against one reaching a message by accident (e.g. an error
//! text echoing a header).

use std::borrow::Cow;

/// What replaces a token.
pub const REDACTED: &str = "[redacted]";

/// `text` with bearer credentials and JWT-shaped words replaced by [`REDACTED`].
pub fn scrub(text: &str) -> Cow<'_, str> {
    if !needs_scrub(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut redact_next = false;
    for piece in text.split_inclusive(is_separator) {
        let (word, sep) = split_sep(piece);
        let lower = word.to_ascii_lowercase();
        if redact_next && !word.is_empty() {
            out.push_str(REDACTED);
            redact_next = false;
        } else if lower.starts_with("access_token=") && word.len() > "access_token=".len() {
            out.push_str(&word[.."access_token=".len()]);
            out.push_str(REDACTED);
        } else if looks_like_jwt(word) {
            out.push_str(REDACTED);
        } else {
            out.push_str(word);
            if lower == "bearer" {
                redact_next = true;
            }
        }
        out.push_str(sep);
    }
    Cow::Owned(out)
}

/// Scrubs in place.
pub fn scrub_owned(text: &mut String) {
    if let Cow::Owned(s) = scrub(text) {
        *text = s;
    }
}

fn needs_scrub(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("bearer")
        || lower.contains("access_token")
        || text.split(is_separator).any(looks_like_jwt)
}

fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '"' | '\'' | ',' | ';' | '(' | ')' | '{' | '}' | '<' | '>' | '&' | '?'
        )
}

fn split_sep(piece: &str) -> (&str, &str) {
    match piece.char_indices().last() {
        Some((i, c)) if is_separator(c) => (&piece[..i], &piece[i..]),
        _ => (piece, ""),
    }
}

/// Three base64url segments separated by dots, the first starting like a JSON header (`eyJ`).
fn looks_like_jwt(word: &str) -> bool {
    let parts: Vec<&str> = word.split('.').collect();
    parts.len() == 3
        && word.starts_with("eyJ")
        && parts.iter().take(2).all(|p| p.len() >= 4)
        && parts.iter().all(|p| {
            p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'=')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_bearer_tokens_and_jwts() {
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
        assert_eq!(
            scrub(&format!("Authorization: Bearer {jwt} was refused")),
            "Authorization: Bearer [redacted] was refused"
        );
        assert_eq!(scrub(&format!("token \"{jwt}\"")), "token \"[redacted]\"");
        assert_eq!(scrub("Bearer token-1"), "Bearer [redacted]");
        assert_eq!(scrub("x?access_token=abc&y"), "x?access_token=[redacted]&y");
        assert!(matches!(
            scrub("Reprovision accepted (HTTP 204)"),
            Cow::Borrowed(_)
        ));
        assert_eq!(scrub("version 1.2.3 and a.b.c"), "version 1.2.3 and a.b.c");
        let once = scrub(&format!("Bearer {jwt}")).into_owned();
        assert_eq!(scrub(&once), once, "idempotent");
    }
}
