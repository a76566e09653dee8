//! `--format citron`: the JSON that BBC R&D's Citron quote extractor
//! trains and evaluates on (its docs/data_format.md), one file per
//! article, `<path>.json`, mirroring the workspace's folders (Citron reads
//! a folder of `.json` files). Spans are `{start, end, text}` in Unicode
//! code points (Python string indices, as Citron slices), end exclusive;
//! each file says so in `offset_unit`, a key Citron ignores.
//!
//! - `quotes`: each claim with at least one source. `contents` are the
//!   claim and the later parts of a split quote; `sources` the mention of
//!   each source in the claim's paragraph (as brat's `AttributedTo`);
//!   `cue` the reporting words next to the first such mention (`said`,
//!   `according to`): Newsmark has no cue mark, so it is found, not
//!   annotated — the one to three words between the claim and the mention,
//!   or, when only punctuation stands between them, beside the mention on
//!   its far side, within its clause. `id` is the claim's place (`c1`…).
//! - `uncued` (ignored by Citron, which requires a cue): the claims with
//!   sources for which no cue was found, in the same form without `cue`,
//!   so none is dropped unseen.
//! - `coreference_groups`: the mentions of each entity mentioned twice or
//!   more.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use newsmark_analysis::export::{ClaimSpan, MentionSpan, PlainDocument};
use serde_json::{Value, json};

use crate::export::Article;
use crate::export::relations::source_mention;

pub const OFFSET_UNIT: &str = "Unicode code points";

/// At most this many words make a cue.
const CUE_WORDS: usize = 3;

/// The files of the export, at their paths below `folder`.
pub fn files<'a>(folder: &Path, articles: &'a [Article]) -> Vec<(PathBuf, Cow<'a, str>)> {
    (articles.iter())
        .map(|article| {
            let json = serde_json::to_string_pretty(&document(article)).expect("JSON serialises");
            (
                folder.join(format!("{}.json", article.stem())),
                Cow::Owned(json + "\n"),
            )
        })
        .collect()
}

pub fn document(article: &Article) -> Value {
    let document = &article.document;
    let chars: Vec<char> = document.text.chars().collect();
    let span = |start: usize, end: usize| json!({"start": start, "end": end, "text": chars[start..end].iter().collect::<String>()});
    let (mut quotes, mut uncued) = (Vec::new(), Vec::new());
    for (index, claim) in document.claims.iter().enumerate() {
        if claim.sources.is_empty() {
            continue;
        }
        let mentions: Vec<&MentionSpan> = (claim.sources.iter())
            .filter_map(|id| source_mention(document, claim, id))
            .map(|m| &document.mentions[m])
            .collect();
        let mut quote = json!({
            "id": format!("c{}", index + 1),
            "sources": mentions.iter().map(|m| span(m.start, m.end)).collect::<Vec<_>>(),
            "contents": std::iter::once((claim.start, claim.end))
                .chain(claim.parts.iter().map(|p| (p.start, p.end)))
                .map(|(start, end)| span(start, end))
                .collect::<Vec<_>>(),
        });
        match mentions
            .first()
            .and_then(|m| cue(document, &chars, claim, m))
        {
            Some((start, end)) => {
                quote["cue"] = span(start, end);
                quotes.push(quote);
            }
            None => uncued.push(quote),
        }
    }
    let mut groups: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for mention in &document.mentions {
        groups
            .entry(&mention.id)
            .or_default()
            .push(span(mention.start, mention.end));
    }
    let coreference_groups: Vec<Vec<Value>> = groups
        .into_values()
        .filter(|group| group.len() > 1)
        .collect();
    json!({
        "text": document.text,
        "offset_unit": OFFSET_UNIT,
        "path": article.path,
        "quotes": quotes,
        "uncued": uncued,
        "coreference_groups": coreference_groups,
    })
}

/// The reporting words that tie `claim` to its source's `mention`.
fn cue(
    document: &PlainDocument,
    chars: &[char],
    claim: &ClaimSpan,
    mention: &MentionSpan,
) -> Option<(usize, usize)> {
    let block = document.block_at(claim.start)?;
    if mention.start >= claim.end {
        // `{…}, said [Kirby]` or `{…}, [Tass] reported.`
        words(chars, claim.end..mention.start).or_else(|| {
            only_punctuation(chars, claim.end..mention.start).then(|| {
                words(
                    chars,
                    mention.end..clause_end(chars, mention.end, block.end),
                )
            })?
        })
    } else if mention.end <= claim.start {
        // `[Kirby] said {…}` or `According to [Kirby], {…}`
        words(chars, mention.end..claim.start).or_else(|| {
            only_punctuation(chars, mention.end..claim.start).then(|| {
                words(
                    chars,
                    clause_start(chars, mention.start, block.start)..mention.start,
                )
            })?
        })
    } else {
        None
    }
}

/// The one to `CUE_WORDS` words of `range`, if nothing but spaces and
/// commas, colons or quotation marks stand around them.
fn words(chars: &[char], range: std::ops::Range<usize>) -> Option<(usize, usize)> {
    let mut found: Vec<(usize, usize)> = Vec::new();
    for at in range.clone() {
        let c = chars[at];
        if is_word(c) {
            match found.last_mut() {
                Some((_, end)) if *end == at => *end = at + 1,
                _ => found.push((at, at + 1)),
            }
        } else if !(c.is_whitespace() || is_soft_punctuation(c)) {
            return None;
        }
    }
    let (first, last) = (found.first()?, found.last()?);
    (found.len() <= CUE_WORDS).then_some((first.0, last.1))
}

fn only_punctuation(chars: &[char], range: std::ops::Range<usize>) -> bool {
    chars[range]
        .iter()
        .all(|&c| c.is_whitespace() || is_soft_punctuation(c))
}

/// Where the clause that starts at `from` ends (at a stop, or the block's end).
fn clause_end(chars: &[char], from: usize, limit: usize) -> usize {
    (from..limit)
        .find(|&at| is_stop(chars[at]))
        .unwrap_or(limit)
}

/// Where the clause that ends at `to` starts (after a stop, or the block's start).
fn clause_start(chars: &[char], to: usize, limit: usize) -> usize {
    (limit..to)
        .rev()
        .find(|&at| is_stop(chars[at]))
        .map_or(limit, |at| at + 1)
}

fn is_word(c: char) -> bool {
    c.is_alphabetic() || matches!(c, '\'' | '’' | '-')
}

fn is_soft_punctuation(c: char) -> bool {
    matches!(c, ',' | ':' | '"' | '“' | '”' | '«' | '»' | '„' | '—' | '–')
}

fn is_stop(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | ';' | ',' | ':' | '\n')
}
