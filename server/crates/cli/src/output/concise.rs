//! `--output-format concise`: one line per finding,
//! `path:line:col: severity[code] message`, then the summary line.

use std::fmt::Write as _;

use crate::output::escape::visible;
use crate::output::summary_line;
use crate::report::View;

pub fn render(view: &View, hidden_hints: usize) -> String {
    let mut out = String::new();
    for finding in &view.findings {
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            visible(view.path(finding)),
            finding.start.line,
            finding.start.column,
            finding.severity.as_str(),
            finding.code.as_str(),
            visible(&finding.message)
        );
    }
    out.push_str(&summary_line(view, hidden_hints));
    out
}
