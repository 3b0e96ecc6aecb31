//! The console's keyboard shortcuts, decided from a key press alone (no DOM), so what a key does
//! is tested natively and documented in one place.

/// What a shortcut does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shortcut {
    /// `/`: put the cursor in the inventory's filter box.
    FocusSearch,
    /// `Shift+A`: select every Cloud PC that matches the filter.
    SelectAllMatching,
}

impl Shortcut {
    pub const ALL: [Shortcut; 2] = [Shortcut::FocusSearch, Shortcut::SelectAllMatching];

    /// The keys as the operator presses them.
    pub fn keys(self) -> &'static str {
        match self {
            Shortcut::FocusSearch => "/",
            Shortcut::SelectAllMatching => "Shift+A",
        }
    }

    /// What it does, in the helpdesk's words.
    pub fn describe(self) -> &'static str {
        match self {
            Shortcut::FocusSearch => "filter the Cloud PCs",
            Shortcut::SelectAllMatching => "select all matching",
        }
    }
}

/// One key press, as the browser reports it, and where it happened.
#[derive(Clone, Copy, Debug, Default)]
pub struct KeyPress<'a> {
    /// `KeyboardEvent.key`: `"/"`, `"A"`, `"Escape"`…
    pub key: &'a str,
    pub shift: bool,
    pub ctrl: bool,
    pub alt: bool,
    pub meta: bool,
    /// Focus is in a text field (the key types a character there).
    pub in_text_field: bool,
    /// A modal dialog is open (the page behind it does not react).
    pub dialog_open: bool,
}

/// The shortcut a key press means, if any. Never while typing in a field, with a dialog open,
/// or with Ctrl, Alt or Meta held (those belong to the browser and the system).
pub fn shortcut(press: &KeyPress) -> Option<Shortcut> {
    if press.in_text_field || press.dialog_open || press.ctrl || press.alt || press.meta {
        return None;
    }
    match press.key {
        "/" => Some(Shortcut::FocusSearch),
        "A" if press.shift => Some(Shortcut::SelectAllMatching),
        _ => None,
    }
}

/// One line for the page: `/ filter the Cloud PCs · Shift+A select all matching · …`.
pub fn help_text() -> String {
    let mut parts: Vec<String> = Shortcut::ALL
        .iter()
        .map(|s| format!("{} {}", s.keys(), s.describe()))
        .collect();
    parts.push("Esc closes a dialog".into());
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(key: &str) -> KeyPress<'_> {
        KeyPress {
            key,
            ..Default::default()
        }
    }

    #[test]
    fn slash_focuses_the_search_and_shift_a_selects_all_matching() {
        assert_eq!(shortcut(&press("/")), Some(Shortcut::FocusSearch));
        let shift_a = KeyPress {
            shift: true,
            ..press("A")
        };
        assert_eq!(shortcut(&shift_a), Some(Shortcut::SelectAllMatching));
        assert_eq!(shortcut(&press("a")), None, "plain a is not a shortcut");
    }

    #[test]
    fn typing_dialogs_and_modifier_keys_are_left_alone() {
        let typing = KeyPress {
            in_text_field: true,
            ..press("/")
        };
        assert_eq!(shortcut(&typing), None);
        let behind_dialog = KeyPress {
            dialog_open: true,
            ..press("/")
        };
        assert_eq!(shortcut(&behind_dialog), None);
        for held in [
            KeyPress {
                ctrl: true,
                ..press("/")
            },
            KeyPress {
                alt: true,
                shift: true,
                ..press("A")
            },
            KeyPress {
                meta: true,
                shift: true,
                ..press("A")
            },
        ] {
            assert_eq!(shortcut(&held), None, "{held:?}");
        }
    }

    #[test]
    fn the_help_names_every_shortcut() {
        let help = help_text();
        for s in Shortcut::ALL {
            assert!(help.contains(s.keys()), "{help}");
        }
        assert!(help.contains("Esc"));
    }
}
