//! `newsmark agree`: how far annotators agree. Each annotator's version of
//! a corpus is a folder; articles pair by their path inside it. Units are
//! compared in the coordinates of each article's plain text
//! (`newsmark_analysis::agreement`); where two versions' texts differ (an
//! annotator changed a word), the second is aligned on the first with a
//! character diff, the place is reported, and the rest is compared.
//! `chance` adds the chance-corrected measures on the articles' words.

mod chance;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use newsmark_analysis::agreement::{self, Counts, Scores, Unit};
use newsmark_analysis::alignment::Alignment;
use rayon::prelude::*;
use serde::Serialize;

use crate::output::escape::visible;
use crate::output::{github, sarif};
use crate::versions::Version;
use crate::{AgreeArgs, AgreeFormat, FailUnder, Measure, disagreements, paths};
use chance::{Group, PairKind};

/// The agreement of two annotators, `b` measured against `a`.
#[derive(Debug, Serialize)]
struct Pair {
    a: String,
    b: String,
    overall: Measured,
    labels: BTreeMap<String, Measured>,
    /// Cohen's κ per kind of label.
    kinds: BTreeMap<String, PairKind>,
    /// Weakest first.
    documents: Vec<Document>,
}

#[derive(Debug, Serialize)]
struct Document {
    path: String,
    overall: Measured,
    /// Where the plain texts first differ, one-based, in `a`'s text.
    text_mismatch: Option<Place>,
    /// Cohen's κ per kind of label; empty when one of them lacks it.
    kinds: BTreeMap<String, PairKind>,
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
    /// Every annotator together.
    all: Group,
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
        let (version, failed) = Version::read(folder, &cwd, &annotators)?;
        unreadable += failed;
        annotators.push(version);
    }
    let report = measure(&annotators);
    let below: Vec<&FailUnder> = (args.fail_under.iter())
        .filter(|bar| lowest(&report, bar.measure).is_some_and(|value| value < bar.value))
        .collect();
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
    // The process ends next: freeing each article's parts one by one
    // would take a twentieth of the run on a large corpus, on one core.
    std::mem::forget(annotators);
    for bar in &below {
        eprintln!(
            "newsmark: agreement ({}) is below {}",
            bar.measure.describe(),
            bar.value
        );
    }
    Ok(if !below.is_empty() || unreadable > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The lowest value of `measure` in the report; `None` when it is nowhere
/// defined (undefined means no variation: nothing to fail).
fn lowest(report: &Report, measure: Measure) -> Option<f64> {
    let values: Vec<Option<f64>> = match measure {
        Measure::F1 => (report.pairs.iter())
            .map(|p| Some(p.overall.overlap.f1))
            .collect(),
        Measure::Kappa => (report.pairs.iter())
            .flat_map(|p| p.kinds.values().map(|k| k.cohen_kappa))
            .collect(),
        Measure::Fleiss => (report.all.kinds.values())
            .map(|k| k.fleiss_kappa)
            .collect(),
        Measure::Alpha => (report.all.kinds.values()).map(|k| k.alpha).collect(),
        Measure::AlphaU => (report.all.kinds.values()).map(|k| k.alpha_u).collect(),
    };
    values.into_iter().flatten().reduce(f64::min)
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
    // An article a version has as an earlier one does (the same document,
    // the same entities) shares that one's units.
    let mut units: Vec<BTreeMap<&String, Arc<Vec<Unit>>>> = Vec::new();
    for version in annotators {
        let found = (version.articles.par_iter())
            .map(|(path, article)| {
                let earlier = (units.iter().zip(annotators)).find_map(|(units, other)| {
                    let theirs = other.articles.get(path)?;
                    (Arc::ptr_eq(&theirs.document, &article.document)
                        && theirs.entities == article.entities)
                        .then(|| units[path].clone())
                });
                let units = earlier.unwrap_or_else(|| {
                    Arc::new(agreement::units(&article.document, &article.entities))
                });
                (path, units)
            })
            .collect();
        units.push(found);
    }
    let indexes: Vec<(usize, usize)> = (0..annotators.len())
        .flat_map(|i| (i + 1..annotators.len()).map(move |j| (i, j)))
        .collect();
    let articles: Vec<chance::Article> = (all_paths.par_iter())
        .map(|&path| {
            let holders: Vec<usize> = (0..annotators.len())
                .filter(|&i| annotators[i].articles.contains_key(path))
                .collect();
            let text = &annotators[holders[0]].articles[path].document.text;
            let (units, first_differences) = (holders.iter())
                .map(|&h| {
                    let theirs = &annotators[h].articles[path].document.text;
                    aligned(text, theirs, &units[h][path])
                })
                .unzip();
            chance::Article {
                path,
                holders,
                text,
                units,
                first_differences,
            }
        })
        .collect();
    let names: Vec<String> = annotators.iter().map(|a| a.name.clone()).collect();
    let measures = chance::measure(&names, &articles, &indexes);
    let pairs = (indexes.iter().zip(measures.pairs))
        .map(|(&(i, j), mut measures)| {
            let mut pair = pair(annotators, &units, &articles, i, j);
            pair.kinds = measures.kinds;
            for document in &mut pair.documents {
                document.kinds = (measures.documents.remove(&document.path)).unwrap_or_default();
            }
            pair
        })
        .collect();
    Report {
        annotators: names,
        pairs,
        all: measures.group,
        missing,
    }
}

/// `units` of a version whose plain text is `theirs`, moved onto `ours`,
/// and where the texts first differ (in characters of `ours`).
fn aligned<'u>(ours: &str, theirs: &str, units: &'u [Unit]) -> (Cow<'u, [Unit]>, Option<usize>) {
    if ours == theirs {
        return (Cow::Borrowed(units), None);
    }
    let alignment = Alignment::new(ours, theirs);
    let mut moved: Vec<Unit> = units.iter().map(|u| u.moved(&alignment)).collect();
    moved.sort();
    (Cow::Owned(moved), Some(alignment.first_difference))
}

