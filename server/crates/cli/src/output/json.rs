//! `--output-format json`: one array of findings, the stable contract
//! documented in docs/cli.md. Keys, in order: `path` (relative to the
//! current folder, `/`-separated), `line`, `column`, `end_line`,
//! `end_column` (1-based; columns count Unicode characters; the end is
//! just after the marked text), `severity`, `code`, `message`.

use std::io::{self, Write};

use serde::Serialize;

use crate::report::{Finding, View};

#[derive(Debug, Serialize)]
pub struct JsonFinding<'a> {
    pub path: &'a str,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub severity: &'static str,
    pub code: &'static str,
    pub message: &'a str,
}

impl<'a> JsonFinding<'a> {
    pub fn new(view: &'a View, finding: &'a Finding) -> Self {
        JsonFinding {
            path: view.path(finding),
            line: finding.start.line,
            column: finding.start.column,
            end_line: finding.end.line,
            end_column: finding.end.column,
            severity: finding.severity.as_str(),
            code: finding.code.as_str(),
            message: &finding.message,
        }
    }
}

/// One object per line inside the array: readable, greppable, diffable,
/// and much cheaper to print than fully indented JSON for a large corpus.
pub fn render(view: &View, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(b"[")?;
    for (index, finding) in view.findings.iter().enumerate() {
        out.write_all(if index == 0 { b"\n  " } else { b",\n  " })?;
        serde_json::to_writer(&mut *out, &JsonFinding::new(view, finding))?;
    }
    out.write_all(if view.findings.is_empty() {
        b"]\n"
    } else {
        b"\n]\n"
    })
}
