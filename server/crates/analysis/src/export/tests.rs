use newsmark_syntax::SyntaxTree;

use super::*;
use crate::config::Config;

fn workspace(files: &[(&str, &str)]) -> Workspace {
    let mut ws = Workspace::new(Config::default());
    for (path, text) in files {
        ws.set_file(path, (*text).into());
    }
    ws
}

fn export(ws: &Workspace, path: &str) -> PlainDocument {
    let file = ws.file(path).expect("a file of the workspace");
    plain_document(&SyntaxTree::parse(ws.text(file).clone()))
}

/// Slices `text` by a span in characters.
fn slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// Every span slices the plain text to its own text.
#[track_caller]
fn assert_spans_slice(document: &PlainDocument) {
    for mention in &document.mentions {
        assert_eq!(
            slice(&document.text, mention.start, mention.end),
            mention.text,
            "{mention:?}"
        );
    }
    for claim in &document.claims {
        assert_eq!(
            slice(&document.text, claim.start, claim.end),
            claim.text,
            "{claim:?}"
        );
    }
}

const REGISTRY: &str = "@lavrov: Sergey Lavrov\n  kind: person\n  member-of: @russia, @russia.mfa\n  aliases: Lavrov, Sergei Lavrov\n  wikidata: Q80447\n\n@russia: Russia\n  kind: country\n\n@russia.mfa: Ministry of Foreign Affairs\n  kind: org\n\n@tass: TASS\n  kind: outlet\n";

/// Every span's first and last characters, and each block's first, come
/// from the source characters `source_offset` names (an escaped character
/// from its backslash); each block's source holds its text's last character.
#[track_caller]
fn assert_maps_to_source(ws: &Workspace, path: &str) {
    let document = export(ws, path);
    let source = ws.text(ws.file(path).unwrap()).to_string();
    let check = |at: usize| {
        let expected = document.text.chars().nth(at).unwrap();
        let offset = document.source_offset(&source, at);
        let found = source[offset..].chars().next();
        assert!(
            found == Some(expected) || found == Some('\\'),
            "{path}: character {at} ({expected:?}) maps to byte {offset} ({found:?})"
        );
    };
    let spans = (document.mentions.iter().map(|m| (m.start, m.end)))
        .chain(document.claims.iter().map(|c| (c.start, c.end)));
    for (start, end) in spans {
        check(start);
        check(end - 1);
    }
    assert_eq!(document.blocks.len(), document.source_blocks.len());
    for (block, in_source) in document.blocks.iter().zip(&document.source_blocks) {
        check(block.start);
        let last = document.text.chars().nth(block.end - 1).unwrap();
        assert!(
            source[in_source.clone()].contains(last),
            "{path}: {block:?}"
        );
    }
}

#[test]
fn marks_go_and_text_stays() {
    let article = "---\ntitle: Talks\noutlet: @tass\n---\n\n# [Lavrov]@lavrov in Pyongyang\n\nThe talks, said @lavrov, went\nwell. %% checked\n{They lasted \\{an hour\\} | @tass, @russia} [sic].\n";
    let ws = workspace(&[("r.nmk", REGISTRY), ("a.nmk", article)]);
    let document = export(&ws, "a.nmk");
    assert_eq!(
        document.text,
        "Lavrov in Pyongyang\n\nThe talks, said @lavrov, went well. They lasted {an hour} [sic].\n"
    );
    let mentions: Vec<(&str, &str, bool)> = document
        .mentions
        .iter()
        .map(|m| (m.id.as_str(), m.text.as_str(), m.is_reference))
        .collect();
    assert_eq!(
        mentions,
        [("lavrov", "Lavrov", false), ("lavrov", "@lavrov", true)]
    );
    assert_eq!(document.claims.len(), 1);
    assert_eq!(document.claims[0].text, "They lasted {an hour}");
    assert_eq!(document.claims[0].sources, ["tass", "russia"]);
    assert_eq!(document.claims[0].quote, QuoteKind::None);
    assert_spans_slice(&document);
}

#[test]
fn nested_claims_and_mentions_keep_their_own_spans() {
    let article = "{[Choe]@choe said {the two nations were \"unbreakable\" | @choe} | @kcna}\naccording to [[Russia]@russia's Foreign Ministry]@russia.mfa and {\"a quote\" | @tass}.\n";
    let ws = workspace(&[("r.nmk", REGISTRY), ("a.nmk", article)]);
    let document = export(&ws, "a.nmk");
    assert_eq!(
        document.text,
        "Choe said the two nations were \"unbreakable\" according to Russia's Foreign Ministry and \"a quote\".\n"
    );
    let claims: Vec<(&str, QuoteKind)> = document
        .claims
        .iter()
        .map(|c| (c.text.as_str(), c.quote))
        .collect();
    assert_eq!(
        claims,
        [
            (
                "Choe said the two nations were \"unbreakable\"",
                QuoteKind::Partial
            ),
            ("the two nations were \"unbreakable\"", QuoteKind::Partial),
            ("\"a quote\"", QuoteKind::Direct),
        ]
    );
    let mentions: Vec<&str> = document.mentions.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(mentions, ["Choe", "Russia's Foreign Ministry", "Russia"]);
    assert_spans_slice(&document);
}

