//! The corpus page (index.html) and the list of articles.
//!
//! The numbers are [`Corpus::stats`], the counts `newsmark stats` sums;
//! each cell carries its value as `newsmark stats --format json` writes
//! it (`data-stat`, `data-value`), so tests and scripts can compare them.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use newsmark_analysis::stats::Stats;

use super::html::{Bar, bar_chart, escape, page as frame, percent};
use super::{Corpus, paginate};

/// As many as `newsmark stats` lists for the corpus.
const TOP: usize = 10;

pub fn page(corpus: &Corpus) -> String {
    let stats = corpus.stats();
    let mut body = String::new();
    body.push_str("<h2>Claims and sources</h2>\n<table>\n");
    let number = |n: u32| (n.to_string(), n.to_string());
    let ratio =
        |r: Option<f64>, shown: String| (shown, r.map_or("null".to_owned(), |r| r.to_string()));
    let rows: [(&str, &str, (String, String)); 14] = [
        ("files", "Articles", number(stats.files)),
        ("claims", "Claims", number(stats.claims)),
        (
            "sourced_claims",
            "Sourced claims",
            number(stats.sourced_claims),
        ),
        (
            "share_sourced",
            "Share sourced",
            ratio(stats.share_sourced(), percent(stats.share_sourced())),
        ),
        ("quotes", "Direct quotes", number(stats.quotes)),
        (
            "partial_quotes",
            "Partial quotes",
            number(stats.partial_quotes),
        ),
        (
            "hedged_claims",
            "Hedged claims",
            number(stats.hedged_claims),
        ),
        (
            "anonymous_sources",
            "Citations of anonymous sources",
            number(stats.anonymous_citations),
        ),
        (
            "conduit_only_claims",
            "Claims only through a conduit (via)",
            number(stats.conduit_only_claims),
        ),
        ("denials", "Denials", number(stats.denials)),
        (
            "confirmations",
            "Confirmations",
            number(stats.confirmations),
        ),
        ("disputes", "Disputes", number(stats.disputes)),
        (
            "sources_per_claim",
            "Sources per sourced claim",
            ratio(
                stats.sources_per_claim(),
                stats
                    .sources_per_claim()
                    .map_or("-".to_owned(), |n| format!("{n:.2}")),
            ),
        ),
        (
            "untagged_mentions",
            "Untagged mentions",
            number(stats.untagged_mentions),
        ),
    ];
    for (key, label, (shown, value)) in rows {
        let _ = writeln!(
            body,
            "<tr><th scope=\"row\">{label}</th><td class=\"number\" data-stat=\"{key}\" data-value=\"{value}\">{shown}</td></tr>"
        );
    }
    body.push_str("</table>\n");
    let quotes = [
        Bar {
            label: "direct quotes".into(),
            value: share(stats.quotes, stats.claims),
            note: stats.quotes.to_string(),
        },
        Bar {
            label: "partial quotes".into(),
            value: share(stats.partial_quotes, stats.claims),
            note: stats.partial_quotes.to_string(),
        },
        Bar {
            label: "paraphrase".into(),
            value: share(
                stats.claims - stats.quotes - stats.partial_quotes,
                stats.claims,
            ),
            note: (stats.claims - stats.quotes - stats.partial_quotes).to_string(),
        },
    ];
    body.push_str("<h2>Quotes by kind</h2>\n");
    body.push_str(&bar_chart("Claims by kind of quote", &quotes));
    top_list(
        &mut body,
        corpus,
        "Top sources (claims citing them)",
        "top_sources",
        stats.top_sources(TOP),
    );
    top_list(
        &mut body,
        corpus,
        "Most mentioned (mentions and references)",
        "most_mentioned",
        stats.most_mentioned(TOP),
    );
    body.push_str("<h2>Sourcing by outlet</h2>\n");
    let outlets = group(corpus, |article| {
        article.front("outlet").map(|o| outlet_name(corpus, o))
    });
    body.push_str(&rate_chart(
        "Share of claims sourced, by outlet",
        &outlets,
        "No article names its outlet (front matter `outlet:`).",
    ));
    let months = group(corpus, |article| month(article.front("date")?));
    if months.len() > 1 {
        body.push_str("<h2>Over time</h2>\n");
        body.push_str(&rate_chart(
            "Share of claims sourced, by month of the front matter date",
            &months,
            "",
        ));
        body.push_str(&trend_table(&months));
    }
    let _ = writeln!(
        body,
        "<p><a href=\"articles/index.html\">All {} articles</a> · <a href=\"entities/index.html\">all {} entities</a> · <a href=\"graph.html\">the attribution graph</a></p>",
        corpus.articles.len(),
        corpus.entities.len()
    );
    if corpus.agreement {
        body.push_str("<p><a href=\"agreement.html\">Agreement of the annotators</a></p>\n");
    }
    frame("", "Corpus", &body)
}

