//! `--format brat`: brat standoff files. For each article, `<path>.txt`
//! (the plain text) and `<path>.ann` beside it, mirroring the workspace's
//! folders; `annotation.conf` and `tools.conf` at the top.
//!
//! In the `.ann` file (offsets in characters, as brat counts them):
//! - `T` lines: a mention, typed by its entity's kind (`Entity` when the
//!   kind is missing, unknown or the id undefined); each claim (`Claim`,
//!   with one span per part of a split quote); the quoted words of a claim
//!   (`Quoted`) and its hedging words (`HedgeCue`);
//! - `A` lines: `Quote` (`direct` or `partial`), `Hedged`, and `Unsourced`
//!   on claims without sources;
//! - `R` lines: `AttributedTo` from a claim to a mention of each of its
//!   sources, when its paragraph mentions it (inside the claim first, else
//!   the nearest mention before it in the paragraph, else the nearest
//!   after it): a mention paragraphs away is not who the claim quotes;
//!   `Via` from that mention to a mention of its conduit, and on along the
//!   chain; `Denies`, `Confirms`, `Disputes` from a claim to the claim
//!   whose label its stance names;
//! - `#` lines: each mention's entity id (`@lavrov`), which its text need
//!   not give; every claim's sources as ids with their chains and its
//!   label (`sources: @jon via @kcna, @us; label: #talks`), so
//!   attributions to entities never mentioned in the text are kept too;
//! - `N` lines: the Wikidata id of a mentioned entity, when it has one.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use newsmark_analysis::export::{ClaimSpan, ResolvedEntity};
use newsmark_analysis::rules::KINDS;
use newsmark_syntax::QuoteKind;

use crate::export::relations::{Kind, source_mention};
use crate::export::{Article, written_sources};

/// The files of the export, at their paths below `folder`.
pub fn files<'a>(folder: &Path, articles: &'a [Article]) -> Vec<(PathBuf, Cow<'a, str>)> {
    let mut files = vec![
        (
            folder.join("annotation.conf"),
            Cow::Owned(annotation_conf()),
        ),
        (folder.join("tools.conf"), Cow::Borrowed(TOOLS_CONF)),
    ];
    for article in articles {
        let stem = article.path.strip_suffix(".nmk").unwrap_or(&article.path);
        let text = Cow::Borrowed(article.document.text.as_str());
        files.push((folder.join(format!("{stem}.txt")), text));
        files.push((folder.join(format!("{stem}.ann")), Cow::Owned(ann(article))));
    }
    files
}

fn annotation_conf() -> String {
    let mut conf =
        String::from("# Written by `newsmark export --format brat`.\n[entities]\nClaim\n");
    for kind in KINDS {
        conf.push_str(kind);
        conf.push('\n');
    }
    conf.push_str(
        "Entity\nQuoted\nHedgeCue\n\n[relations]\nAttributedTo\tArg1:Claim, Arg2:<ENTITY>\nVia\tArg1:<ENTITY>, Arg2:<ENTITY>\nDenies\tArg1:Claim, Arg2:Claim\nConfirms\tArg1:Claim, Arg2:Claim\nDisputes\tArg1:Claim, Arg2:Claim\n<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\n[events]\n\n[attributes]\nQuote\tArg:Claim, Value:direct|partial\nHedged\tArg:Claim\nUnsourced\tArg:Claim\n",
    );
    conf
}

const TOOLS_CONF: &str = "# Written by `newsmark export --format brat`.\n[normalization]\nWikidata\t<URL>:https://www.wikidata.org/, <URLBASE>:https://www.wikidata.org/wiki/%s\n";

