//! Incremental sync: edits apply in the order they were sent, the
//! incrementally parsed document equals a fresh parse of its text, and
//! lines break at LF, CR and CRLF as the protocol says.

use std::path::Path;

use newsmark_analysis::{Config, Workspace};
use newsmark_corpus::Rng;
use serde_json::{Value, json};

use crate::client::{Client, Options};
use crate::random_edits::{has_position, random_offset};
use crate::{encoding, fixture, offset_of, range, range_of};

/// What the analysis layer finds in `text` as `relative` of the fixture
/// workspace at `root`: (code, byte range, message, severity).
fn expected_findings(
    root: &Path,
    relative: &str,
    text: &str,
) -> Vec<(String, usize, usize, String, String)> {
    let mut ws = Workspace::new(Config::default());
    for entry in [
        "entities/people.nmk",
        "entities/orgs.nmk",
        "articles/lavrov-visit.nmk",
        "articles/choe-hangul.nmk",
        "articles/tass-crlf.nmk",
    ] {
        if entry != relative {
            let disk = std::fs::read_to_string(root.join(entry)).unwrap();
            ws.set_file(&root.join(entry).to_string_lossy(), disk.into());
        }
    }
    let file = ws
        .set_file(&root.join(relative).to_string_lossy(), text.into())
        .file;
    newsmark_analysis::diagnostics(&ws, file)
        .into_iter()
        .map(|d| {
            (
                d.code.as_str().to_owned(),
                d.range.start,
                d.range.end,
                d.message.into_owned(),
                d.severity.as_str().to_owned(),
            )
        })
        .collect()
}

/// The same tuples from protocol diagnostics on `text`.
fn findings(
    diagnostics: &[Value],
    text: &str,
    encoding_name: &str,
) -> Vec<(String, usize, usize, String, String)> {
    let enc = encoding(encoding_name);
    diagnostics
        .iter()
        .map(|d| {
            let severity = match d["severity"].as_i64().unwrap() {
                1 => "error",
                2 => "warning",
                3 => "info",
                _ => "hint",
            };
            (
                d["code"].as_str().unwrap().to_owned(),
                offset_of(text, &d["range"]["start"], enc),
                offset_of(text, &d["range"]["end"], enc),
                d["message"].as_str().unwrap().to_owned(),
                severity.to_owned(),
            )
        })
        .collect()
}

const SNIPPETS: &[&str] = &[
    "a", "가", "😀", "{", "}", "[", "]", "@", "@lavrov", "[x]@kim", " | @tass", " ", "\n", "\r\n",
    "\r", "%% ", "\\", "word ",
];

/// One random small edit of `text`: (byte range, new text).
fn random_edit(text: &str, rng: &mut Rng) -> (std::ops::Range<usize>, String) {
    let start = random_offset(text, rng);
    if rng.below(10) < 6 || start == text.len() {
        return (start..start, (*rng.pick(SNIPPETS)).to_owned());
    }
    let mut end = start;
    for _ in 0..=rng.below(3) {
        if let Some(c) = text[end..].chars().next() {
            end += c.len_utf8();
        }
    }
    while !has_position(text, end) {
        end += 1;
    }
    (start..end, String::new())
}

fn rapid_changes(relative: &str, encoding_name: &'static str, seed: u64) {
    let dir = fixture();
    let mut client = Client::start(
        dir.path(),
        Options {
            encodings: vec![encoding_name],
            ..Options::default()
        },
    );
    client.wait_for_index();
    let uri = client.open(relative);
    let mut text = std::fs::read_to_string(dir.path().join(relative)).unwrap();
    let mut rng = Rng::new(seed);
    let enc = encoding(encoding_name);
    for version in 2..=1001 {
        let (byte_range, new_text) = random_edit(&text, &mut rng);
        let change = json!({ "range": range_of(&text, byte_range.clone(), enc), "text": new_text });
        text.replace_range(byte_range, &new_text);
        // Sent without waiting for anything.
        client.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [change] }),
        );
    }

    let served = client.document_text(&uri);
    assert_eq!(served["version"], 1001);
    assert_eq!(
        served["text"].as_str().unwrap(),
        text,
        "the server's text after 1,000 edits"
    );

    let expected = expected_findings(dir.path(), relative, &text);
    let pulled = client
        .request(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": uri } }),
        )
        .unwrap();
    assert_eq!(pulled["kind"], "full");
    let pulled = findings(pulled["items"].as_array().unwrap(), &text, encoding_name);
    assert_eq!(
        pulled, expected,
        "pulled diagnostics against a fresh analysis of the final text"
    );

    let last = client.wait_for("diagnostics of version 1001", |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 1001
    });
    let pushed = findings(
        last["params"]["diagnostics"].as_array().unwrap(),
        &text,
        encoding_name,
    );
    assert_eq!(
        pushed, expected,
        "pushed diagnostics against a fresh analysis of the final text"
    );

    // Publications never go back to an older version.
    let versions: Vec<i64> = client
        .backlog
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
        .filter_map(|m| m["params"]["version"].as_i64())
        .collect();
    assert!(versions.windows(2).all(|w| w[0] <= w[1]), "{versions:?}");
    assert!(versions.iter().all(|&v| v <= 1001));
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn thousand_rapid_changes_apply_in_order_utf16_hangul() {
    rapid_changes("articles/choe-hangul.nmk", "utf-16", 1);
}

