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
    for format in [
        "web-annotation",
        "label-studio",
        "citron",
        "inception",
        "spacy",
    ] {
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

/// Checks a spacy export's `docs.jsonl` as `Doc.from_json` reads it: the
/// tokens lay out the text as spaCy does (between two tokens nothing, or
/// the one space that belongs to the first), and every span starts and
/// ends on a token and slices the text to its `text`. Returns the spans.
fn assert_spacy_aligned(docs: &str) -> usize {
    let mut spans = 0;
    for line in docs.lines() {
        let doc: Value = serde_json::from_str(line).unwrap();
        let text = doc["text"].as_str().unwrap();
        let chars: Vec<char> = text.chars().collect();
        let tokens: Vec<(usize, usize)> = (doc["tokens"].as_array().unwrap().iter())
            .map(|t| {
                (
                    t["start"].as_u64().unwrap() as usize,
                    t["end"].as_u64().unwrap() as usize,
                )
            })
            .collect();
        let mut at = 0;
        for (index, &(start, end)) in tokens.iter().enumerate() {
            assert!(start < end, "{}: token {index} is empty", doc["path"]);
            let gap: String = chars[at..start].iter().collect();
            assert!(
                gap.is_empty() || (gap == " " && index > 0),
                "{}: {gap:?}",
                doc["path"]
            );
            at = end;
        }
        let tail: String = chars[at..].iter().collect();
        assert!(tail.is_empty() || tail == " ", "{}: {tail:?}", doc["path"]);
        let starts: Vec<usize> = tokens.iter().map(|t| t.0).collect();
        let ends: Vec<usize> = tokens.iter().map(|t| t.1).collect();
        let groups = doc["spans"].as_object().unwrap().values();
        for span in groups
            .chain([&doc["ents"]])
            .flat_map(|g| g.as_array().unwrap())
        {
            let (start, end) = (
                span["start"].as_u64().unwrap() as usize,
                span["end"].as_u64().unwrap() as usize,
            );
            assert!(starts.contains(&start) && ends.contains(&end), "{span}");
            assert_eq!(
                slice_chars(text, start, end),
                span["text"].as_str().unwrap()
            );
            spans += 1;
        }
    }
    spans
}

#[test]
fn spacy() {
    let out = export_folder("spacy", &[]);
    let docs = read_out(&out, "docs.jsonl");
    let hangul = docs
        .lines()
        .find(|l| l.contains("articles/hangul.nmk"))
        .unwrap();
    insta::assert_snapshot!("spacy_hangul", hangul);
    insta::assert_snapshot!("spacy_relations", read_out(&out, "relations.jsonl"));
    assert!(assert_spacy_aligned(&docs) > 10);
}

#[test]
fn spacy_spans_of_the_examples_align_to_their_tokens() {
    let out = tempfile::tempdir().unwrap();
    let (code, _) = run(newsmark(&examples())
        .args(["export", "--format", "spacy", "--out"])
        .arg(out.path()));
    assert_eq!(code, 0);
    let docs = std::fs::read_to_string(out.path().join("docs.jsonl")).unwrap();
    assert!(assert_spacy_aligned(&docs) > 200);
    // Nested mentions are in the `mentions` group, not in `ents`.
    let relations = std::fs::read_to_string(out.path().join("relations.jsonl")).unwrap();
    for (doc, side) in docs.lines().zip(relations.lines()) {
        let (doc, side): (Value, Value) = (
            serde_json::from_str(doc).unwrap(),
            serde_json::from_str(side).unwrap(),
        );
        assert_eq!(doc["path"], side["path"]);
        let ents = doc["ents"].as_array().unwrap();
        assert!(
            ents.windows(2)
                .all(|w| w[0]["end"].as_u64() <= w[1]["start"].as_u64())
        );
        for relation in side["relations"].as_array().unwrap() {
            for end in [&relation["from"], &relation["to"]] {
                let group = &doc["spans"][end["group"].as_str().unwrap()];
                let span = &group[end["index"].as_u64().unwrap() as usize];
                assert_eq!(
                    (&span["start"], &span["text"]),
                    (&end["start"], &end["text"])
                );
            }
        }
    }
    assert!(relations.contains("\"type\":\"Denies\""), "{relations}");
}

/// A workspace of one article with reviews, and text no export may choke on.
fn reviewed_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write(
        "registry.nmk",
        "@kcna: Korean Central News Agency\n  kind: outlet\n  url: https://kcna.example/\n\n\
         @jon: Jon\n  kind: person\n  wikidata: Q1\n\n\
         @check: Check </script> & Co\n  kind: org\n  url: https://check.example/\n",
    );
    write(
        "article.nmk",
        "---\r\ntitle: \"Quotes\" </script>\r\ndate: 2023-10-19\r\noutlet: @kcna\r\n\
         url: https://news.example/@desk\r\n\
         review: #launch Mostly false 2/5 @check 2023-10-20 https://check.example/a\\@b?x=1&y=<2>\r\n\
         review: #launch Unproven @check\r\n\
         review: #nothing False @check\r\n\
         review: #launch False 2023-02-30 @check\r\n\
         ---\r\n\r\n\
         🎉 {The [launch]@kcna\u{1c} was \"a </script> success\" \\\\ \u{7} ok | @jon via @kcna}#launch,\r\n\
         said [ Jon ]@jon  and  [최선희]@jon이 \u{2028} ~.\r\n",
    );
    dir
}

#[test]
fn claimreview() {
    let dir = reviewed_workspace();
    assert_cmd_snapshot!(newsmark(dir.path()).args([
        "export",
        "--format",
        "claimreview",
        "--out",
        "-"
    ]));
}

#[test]
fn spacy_takes_hostile_text() {
    let dir = reviewed_workspace();
    let (code, _) = run(newsmark(dir.path()).args(["export", "--format", "spacy", "--out", "out"]));
    assert_eq!(code, 0);
    let docs = std::fs::read_to_string(dir.path().join("out/docs.jsonl")).unwrap();
    assert_eq!(assert_spacy_aligned(&docs), 8, "{docs}");
    // The white space inside `[ Jon ]` is not part of the span.
    assert!(
        docs.contains("\"kb_id\":\"jon\",\"label\":\"person\",\"start\":"),
        "{docs}"
    );
    assert!(docs.contains("\"text\":\"Jon\""), "{docs}");
}
