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
use std::path::{Path, PathBuf};

use tree_sitter::{Parser, Tree, format_sexp};

struct Case {
    name: String,
    /// Header, input and divider exactly as they stand in the file.
    head: String,
    input: Vec<u8>,
    expected: String,
    expect_error: bool,
    skip: bool,
}

fn is_delimiter(line: &str, c: char) -> Option<usize> {
    let line = line.trim_end_matches(['\r', '\n']);
    let len = line.len() - line.trim_start_matches(c).len();
    (len >= 3 && line[len..].trim().is_empty()).then_some(len)
}

/// Splits a corpus file into cases, following tree-sitter-cli's `test.rs`.
fn parse_corpus(text: &str) -> Vec<Case> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut headers = Vec::new(); // (first line, line after the closing `===`, name, attributes)
    let mut i = 0;
    while i < lines.len() {
        if let Some(header) = parse_header(&lines, i) {
            i = header.1;
            headers.push(header);
        } else {
            i += 1;
        }
    }
    let mut cases = Vec::new();
    for (n, (start, body_start, name, attributes)) in headers.iter().enumerate() {
        let body_end = headers.get(n + 1).map_or(lines.len(), |next| next.0);
        let body = &lines[*body_start..body_end];
        let divider = body
            .iter()
            .enumerate()
            .filter_map(|(j, line)| is_delimiter(line, '-').map(|len| (len, j)))
            .max()
            .map(|(_, j)| j)
            .unwrap_or_else(|| panic!("case {name:?} has no `---` divider"));
        let mut input: Vec<u8> = body[..divider].concat().into_bytes();
        if input.last() == Some(&b'\n') {
            input.pop();
        }
        if input.last() == Some(&b'\r') {
            input.pop();
        }
        cases.push(Case {
            name: name.clone(),
            head: lines[*start..body_start + divider + 1].concat(),
            input,
            expected: normalize_sexp(&body[divider + 1..].concat()),
            expect_error: attributes.iter().any(|a| a == ":error"),
            skip: attributes.iter().any(|a| a == ":skip"),
        });
    }
    cases
}

fn parse_header(lines: &[&str], start: usize) -> Option<(usize, usize, String, Vec<String>)> {
    is_delimiter(lines[start], '=')?;
    let mut name = String::new();
    let mut attributes = Vec::new();
    let mut i = start + 1;
    while i < lines.len() {
        if is_delimiter(lines[i], '=').is_some() {
            return Some((start, i + 1, name.trim().to_owned(), attributes));
        }
        let line = lines[i].trim();
        if line.starts_with(':') {
            attributes.push(line.to_owned());
        } else if line.is_empty() || !attributes.is_empty() {
            return None;
        } else {
            name.push_str(line);
        }
        i += 1;
    }
    None
}

/// Drops `;` comment lines and collapses whitespace, as tree-sitter does.
fn normalize_sexp(raw: &str) -> String {
    let text: Vec<&str> = raw
        .lines()
        .filter(|line| !line.trim_start().starts_with(';'))
        .collect();
    let joined = text.join(" ");
    let collapsed = joined.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.replace(" )", ")")
}

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

fn corpus_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("test/corpus exists")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    files.sort();
    files
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
