//! The tree-sitter corpus files (`test/corpus/*.txt`), read as
//! `tree-sitter test` reads them. Shared by the test binaries that use the
//! corpus; each uses a part of it, hence `dead_code` is allowed.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub struct Case {
    pub name: String,
    /// Header, input and divider exactly as they stand in the file.
    pub head: String,
    pub input: Vec<u8>,
    pub expected: String,
    pub expect_error: bool,
    pub skip: bool,
}

/// A delimiter line: three or more `c` and the file's suffix (a file
/// whose input holds `=======` lines marks its delimiters, `===|||`).
fn is_delimiter(line: &str, c: char, suffix: &str) -> Option<usize> {
    let line = line.trim_end_matches(['\r', '\n']);
    let len = line.len() - line.trim_start_matches(c).len();
    (len >= 3 && line[len..].trim() == suffix).then_some(len)
}

/// The suffix of the file's first header line (`|||` in `===|||`), empty
/// when it has none.
fn delimiter_suffix(text: &str) -> &str {
    let first = text.lines().next().unwrap_or_default();
    first.trim_start_matches('=').trim()
}

/// Splits a corpus file into cases, following tree-sitter-cli's `test.rs`.
pub fn parse_corpus(text: &str) -> Vec<Case> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let suffix = delimiter_suffix(text);
    let mut headers = Vec::new(); // (first line, line after the closing `===`, name, attributes)
    let mut i = 0;
    while i < lines.len() {
        if let Some(header) = parse_header(&lines, i, suffix) {
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
            .filter_map(|(j, line)| is_delimiter(line, '-', suffix).map(|len| (len, j)))
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

fn parse_header(
    lines: &[&str],
    start: usize,
    suffix: &str,
) -> Option<(usize, usize, String, Vec<String>)> {
    is_delimiter(lines[start], '=', suffix)?;
    let mut name = String::new();
    let mut attributes = Vec::new();
    let mut i = start + 1;
    while i < lines.len() {
        if is_delimiter(lines[i], '=', suffix).is_some() {
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

/// The corpus files, sorted.
pub fn corpus_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("test/corpus exists")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    files.sort();
    files
}
