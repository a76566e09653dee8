//! The entity-id rule, as `grammar.js` writes it (`ENTITY_ID`): letters of
//! one script (digits, `_` and combining marks go with any), with `.` and
//! `-` inside but never at either end, so `[Kirby]@kirby.` ends the id
//! before the full stop, and `[푸틴]@putin은` ends it before the Hangul
//! particle. The rest of the code asks here; a test holds this to the
//! grammar. Ids are compared in NFC ([`normalized_id`]).

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
use unicode_script::{Script, UnicodeScript};

/// What the id rule says, for messages.
pub const ID_RULE: &str = "letters of one script, digits and `_`, with `.` or `-` inside";

/// The scripts an id may be written in (`ID_SCRIPTS` in grammar.js), each
/// a group: Japanese mixes Han, Hiragana and Katakana. Only a script's
/// letters, digits and marks count: its punctuation ends an id.
fn script_group(c: char) -> Option<u8> {
    if c.is_ascii_alphabetic() {
        return Some(0);
    }
    if !(c.is_alphanumeric() || is_mark(c)) {
        return None;
    }
    if c == '\u{30FC}' {
        return Some(JAPANESE);
    }
    const SCRIPTS: [Script; 26] = [
        Script::Latin,
        Script::Cyrillic,
        Script::Greek,
        Script::Armenian,
        Script::Georgian,
        Script::Hebrew,
        Script::Arabic,
        Script::Syriac,
        Script::Thaana,
        Script::Devanagari,
        Script::Bengali,
        Script::Gurmukhi,
        Script::Gujarati,
        Script::Oriya,
        Script::Tamil,
        Script::Telugu,
        Script::Kannada,
        Script::Malayalam,
        Script::Sinhala,
        Script::Thai,
        Script::Lao,
        Script::Tibetan,
        Script::Myanmar,
        Script::Khmer,
        Script::Ethiopic,
        Script::Hangul,
    ];
    const JAPANESE: u8 = SCRIPTS.len() as u8;
    if c.is_ascii() {
        return None;
    }
    let script = c.script();
    if matches!(script, Script::Han | Script::Hiragana | Script::Katakana) {
        return Some(JAPANESE);
    }
    SCRIPTS.iter().position(|&s| s == script).map(|i| i as u8)
}

/// ASCII digits and `_`: they go with letters of any script.
fn is_common(c: char) -> bool {
    c == '_' || c.is_ascii_digit()
}

/// Combining marks (`\p{M}`): inside an id, after its first letter.
fn is_mark(c: char) -> bool {
    !c.is_ascii() && unicode_normalization::char::is_combining_mark(c)
}

/// Whether `c` may appear in an id of some script (inside it: `.` and `-`
/// not at the ends).
pub fn is_id_char(c: char) -> bool {
    is_common(c) || matches!(c, '.' | '-') || is_mark(c) || script_group(c).is_some()
}

/// Whether `name` is an entity id as the grammar reads it.
pub fn is_valid_id(name: &str) -> bool {
    let (Some(first), Some(last)) = (name.chars().next(), name.chars().next_back()) else {
        return false;
    };
    if matches!(first, '.' | '-') || matches!(last, '.' | '-') || is_mark(first) {
        return false;
    }
    let mut group = None;
    for c in name.chars() {
        if is_common(c) || matches!(c, '.' | '-') {
            continue;
        }
        if group.is_some() && is_mark(c) {
            continue;
        }
        let Some(this) = script_group(c) else {
            return false;
        };
        if *group.get_or_insert(this) != this {
            return false;
        }
    }
    true
}

/// `id` in NFC, the form ids are compared in (`@José` typed with a
/// combining accent is the same entity as with `é`).
pub fn normalized_id(id: &str) -> Cow<'_, str> {
    if id.is_ascii() || is_nfc_quick(id.chars()) == IsNormalized::Yes {
        Cow::Borrowed(id)
    } else {
        Cow::Owned(id.nfc().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Syntax, SyntaxTree, WalkEvent};

    /// The id the grammar reads in `A @{name} said.`, if any.
    fn parsed_id(name: &str) -> Option<String> {
        let text = format!("A @{name} said.\n");
        SyntaxTree::parse(text.as_str())
            .walk()
            .find_map(|event| match event {
                WalkEvent::Enter(Syntax::Reference(r)) => r.id().map(|id| id.as_str().to_owned()),
                _ => None,
            })
    }

    #[test]
    fn ids_compare_in_nfc() {
        assert_eq!(normalized_id("jose\u{301}"), "josé");
        assert!(matches!(normalized_id("josé"), Cow::Borrowed(_)));
        assert!(matches!(normalized_id("lavrov"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_rule_is_the_grammars() {
        for name in [
            "a",
            "lavrov",
            "north-korea",
            "us.white-house",
            "kcna_2023",
            "_",
            "_a_",
            "1",
            "a.b.c",
            "a..b",
            "a--b",
            "a.",
            "a-",
            ".a",
            "-a",
            "a.-",
            "",
            "한",
            "a한",
            "lavrov😀",
            "a b",
            "a,b",
            "a|b",
            "a@b",
            "Ab9",
            "захарова",
            "josé",
            "jose\u{301}",
            "\u{301}a",
            "푸틴",
            "putin은",
            "a-б",
            "東京都",
            "とうきょう",
            "ラーメン",
            "習近平と",
            "ελλάδα",
            "नरेंद्र-मोदी",
            "1a",
            "2024-election",
            "2024-выборы",
            "_я",
            "lavrov’s",
            "էրդողան",
            "էրդողան։",
            "ខ្មែរ។",
            "ÿ",
        ] {
            assert_eq!(
                is_valid_id(name),
                parsed_id(name).as_deref() == Some(name),
                "{name:?}: the rule says {}, the grammar reads {:?}",
                is_valid_id(name),
                parsed_id(name)
            );
        }
    }
}