#[test]
fn thousand_rapid_changes_apply_in_order_utf8_crlf() {
    rapid_changes("articles/tass-crlf.nmk", "utf-8", 2);
}

#[test]
fn changes_in_one_notification_apply_one_after_the_other() {
    let dir = fixture();
    let mut client = Client::start(dir.path(), Options::default());
    let uri = client.uri("articles/order.nmk");
    client.open_text(&uri, "abc\n");
    // The second range refers to the text after the first change.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [
                { "range": range((0, 0), (0, 0)), "text": "😀\n" },
                { "range": range((1, 1), (1, 2)), "text": "{B}" },
                { "range": range((0, 2), (0, 2)), "text": "가" },
            ]
        }),
    );
    let served = client.document_text(&uri);
    assert_eq!(served["text"], "😀가\na{B}c\n");
    let found = client.diagnostics(&uri, |d| !d.is_empty());
    assert_eq!(found[0]["code"], "unsourced-claim");
    assert_eq!(found[0]["range"], range((1, 1), (1, 4)));
}

/// The benches' skim of published diagnostics (`Client::skim_diagnostics`)
/// keeps their document, version and number.
#[test]
fn skimmed_diagnostics_keep_uri_version_and_count() {
    let dir = fixture();
    let mut client = Client::start(dir.path(), Options::default());
    let uri = client.uri("articles/skim.nmk");
    client.open_text(&uri, "{a}\n{b}\n{c}\n");
    let full = client.diagnostics(&uri, |d| !d.is_empty());
    client.skim_diagnostics(true);
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [{ "range": range((3, 0), (3, 0)), "text": "{d}\n" }]
        }),
    );
    let skimmed = client.wait_for_untracked("skimmed diagnostics", |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 2
    });
    assert_eq!(skimmed["params"]["uri"], uri);
    assert_eq!(skimmed["params"]["count"], full.len() + 1);
    assert!(skimmed["params"]["diagnostics"].is_null());
}

#[test]
fn lone_cr_breaks_lines_for_positions_and_edits() {
    let dir = fixture();
    let mut client = Client::start(dir.path(), Options::default());
    let uri = client.uri("articles/cr.nmk");
    let text = "first\rsecond {x}\r\nthird {y}\n";
    client.open_text(&uri, text);
    let found = client.diagnostics(&uri, |d| d.len() == 2);
    assert_eq!(found[0]["range"], range((1, 7), (1, 10)));
    assert_eq!(found[1]["range"], range((2, 6), (2, 9)));
    // Edit on the line after the lone CR (tree-sitter counts it as row 0).
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [{ "range": range((1, 8), (1, 9)), "text": "claim | @tass" }]
        }),
    );
    let served = client.document_text(&uri);
    assert_eq!(
        served["text"],
        "first\rsecond {claim | @tass}\r\nthird {y}\n"
    );
    let found = client.diagnostics(&uri, |d| d.len() == 1);
    assert_eq!(found[0]["range"], range((2, 6), (2, 9)));
}

#[test]
fn full_text_change_replaces_the_document() {
    let dir = fixture();
    let mut client = Client::start(dir.path(), Options::default());
    let uri = client.uri("articles/full.nmk");
    client.open_text(&uri, "{x}\n");
    client.diagnostics(&uri, |d| d.len() == 1);
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [{ "text": "no claims here\n" }]
        }),
    );
    client.diagnostics(&uri, |d| d.is_empty());
    assert_eq!(client.document_text(&uri)["text"], "no claims here\n");
}

#[test]
fn closing_a_document_restores_the_file_on_disk() {
    let dir = fixture();
    let mut client = Client::start(dir.path(), Options::default());
    client.wait_for_index();
    let uri = client.open("entities/people.nmk");
    // Remove @lavrov in the editor only.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [{ "range": range((2, 1), (2, 7)), "text": "lavrov-renamed" }]
        }),
    );
    let article = client.open("articles/tass-crlf.nmk");
    client.diagnostics(&article, |d| {
        d.iter().any(|d| d["code"] == "undefined-entity")
    });
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    client.diagnostics(&article, |d| {
        !d.iter().any(|d| d["code"] == "undefined-entity")
    });
    // The closed document's own diagnostics are cleared.
    client.diagnostics(&uri, |d| d.is_empty());
    let served = client.document_text(&uri);
    assert_eq!(served["version"], Value::Null);
    assert!(
        served["text"]
            .as_str()
            .unwrap()
            .contains("@lavrov: Sergey Lavrov")
    );
}