fn pair(
    annotators: &[Version],
    units: &[BTreeMap<&String, Arc<Vec<Unit>>>],
    articles: &[chance::Article],
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
            kinds: BTreeMap::new(),
        });
    }
    // Articles both have, compared on every core.
    let compared: Vec<(Document, BTreeMap<String, Counts>)> = (articles.par_iter())
        .filter_map(|article| {
            let hi = article.holders.iter().position(|&h| h == i)?;
            let hj = article.holders.iter().position(|&h| h == j)?;
            let text_a = &annotators[i].articles[article.path].document.text;
            // The chance measures aligned every version on the first
            // holder's text: reuse that when `a` is the first holder.
            let (theirs, first) = if hi == 0 {
                let theirs = Cow::Borrowed(&*article.units[hj]);
                (theirs, article.first_differences[hj])
            } else {
                let other = &annotators[j].articles[article.path].document.text;
                aligned(text_a, other, &units[j][article.path])
            };
            let found = agreement::compare(&units[i][article.path], &theirs);
            let mut overall = Counts::default();
            for counts in found.values() {
                overall.add(*counts);
            }
            let document = Document {
                path: article.path.clone(),
                overall: overall.into(),
                text_mismatch: first.map(|first| place(text_a, first)),
                kinds: BTreeMap::new(),
            };
            Some((document, found))
        })
        .collect();
    for (document, found) in compared {
        for (label, counts) in found {
            labels.entry(label).or_default().add(counts);
        }
        documents.push(document);
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
        kinds: BTreeMap::new(),
        documents,
    }
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
        let _ = writeln!(out, "\n  {:<22} {:>7} {:>9}", "kind", "words", "Cohen κ");
        for (kind, k) in &pair.kinds {
            let _ = writeln!(
                out,
                "  {:<22} {:>7} {:>9}",
                visible(kind),
                k.words,
                maybe(k.cohen_kappa)
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
    all_annotators(&mut out, report);
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

/// A measure with three decimals, `-` where it is undefined.
fn maybe(value: Option<f64>) -> String {
    value.map_or("-".to_owned(), |x| format!("{x:.3}"))
}

/// The table's part on every annotator together: each kind's Fleiss' κ,
/// α and αu, the annotator-by-annotator matrices of F1 and of Cohen's κ
/// per kind, and the documents with the lowest α.
fn all_annotators(out: &mut String, report: &Report) {
    use std::fmt::Write as _;
    let all = &report.all;
    let _ = writeln!(out, "All annotators (chance-corrected, on words):\n");
    let _ = writeln!(
        out,
        "  {:<22} {:>7} {:>9} {:>7} {:>7}",
        "kind", "words", "Fleiss κ", "α", "αu"
    );
    for (kind, k) in &all.kinds {
        let _ = writeln!(
            out,
            "  {:<22} {:>7} {:>9} {:>7} {:>7}",
            visible(kind),
            k.words,
            maybe(k.fleiss_kappa),
            maybe(k.alpha),
            maybe(k.alpha_u)
        );
    }
    let names: Vec<String> = (report.annotators.iter())
        .map(|n| visible(n).into_owned())
        .collect();
    let cell = |i: usize, j: usize, value: &dyn Fn(&Pair) -> Option<f64>| {
        let pair = report.pairs.iter().find(|p| {
            (p.a == report.annotators[i] && p.b == report.annotators[j])
                || (p.a == report.annotators[j] && p.b == report.annotators[i])
        });
        if i == j {
            "1.000".to_owned()
        } else {
            maybe(pair.and_then(value))
        }
    };
    let mut matrix = |title: String, value: &dyn Fn(&Pair) -> Option<f64>| {
        let width = names
            .iter()
            .map(|n| n.chars().count())
            .max()
            .unwrap_or(0)
            .max(6);
        let _ = write!(out, "\n  {title}\n  {:width$}", "");
        for name in &names {
            let _ = write!(out, " {name:>width$}");
        }
        out.push('\n');
        for (i, name) in names.iter().enumerate() {
            let _ = write!(out, "  {name:width$}");
            for j in 0..names.len() {
                let _ = write!(out, " {:>width$}", cell(i, j, value));
            }
            out.push('\n');
        }
    };
    matrix("F1 with overlapping spans".to_owned(), &|p| {
        Some(p.overall.overlap.f1)
    });
    for kind in all.kinds.keys() {
        matrix(format!("Cohen κ, {}", visible(kind)), &|p| {
            p.kinds.get(kind).and_then(|k| k.cohen_kappa)
        });
    }
    let _ = writeln!(out, "\n  weakest documents (lowest α over kinds):");
    for document in all.documents.iter().take(10) {
        let _ = writeln!(
            out,
            "  {:<40} {:.3}",
            visible(&document.path),
            chance::lowest_alpha(document)
        );
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_count_lines_and_characters() {
        assert_eq!(place("a\nbc", 3), Place { line: 2, column: 2 });
        assert_eq!(place("😀\n최선희", 4), Place { line: 2, column: 3 });
    }
}
