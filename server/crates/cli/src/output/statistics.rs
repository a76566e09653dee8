//! `--statistics`: how many findings each code has, most frequent first.
//! A table for the human formats, an array of `{code, severity, count}`
//! for `json` and `json-lines`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use newsmark_analysis::{Code, Severity};
use serde::Serialize;

use crate::output::summary_line;
use crate::report::View;

fn counts(view: &View) -> Vec<(Code, Severity, usize)> {
    let mut counts: BTreeMap<Code, (Severity, usize)> = BTreeMap::new();
    for finding in &view.findings {
        counts
            .entry(finding.code)
            .or_insert((finding.severity, 0))
            .1 += 1;
    }
    let mut sorted: Vec<(Code, Severity, usize)> = counts
        .into_iter()
        .map(|(code, (severity, n))| (code, severity, n))
        .collect();
    sorted.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.as_str().cmp(b.0.as_str())));
    sorted
}

pub fn table(view: &View, hidden_hints: usize) -> String {
    let mut out = String::new();
    for (code, severity, count) in counts(view) {
        let _ = writeln!(
            out,
            "{count:>6}  {:<22} {:<8} {}",
            code.as_str(),
            severity.as_str(),
            code.summary()
        );
    }
    out.push_str(&summary_line(view, hidden_hints));
    out
}

#[derive(Serialize)]
struct Count {
    code: &'static str,
    severity: &'static str,
    count: usize,
}

pub fn json(view: &View) -> String {
    let counts: Vec<Count> = counts(view)
        .into_iter()
        .map(|(code, severity, count)| Count {
            code: code.as_str(),
            severity: severity.as_str(),
            count,
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&counts).expect("counts serialise");
    out.push('\n');
    out
}
