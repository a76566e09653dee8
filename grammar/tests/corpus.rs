//! Runs the corpus in `test/corpus/*.txt` with the Rust binding, so
//! `cargo test` checks the grammar without the tree-sitter CLI.
//!
//! The file format is tree-sitter's (`tree-sitter test` reads the same
//! files): a `===` header with the case name and optional `:error` / `:skip`
//! lines, the input, a divider of three or more `-` (the longest divider in
//! the case wins, so `---` front matter can sit in the input), then the
//! expected S-expression. Fields are compared only when the expectation
//! names some.
//!
//! `UPDATE_CORPUS=1 cargo test -p tree-sitter-newsmark --test corpus`
//! rewrites every expectation from the current parser; review the diff.

use std::fmt::Write as _;

use tree_sitter::{Parser, Tree, format_sexp};

mod common;
use common::{corpus_files, parse_corpus};

/// Removes ` field: ` prefixes from a `to_sexp` string.
fn strip_fields(sexp: &str) -> String {
    sexp.split(' ')
        .filter(|word| {
            !(word.ends_with(':')
                && word[..word.len() - 1]
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_'))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn parse(parser: &mut Parser, input: &[u8]) -> Tree {
    parser
        .parse(input, None)
        .expect("parsing never gives up without a timeout")
}

#[test]
fn corpus() {
    let update = std::env::var_os("UPDATE_CORPUS").is_some();
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_newsmark::LANGUAGE.into())
        .unwrap();
    let mut failures = Vec::new();
    let mut n_cases = 0;
    for path in corpus_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
        let mut updated = String::new();
        for case in parse_corpus(&text) {
            n_cases += 1;
            let tree = parse(&mut parser, &case.input);
            let actual = tree.root_node().to_sexp();
            if update {
                let formatted = format_sexp(&actual, 0).replace('\n', newline);
                write!(
                    updated,
                    "{}{newline}{formatted}{newline}{newline}",
                    case.head
                )
                .unwrap();
                continue;
            }
            if case.skip {
                continue;
            }
            let ok = if case.expect_error {
                tree.root_node().has_error()
            } else if case.expected.contains(": (") {
                actual == case.expected
            } else {
                strip_fields(&actual) == case.expected
            };
            if !ok {
                failures.push(format!(
                    "{}: {}\n  expected: {}\n  actual:   {}",
                    path.file_name().unwrap().to_string_lossy(),
                    case.name,
                    case.expected,
                    actual
                ));
            }
        }
        if update {
            std::fs::write(&path, updated.trim_end().to_owned() + newline).unwrap();
        }
    }
    assert!(
        n_cases >= 60,
        "the corpus should hold at least 60 cases, found {n_cases}"
    );
    assert!(
        failures.is_empty(),
        "{} corpus case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn corpus_reader_follows_tree_sitter_format() {
    let text = "===\nA case\n:error\n===\n---\nx: y\n---\n\n--------\n\n(document)\n";
    let cases = parse_corpus(text);
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].name, "A case");
    assert!(cases[0].expect_error);
    assert_eq!(cases[0].input, b"---\nx: y\n---\n");
    assert_eq!(cases[0].expected, "(document)");
}
