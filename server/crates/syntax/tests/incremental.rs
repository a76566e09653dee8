//! Incremental reparsing gives the same tree as a fresh parse.

use newsmark_syntax::position::{EditCursor, ts_point};
use newsmark_syntax::{Rope, SyntaxTree, default_parse_budget, input_edit};
use proptest::prelude::*;

fn apply(text: &str, edits: &[(usize, usize, String)]) -> (String, SyntaxTree) {
    let old = SyntaxTree::parse(text);
    let mut tree = old.tree().clone();
    let mut rope = Rope::from_str(text);
    let mut cursor = EditCursor::default();
    for (a, b, insert) in edits {
        // Clamp to char boundaries so every edit is a valid text change.
        let len = rope.len_bytes();
        let start = rope.char_to_byte(rope.byte_to_char((*a).min(len)));
        let end = rope
            .char_to_byte(rope.byte_to_char((*b).min(len)))
            .max(start);
        let edit = input_edit(&rope, start, end, insert, &mut cursor);
        assert_eq!(edit.start_position, ts_point(&rope, start));
        tree.edit(&edit);
        let start_char = rope.byte_to_char(start);
        rope.remove(start_char..rope.byte_to_char(end));
        rope.insert(start_char, insert);
    }
    let new_text = rope.to_string();
    let reparsed = SyntaxTree::parse_with(
        new_text.clone(),
        Some(&tree),
        default_parse_budget(new_text.len()),
    );
    (new_text, reparsed)
}

#[test]
fn closing_a_claim_reparses_like_a_fresh_parse() {
    let text = "First {claim | @a}.\n\nSecond {open claim\n\nThird [Kim]@kim.\n";
    let close_at = text.find("open claim").unwrap() + "open claim".len();
    let (new_text, reparsed) = apply(text, &[(close_at, close_at, "}".into())]);
    assert_eq!(reparsed.to_sexp(), SyntaxTree::parse(new_text).to_sexp());
    assert!(reparsed.errors().is_empty());
}

/// Typing Newsmark 2 marks one character at a time, in the middle of a
/// document, gives at each step the tree a fresh parse gives.
#[test]
fn typing_newsmark_2_marks_reparses_like_a_fresh_parse() {
    let before = "Intro [A]@a.\n\n{Shipped | @jon";
    let after = "\n\nOutro {x | @b}.\n";
    for typed in [
        " via @kcna via @yonhap, @us}#munitions",
        " denies #munitions, confirms #talks}",
        "} and [the two]@lavrov+@rubio met",
        "} ~[allegedly] and {it ~[reportedly] fell | @x}",
        "}#метка and [Захарова]@захарова\\-led",
    ] {
        let mut text = format!("{before}{after}");
        let mut at = before.len();
        for c in typed.chars() {
            let piece = c.to_string();
            let (new_text, reparsed) = apply(&text, &[(at, at, piece.clone())]);
            let fresh = SyntaxTree::parse(new_text.clone());
            assert_eq!(
                reparsed.to_sexp(),
                fresh.to_sexp(),
                "after typing up to {c:?} in {typed:?}"
            );
            text = new_text;
            at += piece.len();
        }
    }
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("{"),
        Just("}"),
        Just("["),
        Just("]@x"),
        Just("@kim"),
        Just(" | @a"),
        Just("\n"),
        Just("\n\n"),
        Just("\r\n"),
        Just("가"),
        Just("😀"),
        Just("%% c"),
        Just("\\"),
        Just("text "),
        Just("@a: A\n  kind: person\n"),
        Just("# H\n"),
        Just(","),
        Just(" via @k"),
        Just("}#lab"),
        Just(" denies #lab"),
        Just("~["),
        Just("+@y"),
        Just("\\-"),
        Just("@захарова"),
    ]
    .prop_map(str::to_owned)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn random_edits_reparse_like_a_fresh_parse(
        base in proptest::collection::vec(piece(), 0..30),
        edits in proptest::collection::vec((0usize..200, 0usize..200, proptest::collection::vec(piece(), 0..3)), 1..8),
    ) {
        let text = base.concat();
        let edits: Vec<(usize, usize, String)> = edits
            .into_iter()
            .map(|(a, b, insert)| (a.min(b), a.max(b), insert.concat()))
            .collect();
        let (new_text, reparsed) = apply(&text, &edits);
        let fresh = SyntaxTree::parse(new_text);
        prop_assert_eq!(reparsed.to_sexp(), fresh.to_sexp());
    }
}
