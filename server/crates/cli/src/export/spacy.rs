//! `--format spacy`: in the `--out` folder, `docs.jsonl`, one article a
//! line in the JSON of spaCy's `Doc.to_json`, which `Doc.from_json` reads
//! into a `Doc`, and `relations.jsonl` beside it, the same articles'
//! claims and relations (spaCy has no relations). Offsets count Unicode
//! code points, as Python's `str` and spaCy's `char_span` do; each line
//! says so in `offset_unit`, a key `from_json` ignores, like `path` and
//! `lang` (the front matter's `language`).
//!
//! - `tokens`: Newsmark's tokens (see [`tokens`]), cut at every span's
//!   ends, so every span aligns to tokens whatever the language: spaCy
//!   needs spans on token boundaries, and its own tokenizer does not cut
//!   `[북한]@north-korea이`.
//! - `ents`: the outermost mentions, which do not overlap, as `doc.ents`
//!   must not (an outer mention before those inside it; of a mention of
//!   several entities, the first); `label` its entity's kind (`Entity`
//!   when unknown), `kb_id` its entity id.
//! - `spans`, the span groups: `mentions` (every mention, nested and
//!   multi-entity ones included), `claims` (`kb_id` `c1`…, the claim's
//!   place), `claim_parts` (the later parts of a split quote), `quoted`
//!   (quoted words) and `hedges` (hedging words), each with its claim's
//!   `kb_id`.
//!
//! Every span has its `text`. A span's white space at either end is left
//! out (a spaCy span starts and ends on a word); one of white space only
//! is left out.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use newsmark_analysis::export::CharStarts;
use newsmark_syntax::QuoteKind;
use serde_json::{Value, json};
use unicode_segmentation::UnicodeSegmentation as _;

use crate::export::relations::{Node, relations};
use crate::export::{Article, written_sources};

pub const OFFSET_UNIT: &str = "Unicode code points";

/// The span groups, in the order each line lists them.
const GROUPS: [&str; 5] = ["mentions", "claims", "claim_parts", "quoted", "hedges"];

/// The files of the export, at their paths below `folder`.
pub fn files(folder: &Path, articles: &[Article]) -> Vec<(PathBuf, Cow<'static, str>)> {
    let (mut docs, mut links) = (String::new(), String::new());
    for article in articles {
        let (doc, relations) = lines(article);
        for (out, line) in [(&mut docs, doc), (&mut links, relations)] {
            out.push_str(&serde_json::to_string(&line).expect("JSON serialises"));
            out.push('\n');
        }
    }
    vec![
        (folder.join("docs.jsonl"), Cow::Owned(docs)),
        (folder.join("relations.jsonl"), Cow::Owned(links)),
    ]
}

/// A span as written: characters `start..end`, trimmed of white space.
struct Spanned {
    start: usize,
    end: usize,
    label: String,
    kb_id: String,
}

/// An article's line of `docs.jsonl` and its line of `relations.jsonl`.
fn lines(article: &Article) -> (Value, Value) {
    let document = &article.document;
    let text = document.text.as_str();
    let chars: Vec<char> = text.chars().collect();
    let starts = CharStarts::new(text);
    let trim = |start: usize, end: usize| {
        let end = (start..end)
            .rev()
            .find(|&at| !is_python_space(chars[at]))
            .map_or(start, |at| at + 1);
        let start = (start..end)
            .find(|&at| !is_python_space(chars[at]))
            .unwrap_or(end);
        (start < end).then_some((start, end))
    };
    // Each group's spans; for mentions and claims, where each went (none
    // when it was white space only), for the relations.
    let mut groups: Vec<Vec<Spanned>> = GROUPS.iter().map(|_| Vec::new()).collect();
    let mut placed = [Vec::new(), Vec::new()];
    let mut add = |group: usize, start: usize, end: usize, label: &str, kb_id: &str| {
        let span = trim(start, end).map(|(start, end)| Spanned {
            start,
            end,
            label: label.to_owned(),
            kb_id: kb_id.to_owned(),
        });
        let spans = &mut groups[group];
        let index = span.map(|span| {
            spans.push(span);
            spans.len() - 1
        });
        if let Some(placed) = placed.get_mut(group) {
            placed.push(index);
        }
    };
    for mention in &document.mentions {
        let kind = article.kind_of(&mention.id);
        add(0, mention.start, mention.end, kind, &mention.id);
    }
    for (index, claim) in document.claims.iter().enumerate() {
        let id = claim_id(index);
        add(1, claim.start, claim.end, "Claim", &id);
        for part in &claim.parts {
            add(2, part.start, part.end, "Claim", &id);
        }
        for fragment in &claim.fragments {
            add(3, fragment.start, fragment.end, "Quoted", &id);
        }
        for hedge in &claim.hedges {
            add(4, hedge.start, hedge.end, "HedgeCue", &id);
        }
    }
    let cuts: BTreeSet<usize> = (groups.iter().flatten())
        .flat_map(|span| [span.start, span.end])
        .collect();
    let written = |span: &Spanned| {
        json!({
            "start": span.start,
            "end": span.end,
            "label": span.label,
            "kb_id": span.kb_id,
            "text": starts.slice(text, span.start, span.end),
        })
    };
    // The outermost mentions: in order, each that starts after the last kept.
    let mut ents = Vec::new();
    let mut free_from = 0;
    for mention in &groups[0] {
        if mention.start >= free_from {
            ents.push(written(mention));
            free_from = mention.end;
        }
    }
    let spans: serde_json::Map<String, Value> = (GROUPS.iter().zip(&groups))
        .map(|(name, spans)| (name.to_string(), spans.iter().map(written).collect()))
        .collect();
    let tokens: Vec<Value> = (tokens(text, &cuts).into_iter().enumerate())
        .map(|(id, (start, end))| json!({"id": id, "start": start, "end": end}))
        .collect();
    let language = (article.front_matter.iter()).find(|(key, _)| key == "language");
    let doc = json!({
        "text": text,
        "tokens": tokens,
        "ents": ents,
        "spans": spans,
        "path": article.path,
        "lang": language.map(|(_, value)| value),
        "offset_unit": OFFSET_UNIT,
    });

    let end = |node: Node| {
        let (group, index) = match node {
            Node::Mention(index) => (0, placed[0][index]?),
            Node::Claim(index) => (1, placed[1][index]?),
        };
        let span = &groups[group][index];
        Some(json!({
            "group": GROUPS[group],
            "index": index,
            "start": span.start,
            "end": span.end,
            "text": starts.slice(text, span.start, span.end),
        }))
    };
    let links: Vec<Value> = (relations(document).into_iter())
        .filter_map(|relation| {
            Some(json!({
                "type": relation.kind.name(),
                "from": end(relation.from)?,
                "to": end(relation.to)?,
            }))
        })
        .collect();
    let claims: Vec<Value> = (document.claims.iter().enumerate())
        .map(|(index, claim)| {
            let mut line = json!({
                "id": claim_id(index),
                "text": claim.text,
                "sources": written_sources(claim),
            });
            if let Some(label) = &claim.label {
                line["label"] = json!(label);
            }
            if claim.quote != QuoteKind::None {
                line["quote"] = json!(claim.quote.word());
            }
            line
        })
        .collect();
    let side = json!({
        "path": article.path,
        "offset_unit": OFFSET_UNIT,
        "claims": claims,
        "relations": links,
    });
    (doc, side)
}

