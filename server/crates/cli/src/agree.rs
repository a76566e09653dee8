//! `newsmark agree`: how far annotators agree. Each annotator's version of
//! a corpus is a folder; articles pair by their path inside it. Units are
//! compared in the coordinates of each article's plain text
//! (`newsmark_analysis::agreement`); where two versions' texts differ (an
//! annotator changed a word), the second is aligned on the first with a
//! character diff, the place is reported, and the rest is compared.

use std::collections::{BTreeMap, BTreeSet};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use newsmark_analysis::agreement::{self, Counts, Scores, Unit};
use serde::Serialize;
use similar::{DiffOp, TextDiff};

use crate::output::escape::visible;
use crate::output::{github, sarif};
use crate::versions::Version;
use crate::{AgreeArgs, AgreeFormat, disagreements, paths};

/// The agreement of two annotators, `b` measured against `a`.
#[derive(Debug, Serialize)]
struct Pair {
    a: String,
    b: String,
    overall: Measured,
    labels: BTreeMap<String, Measured>,
    /// Weakest first.
    documents: Vec<Document>,
}

#[derive(Debug, Serialize)]
struct Document {
    path: String,
    overall: Measured,
    /// Where the plain texts first differ, one-based, in `a`'s text.
    text_mismatch: Option<Place>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
struct Place {
    line: usize,
    column: usize,
}

/// Counts and the scores they give, exact and with overlapping spans.
#[derive(Debug, Clone, Copy, Serialize)]
struct Measured {
    a: u32,
    b: u32,
    exact_matches: u32,
    overlap_matches: u32,
    exact: Scores,
    overlap: Scores,
}

impl From<Counts> for Measured {
    fn from(counts: Counts) -> Self {
        Measured {
            a: counts.a,
            b: counts.b,
            exact_matches: counts.exact,
            overlap_matches: counts.overlap,
            exact: counts.scores(counts.exact),
            overlap: counts.scores(counts.overlap),
        }
    }
}

/// The JSON of `--format json` (docs/cli.md).
#[derive(Debug, Serialize)]
struct Report {
    annotators: Vec<String>,
    pairs: Vec<Pair>,
    /// Articles some annotators do not have.
    missing: Vec<Missing>,
}

#[derive(Debug, Serialize)]
struct Missing {
    path: String,
    missing_from: Vec<String>,
}

pub fn run(args: &AgreeArgs) -> anyhow::Result<ExitCode> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let mut annotators = Vec::new();
    let mut unreadable = 0;
    for folder in &args.folders {
        if !paths::absolute(&cwd, folder).is_dir() {
            let shown = paths::display(&cwd, &paths::absolute(&cwd, folder));
            anyhow::bail!("{} is not a folder", visible(&shown));
        }
        let (version, failed) = Version::read(folder, &cwd)?;
        unreadable += failed;
        annotators.push(version);
    }
    let report = measure(&annotators);
    let below = args
        .fail_under
        .filter(|bar| report.pairs.iter().any(|p| p.overall.overlap.f1 < *bar));
    let rendered = match args.format {
        AgreeFormat::Table => table(&report),
        AgreeFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
        AgreeFormat::Sarif => sarif::render(&disagreements::report(&annotators, &cwd).view(true)),
        AgreeFormat::Github => {
            let mut out = Vec::new();
            github::render(
                &disagreements::report(&annotators, &cwd).view(true),
                &mut out,
            )?;
            String::from_utf8(out)?
        }
    };
    crate::check::write_stdout(&rendered)?;
    if let Some(bar) = below {
        eprintln!("newsmark: agreement (F1 with overlapping spans) is below {bar} for some pair");
    }
    Ok(if below.is_some() || unreadable > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn measure(annotators: &[Version]) -> Report {
    let all_paths: BTreeSet<&String> = annotators.iter().flat_map(|a| a.articles.keys()).collect();
    let missing = all_paths
        .iter()
        .filter_map(|path| {
            let missing_from: Vec<String> = (annotators.iter())
                .filter(|a| !a.articles.contains_key(*path))
                .map(|a| a.name.clone())
                .collect();
            (!missing_from.is_empty()).then(|| Missing {
                path: (*path).clone(),
                missing_from,
            })
        })
        .collect();
    let units: Vec<BTreeMap<&String, Vec<Unit>>> = annotators
        .iter()
        .map(|a| {
            (a.articles.iter())
                .map(|(path, article)| {
                    (path, agreement::units(&article.document, &article.entities))
                })
                .collect()
        })
        .collect();
    let mut pairs = Vec::new();
    for i in 0..annotators.len() {
        for j in i + 1..annotators.len() {
            pairs.push(pair(annotators, &units, i, j));
        }
    }
    Report {
        annotators: annotators.iter().map(|a| a.name.clone()).collect(),
        pairs,
        missing,
    }
}

fn pair(
    annotators: &[Version],
    units: &[BTreeMap<&String, Vec<Unit>>],
    i: usize,
    j: usize,
) -> Pair {
    let (a, b) = (&annotators[i], &annotators[j]);
    let mut labels: BTreeMap<String, Counts> = BTreeMap::new();
    let mut documents = Vec::new();
    // An article one of them lacks: all its units go unmatched.
    for (path, unmatched) in (a.articles.keys().filter(|p| !b.articles.contains_key(*p)))
        .map(|p| (p, agreement::compare(&units[i][p], &[])))
        .chain(
            (b.articles.keys().filter(|p| !a.articles.contains_key(*p)))
                .map(|p| (p, agreement::compare(&[], &units[j][p]))),
        )
    {
        let mut overall = Counts::default();
        for (label, counts) in unmatched {
            overall.add(counts);
            labels.entry(label).or_default().add(counts);
        }
        documents.push(Document {
            path: path.clone(),
            overall: overall.into(),
            text_mismatch: None,
        });
    }
    for (path, article) in &a.articles {
        let Some(other) = b.articles.get(path) else {
            continue;
        };
        let (text_a, text_b) = (&article.document.text, &other.document.text);
        let (theirs, text_mismatch) = if text_a == text_b {
            (units[j][path].clone(), None)
        } else {
            let (map, first) = align(text_a, text_b);
            let span = |(start, end): (usize, usize)| span_on(&map, start, end);
            let mut moved: Vec<Unit> = (units[j][path].iter())
                .map(|u| {
                    let (start, end) = span((u.start, u.end));
                    Unit {
                        start,
                        end,
                        target: u.target.map(span),
                        ..u.clone()
                    }
                })
                .collect();
            moved.sort();
            (moved, Some(place(text_a, first)))
        };
        let mut overall = Counts::default();
        for (label, counts) in agreement::compare(&units[i][path], &theirs) {
            overall.add(counts);
            labels.entry(label).or_default().add(counts);
        }
        documents.push(Document {
            path: path.clone(),
            overall: overall.into(),
            text_mismatch,
        });
    }
    documents.sort_by(|x, y| {
        (x.overall.overlap.f1)
            .total_cmp(&y.overall.overlap.f1)
            .then_with(|| x.path.cmp(&y.path))
    });
    let mut overall = Counts::default();
    for counts in labels.values() {
        overall.add(*counts);
    }
    Pair {
        a: a.name.clone(),
        b: b.name.clone(),
        overall: overall.into(),
        labels: labels.into_iter().map(|(l, c)| (l, c.into())).collect(),
        documents,
    }
}

/// For each character offset of `b` (its end included), the offset of `a`
/// it stands for; and the character of `a` where they first differ. Text
/// inserted in `b` maps to where it was inserted; replaced text spreads
/// over what it replaced.
fn align(a: &str, b: &str) -> (Vec<usize>, usize) {
    let diff = TextDiff::configure()
        // A pathological pair of texts gives a coarser alignment, not a hang.
        .timeout(Duration::from_secs(2))
        .diff_chars(a, b);
    let (len_a, len_b) = (a.chars().count(), b.chars().count());
    let mut map = vec![len_a; len_b + 1];
    let mut first = None;
    for op in diff.ops() {
        match *op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for k in 0..len {
                    map[new_index + k] = old_index + k;
                }
            }
            DiffOp::Delete { old_index, .. } => {
                first.get_or_insert(old_index);
            }
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => {
                first.get_or_insert(old_index);
                map[new_index..new_index + new_len].fill(old_index);
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                first.get_or_insert(old_index);
                for k in 0..new_len {
                    map[new_index + k] = old_index + k * old_len / new_len;
                }
            }
        }
    }
    (map, first.unwrap_or(len_a))
}

