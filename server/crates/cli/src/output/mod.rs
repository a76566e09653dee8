//! Report formats: one module per `--output-format`, each a function that
//! writes the findings as it goes (a corpus's report can be larger than
//! the memory left for it). Human formats (`full`, `concise`, `github`,
//! `junit`) hide hints unless `--show-hints`; the machine formats (`json`,
//! `json-lines`, `sarif`) always hold every finding that is not turned off.

use std::io::{self, Write};

use newsmark_analysis::Severity;

use crate::OutputFormat;
use crate::report::{Report, View};

pub mod concise;
pub mod escape;
pub mod full;
pub mod github;
pub mod json;
pub mod json_lines;
pub mod junit;
pub mod sarif;
pub mod statistics;

/// How to render.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// ANSI colours (only ever for a terminal).
    pub color: bool,
    pub show_hints: bool,
    /// Counts per code instead of the findings.
    pub statistics: bool,
}

pub fn render(
    format: OutputFormat,
    report: &Report,
    options: &Options,
    out: &mut dyn Write,
) -> io::Result<()> {
    let machine = matches!(
        format,
        OutputFormat::Json | OutputFormat::JsonLines | OutputFormat::Sarif
    );
    let view = report.view(machine || options.show_hints);
    if options.statistics {
        let table = match format {
            OutputFormat::Json | OutputFormat::JsonLines => statistics::json(&view),
            _ => statistics::table(&view, hidden_hints(report, &view)),
        };
        return out.write_all(table.as_bytes());
    }
    match format {
        OutputFormat::Full => full::render(&view, options.color, hidden_hints(report, &view), out),
        OutputFormat::Concise => concise::render(&view, hidden_hints(report, &view), out),
        OutputFormat::Json => json::render(&view, out),
        OutputFormat::JsonLines => json_lines::render(&view, out),
        // One document, built whole (SARIF readers load it whole too).
        OutputFormat::Sarif => out.write_all(sarif::render(&view).as_bytes()),
        OutputFormat::Github => github::render(&view, out),
        OutputFormat::Junit => junit::render(&view, out),
    }
}

fn hidden_hints(report: &Report, view: &View) -> usize {
    report.findings().count() - view.findings.len()
}

/// The closing line of the human formats: `Found 3 findings in 2 files
/// (1 error, 2 warnings).`, and how many hints are hidden.
pub fn summary_line(view: &View, hidden_hints: usize) -> String {
    let mut line = if view.findings.is_empty() {
        format!("No findings in {}.", plural(view.files.len(), "file"))
    } else {
        let mut files: Vec<usize> = view.findings.iter().map(|f| f.file).collect();
        files.dedup();
        let counts: Vec<String> = [
            Severity::Error,
            Severity::Warning,
            Severity::Info,
            Severity::Hint,
        ]
        .into_iter()
        .filter_map(|severity| {
            let n = view
                .findings
                .iter()
                .filter(|f| f.severity == severity)
                .count();
            (n > 0).then(|| plural(n, severity.as_str()))
        })
        .collect();
        format!(
            "Found {} in {} ({}).",
            plural(view.findings.len(), "finding"),
            plural(files.len(), "file"),
            counts.join(", ")
        )
    };
    if hidden_hints > 0 {
        line.push_str(&format!(
            " {} not shown (--show-hints shows them).",
            plural(hidden_hints, "hint")
        ));
    }
    line.push('\n');
    line
}

/// `1 file`, `2 files`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}
