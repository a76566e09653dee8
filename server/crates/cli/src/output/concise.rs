//! `--output-format concise`: one line per finding,
//! `path:line:col: severity[code] message`, then the summary line.

use std::io::{self, Write};

use crate::output::escape::visible;
use crate::output::summary_line;
use crate::report::View;

pub fn render(view: &View, hidden_hints: usize, out: &mut dyn Write) -> io::Result<()> {
    for finding in &view.findings {
        writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            visible(view.path(finding)),
            finding.start.line,
            finding.start.column,
            finding.severity.as_str(),
            finding.code.as_str(),
            visible(&finding.message)
        )?;
    }
    out.write_all(summary_line(view, hidden_hints).as_bytes())
}