/// Where the span `start..end` of the second text falls in the first,
/// through `map` ([`align`]): its end follows its last character, so text
/// the first has right after the span stays out of it.
fn span_on(map: &[usize], start: usize, end: usize) -> (usize, usize) {
    if start == end {
        return (map[start], map[start]);
    }
    let start = map[start];
    (start, (map[end - 1] + 1).max(start))
}

/// The one-based line and column of character `at` of `text`.
fn place(text: &str, at: usize) -> Place {
    let before: String = text.chars().take(at).collect();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Place {
        line: before.matches('\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
    }
}

fn table(report: &Report) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let f = |x: f64| format!("{x:.3}");
    for pair in &report.pairs {
        let (a, b) = (visible(&pair.a), visible(&pair.b));
        let _ = writeln!(
            out,
            "{a} and {b}: F1 {} with exact spans, {} with overlapping spans ({} and {} units)\n",
            f(pair.overall.exact.f1),
            f(pair.overall.overlap.f1),
            pair.overall.a,
            pair.overall.b
        );
        let mut labels: Vec<(&String, &Measured)> = pair.labels.iter().collect();
        labels.sort_by(|x, y| x.1.overlap.f1.total_cmp(&y.1.overlap.f1).then(x.0.cmp(y.0)));
        let _ = writeln!(
            out,
            "  {:<22} {:>7} {:>7} {:>9} {:>11} {:>10} {:>7}",
            "label", "a", "b", "exact F1", "overlap F1", "precision", "recall"
        );
        for (label, m) in labels {
            let _ = writeln!(
                out,
                "  {:<22} {:>7} {:>7} {:>9} {:>11} {:>10} {:>7}",
                visible(label),
                m.a,
                m.b,
                f(m.exact.f1),
                f(m.overlap.f1),
                f(m.overlap.precision),
                f(m.overlap.recall)
            );
        }
        let _ = writeln!(out, "\n  weakest documents (F1 with overlapping spans):");
        for document in pair.documents.iter().take(10) {
            let mismatch = document.text_mismatch.map_or(String::new(), |p| {
                format!(
                    "  (text-mismatch: the texts differ from line {}, column {})",
                    p.line, p.column
                )
            });
            let _ = writeln!(
                out,
                "  {:<40} {}{mismatch}",
                visible(&document.path),
                f(document.overall.overlap.f1)
            );
        }
        out.push('\n');
    }
    for missing in &report.missing {
        let from: Vec<String> = (missing.missing_from.iter())
            .map(|a| visible(a).into_owned())
            .collect();
        let _ = writeln!(
            out,
            "{} is missing from {}",
            visible(&missing.path),
            from.join(", ")
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alignment_maps_the_second_text_onto_the_first() {
        let (map, first) = align("Lavrov met Kim.", "Lavrov met with Kim.");
        assert_eq!(first, 11);
        // "Kim" is 16..19 in the second text, 11..14 in the first.
        assert_eq!(span_on(&map, 16, 19), (11, 14));
        assert_eq!(place("a\nbc", 3), Place { line: 2, column: 2 });
        // Text the first has right after a span stays out of it.
        let (map, _) = align("Lavrov, met", "Lavrov met");
        assert_eq!(span_on(&map, 0, 6), (0, 6));
        // Characters, not bytes: Hangul and emoji before the span.
        let (map, _) = align("최선희 😀 said Kim", "최선희 said Kim");
        assert_eq!(span_on(&map, 9, 12), (11, 14));
    }
}
