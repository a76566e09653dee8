//! Disagreements between annotators as findings, for
//! `agree --format sarif|github`: each at its place in each annotator's
//! file, so a pull request shows them inline. They are the changes
//! `diff` finds between every pair of versions, said from both sides
//! (`newsmark_analysis::disagreements`).

use std::cell::Cell;
use std::collections::BTreeMap;
use std::path::Path;

use newsmark_analysis::Diagnostic;
use newsmark_analysis::agreement;
use newsmark_analysis::disagreements::{Side, between};
use newsmark_syntax::position::LineIndex;

use crate::export::Article;
use crate::paths;
use crate::report::{CheckedFile, Finding, LineCol, Report};
use crate::versions::Version;

/// Every disagreement between every pair of `annotators`, as findings in
/// their files (paths shown from `cwd`; SARIF paths from the repository).
pub fn report(annotators: &[Version], cwd: &Path) -> Report {
    let mut findings: BTreeMap<(usize, &String), Vec<Finding>> = BTreeMap::new();
    for i in 0..annotators.len() {
        for j in i + 1..annotators.len() {
            let (a, b) = (&annotators[i], &annotators[j]);
            for (path, before) in &a.articles {
                let Some(after) = b.articles.get(path) else {
                    continue;
                };
                let (in_a, in_b) = pair(before, after, &a.name, &b.name);
                findings.entry((i, path)).or_default().extend(in_a);
                findings.entry((j, path)).or_default().extend(in_b);
            }
        }
    }
    let mut report = Report::default();
    for ((annotator, path), findings) in findings {
        let article = &annotators[annotator].articles[path];
        let repo_root = (article.file.ancestors())
            .find(|folder| folder.join(".git").exists())
            .unwrap_or(cwd);
        report.files.push(CheckedFile {
            path: article.file.clone(),
            display: paths::display(cwd, &article.file),
            repo_path: paths::slashed(&paths::relative(repo_root, &article.file)),
            hash: None,
            kept: Some(article.text.clone()),
            findings,
        });
    }
    report.sort();
    report
}

/// The findings in `a`'s file and in `b`'s.
fn pair(a: &Article, b: &Article, name_a: &str, name_b: &str) -> (Vec<Finding>, Vec<Finding>) {
    let (units_a, units_b) = (
        agreement::units(&a.document, &a.entities),
        agreement::units(&b.document, &b.entities),
    );
    let (in_a, in_b) = between(
        Side {
            name: name_a,
            source: &a.text,
            document: &a.document,
            units: &units_a,
        },
        Side {
            name: name_b,
            source: &b.text,
            document: &b.document,
            units: &units_b,
        },
    );
    let findings = |found: Vec<Diagnostic>, article: &Article| {
        let lines = LineIndex::new(&article.text);
        let cursor = Cell::default();
        let line_col = |offset| LineCol::after(&article.text, &lines, offset, &cursor);
        (found.into_iter())
            .map(|found| Finding {
                file: 0,
                start: line_col(found.range.start),
                end: line_col(found.range.end),
                range: found.range,
                severity: found.severity,
                code: found.code,
                message: found.message,
                notes: Vec::new(),
            })
            .collect()
    };
    (findings(in_a, a), findings(in_b, b))
}
