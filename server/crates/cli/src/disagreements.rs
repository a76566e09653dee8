//! Disagreements between annotators as findings, for
//! `agree --format sarif|github`: each at its place in each annotator's
//! file, so a pull request shows them inline. They are the changes
//! `diff` finds between every pair of versions
//! (`newsmark_analysis::changes`), said from both sides.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use newsmark_analysis::agreement::{self, Unit};
use newsmark_analysis::alignment::Alignment;
use newsmark_analysis::changes::{Change, changes};
use newsmark_analysis::{Code, Severity};

use crate::export::Article;
use crate::paths;
use crate::report::{CheckedFile, Finding, Report};
use crate::versions::{Places, Version, excerpt, value};

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
    let units = |article: &Article| agreement::units(&article.document, &article.entities);
    let (text_a, text_b) = (&a.document.text, &b.document.text);
    let alignment = (text_a != text_b).then(|| Alignment::new(text_a, text_b));
    let (places_a, places_b) = (Places::new(a), Places::new(b));
    let (mut in_a, mut in_b) = (Vec::new(), Vec::new());
    if let Some(alignment) = &alignment {
        // The texts are the same up to there, so it is the same character
        // of both.
        let at = alignment.first_difference;
        let say = |other: &str| format!("the text differs from {other}'s from here on");
        in_a.push(finding(
            &places_a,
            at,
            at + 1,
            Code::TextMismatch,
            say(name_b),
        ));
        in_b.push(finding(
            &places_b,
            at,
            at + 1,
            Code::TextMismatch,
            say(name_a),
        ));
    }
    for change in changes(&units(a), &units(b), alignment.as_ref()) {
        let message = message(&change, (name_a, a), (name_b, b));
        if let Some(unit) = &change.before {
            in_a.push(finding(
                &places_a,
                unit.start,
                unit.end,
                Code::Disagreement,
                message.clone(),
            ));
        }
        if let Some(unit) = &change.after {
            in_b.push(finding(
                &places_b,
                unit.start,
                unit.end,
                Code::Disagreement,
                message,
            ));
        }
    }
    (in_a, in_b)
}

/// What both files say of a change, naming who has what.
fn message(
    change: &Change,
    (name_a, a): (&str, &Article),
    (name_b, b): (&str, &Article),
) -> String {
    let what = change.what();
    let text = |unit: &Unit, article: &Article| -> String {
        let chars = article.document.text.chars().skip(unit.start);
        excerpt(&chars.take(unit.end - unit.start).collect::<String>())
    };
    match (&change.before, &change.after) {
        (Some(_), None) => format!("{name_b} does not have this {what}"),
        (None, Some(_)) => format!("{name_a} does not have this {what}"),
        (Some(before), Some(after)) if before.value != after.value => {
            let shown = |unit: &Unit| match value(&unit.label, &unit.value) {
                shown if shown.is_empty() => "none".to_owned(),
                shown => shown,
            };
            format!(
                "{}: {} in {name_a}, {} in {name_b}",
                change.description(),
                shown(before),
                shown(after)
            )
        }
        (Some(before), Some(after)) => format!(
            "{}: “{}” in {name_a}, “{}” in {name_b}",
            change.description(),
            text(before, a),
            text(after, b)
        ),
        (None, None) => unreachable!("a change has a side"),
    }
}

/// A finding over characters `start..end` of an article's plain text.
fn finding(places: &Places, start: usize, end: usize, code: Code, message: String) -> Finding {
    let range = places.span(start, end);
    Finding {
        file: 0,
        start: places.line_col(range.start),
        end: places.line_col(range.end),
        range,
        severity: Severity::Warning,
        code,
        message: Cow::Owned(message),
        notes: Vec::new(),
    }
}
