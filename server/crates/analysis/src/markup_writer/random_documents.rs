//! Random annotated documents, as an export gives them: paragraphs of
//! words in Latin, Hangul, Cyrillic, emoji and markup characters, with
//! mentions (of one or two entities), references, nested claims with
//! sources, conduits, labels, stances and hedge cues. Shared by the markup
//! writer's tests and by the import round trips (`tests/cli/import.rs`),
//! which include this file; the types come from the including module.

use proptest::prelude::*;

use super::{ClaimSpan, MentionSpan, PlainDocument, Span, StanceKind};

/// Random documents.
pub fn documents() -> impl Strategy<Value = PlainDocument> {
    prop::collection::vec(prop::collection::vec(part(), 1..4), 1..4)
        .prop_map(|blocks| expected(&blocks))
}

pub fn mention(start: usize, end: usize, id: &str, text: &str) -> MentionSpan {
    MentionSpan {
        start,
        end,
        id: id.into(),
        text: text.into(),
        is_reference: false,
    }
}

pub fn claim(start: usize, end: usize, text: &str, sources: &[&str]) -> ClaimSpan {
    ClaimSpan {
        start,
        end,
        text: text.into(),
        sources: sources.iter().map(|s| s.to_string()).collect(),
        via: sources.iter().map(|_| Vec::new()).collect(),
        ..ClaimSpan::default()
    }
}

pub fn document(text: &str, mentions: Vec<MentionSpan>, claims: Vec<ClaimSpan>) -> PlainDocument {
    PlainDocument {
        text: text.into(),
        mentions,
        claims,
        ..PlainDocument::default()
    }
}

/// A generated paragraph part: text, a mention (of one or two ids), a
/// reference, a claim (sources, a conduit of the first, a label), or a
/// hedge cue (of the claim holding it; outside claims, text).
#[derive(Debug, Clone)]
enum Part {
    Text(String),
    Mention(Vec<&'static str>, Vec<Part>),
    Reference(&'static str),
    Claim(
        Vec<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
        Vec<Part>,
    ),
    Hedge(String),
}

const IDS: &[&str] = &[
    "lavrov",
    "north-korea",
    "us.white-house",
    "захарова",
    "푸틴",
    "kcna_2",
];
const LABELS: &[&str] = &["talks", "결과"];

/// Words from Latin, Hangul, Cyrillic, emoji, digits and markup characters
/// (no quotation marks: they make a claim a quote).
fn word() -> impl Strategy<Value = String> {
    proptest::string::string_regex(r"[a-zA-Z0-9가-힣а-яА-Я😀🇰🇷\[\]{}@|#~%\\\-+<>=*_.:!/&$^]{1,6}")
        .unwrap()
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 1..4).prop_map(|words| words.join(" "))
}

fn part() -> impl Strategy<Value = Part> {
    let leaf = prop_oneof![
        8 => text().prop_map(Part::Text),
        2 => prop::sample::select(IDS).prop_map(Part::Reference),
        1 => text().prop_map(Part::Hedge),
    ];
    leaf.prop_recursive(3, 16, 3, |inner| {
        let children = prop::collection::vec(inner, 1..3);
        prop_oneof![
            (prop::sample::subsequence(IDS, 1..3), children.clone()).prop_map(|(ids, parts)| {
                // Text first: a mark of the same span is another case.
                let parts = std::iter::once(Part::Text("x".into())).chain(parts);
                Part::Mention(ids, strip_claims(parts.collect()))
            }),
            (
                prop::sample::subsequence(IDS, 0..3),
                prop::option::of(prop::sample::select(IDS)),
                prop::option::of(prop::sample::select(LABELS)),
                children
            )
                .prop_map(|(sources, conduit, label, parts)| {
                    Part::Claim(sources, conduit, label, parts)
                }),
        ]
    })
}

/// Mentions hold text and mentions only.
fn strip_claims(parts: Vec<Part>) -> Vec<Part> {
    parts
        .into_iter()
        .map(|part| match part {
            Part::Claim(_, _, _, parts) | Part::Mention(_, parts) => {
                Part::Mention(vec!["lavrov"], strip_claims(parts))
            }
            Part::Hedge(text) => Part::Text(text),
            other => other,
        })
        .collect()
}

/// Builds the plain text and the spans an export would give.
struct Expected {
    text: String,
    chars: usize,
    mentions: Vec<MentionSpan>,
    claims: Vec<ClaimSpan>,
}

impl Expected {
    fn push(&mut self, text: &str) {
        self.text.push_str(text);
        self.chars += text.chars().count();
    }

    fn slice(&self, start: usize) -> String {
        self.text.chars().skip(start).collect()
    }

    fn parts(&mut self, parts: &[Part], claim: Option<&mut ClaimSpan>) {
        let mut claim = claim;
        for (n, part) in parts.iter().enumerate() {
            if n > 0 {
                self.push(" ");
            }
            let start = self.chars;
            match part {
                Part::Text(text) => self.push(text),
                Part::Reference(id) => {
                    self.push(&format!("@{id}"));
                    self.mentions.push(MentionSpan {
                        is_reference: true,
                        ..mention(start, self.chars, id, &self.slice(start))
                    });
                }
                Part::Hedge(text) => {
                    self.push(text);
                    if let Some(claim) = claim.as_deref_mut() {
                        claim.hedges.push(Span {
                            start,
                            end: self.chars,
                            text: text.clone(),
                        });
                    }
                }
                Part::Mention(ids, inner) => {
                    // Added when they end, as the export adds them.
                    self.parts(inner, None);
                    let text = self.slice(start);
                    for id in ids {
                        self.mentions.push(mention(start, self.chars, id, &text));
                    }
                }
                Part::Claim(sources, conduit, label, inner) => {
                    let slot = self.claims.len();
                    self.claims.push(ClaimSpan::default());
                    let mut span = claim_of(sources, *conduit, *label);
                    self.parts(inner, Some(&mut span));
                    span.start = start;
                    span.end = self.chars;
                    span.text = self.slice(start);
                    self.claims[slot] = span;
                }
            }
        }
    }
}

fn claim_of(sources: &[&str], conduit: Option<&str>, label: Option<&str>) -> ClaimSpan {
    let mut via: Vec<Vec<String>> = sources.iter().map(|_| Vec::new()).collect();
    if let (Some(first), Some(conduit)) = (via.first_mut(), conduit)
        && sources[0] != conduit
    {
        first.push(conduit.to_owned());
    }
    ClaimSpan {
        via,
        label: label.map(str::to_owned),
        stances: if sources.is_empty() {
            Vec::new()
        } else {
            vec![(StanceKind::Confirms, "talks".into())]
        },
        ..claim(0, 0, "", sources)
    }
}

fn expected(blocks: &[Vec<Part>]) -> PlainDocument {
    let mut out = Expected {
        text: String::new(),
        chars: 0,
        mentions: Vec::new(),
        claims: Vec::new(),
    };
    for (n, block) in blocks.iter().enumerate() {
        if n > 0 {
            out.push("\n\n");
        }
        out.parts(block, None);
    }
    out.push("\n");
    out.mentions
        .sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    document(&out.text, out.mentions, out.claims)
}
