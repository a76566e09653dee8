//! End-to-end tests of `newsmark lsp`: the real binary, spoken to over
//! stdio, on the fixture workspace in `tests/fixtures/workspace` (Hangul,
//! emoji and CRLF files; its README lists the expected findings).
//!
//! - `features`: every request, under UTF-8, UTF-16 and UTF-32 positions;
//! - `productivity`: rename, code actions, semantic tokens, code lens,
//!   inlay hints, links, folding, selection and the attribution graph,
//!   under UTF-8 and UTF-16, with their edits applied and compared;
//! - `sync`: edit order, incremental sync against a fresh parse, line breaks;
//! - `workspace`: the scan, progress, watched files, cross-file findings,
//!   pull diagnostics;
//! - `robustness`: bad input of every kind, and the engineering traps;
//! - `differential`: the server and `newsmark check` give the same findings;
//! - `uris`: the spellings of a document's URI, Windows URIs included.

mod client;
mod differential;
mod features;
mod open_report;
mod productivity;
mod random_edits;
mod robustness;
mod sync;
mod uris;
mod workspace;

use std::path::{Path, PathBuf};

use newsmark_syntax::Rope;
use newsmark_syntax::position::{self, Encoding};
use serde_json::{Value, json};

/// The fixture workspace in the source tree.
pub fn fixture_source() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/workspace")
}

/// A private copy of the fixture workspace, removed when dropped.
pub fn fixture() -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("newsmark-lsp-")
        .tempdir()
        .unwrap();
    copy_dir(&fixture_source(), dir.path());
    dir
}

/// Runs `newsmark check` in `root`, which writes its cache there.
pub fn check_writing_the_cache(root: &Path) {
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_newsmark"))
        .arg("check")
        .current_dir(root)
        .output()
        .unwrap();
    assert!(
        check.status.code().is_some_and(|code| code < 2),
        "{check:?}"
    );
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

pub fn encoding(name: &str) -> Encoding {
    match name {
        "utf-8" => Encoding::Utf8,
        "utf-32" => Encoding::Utf32,
        _ => Encoding::Utf16,
    }
}

/// The protocol position of a byte offset, computed in the test process.
pub fn position_of(text: &str, offset: usize, encoding: Encoding) -> Value {
    let position = position::offset_to_position(&Rope::from_str(text), offset, encoding);
    json!({ "line": position.line, "character": position.column })
}

pub fn range_of(text: &str, range: std::ops::Range<usize>, encoding: Encoding) -> Value {
    json!({
        "start": position_of(text, range.start, encoding),
        "end": position_of(text, range.end, encoding),
    })
}

/// The byte offset of a protocol position.
pub fn offset_of(text: &str, position: &Value, encoding: Encoding) -> usize {
    position::position_to_offset(
        &Rope::from_str(text),
        position::Position::new(
            position["line"].as_u64().unwrap() as u32,
            position["character"].as_u64().unwrap() as u32,
        ),
        encoding,
    )
}

/// `{"line": l, "character": c}`.
pub fn pos(line: u32, character: u32) -> Value {
    json!({ "line": line, "character": character })
}

pub fn range(start: (u32, u32), end: (u32, u32)) -> Value {
    json!({ "start": pos(start.0, start.1), "end": pos(end.0, end.1) })
}

/// `textDocument` + `position` parameters.
pub fn at(uri: &str, position: Value) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": position })
}
mod hostile;
mod untrusted;