/// The `.ann` file of one article.
pub fn ann(article: &Article) -> String {
    let entities: HashMap<&str, &ResolvedEntity> = article
        .entities
        .iter()
        .map(|e| (e.id.as_str(), e))
        .collect();
    let document = &article.document;
    let mut out = String::new();
    let mut t = 0;
    let mut mention_ids = Vec::with_capacity(document.mentions.len());
    let (mut a, mut r, mut notes) = (0, 0, 0);
    for mention in &document.mentions {
        t += 1;
        mention_ids.push(t);
        let kind = article.kind_of(&mention.id);
        let _ = writeln!(
            out,
            "T{t}\t{kind} {} {}\t{}",
            mention.start, mention.end, mention.text
        );
        notes += 1;
        let _ = writeln!(out, "#{notes}\tAnnotatorNotes T{t}\t@{}", mention.id);
    }
    let mut claim_ts = Vec::with_capacity(document.claims.len());
    for claim in &document.claims {
        t += 1;
        let claim_t = t;
        claim_ts.push(claim_t);
        let _ = writeln!(out, "T{claim_t}\tClaim {}\t{}", spans(claim), texts(claim));
        for (kind, spans) in [("Quoted", &claim.fragments), ("HedgeCue", &claim.hedges)] {
            for span in spans {
                t += 1;
                let _ = writeln!(
                    out,
                    "T{t}\t{kind} {} {}\t{}",
                    span.start, span.end, span.text
                );
            }
        }
        if claim.quote != QuoteKind::None {
            a += 1;
            let _ = writeln!(out, "A{a}\tQuote T{claim_t} {}", claim.quote.word());
        }
        if !claim.hedges.is_empty() {
            a += 1;
            let _ = writeln!(out, "A{a}\tHedged T{claim_t}");
        }
        if claim.sources.is_empty() {
            a += 1;
            let _ = writeln!(out, "A{a}\tUnsourced T{claim_t}");
        }
        let mentioned = |id: &str| source_mention(document, claim, id).map(|i| mention_ids[i]);
        for (source, via) in claim.sources.iter().zip(&claim.via) {
            let Some(source_t) = mentioned(source) else {
                continue;
            };
            r += 1;
            let _ = writeln!(out, "R{r}\tAttributedTo Arg1:T{claim_t} Arg2:T{source_t}");
            // Each link of the chain: who passed the words on, from whom.
            let mut from = source_t;
            for conduit in via {
                let Some(conduit_t) = mentioned(conduit) else {
                    break;
                };
                r += 1;
                let _ = writeln!(out, "R{r}\tVia Arg1:T{from} Arg2:T{conduit_t}");
                from = conduit_t;
            }
        }
        if !claim.sources.is_empty() || claim.label.is_some() {
            notes += 1;
            let _ = writeln!(
                out,
                "#{notes}\tAnnotatorNotes T{claim_t}\t{}",
                claim_notes(claim)
            );
        }
    }
    // Stances, once every claim has its T line.
    let labelled: HashMap<&str, usize> = (document.claims.iter().zip(&claim_ts))
        .filter_map(|(claim, &claim_t)| Some((claim.label.as_deref()?, claim_t)))
        .collect();
    for (claim, &claim_t) in document.claims.iter().zip(&claim_ts) {
        for (kind, label) in &claim.stances {
            if let Some(target_t) = labelled.get(label.as_str()) {
                r += 1;
                let _ = writeln!(
                    out,
                    "R{r}\t{} Arg1:T{claim_t} Arg2:T{target_t}",
                    Kind::Stance(*kind).name()
                );
            }
        }
    }
    let mut n = 0;
    for (mention, &mention_t) in document.mentions.iter().zip(&mention_ids) {
        let Some(entity) = entities.get(mention.id.as_str()) else {
            continue;
        };
        if let Some(wikidata) = &entity.wikidata {
            n += 1;
            let name = entity.name.as_deref().unwrap_or(&entity.id);
            let _ = writeln!(
                out,
                "N{n}\tReference T{mention_t} Wikidata:{wikidata}\t{name}"
            );
        }
    }
    out
}

/// A claim's offsets: `start end`, and `;start end` for each later part
/// of its quotation (brat's discontinuous spans).
fn spans(claim: &ClaimSpan) -> String {
    let mut spans = format!("{} {}", claim.start, claim.end);
    for part in &claim.parts {
        let _ = write!(spans, ";{} {}", part.start, part.end);
    }
    spans
}

/// The text of a claim's spans, joined by a space as brat joins them.
fn texts(claim: &ClaimSpan) -> String {
    let mut text = claim.text.clone();
    for part in &claim.parts {
        text.push(' ');
        text.push_str(&part.text);
    }
    text
}

/// The note on a claim: its sources as ids with their chains, and its label.
pub fn claim_notes(claim: &ClaimSpan) -> String {
    let mut note = format!("sources: {}", written_sources(claim).join(", "));
    if let Some(label) = &claim.label {
        let _ = write!(note, "; label: #{label}");
    }
    note
}
