//! `newsmark stats`: the counts of `newsmark_analysis::stats`, per article
//! and for the corpus, as a table or as JSON (documented in docs/cli.md).
//! Only articles are listed (registries have no claims or mentions).

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use newsmark_analysis::export::is_article;
use newsmark_analysis::stats::Stats;
use serde_json::{Value, json};

use crate::load::load;
use crate::output::escape::visible;
use crate::{StatsArgs, StatsFormat, paths};

/// How many top sources and most mentioned entities are listed.
const TOP_FILE: usize = 3;
const TOP_CORPUS: usize = 10;

pub fn run(args: &StatsArgs) -> anyhow::Result<ExitCode> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let mut files: Vec<(String, Stats)> = Vec::new();
    let mut unreadable = 0;
    for plan in crate::load::plan(&args.paths, &cwd)? {
        let loaded = load(plan, "counting");
        for file in loaded.files.iter().filter(|f| f.planned.target) {
            let shown = paths::display(&cwd, &file.planned.path);
            match &file.file {
                Ok(id) if is_article(loaded.ws.summary(*id)) => {
                    files.push((shown, Stats::of_file(&loaded.ws, *id)));
                }
                Ok(_) => {}
                Err(reason) => {
                    eprintln!(
                        "newsmark: error: {}",
                        visible(&format!("{shown}: {reason}"))
                    );
                    unreadable += 1;
                }
            }
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut corpus = Stats::default();
    for (_, stats) in &files {
        corpus.add(stats);
    }
    let text = match args.format {
        StatsFormat::Table => table(&files, &corpus),
        StatsFormat::Json => {
            let value = json!({
                "corpus": object(&corpus, TOP_CORPUS),
                "files": files.iter().map(|(path, stats)| {
                    let mut value = object(stats, TOP_FILE);
                    value.as_object_mut().expect("an object").insert("path".into(), json!(path));
                    value
                }).collect::<Vec<_>>(),
            });
            serde_json::to_string_pretty(&value)? + "\n"
        }
    };
    crate::check::write_stdout(&text)?;
    Ok(if unreadable > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn object(stats: &Stats, top: usize) -> Value {
    let list = |entries: Vec<(&str, u32)>, what: &str| -> Vec<Value> {
        entries
            .into_iter()
            .map(|(id, n)| json!({ "id": id, what: n }))
            .collect()
    };
    json!({
        "files": stats.files,
        "claims": stats.claims,
        "sourced_claims": stats.sourced_claims,
        "share_sourced": stats.share_sourced(),
        "quotes": stats.quotes,
        "partial_quotes": stats.partial_quotes,
        "hedged_claims": stats.hedged_claims,
        "conduit_only_claims": stats.conduit_only_claims,
        "denials": stats.denials,
        "confirmations": stats.confirmations,
        "disputes": stats.disputes,
        "anonymous_sources": stats.anonymous_citations,
        "sources_per_claim": stats.sources_per_claim(),
        "untagged_mentions": stats.untagged_mentions,
        "top_sources": list(stats.top_sources(top), "claims"),
        "most_mentioned": list(stats.most_mentioned(top), "mentions"),
    })
}

fn table(files: &[(String, Stats)], corpus: &Stats) -> String {
    let header = [
        "file",
        "claims",
        "sourced",
        "quotes",
        "anonymous",
        "src/claim",
        "untagged",
        "top source",
        "most mentioned",
    ];
    let first = |entries: Vec<(&str, u32)>| {
        entries
            .first()
            .map_or("-".to_owned(), |(id, n)| format!("@{} ({n})", visible(id)))
    };
    let row = |name: String, stats: &Stats| -> [String; 9] {
        [
            visible(&name).into_owned(),
            stats.claims.to_string(),
            stats
                .share_sourced()
                .map_or("-".to_owned(), |share| format!("{:.0}%", share * 100.0)),
            stats.quotes.to_string(),
            stats.anonymous_citations.to_string(),
            stats
                .sources_per_claim()
                .map_or("-".to_owned(), |n| format!("{n:.2}")),
            stats.untagged_mentions.to_string(),
            first(stats.top_sources(1)),
            first(stats.most_mentioned(1)),
        ]
    };
    let mut rows: Vec<[String; 9]> = vec![header.map(str::to_owned)];
    rows.extend(files.iter().map(|(path, stats)| row(path.clone(), stats)));
    let total = format!("total ({})", crate::output::plural(files.len(), "article"));
    rows.push(row(total, corpus));
    let mut widths = [0; 9];
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in &rows {
        let mut line = String::new();
        for (column, (cell, width)) in row.iter().zip(widths).enumerate() {
            let pad = " ".repeat(width - cell.chars().count());
            match column {
                // Names on the left, numbers on the right.
                0 | 7 | 8 => line.push_str(&format!("{cell}{pad}  ")),
                _ => line.push_str(&format!("{pad}{cell}  ")),
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let list = |entries: Vec<(&str, u32)>| {
        if entries.is_empty() {
            return "-".to_owned();
        }
        entries
            .iter()
            .map(|(id, n)| format!("@{} ({n})", visible(id)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(
        out,
        "\nQuotes: {} direct, {} partial; hedged claims: {}; claims only through a conduit: {}; stances: {}, {}, {}",
        corpus.quotes,
        corpus.partial_quotes,
        corpus.hedged_claims,
        corpus.conduit_only_claims,
        crate::output::plural(corpus.denials as usize, "denial"),
        crate::output::plural(corpus.confirmations as usize, "confirmation"),
        crate::output::plural(corpus.disputes as usize, "dispute"),
    );
    let _ = writeln!(
        out,
        "Top sources (claims citing them): {}",
        list(corpus.top_sources(TOP_CORPUS))
    );
    let _ = writeln!(
        out,
        "Most mentioned (mentions and references): {}",
        list(corpus.most_mentioned(TOP_CORPUS))
    );
    out
}
