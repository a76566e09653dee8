//! `--format label-studio`: Label Studio tasks. In the `--out` folder,
//! `tasks.json` (a JSON array, one task per article, to import into a
//! project) and `labeling-config.xml` (the project's labeling interface,
//! which names every label, field and relation the tasks use).
//!
//! A task's `data` holds the plain text (`text`), the article's `path` and
//! `offset_unit`: Label Studio's `Text` tag counts offsets in Unicode code
//! points (its own tests check it on emoji), end exclusive, as here. The
//! marks are one annotation's `result` (with `--as-predictions`, one
//! prediction's, so Newsmark can pre-annotate):
//!
//! - `labels` regions: each mention, labelled with its entity's kind
//!   (`Entity` when unknown), with its entity id in the per-region
//!   `entity` text area; each claim (`Claim`), with its sources and label
//!   written as brat's note writes them in the per-region `notes` text
//!   area and its quote kind in the per-region `quote` choices; each later
//!   part of a split quote (`Claim`, linked `PartOf` to the first); the
//!   quoted words (`Quoted`) and hedging words (`HedgeCue`);
//! - `relation` results: `AttributedTo`, `Via` and the stances, as in brat
//!   (see [`crate::export::relations`]).

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use newsmark_analysis::export::Span;
use newsmark_analysis::rules::KINDS;
use newsmark_syntax::QuoteKind;
use serde_json::{Value, json};

use crate::export::Article;
use crate::export::brat::claim_notes;
use crate::export::relations::{Kind, Node, relations};

/// The offset unit, as each task's `data` states it.
pub const OFFSET_UNIT: &str = "Unicode code points";

/// The files of the export, at their paths below `folder`.
pub fn files(
    folder: &Path,
    articles: &[Article],
    as_predictions: bool,
) -> Vec<(PathBuf, Cow<'static, str>)> {
    let tasks: Vec<Value> = (articles.iter())
        .map(|article| task(article, as_predictions))
        .collect();
    let tasks = serde_json::to_string_pretty(&tasks).expect("JSON serialises") + "\n";
    vec![
        (folder.join("tasks.json"), Cow::Owned(tasks)),
        (folder.join("labeling-config.xml"), Cow::Owned(config())),
    ]
}

/// The labeling config that matches the tasks.
pub fn config() -> String {
    let mut xml = String::from(
        "<!-- Written by newsmark export, format label-studio. -->\n<View>\n  <Style>.htx-text { white-space: pre-wrap; }</Style>\n  <Relations>\n",
    );
    for name in Kind::NAMES.iter().chain(&["PartOf"]) {
        let _ = writeln!(xml, "    <Relation value=\"{name}\"/>");
    }
    xml.push_str("  </Relations>\n  <Labels name=\"label\" toName=\"text\">\n");
    for label in ["Claim"]
        .iter()
        .chain(&KINDS)
        .chain(&["Entity", "Quoted", "HedgeCue"])
    {
        let _ = writeln!(xml, "    <Label value=\"{label}\"/>");
    }
    xml.push_str(concat!(
        "  </Labels>\n",
        "  <Text name=\"text\" value=\"$text\"/>\n",
        "  <View visibleWhen=\"region-selected\">\n",
        "    <Header value=\"Entity id (mentions)\"/>\n",
        "    <TextArea name=\"entity\" toName=\"text\" perRegion=\"true\" maxSubmissions=\"1\"/>\n",
        "    <Header value=\"Sources and label (claims)\"/>\n",
        "    <TextArea name=\"notes\" toName=\"text\" perRegion=\"true\" maxSubmissions=\"1\"/>\n",
        "    <Header value=\"Quote (claims)\"/>\n",
        "    <Choices name=\"quote\" toName=\"text\" perRegion=\"true\">\n",
        "      <Choice value=\"direct\"/>\n",
        "      <Choice value=\"partial\"/>\n",
        "    </Choices>\n",
        "  </View>\n",
        "</View>\n",
    ));
    xml
}

fn task(article: &Article, as_predictions: bool) -> Value {
    let document = &article.document;
    let mut result = Vec::new();
    for (index, mention) in document.mentions.iter().enumerate() {
        let id = mention_id(index);
        let span = (mention.start, mention.end);
        result.push(labels(
            &id,
            span,
            &mention.text,
            article.kind_of(&mention.id),
        ));
        result.push(per_region(
            &id,
            span,
            "entity",
            "textarea",
            json!({"text": [mention.id]}),
        ));
    }
    for (index, claim) in document.claims.iter().enumerate() {
        let id = claim_id(index);
        let span = (claim.start, claim.end);
        result.push(labels(&id, span, &claim.text, "Claim"));
        if !claim.sources.is_empty() || claim.label.is_some() {
            let notes = claim_notes(claim);
            result.push(per_region(
                &id,
                span,
                "notes",
                "textarea",
                json!({"text": [notes]}),
            ));
        }
        if claim.quote != QuoteKind::None {
            let choice = json!({"choices": [claim.quote.word()]});
            result.push(per_region(&id, span, "quote", "choices", choice));
        }
        let mut spans = |kind: &str, label: &str, spans: &[Span]| {
            for (n, span) in spans.iter().enumerate() {
                let part = format!("{id}-{kind}{}", n + 1);
                result.push(labels(&part, (span.start, span.end), &span.text, label));
                if kind == "p" {
                    result.push(relation(&part, &id, "PartOf"));
                }
            }
        };
        spans("p", "Claim", &claim.parts);
        spans("q", "Quoted", &claim.fragments);
        spans("h", "HedgeCue", &claim.hedges);
    }
    for link in relations(document) {
        result.push(relation(
            &node_id(link.from),
            &node_id(link.to),
            link.kind.name(),
        ));
    }
    let marks = if as_predictions {
        json!({"predictions": [{"model_version": "newsmark", "result": result}]})
    } else {
        json!({"annotations": [{"result": result}]})
    };
    let mut task = json!({
        "data": {"text": document.text, "path": article.path, "offset_unit": OFFSET_UNIT},
    });
    if let (Some(task), Value::Object(marks)) = (task.as_object_mut(), marks) {
        task.extend(marks);
    }
    task
}

fn mention_id(index: usize) -> String {
    format!("m{}", index + 1)
}

fn claim_id(index: usize) -> String {
    format!("c{}", index + 1)
}

fn node_id(node: Node) -> String {
    match node {
        Node::Mention(index) => mention_id(index),
        Node::Claim(index) => claim_id(index),
    }
}

fn labels(id: &str, (start, end): (usize, usize), text: &str, label: &str) -> Value {
    json!({
        "id": id,
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": start, "end": end, "text": text, "labels": [label]},
    })
}

/// A per-region control's result: Label Studio ties it to the region with
/// the same `id` and span.
fn per_region(
    id: &str,
    (start, end): (usize, usize),
    control: &str,
    kind: &str,
    value: Value,
) -> Value {
    let mut value = value;
    if let Some(value) = value.as_object_mut() {
        value.insert("start".into(), start.into());
        value.insert("end".into(), end.into());
    }
    json!({"id": id, "from_name": control, "to_name": "text", "type": kind, "value": value})
}

fn relation(from: &str, to: &str, label: &str) -> Value {
    json!({
        "from_id": from,
        "to_id": to,
        "type": "relation",
        "direction": "right",
        "labels": [label],
    })
}