#[test]
fn editorial_brackets_inside_a_claim_keep_the_marks_after_them() {
    let article = "{He [Lavrov] said [Moscow]@russia agreed | @tass}\n";
    let ws = workspace(&[("r.nmk", REGISTRY), ("a.nmk", article)]);
    let document = export(&ws, "a.nmk");
    assert_eq!(document.text, "He [Lavrov] said Moscow agreed\n");
    assert_eq!(document.mentions.len(), 1);
    assert_eq!(document.mentions[0].text, "Moscow");
    assert_spans_slice(&document);
}

#[test]
fn line_endings_do_not_change_the_text() {
    let lf = "A claim {over\ntwo lines | @tass} ends.\n\nNext %% note\nparagraph.\n";
    let crlf = lf.replace('\n', "\r\n");
    let cr = lf.replace('\n', "\r");
    let ws = workspace(&[
        ("r.nmk", REGISTRY),
        ("lf.nmk", lf),
        ("crlf.nmk", &crlf),
        ("cr.nmk", &cr),
    ]);
    let expected = "A claim over two lines ends.\n\nNext paragraph.\n";
    for path in ["lf.nmk", "crlf.nmk", "cr.nmk"] {
        let document = export(&ws, path);
        assert_eq!(document.text, expected, "{path}");
        assert_eq!(document.claims[0].text, "over two lines", "{path}");
        assert_spans_slice(&document);
        assert_maps_to_source(&ws, path);
    }
}

#[test]
fn offsets_count_characters_in_hangul_and_emoji() {
    let ws = workspace(&[
        (
            "people.nmk",
            include_str!("../../../../../tests/fixtures/workspace/entities/people.nmk"),
        ),
        (
            "orgs.nmk",
            include_str!("../../../../../tests/fixtures/workspace/entities/orgs.nmk"),
        ),
        (
            "choe.nmk",
            include_str!("../../../../../tests/fixtures/workspace/articles/choe-hangul.nmk"),
        ),
        (
            "tass.nmk",
            include_str!("../../../../../tests/fixtures/workspace/articles/tass-crlf.nmk"),
        ),
    ]);
    let document = export(&ws, "choe.nmk");
    assert_eq!(
        document.text,
        "🎉 최선희 외무상은 “불패의 동지적 관계”를 강조했다.\n\n😀 두 나라가 새 협정을 준비한다고 라브로프 장관이 말했다.\n"
    );
    let choe = &document.mentions[0];
    assert_eq!((choe.start, choe.end, choe.text.as_str()), (2, 5, "최선희"));
    let quote = &document.claims[0];
    assert_eq!(
        (quote.start, quote.end, quote.quote),
        (11, 23, QuoteKind::Direct)
    );
    assert_spans_slice(&document);
    assert_spans_slice(&export(&ws, "tass.nmk"));
    assert_maps_to_source(&ws, "choe.nmk");
    assert_maps_to_source(&ws, "tass.nmk");
}

#[test]
fn every_span_of_the_examples_slices_to_its_text() {
    let ws = workspace(&[
        (
            "people.nmk",
            include_str!("../../../../../examples/entities/people.nmk"),
        ),
        (
            "organizations.nmk",
            include_str!("../../../../../examples/entities/organizations.nmk"),
        ),
        (
            "places.nmk",
            include_str!("../../../../../examples/entities/places.nmk"),
        ),
        (
            "a.nmk",
            include_str!("../../../../../examples/articles/kim-putin-vostochny.nmk"),
        ),
        (
            "b.nmk",
            include_str!("../../../../../examples/articles/kirby-containers.nmk"),
        ),
        (
            "c.nmk",
            include_str!("../../../../../examples/articles/lavrov-pyongyang.nmk"),
        ),
        (
            "d.nmk",
            include_str!("../../../../../examples/articles/putin-pyongyang-2024.nmk"),
        ),
    ]);
    for path in ["a.nmk", "b.nmk", "c.nmk", "d.nmk"] {
        let document = export(&ws, path);
        assert!(
            !document.mentions.is_empty() && !document.claims.is_empty(),
            "{path}"
        );
        assert_spans_slice(&document);
        assert_maps_to_source(&ws, path);
        // No mark survives in the plain text.
        assert!(
            !document.text.contains("]@") && !document.text.contains("%%"),
            "{path}"
        );
        // A mention's text is its surface with the marks inside removed.
        for mention in document.mentions.iter().filter(|m| !m.is_reference) {
            assert!(!mention.text.contains('@'), "{path}: {mention:?}");
        }
    }
    assert!(!is_article(ws.summary(ws.file("people.nmk").unwrap())));
    assert!(is_article(ws.summary(ws.file("a.nmk").unwrap())));
}

#[test]
fn entities_used_are_resolved_with_member_of_ids() {
    let ws = workspace(&[
        ("r.nmk", REGISTRY),
        ("a.nmk", "[Lavrov]@lavrov and @nobody {x | @tass}\n"),
    ]);
    let used = entities_used(&ws, ws.file("a.nmk").unwrap());
    let ids: Vec<&str> = used.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["lavrov", "tass"]);
    assert_eq!(
        used[0],
        ResolvedEntity {
            id: "lavrov".into(),
            name: Some("Sergey Lavrov".into()),
            kind: Some("person".into()),
            role: None,
            member_of: vec!["russia".into(), "russia.mfa".into()],
            aliases: vec!["Lavrov".into(), "Sergei Lavrov".into()],
            wikidata: Some("Q80447".into()),
            url: None,
        }
    );
}