fn share(part: u32, whole: u32) -> f64 {
    if whole == 0 {
        0.0
    } else {
        f64::from(part) / f64::from(whole)
    }
}

fn top_list(body: &mut String, corpus: &Corpus, title: &str, key: &str, entries: Vec<(&str, u32)>) {
    let _ = writeln!(body, "<h2>{title}</h2>\n<ol data-list=\"{key}\">");
    for (id, count) in entries {
        let name = match corpus.entity_page(id) {
            Some(page) => format!("<a href=\"{page}\">@{}</a>", escape(id)),
            None => format!("@{}", escape(id)),
        };
        let _ = writeln!(
            body,
            "<li data-id=\"{}\" data-value=\"{count}\">{name} ({count})</li>",
            escape(id)
        );
    }
    body.push_str("</ol>\n");
}

/// An outlet as its entity's name when `@id` resolves, else as written.
fn outlet_name(corpus: &Corpus, written: &str) -> String {
    let id = written.trim().trim_start_matches('@');
    let found = corpus
        .entities
        .binary_search_by(|e| (*e.graph.id).cmp(id))
        .ok();
    found
        .and_then(|index| corpus.entities[index].card.as_ref()?.name.clone())
        .unwrap_or_else(|| written.trim().to_owned())
}

/// `YYYY-MM` of a date written `YYYY-MM-DD…`.
fn month(date: &str) -> Option<String> {
    let month = date.trim().get(..7)?;
    let bytes = month.as_bytes();
    (bytes[4] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || b.is_ascii_digit()))
    .then(|| month.to_owned())
}

/// The articles' counts summed per key.
fn group(
    corpus: &Corpus,
    key: impl Fn(&super::Article) -> Option<String>,
) -> BTreeMap<String, Stats> {
    let mut groups: BTreeMap<String, Stats> = BTreeMap::new();
    for article in &corpus.articles {
        if let Some(key) = key(article) {
            groups.entry(key).or_default().add(&article.stats);
        }
    }
    groups
}

fn rate_chart(title: &str, groups: &BTreeMap<String, Stats>, none: &str) -> String {
    if groups.is_empty() {
        return format!("<p>{}</p>\n", escape(none));
    }
    let bars: Vec<Bar> = (groups.iter())
        .map(|(label, stats)| Bar {
            label: label.clone(),
            value: stats.share_sourced().unwrap_or(0.0),
            note: format!(
                "{} of {} claims",
                percent(stats.share_sourced()),
                stats.claims
            ),
        })
        .collect();
    bar_chart(title, &bars)
}

/// The counts of each month, as the corpus table names them.
fn trend_table(months: &BTreeMap<String, Stats>) -> String {
    let mut table = String::from(
        "<table class=\"trend\">\n<caption>Counts by month of the front matter date</caption>\n<tr><th scope=\"col\">Month</th>\
         <th scope=\"col\">Articles</th><th scope=\"col\">Claims</th><th scope=\"col\">Share sourced</th>\
         <th scope=\"col\">Direct quotes</th><th scope=\"col\">Partial quotes</th><th scope=\"col\">Hedged</th>\
         <th scope=\"col\">Anonymous citations</th><th scope=\"col\">Only via a conduit</th>\
         <th scope=\"col\">Denials</th><th scope=\"col\">Confirmations</th></tr>\n",
    );
    for (month, stats) in months {
        let _ = write!(table, "<tr><th scope=\"row\">{}</th>", escape(month));
        for cell in [
            stats.files.to_string(),
            stats.claims.to_string(),
            percent(stats.share_sourced()),
            stats.quotes.to_string(),
            stats.partial_quotes.to_string(),
            stats.hedged_claims.to_string(),
            stats.anonymous_citations.to_string(),
            stats.conduit_only_claims.to_string(),
            stats.denials.to_string(),
            stats.confirmations.to_string(),
        ] {
            let _ = write!(table, "<td class=\"number\">{cell}</td>");
        }
        table.push_str("</tr>\n");
    }
    table.push_str("</table>\n");
    table
}

/// articles/index.html (and its further pages): every article.
pub fn article_lists(corpus: &Corpus) -> Vec<(String, String)> {
    let items: Vec<String> = (corpus.articles.iter().enumerate())
        .map(|(index, article)| {
            format!(
                "<li><a href=\"{index}.html\">{}</a> <small>{} · {} claims, {} sourced</small></li>\n",
                escape(article.title()),
                escape(&article.shown),
                article.stats.claims,
                percent(article.stats.share_sourced()),
            )
        })
        .collect();
    let name = |n: usize| {
        if n == 1 {
            "articles/index.html".to_owned()
        } else {
            format!("articles/index-{n}.html")
        }
    };
    (paginate(&items, name).into_iter())
        .map(|(name, body)| (name, frame("../", "Articles", &body)))
        .collect()
}
