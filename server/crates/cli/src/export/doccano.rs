//! `--format doccano`: doccano's JSONL for sequence labelling with
//! relations, one article per line: `text`, `entities` (`{id, label,
//! start_offset, end_offset}`) and `relations` (`{id, from_id, to_id,
//! type}`). doccano counts offsets in UTF-16 code units (the JavaScript
//! string length its editor uses, unless a project counts grapheme
//! clusters), so they are written in UTF-16 units, end exclusive; each line
//! says so in `offset_unit`, and doccano keeps such extra keys (`path`,
//! `offset_unit`) as the example's metadata.
//!
//! Entities are the mentions (labelled with their entity's kind, the
//! entity id in `entity`), the claims (`Claim`, with brat's note of their
//! sources and label in `notes` and their quote kind in `quote`), each
//! later part of a split quote (`Claim`, `PartOf` the first), the quoted
//! words (`Quoted`) and the hedging words (`HedgeCue`); each has its
//! `text`. Relations are those of [`crate::export::relations`].

use newsmark_analysis::export::Span;
use newsmark_syntax::QuoteKind;
use serde_json::{Value, json};

use crate::export::Article;
use crate::export::brat::claim_notes;
use crate::export::relations::{Node, relations};
use crate::export::utf16::Utf16;

pub const OFFSET_UNIT: &str = "UTF-16 code units";

pub fn render(articles: &[Article]) -> String {
    let mut out = String::new();
    for article in articles {
        out.push_str(&serde_json::to_string(&line(article)).expect("JSON serialises"));
        out.push('\n');
    }
    out
}

fn line(article: &Article) -> Value {
    let document = &article.document;
    let units = Utf16::new(&document.text);
    let mut entities = Vec::new();
    let mut relation_list = Vec::new();
    let entity = |id: usize, label: &str, start: usize, end: usize, text: &str| {
        json!({
            "id": id,
            "label": label,
            "start_offset": units.at(start),
            "end_offset": units.at(end),
            "text": text,
        })
    };
    for (index, mention) in document.mentions.iter().enumerate() {
        let mut span = entity(
            index + 1,
            article.kind_of(&mention.id),
            mention.start,
            mention.end,
            &mention.text,
        );
        span["entity"] = json!(mention.id);
        entities.push(span);
    }
    // Claims come after the mentions; their words after every claim.
    let claim_id = |index: usize| document.mentions.len() + index + 1;
    let mut next = document.mentions.len() + document.claims.len() + 1;
    let mut words = Vec::new();
    for (index, claim) in document.claims.iter().enumerate() {
        let mut span = entity(
            claim_id(index),
            "Claim",
            claim.start,
            claim.end,
            &claim.text,
        );
        if !claim.sources.is_empty() || claim.label.is_some() {
            span["notes"] = json!(claim_notes(claim));
        }
        if claim.quote != QuoteKind::None {
            span["quote"] = json!(claim.quote.word());
        }
        entities.push(span);
        let mut spans = |label: &str, spans: &[Span]| {
            for span in spans {
                words.push(entity(next, label, span.start, span.end, &span.text));
                if label == "Claim" {
                    relation_list.push((next, claim_id(index), "PartOf"));
                }
                next += 1;
            }
        };
        spans("Claim", &claim.parts);
        spans("Quoted", &claim.fragments);
        spans("HedgeCue", &claim.hedges);
    }
    entities.extend(words);
    let node = |node: Node| match node {
        Node::Mention(index) => index + 1,
        Node::Claim(index) => claim_id(index),
    };
    let mut all: Vec<(usize, usize, &str)> = (relations(document).into_iter())
        .map(|link| (node(link.from), node(link.to), link.kind.name()))
        .collect();
    all.extend(relation_list);
    let relations: Vec<Value> = (all.into_iter().enumerate())
        .map(|(index, (from, to, kind))| {
            json!({"id": index + 1, "from_id": from, "to_id": to, "type": kind})
        })
        .collect();
    json!({
        "text": document.text,
        "entities": entities,
        "relations": relations,
        "path": article.path,
        "offset_unit": OFFSET_UNIT,
    })
}
