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

/// Exports `format` of the workspace fixture into a new folder, which it returns.
fn export_folder(format: &str, extra: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let (code, _) = run(newsmark(&fixture("workspace"))
        .args(["export", "--format", format])
        .args(extra)
        .arg("--out")
        .arg(out.path().join("out")));
    assert_eq!(code, 0, "{format}");
    out
}

fn read_out(out: &tempfile::TempDir, path: &str) -> String {
    std::fs::read_to_string(out.path().join("out").join(path)).unwrap()
}

#[test]
fn web_annotation() {
    let out = export_folder("web-annotation", &[]);
    insta::assert_snapshot!("hangul_jsonld", read_out(&out, "articles/hangul.jsonld"));
    insta::assert_snapshot!("visit_jsonld", read_out(&out, "articles/visit.jsonld"));
    // The selectors count code points into the `.txt` beside the document.
    let text = read_out(&out, "articles/hangul.txt");
    let document: Value = serde_json::from_str(&read_out(&out, "articles/hangul.jsonld")).unwrap();
    for item in document["first"]["items"].as_array().unwrap() {
        let targets = item["target"]
            .as_array()
            .cloned()
            .unwrap_or_else(|| vec![item["target"].clone()]);
        for target in targets {
            let [quote, position] = [&target["selector"][0], &target["selector"][1]];
            let (start, end) = (
                position["start"].as_u64().unwrap(),
                position["end"].as_u64().unwrap(),
            );
            assert_eq!(
                slice_chars(&text, start as usize, end as usize),
                quote["exact"]
            );
        }
    }
}

#[test]
fn label_studio() {
    let out = export_folder("label-studio", &[]);
    insta::assert_snapshot!("labeling_config", read_out(&out, "labeling-config.xml"));
    insta::assert_snapshot!("label_studio_tasks", read_out(&out, "tasks.json"));
    let predicted = export_folder("label-studio", &["--as-predictions"]);
    let tasks: Value = serde_json::from_str(&read_out(&predicted, "tasks.json")).unwrap();
    let annotated: Value = serde_json::from_str(&read_out(&out, "tasks.json")).unwrap();
    for (predicted, annotated) in tasks
        .as_array()
        .unwrap()
        .iter()
        .zip(annotated.as_array().unwrap())
    {
        assert!(predicted.get("annotations").is_none());
        assert_eq!(
            predicted["predictions"][0]["result"],
            annotated["annotations"][0]["result"]
        );
        assert_eq!(predicted["predictions"][0]["model_version"], "newsmark");
    }
}

#[test]
fn as_predictions_is_for_label_studio() {
    assert_cmd_snapshot!(newsmark(&fixture("workspace")).args([
        "export",
        "--format",
        "jsonl",
        "--as-predictions",
        "--out",
        "-"
    ]));
}

#[test]
fn doccano() {
    assert_cmd_snapshot!(
        newsmark(&fixture("workspace")).args(["export", "--format", "doccano", "--out", "-"])
    );
}

/// doccano counts UTF-16 code units: after an emoji, its offsets run one
/// ahead of the characters.
#[test]
fn doccano_counts_utf16_units() {
    let (_, stdout) = run(newsmark(&fixture("workspace")).args([
        "export",
        "--format",
        "doccano",
        "--out",
        "-",
        "articles/hangul.nmk",
    ]));
    let line: Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    let units: Vec<u16> = line["text"].as_str().unwrap().encode_utf16().collect();
    for entity in line["entities"].as_array().unwrap() {
        let (start, end) = (
            entity["start_offset"].as_u64().unwrap() as usize,
            entity["end_offset"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            String::from_utf16(&units[start..end]).unwrap(),
            entity["text"]
        );
    }
}

#[test]
fn citron() {
    let out = export_folder("citron", &[]);
    insta::assert_snapshot!("citron_visit", read_out(&out, "articles/visit.json"));
    insta::assert_snapshot!("citron_hangul", read_out(&out, "articles/hangul.json"));
}

#[test]
fn folder_formats_need_a_folder() {
    for format in ["web-annotation", "label-studio", "citron", "inception"] {
        let output = newsmark(&fixture("workspace"))
            .args(["export", "--format", format, "--out", "-"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{format}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr.contains(&format!("--format {format} writes a folder")),
            "{stderr}"
        );
    }
}

#[test]
fn inception() {
    let out = export_folder("inception", &[]);
    insta::assert_snapshot!("inception_type_system", read_out(&out, "TypeSystem.xml"));
    insta::assert_snapshot!("inception_hangul", read_out(&out, "articles/hangul.xmi"));
    insta::assert_snapshot!("inception_visit", read_out(&out, "articles/visit.xmi"));
}

/// No XML document holds U+FFFF: it is written as U+FFFD, one UTF-16
/// unit too, so the offsets after it stay right, and the export says so.
#[test]
fn inception_writes_what_xml_cannot_hold_as_replacement_characters() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("article.nmk"),
        "A \u{ffff} and [Bob]@bob.\n\n@bob: Bob\n",
    )
    .unwrap();
    let output = newsmark(folder.path())
        .args(["export", "--format", "inception", "--out", "out"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("article.nmk: 1 character (NUL, U+FFFE or U+FFFF) that XML cannot hold, written as U+FFFD"),
        "{stderr}"
    );
    let xmi = std::fs::read_to_string(folder.path().join("out/article.xmi")).unwrap();
    assert!(
        xmi.contains("sofaString=\"A \u{fffd} and Bob.&#10;\""),
        "{xmi}"
    );
    assert!(
        xmi.contains("begin=\"8\" end=\"11\" value=\"Entity\""),
        "{xmi}"
    );
}
