//! `--format jsonl`: one JSON object per article and line (documented in
//! docs/cli.md): `path`, `front_matter`, `text`, `mentions`
//! (`{start, end, id, text}`), `claims` (`{start, end, text, sources,
//! quote}`, and when the claim has them `chains`, `label`, `stances`,
//! `hedges`, `quote_kind`, `fragments` and `parts`) and `entities` (the
//! entities used, resolved). Offsets count Unicode characters into `text`,
//! end exclusive. A v1 article exports as it did in v1.

use newsmark_analysis::export::{ClaimSpan, Span as TextSpan};
use newsmark_syntax::{QuoteKind, StanceKind};
use serde::{Serialize, Serializer};

use crate::export::Article;

#[derive(Serialize)]
struct Line<'a> {
    path: &'a str,
    front_matter: Pairs<'a>,
    text: &'a str,
    mentions: Vec<Mention<'a>>,
    claims: Vec<Claim<'a>>,
    entities: Vec<Entity<'a>>,
}

/// Key-value pairs as a JSON object, in the order written.
struct Pairs<'a>(&'a [(String, String)]);

impl Serialize for Pairs<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

#[derive(Serialize)]
struct Mention<'a> {
    start: usize,
    end: usize,
    id: &'a str,
    text: &'a str,
}

#[derive(Serialize)]
struct Claim<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    sources: &'a [String],
    /// A direct quote (as in v1).
    quote: bool,
    /// The sources that came through conduits: `{source, via: [nearest, …]}`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    chains: Vec<Chain<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    stances: Vec<Stance<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    hedges: &'a [TextSpan],
    #[serde(skip_serializing_if = "is_none")]
    quote_kind: QuoteKind,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    fragments: &'a [TextSpan],
    /// The later parts of a split quote or a quote over paragraphs.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    parts: &'a [TextSpan],
}

fn is_none(kind: &QuoteKind) -> bool {
    *kind == QuoteKind::None
}

#[derive(Serialize)]
struct Chain<'a> {
    source: &'a str,
    via: &'a [String],
}

#[derive(Serialize)]
struct Stance<'a> {
    kind: StanceKind,
    label: &'a str,
}

impl<'a> Claim<'a> {
    fn new(c: &'a ClaimSpan) -> Self {
        Claim {
            start: c.start,
            end: c.end,
            text: &c.text,
            sources: &c.sources,
            quote: c.quote == QuoteKind::Direct,
            chains: (c.sources.iter().zip(&c.via))
                .filter(|(_, via)| !via.is_empty())
                .map(|(source, via)| Chain { source, via })
                .collect(),
            label: c.label.as_deref(),
            stances: (c.stances.iter())
                .map(|(kind, label)| Stance { kind: *kind, label })
                .collect(),
            hedges: &c.hedges,
            quote_kind: c.quote,
            fragments: &c.fragments,
            parts: &c.parts,
        }
    }
}

#[derive(Serialize)]
struct Entity<'a> {
    id: &'a str,
    name: Option<&'a str>,
    kind: Option<&'a str>,
    role: Option<&'a str>,
    member_of: &'a [String],
    aliases: &'a [String],
    wikidata: Option<&'a str>,
}

pub fn render(articles: &[Article]) -> String {
    let mut out = String::new();
    for article in articles {
        let document = &article.document;
        let line = Line {
            path: &article.path,
            front_matter: Pairs(&article.front_matter),
            text: &document.text,
            mentions: document
                .mentions
                .iter()
                .map(|m| Mention {
                    start: m.start,
                    end: m.end,
                    id: &m.id,
                    text: &m.text,
                })
                .collect(),
            claims: document.claims.iter().map(Claim::new).collect(),
            entities: article
                .entities
                .iter()
                .map(|e| Entity {
                    id: &e.id,
                    name: e.name.as_deref(),
                    kind: e.kind.as_deref(),
                    role: e.role.as_deref(),
                    member_of: &e.member_of,
                    aliases: &e.aliases,
                    wikidata: e.wikidata.as_deref(),
                })
                .collect(),
        };
        out.push_str(&serde_json::to_string(&line).expect("articles serialise"));
        out.push('\n');
    }
    out
}