/// A claim's `kb_id`: its place in the article.
fn claim_id(index: usize) -> String {
    format!("c{}", index + 1)
}

/// The tokens of `text`, as character ranges, laid out as spaCy lays out
/// a `Doc`: words cut at Unicode word boundaries (UAX #29) and at every
/// offset of `cuts`; one space after a word belongs to that word (spaCy's
/// `whitespace_`), and any other white space is a token of its own. So
/// `Doc.from_json` rebuilds the same text from them.
pub fn tokens(text: &str, cuts: &BTreeSet<usize>) -> Vec<(usize, usize)> {
    let mut tokens = Vec::new();
    let mut char = 0;
    for run in runs(text) {
        let length = run.chars().count();
        let (start, end) = (char, char + length);
        char = end;
        if run.starts_with(is_python_space) {
            // A word takes the one space after it.
            let after_word = tokens.last().is_some_and(|&(_, end)| end == start);
            let from = start + usize::from(after_word && run.starts_with(' '));
            if from < end {
                tokens.push((from, end));
            }
            continue;
        }
        let mut at = start;
        for word in run.split_word_bounds() {
            let word_end = at + word.chars().count();
            let mut from = at;
            for &cut in cuts.range(at + 1..word_end) {
                tokens.push((from, cut));
                from = cut;
            }
            tokens.push((from, word_end));
            at = word_end;
        }
    }
    tokens
}

/// `text` cut into runs of white space and runs of anything else.
fn runs(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let space = is_python_space(first);
        let end = rest
            .find(|c: char| is_python_space(c) != space)
            .unwrap_or(rest.len());
        let (run, after) = rest.split_at(end);
        rest = after;
        Some(run)
    })
}

/// White space as Python's `str.isspace` (and so spaCy) sees it: Unicode
/// white space and the four separators U+001C–U+001F.
fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str, cuts: &[usize]) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        tokens(text, &cuts.iter().copied().collect())
            .into_iter()
            .map(|(start, end)| chars[start..end].iter().collect())
            .collect()
    }

    #[test]
    fn one_space_goes_with_its_word_and_other_white_space_is_a_token() {
        assert_eq!(
            words("  Lavrov said,  \"yes\".\n\nNo \n", &[]),
            [
                "  ", "Lavrov", "said", ",", " ", "\"", "yes", "\"", ".", "\n\n", "No", "\n"
            ]
        );
    }

    #[test]
    fn spans_cut_words_where_they_end() {
        // `[북한]@north-korea이`: the mention ends inside the word.
        assert_eq!(
            words("🎉 북한이 말했다", &[2, 4]),
            ["🎉", "북한", "이", "말했다"]
        );
    }

    #[test]
    fn python_white_space_includes_the_information_separators() {
        assert_eq!(words("a\u{1c}b", &[]), ["a", "\u{1c}", "b"]);
        assert_eq!(words("a \u{1c} b", &[]), ["a", "\u{1c} ", "b"]);
    }
}
