//! The links between an article's spans that standoff formats write as
//! relations: a claim to a mention of each of its sources, each source's
//! mention on to its conduits' (`via`), and a claim to the claim its
//! stance names. A source is linked only through a mention in the claim's
//! own paragraph: a mention paragraphs away is not who the claim quotes.

use std::collections::HashMap;
use std::ops::Range;

use newsmark_analysis::export::{ClaimSpan, MentionSpan, PlainDocument};
use newsmark_syntax::StanceKind;

/// A span of the document: an index into its mentions or its claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node {
    Mention(usize),
    Claim(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    AttributedTo,
    Via,
    Stance(StanceKind),
}

impl Kind {
    /// The relation's name, as brat's `annotation.conf` declares it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::AttributedTo => "AttributedTo",
            Kind::Via => "Via",
            Kind::Stance(StanceKind::Denies) => "Denies",
            Kind::Stance(StanceKind::Confirms) => "Confirms",
            Kind::Stance(StanceKind::Disputes) => "Disputes",
        }
    }

    /// Every relation name, in the order configurations list them.
    pub const NAMES: [&'static str; 5] = ["AttributedTo", "Via", "Denies", "Confirms", "Disputes"];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Relation {
    pub kind: Kind,
    pub from: Node,
    pub to: Node,
}

/// Every relation of the document: for each claim in order, its sources
/// and their chains; then the stances.
pub fn relations(document: &PlainDocument) -> Vec<Relation> {
    let mut relations = Vec::new();
    for (index, claim) in document.claims.iter().enumerate() {
        for (source, via) in claim.sources.iter().zip(&claim.via) {
            let Some(mut from) = source_mention(document, claim, source) else {
                continue;
            };
            relations.push(Relation {
                kind: Kind::AttributedTo,
                from: Node::Claim(index),
                to: Node::Mention(from),
            });
            // Each link of the chain: who passed the words on, from whom.
            for conduit in via {
                let Some(to) = source_mention(document, claim, conduit) else {
                    break;
                };
                relations.push(Relation {
                    kind: Kind::Via,
                    from: Node::Mention(from),
                    to: Node::Mention(to),
                });
                from = to;
            }
        }
    }
    let labelled: HashMap<&str, usize> = (document.claims.iter().enumerate())
        .filter_map(|(index, claim)| Some((claim.label.as_deref()?, index)))
        .collect();
    for (index, claim) in document.claims.iter().enumerate() {
        for (kind, label) in &claim.stances {
            if let Some(&target) = labelled.get(label.as_str()) {
                relations.push(Relation {
                    kind: Kind::Stance(*kind),
                    from: Node::Claim(index),
                    to: Node::Claim(target),
                });
            }
        }
    }
    relations
}

/// The mention of entity `id` that `claim` is attributed to, if its
/// paragraph mentions it: see [`attributed_mention`].
pub fn source_mention(document: &PlainDocument, claim: &ClaimSpan, id: &str) -> Option<usize> {
    let paragraph = document
        .block_at(claim.start)
        .unwrap_or(claim.start..claim.end);
    attributed_mention(&document.mentions, id, claim, &paragraph)
}

/// The mention a claim's source points at, in the claim's paragraph: one
/// inside the claim, else the nearest before it, else the nearest after it.
pub fn attributed_mention(
    mentions: &[MentionSpan],
    id: &str,
    claim: &ClaimSpan,
    paragraph: &Range<usize>,
) -> Option<usize> {
    let of_source = || {
        (mentions.iter().enumerate())
            .filter(|(_, m)| m.id == id && paragraph.start <= m.start && m.end <= paragraph.end)
    };
    of_source()
        .find(|(_, m)| m.start >= claim.start && m.end <= claim.end)
        .or_else(|| of_source().rfind(|(_, m)| m.end <= claim.start))
        .or_else(|| of_source().find(|(_, m)| m.start >= claim.end))
        .map(|(index, _)| index)
}
