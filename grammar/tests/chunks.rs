//! The hidden chunks of top-level blocks (`_chunk` in grammar.js): an edit
//! of a long document reparses its chunk and reuses the others whole, and a
//! line lexes the same whether or not a chunk ends before it.

use std::sync::{Arc, Mutex};

use tree_sitter::{InputEdit, LogType, Parser, Point, Tree};

fn parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_newsmark::LANGUAGE.into())
        .unwrap();
    parser
}

/// Parses `text` (after `old`, edited) and returns the tree with the
/// parser's log lines that start with `prefix`.
fn parse_logged(text: &str, old: Option<&Tree>, prefix: &'static str) -> (Tree, Vec<String>) {
    let mut parser = parser();
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    parser.set_logger(Some(Box::new(move |kind, message| {
        if kind == LogType::Parse && message.starts_with(prefix) {
            sink.lock().unwrap().push(message.to_owned());
        }
    })));
    let tree = parser.parse(text, old).unwrap();
    let lines = lines.lock().unwrap().clone();
    (tree, lines)
}

fn chunk_ends(text: &str) -> usize {
    let (_, lexed) = parse_logged(text, None, "lexed_lookahead sym:_chunk_end");
    lexed.len()
}

fn point(text: &str, offset: usize) -> Point {
    let row = text[..offset].matches('\n').count();
    let column = offset - text[..offset].rfind('\n').map_or(0, |i| i + 1);
    Point::new(row, column)
}

/// `text` with `inserted` at `at`, and the tree of `text` edited to match.
fn insert(text: &str, tree: &Tree, at: usize, inserted: &str) -> (String, Tree) {
    let mut new = text.to_owned();
    new.insert_str(at, inserted);
    let mut edited = tree.clone();
    edited.edit(&InputEdit {
        start_byte: at,
        old_end_byte: at,
        new_end_byte: at + inserted.len(),
        start_position: point(text, at),
        old_end_position: point(text, at),
        new_end_position: point(&new, at + inserted.len()),
    });
    (new, edited)
}

/// A paragraph whose first words vary with `i`, as real paragraphs do.
fn paragraph(i: usize) -> String {
    let words = [
        "The",
        "Officials",
        "Talks",
        "After",
        "Both",
        "Минск",
        "회담은",
    ];
    format!(
        "{} {i} said [Sergey Lavrov]@lavrov met {{the talks went well | @kcna}}.\nA second line {i}.\n\n",
        words[i % words.len()]
    )
}

#[test]
fn an_edit_of_a_long_document_reuses_whole_chunks() {
    let blocks = 3000;
    let text: String = (0..blocks).map(paragraph).collect();
    // About one block in 32 starts a chunk.
    let chunks = chunk_ends(&text);
    assert!(
        (blocks / 64..blocks / 16).contains(&chunks),
        "{chunks} chunk ends in {blocks} blocks"
    );

    let (tree, _) = parse_logged(&text, None, "");
    let middle = text[text.len() / 2..].find(" said").unwrap() + text.len() / 2;
    // A letter typed in the middle, then a paragraph added at the top
    // (which moves every boundary after it, as text and not as positions).
    for (at, inserted) in [(middle, "x"), (0, "A new first paragraph.\n\n")] {
        let (new, edited) = insert(&text, &tree, at, inserted);
        let (reparsed, reused) = parse_logged(&new, Some(&edited), "reuse_node");
        assert_eq!(
            reparsed.root_node().to_sexp(),
            parser().parse(&new, None).unwrap().root_node().to_sexp()
        );
        // Before chunks, every one of the 3,000 blocks was reused alone.
        assert!(
            reused.len() < 300,
            "{} nodes reused one by one after an edit at {at}",
            reused.len()
        );
        assert!(reused.iter().any(|line| line.contains("symbol:_chunk")));
    }
}

/// Lines whose first characters take every path of the scanner's chunk
/// check: a text run that goes on after them (`@` after a letter, Hangul
/// before `@`, `%`, `~`, `\`, a line break), and lines that start with a
/// mark, left to the generated lexer. `{}` varies the hash.
const LINES: &[&str] = &[
    "Plain prose {} and more.",
    "p{}ress@kcna.kp wrote.",
    "정{}@e1 is text, 정 @e1 is not.",
    "Up {}50% of them, ~5% more.",
    "C:\\d{}ir and \\[escaped].",
    "Hi{}.\nA second line.",
    "x{} %% a comment\nmore prose",
    "[Mention {}]@lavrov said so.",
    "{{Claim {} | @kcna}} and after.",
    "@e{}: A definition\n  kind: person",
    "# Heading {}",
    "-- dash {}",
    "+{} plus",
    "|{} pipe",
    "~[allegedly {}] hedged",
    "=x{}= not a marker",
];

#[test]
fn a_line_lexes_the_same_whether_or_not_a_chunk_ends_before_it() {
    let mut parser = parser();
    let (mut ends, mut not) = (0, 0);
    for template in LINES {
        for i in 0..96 {
            let line = template.replace("{}", &i.to_string());
            // First in the file, no chunk can end before the line.
            let alone = parser.parse(&line, None).unwrap();
            let after = format!("Intro.\n\n{line}\n");
            let tree = parser.parse(&after, None).unwrap();
            let alone_blocks: Vec<String> = children_sexp(&alone);
            let after_blocks = children_sexp(&tree);
            assert_eq!(after_blocks[0], "(paragraph)", "{after:?}");
            assert_eq!(after_blocks[1..], alone_blocks[..], "{after:?}");
            match chunk_ends(&after) {
                0 => not += 1,
                _ => ends += 1,
            }
        }
    }
    // Both paths were taken, for most templates.
    assert!(
        ends > LINES.len() && not > LINES.len() * 80,
        "{ends} / {not}"
    );
}

fn children_sexp(tree: &Tree) -> Vec<String> {
    let root = tree.root_node();
    let mut cursor = root.walk();
    root.children(&mut cursor).map(|c| c.to_sexp()).collect()
}
