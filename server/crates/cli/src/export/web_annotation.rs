//! `--format web-annotation`: W3C Web Annotation JSON-LD. For each article,
//! `<path>.txt` (the plain text) and `<path>.jsonld` beside it: one
//! `AnnotationCollection` whose single page holds an `Annotation` per
//! mention and per claim, each targeting `<name>.txt` (a relative IRI, so
//! it resolves to the text beside the document) through a
//! `TextQuoteSelector` (exact, prefix, suffix) and a `TextPositionSelector`.
//! Positions count Unicode code points, as the W3C model requires, end
//! exclusive; the collection says so in `newsmark:offsetUnit`.
//!
//! - a mention is `identifying`: bodies its entity id (`purpose`
//!   `identifying`), its Wikidata entity IRI when it has one, and its kind
//!   (`classifying`);
//! - a claim is `tagging`: a `claim` tag, its `#label` (`tagging`), its
//!   quote kind (`classifying`), each source with its chain (`@jon via
//!   @kcna`, `linking`) and the Wikidata IRI of each source that has one
//!   (`linking`), each stance (`denies #talks`, `assessing`) with the
//!   claim it names (`linking`), and its hedging words (`describing`); a
//!   split quote has one target per part.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use newsmark_analysis::export::{ClaimSpan, PlainDocument};
use newsmark_syntax::QuoteKind;
use serde_json::{Value, json};

use crate::export::{Article, written_sources};

/// The IRI of the terms Newsmark adds to a JSON-LD context (`newsmark:…`).
pub const NEWSMARK_NS: &str = "https://github.com/newsmark/newsmark/blob/main/docs/interop.md#";

/// How many characters of context a `TextQuoteSelector` carries each side.
const CONTEXT: usize = 32;

/// The files of the export, at their paths below `folder`.
pub fn files<'a>(folder: &Path, articles: &'a [Article]) -> Vec<(PathBuf, Cow<'a, str>)> {
    let mut files = Vec::new();
    for article in articles {
        let stem = article.stem();
        let text = Cow::Borrowed(article.document.text.as_str());
        files.push((folder.join(format!("{stem}.txt")), text));
        let document = serde_json::to_string_pretty(&collection(article)).expect("JSON serialises");
        files.push((
            folder.join(format!("{stem}.jsonld")),
            Cow::Owned(document + "\n"),
        ));
    }
    files
}

/// The collection of one article's annotations.
pub fn collection(article: &Article) -> Value {
    let name = article.stem().rsplit('/').next().unwrap_or_default();
    let source = format!("{name}.txt");
    let document = &article.document;
    let selectors = Selectors::new(document);
    let mut items = Vec::new();
    for (index, mention) in document.mentions.iter().enumerate() {
        let mut body = vec![textual(&mention.id, "identifying")];
        if let Some(wikidata) = article
            .entity(&mention.id)
            .and_then(|e| e.wikidata.as_ref())
        {
            body.push(wikidata_body(wikidata));
        }
        body.push(textual(article.kind_of(&mention.id), "classifying"));
        items.push(json!({
            "id": format!("#m{}", index + 1),
            "type": "Annotation",
            "motivation": "identifying",
            "body": body,
            "target": selectors.target(&source, mention.start, mention.end),
        }));
    }
    for (index, claim) in document.claims.iter().enumerate() {
        let targets: Vec<Value> = std::iter::once((claim.start, claim.end))
            .chain(claim.parts.iter().map(|part| (part.start, part.end)))
            .map(|(start, end)| selectors.target(&source, start, end))
            .collect();
        items.push(json!({
            "id": format!("#c{}", index + 1),
            "type": "Annotation",
            "motivation": "tagging",
            "body": claim_bodies(article, claim),
            "target": targets,
        }));
    }
    json!({
        "@context": [
            "http://www.w3.org/ns/anno.jsonld",
            {"newsmark": NEWSMARK_NS, "offsetUnit": "newsmark:offsetUnit"},
        ],
        "id": format!("{name}.jsonld"),
        "type": "AnnotationCollection",
        "label": article.path,
        "offsetUnit": "Unicode code points",
        "total": items.len(),
        "first": {
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    })
}

fn claim_bodies(article: &Article, claim: &ClaimSpan) -> Vec<Value> {
    let document = &article.document;
    let mut body = vec![textual("claim", "tagging")];
    if let Some(label) = &claim.label {
        body.push(textual(&format!("#{label}"), "tagging"));
    }
    match claim.quote {
        QuoteKind::None => {}
        kind => body.push(textual(&format!("{} quote", kind.word()), "classifying")),
    }
    // The sources as written, chains included; then their Wikidata IRIs.
    for source in written_sources(claim) {
        body.push(textual(&source, "linking"));
    }
    for source in &claim.sources {
        if let Some(wikidata) = article.entity(source).and_then(|e| e.wikidata.as_ref()) {
            body.push(json!({"id": wikidata_iri(wikidata), "purpose": "linking"}));
        }
    }
    for (kind, label) in &claim.stances {
        body.push(textual(&format!("{} #{label}", kind.word()), "assessing"));
        let named = (document.claims.iter()).position(|c| c.label.as_deref() == Some(label));
        if let Some(target) = named {
            body.push(json!({"id": format!("#c{}", target + 1), "purpose": "linking"}));
        }
    }
    for hedge in &claim.hedges {
        body.push(textual(&format!("hedged: {}", hedge.text), "describing"));
    }
    body
}

fn textual(value: &str, purpose: &str) -> Value {
    json!({"type": "TextualBody", "value": value, "purpose": purpose, "format": "text/plain"})
}

fn wikidata_body(id: &str) -> Value {
    json!({"id": wikidata_iri(id), "purpose": "identifying"})
}

/// Wikidata's concept IRI for an item id such as `Q80447`.
pub fn wikidata_iri(id: &str) -> String {
    format!("http://www.wikidata.org/entity/{id}")
}

/// Selectors into one plain text, counted in code points.
struct Selectors<'a> {
    text: &'a str,
    /// The byte where each character starts, and the text's length last.
    bytes: Vec<usize>,
}

impl<'a> Selectors<'a> {
    fn new(document: &'a PlainDocument) -> Self {
        let text = document.text.as_str();
        let bytes = (text.char_indices().map(|(at, _)| at))
            .chain([text.len()])
            .collect();
        Selectors { text, bytes }
    }

    /// Characters `start..end` of the text, as a byte range.
    fn slice(&self, start: usize, end: usize) -> &'a str {
        let last = self.bytes.len() - 1;
        &self.text[self.bytes[start.min(last)]..self.bytes[end.min(last)]]
    }

    fn target(&self, source: &str, start: usize, end: usize) -> Value {
        let last = self.bytes.len() - 1;
        json!({
            "source": source,
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": self.slice(start, end),
                    "prefix": self.slice(start.saturating_sub(CONTEXT), start),
                    "suffix": self.slice(end, (end + CONTEXT).min(last)),
                },
                {"type": "TextPositionSelector", "start": start, "end": end},
            ],
        })
    }
}
