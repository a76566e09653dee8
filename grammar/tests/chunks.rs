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
    // A letter typed in the middle, then a paragraph added at the top:
    // every boundary after it moves with the text of its line.
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
        assert!(reused.iter().any(|line| line.ends_with("symbol:_chunk")));
    }
}

/// Lines whose first characters take every path of the scanner's chunk
/// check: a text run that goes on after them (`@` after a letter, after a
/// blank or punctuation, after Hangul; `%`, `~`, `\`, a line break of
/// each kind), and lines that start with a mark, left to the generated
/// lexer. `{}` varies the hash.
const CANDIDATES: &[&str] = &[
    "Plain prose {} and more.",
    "p{}ress@kcna.kp wrote.",
    "Said {} @lavrov so.",
    "x{} (@e1) and x{}.@e2",
    "정{}@e1 is text, 정 @e1 is not.",
    "Up {}50% of them, ~5% more.",
    "C{}:\\dir and \\[escaped].",
    "Hi{}.\nA second line.",
    "Hi{}.\r\nA second line.\r\n",
    "Hi{}.\rA second line.\r",
    "x{} %% a comment\nmore prose",
    "[Mention {}]@lavrov said so.",
    "{{Claim {} | @kcna}} and after.",
    "@e{}: A definition\n  kind: person",
    "# Heading {}",
    "-- dash {}",
    "+{} plus",
    "|{} pipe",
    "~[allegedly {}] hedged",
];

/// Lines that never end a chunk: a comment, conflict markers, indentation.
const NEVER: &[&str] = &[
    "%% comment {}",
    "=x{}= not a marker",
    "<<<<<<< a{}\nA.\n=======\nB.\n>>>>>>> b",
    "  indented {}",
];

/// Each visible node of `tree` under the root, with its kind, its byte
/// range from the start of the root's child it is in, and whether it is
/// missing, child after child.
fn blocks(tree: &Tree) -> Vec<Vec<String>> {
    let root = tree.root_node();
    let mut cursor = root.walk();
    root.children(&mut cursor)
        .map(|block| {
            let mut nodes = Vec::new();
            let mut stack = vec![block];
            while let Some(node) = stack.pop() {
                let start = node.start_byte() - block.start_byte();
                let end = node.end_byte() - block.start_byte();
                let missing = if node.is_missing() { " missing" } else { "" };
                nodes.push(format!("{} {start}..{end}{missing}", node.kind()));
                let mut cursor = node.walk();
                let children: Vec<_> = node.children(&mut cursor).collect();
                stack.extend(children.into_iter().rev());
            }
            nodes
        })
        .collect()
}

#[test]
fn a_line_lexes_the_same_whether_or_not_a_chunk_ends_before_it() {
    let mut parser = parser();
    for (templates, may_end) in [(CANDIDATES, true), (NEVER, false)] {
        for template in templates {
            let (mut ends, mut not) = (0, 0);
            for i in 0..96 {
                let line = template.replace("{}", &i.to_string());
                // First in the file, no chunk can end before the line.
                let alone = blocks(&parser.parse(format!("{line}\n"), None).unwrap());
                let after = format!("Intro.\n\n{line}\n");
                let tree = blocks(&parser.parse(&after, None).unwrap());
                assert_eq!(tree[0], ["paragraph 0..8"], "{after:?}");
                assert_eq!(tree[1..], alone[..], "{after:?}");
                match chunk_ends(&after) {
                    0 => not += 1,
                    _ => ends += 1,
                }
            }
            // Both paths were taken, for each template that may end one.
            assert_eq!((ends > 0, not > 0), (may_end, true), "{template:?}");
        }
    }
}
