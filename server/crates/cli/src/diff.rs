//! `newsmark diff OLD NEW`: what changed between two versions of an
//! article or a corpus, in annotation terms (`newsmark_analysis::changes`):
//! for an annotator reading a curator's corrections, or a pull request's
//! review. Places are in each version's own file: a removal where the old
//! file had it, an addition or a change where the new file has it.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use newsmark_analysis::agreement::{self, Unit};
use newsmark_analysis::alignment::Alignment;
use newsmark_analysis::changes::{Change, changes};
use serde::Serialize;

use crate::export::Article;
use crate::output::escape::visible;
use crate::report::LineCol;
use crate::versions::{Places, Version};
use crate::{DiffArgs, DiffFormat};
use newsmark_analysis::disagreements::{excerpt, written};

/// The JSON of `--format json` (docs/cli.md).
#[derive(Debug, Serialize)]
struct Report {
    old: String,
    new: String,
    articles: Vec<ArticleChanges>,
    only_in_old: Vec<String>,
    only_in_new: Vec<String>,
}

#[derive(Debug, Serialize)]
struct ArticleChanges {
    path: String,
    /// Where the texts first differ, in the old file.
    text_mismatch: Option<LineCol>,
    changes: Vec<Described>,
}

#[derive(Debug, Serialize)]
struct Described {
    /// "mention re-linked", "claim removed", …
    change: String,
    label: String,
    old: Option<Side>,
    new: Option<Side>,
}

/// A unit as one version has it.
#[derive(Debug, Serialize)]
struct Side {
    #[serde(flatten)]
    place: LineCol,
    /// Characters into the version's plain text, end exclusive.
    start: usize,
    end: usize,
    text: String,
    value: String,
}

pub fn run(args: &DiffArgs) -> anyhow::Result<ExitCode> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let (old, unreadable_old) = Version::read(&args.old, &cwd, &[])?;
    let (mut new, unreadable_new) = Version::read(&args.new, &cwd, std::slice::from_ref(&old))?;
    // Two articles compare with each other whatever their names.
    if args.old.is_file() && args.new.is_file() {
        let keys = (old.articles.keys().next(), new.articles.keys().next());
        if let (Some(key), Some(_)) = keys {
            let key = key.clone();
            let article = new.articles.pop_first().expect("one article").1;
            new.articles.insert(key, article);
        }
    }
    let report = compare(&old, &new);
    let changed = !report.articles.is_empty()
        || !report.only_in_old.is_empty()
        || !report.only_in_new.is_empty();
    let rendered = match args.format {
        DiffFormat::Human => human(&report),
        DiffFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
    };
    crate::check::write_stdout(&rendered)?;
    Ok(if unreadable_old + unreadable_new > 0 {
        ExitCode::from(2)
    } else if changed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn compare(old: &Version, new: &Version) -> Report {
    let only = |a: &Version, b: &Version| -> Vec<String> {
        (a.articles.keys())
            .filter(|path| !b.articles.contains_key(*path))
            .cloned()
            .collect()
    };
    let articles = (old.articles.iter())
        .filter_map(|(path, before)| {
            let after = new.articles.get(path)?;
            let found = article_changes(path, before, after);
            (!found.changes.is_empty() || found.text_mismatch.is_some()).then_some(found)
        })
        .collect();
    Report {
        old: old.name.clone(),
        new: new.name.clone(),
        articles,
        only_in_old: only(old, new),
        only_in_new: only(new, old),
    }
}

fn article_changes(path: &str, before: &Article, after: &Article) -> ArticleChanges {
    let units = |article: &Article| agreement::units(&article.document, &article.entities);
    let (text_old, text_new) = (&before.document.text, &after.document.text);
    let alignment = (text_old != text_new).then(|| Alignment::new(text_old, text_new));
    let (places_old, places_new) = (Places::new(before), Places::new(after));
    let side = |unit: &Unit, places: &Places| Side {
        place: places.of(unit.start),
        start: unit.start,
        end: unit.end,
        text: places.plain(unit.start, unit.end).to_owned(),
        value: unit.value.clone(),
    };
    let found = changes(&units(before), &units(after), alignment.as_ref());
    ArticleChanges {
        path: path.to_owned(),
        text_mismatch: alignment.map(|a| places_old.of(a.first_difference)),
        changes: (found.iter())
            .map(|change: &Change| Described {
                change: change.description(),
                label: change
                    .before
                    .as_ref()
                    .or(change.after.as_ref())
                    .expect("a side")
                    .label
                    .clone(),
                old: change.before.as_ref().map(|u| side(u, &places_old)),
                new: change.after.as_ref().map(|u| side(u, &places_new)),
            })
            .collect(),
    }
}

fn human(report: &Report) -> String {
    let mut out = String::new();
    for article in &report.articles {
        let _ = writeln!(out, "{}", visible(&article.path));
        if let Some(at) = article.text_mismatch {
            let _ = writeln!(
                out,
                "  old {}:{}  text changed from here on",
                at.line, at.column
            );
        }
        for change in &article.changes {
            // A removal is shown where the old file had it; the rest where
            // the new file has it.
            let (side, which) = match (&change.new, &change.old) {
                (Some(new), _) => (new, "new"),
                (None, Some(old)) => (old, "old"),
                (None, None) => unreachable!("a change has a side"),
            };
            let values = match (&change.old, &change.new) {
                (Some(old), Some(new)) if old.value != new.value => {
                    format!(
                        ": {} → {}",
                        written(&change.label, &old.value),
                        written(&change.label, &new.value)
                    )
                }
                (Some(old), Some(new)) if old.text != new.text => {
                    format!(
                        ": “{}” → “{}”",
                        visible(&excerpt(&old.text)),
                        visible(&excerpt(&new.text))
                    )
                }
                _ => match written(&change.label, &side.value) {
                    shown if shown.is_empty() => String::new(),
                    shown => format!(": {shown}"),
                },
            };
            let _ = writeln!(
                out,
                "  {which} {}:{}  {} “{}”{}",
                side.place.line,
                side.place.column,
                change.change,
                visible(&excerpt(&side.text)),
                visible(&values)
            );
        }
    }
    for (paths, which) in [(&report.only_in_old, "old"), (&report.only_in_new, "new")] {
        for path in paths {
            let _ = writeln!(out, "{}: only in the {which} version", visible(path));
        }
    }
    if out.is_empty() {
        out.push_str("no changes\n");
    }
    out
}
