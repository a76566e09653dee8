//! An article's page: its plain text as `newsmark export` gives it, with
//! mentions and claims highlighted (sources and entities in the `title`
//! a pointer shows), the findings of `newsmark check` in the margin with
//! their source lines, the entities it uses and its part of the graph.

use std::collections::HashSet;
use std::fmt::Write as _;

use newsmark_syntax::QuoteKind;

use super::html::{escape, page as frame, push_escaped, web_link};
use super::{Corpus, graph};
use crate::export::written_sources;

pub fn page(corpus: &Corpus, index: usize) -> String {
    let article = &corpus.articles[index];
    let document = &article.document;
    let mut body = String::new();
    let mut facts = Vec::new();
    for key in ["date", "outlet", "language", "dateline"] {
        if let Some(value) = article.front(key) {
            facts.push(format!("{key}: {}", escape(value)));
        }
    }
    if let Some(url) = article.front("url").and_then(web_link) {
        facts.push(format!(
            "<a href=\"{url}\" rel=\"nofollow noopener\">original</a>"
        ));
    }
    let _ = writeln!(
        body,
        "<p>{} · {}</p>",
        escape(&article.shown),
        facts.join(" · ")
    );

    // Spans as (start, end, opening tag), in characters of the text.
    let mut spans: Vec<(usize, usize, String)> = Vec::new();
    let mut anchors: Vec<(usize, String)> = Vec::new();
    let mut anchored = HashSet::new();
    for (claim, line) in document.claims.iter().zip(&article.claim_lines) {
        let mut classes = String::from("claim");
        if claim.sources.is_empty() {
            classes.push_str(" unsourced");
        }
        if !claim.hedges.is_empty() {
            classes.push_str(" hedged");
        }
        let title = match claim.sources.is_empty() {
            true => "No source".to_owned(),
            false => format!("Source: {}", written_sources(claim).join(", ")),
        };
        let quote = match claim.quote {
            QuoteKind::Direct => "; direct quote",
            QuoteKind::Partial => "; partial quote",
            QuoteKind::None => "",
        };
        spans.push((
            claim.start,
            claim.end,
            format!(
                "<span class=\"{classes}\" title=\"{}{quote}\">",
                escape(&title)
            ),
        ));
        if anchored.insert(*line) {
            anchors.push((claim.start, format!("<span id=\"line-{line}\"></span>")));
        }
    }
    for mention in &document.mentions {
        let name = corpus
            .entity(&mention.id)
            .and_then(|e| e.card.as_ref()?.name.clone())
            .map_or(String::new(), |name| format!("{name} "));
        spans.push((
            mention.start,
            mention.end,
            format!(
                "<span class=\"mention\" title=\"{}(@{})\">",
                escape(&name),
                escape(&mention.id)
            ),
        ));
    }
    spans.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    anchors.sort_by_key(|(at, _)| *at);

    let chars: Vec<char> = document.text.chars().collect();
    body.push_str("<div class=\"article\">\n<div class=\"text\">\n");
    for block in &document.blocks {
        body.push_str("<p>");
        let inside: Vec<(usize, usize, &str)> = (spans.iter())
            .filter(|(start, end, _)| *start < block.end && *end > block.start)
            .map(|(start, end, tag)| {
                (
                    (*start).max(block.start),
                    (*end).min(block.end),
                    tag.as_str(),
                )
            })
            .collect();
        let marks: Vec<&(usize, String)> = anchors
            .iter()
            .filter(|(at, _)| block.contains(at))
            .collect();
        body.push_str(&highlight(&chars, block.clone(), &inside, &marks));
        body.push_str("</p>\n");
    }
    body.push_str(
        "</div>\n<aside class=\"findings\" aria-label=\"Findings\">\n<h2>Findings</h2>\n",
    );
    if article.findings.is_empty() {
        body.push_str("<p>None.</p>\n");
    } else {
        body.push_str("<ul>\n");
        for finding in &article.findings {
            let severity = finding.severity.as_str();
            let _ = writeln!(
                body,
                "<li><span class=\"severity-{severity}\">line {} · {severity}</span> [{}] {}</li>",
                finding.line,
                finding.code.as_str(),
                escape(&finding.message)
            );
        }
        body.push_str("</ul>\n");
    }
    body.push_str("</aside>\n</div>\n");

    let mut used: Vec<&str> = document.mentions.iter().map(|m| m.id.as_str()).collect();
    used.extend(
        document
            .claims
            .iter()
            .flat_map(|c| c.sources.iter().map(String::as_str)),
    );
    used.sort_unstable();
    used.dedup();
    body.push_str("<h2>Entities</h2>\n<ul>\n");
    for id in used {
        match corpus.entity_page(id) {
            Some(page) => {
                let _ = writeln!(body, "<li><a href=\"../{page}\">@{}</a></li>", escape(id));
            }
            None => {
                let _ = writeln!(body, "<li>@{}</li>", escape(id));
            }
        }
    }
    body.push_str("</ul>\n<h2>Its part of the graph</h2>\n");
    let claims: Vec<usize> = article.claims.clone().collect();
    body.push_str(&graph::svg(corpus, &claims, "../", false));
    frame("../", article.title(), &body)
}

/// The characters `block` of `chars`, escaped, inside the spans that
/// cover them (`spans` clipped to the block, sorted by start, longest
/// first). Spans that cross instead of nesting are closed and reopened.
fn highlight(
    chars: &[char],
    block: std::ops::Range<usize>,
    spans: &[(usize, usize, &str)],
    anchors: &[&(usize, String)],
) -> String {
    let mut out = String::new();
    let mut open: Vec<(usize, &str)> = Vec::new();
    let (mut next_span, mut next_anchor) = (0, 0);
    for at in block.clone() {
        if let Some(first) = open.iter().position(|(end, _)| *end <= at) {
            let closed = open.split_off(first);
            out.push_str(&"</span>".repeat(closed.len()));
            for (end, tag) in closed.into_iter().filter(|(end, _)| *end > at) {
                out.push_str(tag);
                open.push((end, tag));
            }
        }
        while let Some((_, html)) = anchors.get(next_anchor).filter(|(start, _)| *start <= at) {
            out.push_str(html);
            next_anchor += 1;
        }
        while let Some((_, end, tag)) = spans.get(next_span).filter(|(start, _, _)| *start <= at) {
            out.push_str(tag);
            open.push((*end, tag));
            next_span += 1;
        }
        if let Some(c) = chars.get(at) {
            push_escaped(&mut out, *c);
        }
    }
    out.push_str(&"</span>".repeat(open.len()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossing_spans_are_closed_and_reopened() {
        let chars: Vec<char> = "a<b>cd".chars().collect();
        let spans = [(0, 3, "<span class=\"x\">"), (1, 5, "<span class=\"y\">")];
        assert_eq!(
            highlight(&chars, 0..6, &spans, &[]),
            "<span class=\"x\">a<span class=\"y\">&lt;b</span></span><span class=\"y\">&gt;c</span>d"
        );
    }
}
