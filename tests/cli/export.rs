//! `newsmark export`: JSON lines and brat standoff files, and the promise
//! that every span slices the plain text to its own text.

use insta_cmd::assert_cmd_snapshot;
use serde_json::Value;

use crate::support::{examples, fixture, newsmark, run, slice_chars};

/// Every mention and claim of every exported line slices `text` to `text`.
fn assert_spans_slice(jsonl: &str) -> usize {
    let mut spans = 0;
    for line in jsonl.lines() {
        let article: Value = serde_json::from_str(line).unwrap();
        let text = article["text"].as_str().unwrap();
        for span in article["mentions"]
            .as_array()
            .unwrap()
            .iter()
            .chain(article["claims"].as_array().unwrap())
        {
            let (start, end) = (
                span["start"].as_u64().unwrap() as usize,
                span["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(
                slice_chars(text, start, end),
                span["text"].as_str().unwrap(),
                "{} {span}",
                article["path"]
            );
            spans += 1;
        }
    }
    spans
}

#[test]
fn jsonl() {
    assert_cmd_snapshot!(
        newsmark(&fixture("workspace")).args(["export", "--format", "jsonl", "--out", "-"])
    );
}

#[test]
fn every_span_of_the_examples_slices_the_text() {
    let (code, stdout) =
        run(newsmark(&examples()).args(["export", "--format", "jsonl", "--out", "-"]));
    assert_eq!(code, 0);
    assert_eq!(
        stdout.lines().count(),
        5,
        "the five articles, not the registries"
    );
    assert!(assert_spans_slice(&stdout) > 100);
}

#[test]
fn every_span_of_the_hangul_and_emoji_fixtures_slices_the_text() {
    for folder in [fixture("workspace"), fixture("../workspace")] {
        let (_, stdout) =
            run(newsmark(&folder).args(["export", "--format", "jsonl", "--out", "-", "articles"]));
        assert!(stdout.contains("최선희"), "{stdout}");
        assert!(assert_spans_slice(&stdout) > 5);
    }
}

#[test]
fn brat() {
    let out = tempfile::tempdir().unwrap();
    let (code, _) = run(newsmark(&fixture("workspace"))
        .args(["export", "--format", "brat", "--out"])
        .arg(out.path().join("brat")));
    assert_eq!(code, 0);
    let read = |path: &str| std::fs::read_to_string(out.path().join("brat").join(path)).unwrap();
    insta::assert_snapshot!("annotation_conf", read("annotation.conf"));
    insta::assert_snapshot!("tools_conf", read("tools.conf"));
    insta::assert_snapshot!("visit_txt", read("articles/visit.txt"));
    insta::assert_snapshot!("visit_ann", read("articles/visit.ann"));
    insta::assert_snapshot!("hangul_ann", read("articles/hangul.ann"));
    // Every T line's offsets slice its .txt (brat counts characters).
    for article in ["visit", "hangul", "clean", "broken"] {
        let text = read(&format!("articles/{article}.txt"));
        for line in read(&format!("articles/{article}.ann"))
            .lines()
            .filter(|l| l.starts_with('T'))
        {
            let fields: Vec<&str> = line.split('\t').collect();
            let spec: Vec<&str> = fields[1].split(' ').collect();
            let (start, end) = (spec[1].parse().unwrap(), spec[2].parse().unwrap());
            assert_eq!(
                slice_chars(&text, start, end),
                fields[2],
                "{article}: {line}"
            );
        }
    }
    assert!(
        !out.path().join("brat/entities/people.txt").exists(),
        "registries are not articles"
    );
}

#[test]
fn brat_needs_a_folder() {
    assert_cmd_snapshot!(
        newsmark(&fixture("workspace")).args(["export", "--format", "brat", "--out", "-"])
    );
}

/// `AttributedTo` points at a mention of the source in the claim's own
/// paragraph, before or after the claim; a mention paragraphs away is
/// not who the claim quotes (only the `#` note keeps the attribution).
#[test]
fn brat_attributes_claims_within_their_paragraph() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("registry.nmk"),
        "@kirby: John Kirby\n  kind: person\n",
    )
    .unwrap();
    std::fs::write(
        folder.path().join("article.nmk"),
        "[Kirby]@kirby spoke first.\n\n{\"It was shipped,\" | @kirby} the spokesman said.\n\n{\"It was sold,\" | @kirby} said [John Kirby]@kirby later.\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let (code, _) = run(newsmark(folder.path())
        .args(["export", "--format", "brat", "--out"])
        .arg(out.path().join("brat")));
    assert_eq!(code, 0);
    let ann = std::fs::read_to_string(out.path().join("brat/article.ann")).unwrap();
    let relations: Vec<&str> = ann.lines().filter(|l| l.starts_with('R')).collect();
    // T1 Kirby (first paragraph), T2 John Kirby (third), T3 and T5 the
    // claims, T4 and T6 their quoted words.
    assert_eq!(relations, ["R1\tAttributedTo Arg1:T5 Arg2:T2"], "{ann}");
    assert!(ann.contains("AnnotatorNotes T3\tsources: @kirby"), "{ann}");
}
