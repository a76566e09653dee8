//! `--output-format json`: one array of findings, the stable contract
//! documented in docs/cli.md. Keys, in order: `path` (relative to the
//! current folder, `/`-separated), `line`, `column`, `end_line`,
//! `end_column` (1-based; columns count Unicode characters; the end is
//! just after the marked text), `severity`, `code`, `message`.

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

pub fn render(view: &View) -> String {
    let findings: Vec<JsonFinding> = view
        .findings
        .iter()
        .map(|f| JsonFinding::new(view, f))
        .collect();
    let mut out = serde_json::to_string_pretty(&findings).expect("findings serialise");
    out.push('\n');
    out
}
