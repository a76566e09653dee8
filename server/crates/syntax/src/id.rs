//! The entity-id rule, as `grammar.js` writes it (`ENTITY_ID`): letters,
//! digits and `_`, with `.` and `-` inside but never at either end, so
//! `[Kirby]@kirby.` ends the id before the full stop. The rest of the code
//! asks here; a test holds this to the grammar.

/// Whether `c` may appear in an id (inside it: `.` and `-` not at the ends).
pub fn is_id_char(c: char) -> bool {
    is_id_end(c) || matches!(c, '.' | '-')
}

/// Whether `c` may start or end an id.
fn is_id_end(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Whether `name` is an entity id as the grammar reads it.
pub fn is_valid_id(name: &str) -> bool {
    match (name.chars().next(), name.chars().next_back()) {
        (Some(first), Some(last)) => {
            is_id_end(first) && is_id_end(last) && name.chars().all(is_id_char)
        }
        _ => false,
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
