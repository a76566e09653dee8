use expect_test::expect;
use proptest::prelude::*;

use super::*;
use crate::export::Span;

#[path = "random_documents.rs"]
mod random_documents;
use random_documents::{claim, document, documents, mention};

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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Write, parse and export: the same text and annotations come back,
    /// or the writer says which it left out and why.
    #[test]
    fn written_articles_export_back(doc in documents()) {
        let written = write_article(&[("language".into(), "ko".into())], &doc);
        prop_assert_eq!(&written.not_written, &Vec::new(), "{}", written.source);
        let back = read_back(&written.source);
        prop_assert_eq!(back, doc, "{}", written.source);
    }
}
