//! Baselines: accept today's findings of an old corpus, report only new ones.
//!
//! A baseline is a JSON file (documented in docs/cli.md):
//!
//! ```json
//! {
//!   "version": 1,
//!   "findings": [
//!     { "path": "articles/visit.nmk", "code": "unsourced-claim",
//!       "text": "{the visit had been planned for months}", "count": 1 }
//!   ]
//! }
//! ```
//!
//! A finding is matched by its file (relative to the baseline's folder),
//! its code and the text it marks (line breaks written as `\n`), never by
//! line or message, so it survives edits elsewhere in the file. `count`
//! says how many such findings are accepted: a third copy of a sentence
//! with two accepted findings is reported.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use crate::paths;
use crate::report::Report;
use crate::safe_write::Outputs;

const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    path: String,
    code: String,
    text: String,
    count: u32,
}

/// Accepted findings: how many per (path, code, text).
#[derive(Debug, Default)]
pub struct Baseline {
    accepted: BTreeMap<(String, String, String), u32>,
}

/// Records every finding of `report` in `path`; returns how many.
pub fn write(outputs: &Outputs, path: &Path, report: &Report) -> anyhow::Result<usize> {
    let folder = path.parent().unwrap_or(Path::new("/"));
    let mut counts: BTreeMap<(String, String, String), u32> = BTreeMap::new();
    for finding in report.findings() {
        *counts.entry(key(report, finding, folder)).or_default() += 1;
    }
    let file = BaselineFile {
        version: VERSION,
        findings: counts
            .into_iter()
            .map(|((path, code, text), count)| Entry {
                path,
                code,
                text,
                count,
            })
            .collect(),
    };
    let mut json = serde_json::to_string_pretty(&file)?;
    json.push('\n');
    outputs.write(path, &json)?;
    Ok(report.findings().count())
}

/// The largest baseline read: far above any real one (a finding is about
/// 150 bytes), and a bound on what a committed file can make us read.
const MAX_BYTES: u64 = 256 << 20;

pub fn read(path: &Path) -> anyhow::Result<Baseline> {
    // A baseline is committed, so a pull request may make it a link to a
    // pipe or `/dev/zero`: never open those, never read without end.
    if let Some(what) = newsmark_files::special_file(path) {
        anyhow::bail!("it is {what}, not a file");
    }
    let size = std::fs::metadata(path)?.len();
    anyhow::ensure!(
        size <= MAX_BYTES,
        "it is {size} bytes; a baseline is at most {MAX_BYTES} bytes"
    );
    let text = std::fs::read_to_string(path)?;
    let file: BaselineFile = serde_json::from_str(&text).context("not a newsmark baseline")?;
    anyhow::ensure!(
        file.version == VERSION,
        "baseline version {} is not supported (expected {VERSION})",
        file.version
    );
    let mut baseline = Baseline::default();
    for entry in file.findings {
        *baseline
            .accepted
            .entry((entry.path, entry.code, entry.text))
            .or_default() += entry.count;
    }
    Ok(baseline)
}

impl Baseline {
    /// Drops the findings the baseline (read from `path`) accepts.
    pub fn filter(mut self, report: &mut Report, path: &Path) {
        let folder = path.parent().unwrap_or(Path::new("/")).to_path_buf();
        let keep: Vec<bool> = report
            .findings()
            .map(
                |finding| match self.accepted.get_mut(&key(report, finding, &folder)) {
                    Some(count) if *count > 0 => {
                        *count -= 1;
                        false
                    }
                    _ => true,
                },
            )
            .collect();
        let mut keep = keep.into_iter();
        for file in &mut report.files {
            file.findings.retain(|_| keep.next().unwrap_or(true));
        }
    }
}

/// What a finding is matched by.
fn key(
    report: &Report,
    finding: &crate::report::Finding,
    folder: &Path,
) -> (String, String, String) {
    let path = paths::slashed(&paths::relative(folder, &report.files[finding.file].path));
    let text = report
        .marked_text(finding)
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    (path, finding.code.as_str().to_owned(), text)
}
