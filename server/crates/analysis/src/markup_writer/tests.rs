use expect_test::expect;
use proptest::prelude::*;

use super::*;
use crate::export::Span;

fn mention(start: usize, end: usize, id: &str, text: &str) -> MentionSpan {
    MentionSpan {
        start,
        end,
        id: id.into(),
        text: text.into(),
        is_reference: false,
    }
}

fn claim(start: usize, end: usize, text: &str, sources: &[&str]) -> ClaimSpan {
    ClaimSpan {
        start,
        end,
        text: text.into(),
        sources: sources.iter().map(|s| s.to_string()).collect(),
        via: sources.iter().map(|_| Vec::new()).collect(),
        ..ClaimSpan::default()
    }
}

fn document(text: &str, mentions: Vec<MentionSpan>, claims: Vec<ClaimSpan>) -> PlainDocument {
    PlainDocument {
        text: text.into(),
        mentions,
        claims,
        ..PlainDocument::default()
    }
}

/// What an export of `source` gives: text, mentions and claims.
fn read_back(source: &str) -> PlainDocument {
    let back = plain_document(&SyntaxTree::parse(source));
    document(&back.text, back.mentions, back.claims)
}

#[test]
fn escapes_what_reads_as_markup() {
    let text = "# Not a heading [sic] {x} a@b @c | 100%% ~[y] C:\\dir\n\n---\n\n<<<<<<< x\n";
    let written = write_article(&[], &document(text, vec![], vec![]));
    expect![[r#"
        \# Not a heading \[sic\] \{x\} a\@b \@c \| 100\%\% \~\[y\] C:\\dir

        \---

        \<<<<<<< x
    "#]]
    .assert_eq(&written.source);
    assert_eq!(written.not_written, []);
    assert_eq!(read_back(&written.source).text, text);
}

#[test]
fn writes_marks_sources_labels_stances_and_hedges() {
    let text = "Seoul said Pyongyang allegedly sent shells.\n\n푸틴은 Лавров+ talks.\n";
    let mut first = claim(11, 42, "Pyongyang allegedly sent shells", &["seoul"]);
    first.via = vec![vec!["yonhap".into()]];
    first.label = Some("shells".into());
    first.hedges = vec![Span {
        start: 21,
        end: 30,
        text: "allegedly".into(),
    }];
    let mut second = claim(45, 55, "푸틴은 Лавров", &["us"]);
    second.stances = vec![(StanceKind::Denies, "shells".into())];
    let mentions = vec![
        mention(0, 5, "seoul", "Seoul"),
        mention(11, 20, "north-korea", "Pyongyang"),
        mention(45, 47, "putin", "푸틴"),
        mention(49, 55, "лавров", "Лавров"),
        mention(49, 55, "lavrov", "Лавров"),
    ];
    let doc = document(text, mentions, vec![first, second.clone()]);
    let written = write_article(&[("title".into(), "Shells".into())], &doc);
    expect![[r#"
        ---
        title: Shells
        ---

        [Seoul]@seoul said {[Pyongyang]@north-korea ~[allegedly] sent shells | @seoul via @yonhap}#shells.

        {[푸틴]@putin은 [Лавров]@лавров+@lavrov | @us denies #shells}+ talks.
    "#]]
    .assert_eq(&written.source);
    assert_eq!(written.not_written, []);
    assert_eq!(read_back(&written.source), doc);
}

#[test]
fn crossing_spans_and_paragraph_breaks_are_reported() {
    let text = "Alpha beta gamma.\n\nDelta.\n";
    let doc = document(
        text,
        vec![mention(0, 10, "ab", "Alpha beta")],
        vec![
            claim(6, 16, "beta gamma", &["x"]),
            claim(12, 25, "gamma.\n\nDelta", &["x"]),
        ],
    );
    let written = write_article(&[], &doc);
    expect![[r#"
        [
            NotWritten {
                mark: Claim(
                    1,
                ),
                reason: "the span 12–25 runs over a paragraph break",
            },
            NotWritten {
                mark: Claim(
                    0,
                ),
                reason: "its span 6–16 crosses a mention at 0–10",
            },
        ]
    "#]]
    .assert_debug_eq(&written.not_written);
    assert_eq!(read_back(&written.source).mentions.len(), 1);
}

#[test]
fn an_id_running_into_the_text_is_reported() {
    let text = "푸틴은 왔다.\n";
    let doc = document(text, vec![mention(0, 2, "푸틴", "푸틴")], vec![]);
    let written = write_article(&[], &doc);
    assert_eq!(written.not_written.len(), 1);
    assert!(written.not_written[0].reason.contains("run into"));
    assert_eq!(read_back(&written.source).text, text);
}

#[test]
fn layout_maps_offsets() {
    let (text, map) = plain_layout("\u{feff}One\r\ntwo  three\r\n\r\n\r\nFour \n");
    assert_eq!(text, "One two  three\n\nFour\n");
    // `F` of Four: character 22 of the input.
    assert_eq!(map[22], 16);
    assert_eq!(map.len(), 29);
    assert_eq!(map[28], text.chars().count() - 1);
    let (text, _) = plain_layout("a\rb\r\rc");
    assert_eq!(text, "a b\n\nc\n");
}

#[test]
fn registry() {
    let entities = [ResolvedEntity {
        id: "lavrov".into(),
        name: Some("Sergey Lavrov".into()),
        kind: Some("person".into()),
        role: None,
        member_of: vec!["russia".into()],
        aliases: vec!["Lavrov".into(), "Лавров".into()],
        wikidata: Some("Q80447".into()),
        url: None,
    }];
    expect![[r#"
        @lavrov: Sergey Lavrov
          kind: person
          member-of: @russia
          aliases: Lavrov, Лавров
          wikidata: Q80447
    "#]]
    .assert_eq(&write_registry(&entities));
}

/// A generated paragraph part: text, a mention (of one or two ids), a
/// reference, a claim, or a hedge cue (in claims).
#[derive(Debug, Clone)]
enum Part {
    Text(String),
    Mention(Vec<&'static str>, Vec<Part>),
    Reference(&'static str),
    Claim(Vec<&'static str>, Option<&'static str>, Vec<Part>),
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

fn part(in_claim: bool) -> impl Strategy<Value = Part> {
    let leaf = prop_oneof![
        4 => text().prop_map(Part::Text),
        1 => prop::sample::select(IDS).prop_map(Part::Reference),
    ];
    let leaf = if in_claim {
        prop_oneof![4 => leaf, 1 => text().prop_map(Part::Hedge)].boxed()
    } else {
        leaf.boxed()
    };
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
                prop::option::of(prop::sample::select(LABELS)),
                children
            )
                .prop_map(|(sources, label, parts)| Part::Claim(sources, label, parts)),
        ]
    })
}

/// Mentions hold text and mentions only.
fn strip_claims(parts: Vec<Part>) -> Vec<Part> {
    parts
        .into_iter()
        .map(|part| match part {
            Part::Claim(_, _, parts) | Part::Mention(_, parts) => {
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
                Part::Claim(sources, label, inner) => {
                    let slot = self.claims.len();
                    self.claims.push(ClaimSpan::default());
                    let mut span = claim_of(sources, *label);
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

fn claim_of(sources: &[&str], label: Option<&str>) -> ClaimSpan {
    ClaimSpan {
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Write, parse and export: the same text and annotations come back,
    /// or the writer says which it left out and why.
    #[test]
    fn written_articles_export_back(
        blocks in prop::collection::vec(prop::collection::vec(part(false), 1..4), 1..4)
    ) {
        let doc = expected(&blocks);
        let written = write_article(&[("language".into(), "ko".into())], &doc);
        prop_assert_eq!(&written.not_written, &Vec::new(), "{}", written.source);
        let back = read_back(&written.source);
        prop_assert_eq!(back, doc, "{}", written.source);
    }
}
