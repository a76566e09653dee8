//! The editor and CI agree. For the fixture workspaces, the examples and a
//! generated corpus, the diagnostics the server gives for every file, not
//! opened (`workspace/diagnostic`) and opened (`textDocument/diagnostic`),
//! under each position encoding, are exactly the findings of `newsmark
//! check --output-format json` on the same folder: file, start and end
//! (in characters), severity and code.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use newsmark_syntax::position::Encoding;
use serde_json::{Value, json};

use crate::client::{Client, Options};
use crate::{encoding, offset_of, position_of};

/// `path:line:column-line:column severity code`, 1-based, in characters.
type Finding = String;

fn finding(path: &str, start: (u64, u64), end: (u64, u64), severity: &str, code: &str) -> Finding {
    format!(
        "{path}:{}:{}-{}:{} {severity} {code}",
        start.0, start.1, end.0, end.1
    )
}

fn check_findings(root: &Path) -> BTreeSet<Finding> {
    let output = Command::new(env!("CARGO_BIN_EXE_newsmark"))
        .args(["check", ".", "--no-cache", "--output-format", "json"])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(
        output.status.code().is_some_and(|code| code < 2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    report
        .iter()
        .map(|f| {
            let at =
                |line: &str, column: &str| (f[line].as_u64().unwrap(), f[column].as_u64().unwrap());
            finding(
                f["path"].as_str().unwrap(),
                at("line", "column"),
                at("end_line", "end_column"),
                f["severity"].as_str().unwrap(),
                f["code"].as_str().unwrap(),
            )
        })
        .collect()
}

/// The server's diagnostics of one file, as `newsmark check` writes them.
fn as_findings(root: &Path, uri: &str, items: &[Value], encoding: Encoding) -> Vec<Finding> {
    let path = PathBuf::from(uri.strip_prefix("file://").unwrap().replace("%20", " "));
    let text = std::fs::read_to_string(&path).unwrap();
    let relative = path
        .strip_prefix(root)
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let in_characters = |position: &Value| {
        let offset = offset_of(&text, position, encoding);
        let at = position_of(&text, offset, Encoding::Utf32);
        (
            at["line"].as_u64().unwrap() + 1,
            at["character"].as_u64().unwrap() + 1,
        )
    };
    items
        .iter()
        .map(|d| {
            let severity = match d["severity"].as_u64() {
                Some(1) => "error",
                Some(2) => "warning",
                Some(3) => "info",
                _ => "hint",
            };
            finding(
                &relative,
                in_characters(&d["range"]["start"]),
                in_characters(&d["range"]["end"]),
                severity,
                d["code"].as_str().unwrap(),
            )
        })
        .collect()
}

/// The server's findings for every file: first none open, then all open.
fn server_findings(root: &Path, name: &'static str) -> [BTreeSet<Finding>; 2] {
    let mut client = Client::start(
        root,
        Options {
            encodings: vec![name],
            pull_diagnostics: true,
            capabilities: Some(
                json!({ "workspace": { "diagnostics": { "refreshSupport": true } } }),
            ),
            ..Options::default()
        },
    );
    let encoding = encoding(name);
    client.wait_for_index();
    let report = client
        .request("workspace/diagnostic", json!({ "previousResultIds": [] }))
        .unwrap();
    let mut closed = BTreeSet::new();
    let mut uris = Vec::new();
    for item in report["items"].as_array().unwrap() {
        let uri = item["uri"].as_str().unwrap().to_owned();
        closed.extend(as_findings(
            root,
            &uri,
            item["items"].as_array().unwrap(),
            encoding,
        ));
        uris.push(uri);
    }
    let mut opened = BTreeSet::new();
    for uri in &uris {
        let path = uri.strip_prefix("file://").unwrap().replace("%20", " ");
        client.open_text(uri, &std::fs::read_to_string(path).unwrap());
    }
    for uri in &uris {
        let report = client
            .request(
                "textDocument/diagnostic",
                json!({ "textDocument": { "uri": uri } }),
            )
            .unwrap();
        opened.extend(as_findings(
            root,
            uri,
            report["items"].as_array().unwrap(),
            encoding,
        ));
    }
    client.shutdown();
    [closed, opened]
}

fn agree(root: &Path) {
    let expected = check_findings(root);
    assert!(
        !expected.is_empty(),
        "{} has findings to compare",
        root.display()
    );
    for name in ["utf-8", "utf-16", "utf-32"] {
        let [closed, opened] = server_findings(root, name);
        for (what, found) in [("not opened", closed), ("opened", opened)] {
            let missing: Vec<_> = expected.difference(&found).collect();
            let extra: Vec<_> = found.difference(&expected).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{} under {name}, files {what}:\nonly newsmark check: {missing:#?}\nonly the server: {extra:#?}",
                root.display()
            );
        }
    }
}

fn source(relative: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    crate::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join(relative),
        dir.path(),
    );
    dir
}

#[test]
fn the_fixture_workspace() {
    agree(source("../tests/fixtures/workspace").path());
}

#[test]
fn the_cli_fixture_workspace() {
    agree(source("../tests/fixtures/cli/workspace").path());
}

#[test]
fn the_examples() {
    agree(source("../examples").path());
}

/// The server indexes unchanged files from the summaries `newsmark
/// check` stored in the cache, instead of parsing them: to the same
/// findings.
#[test]
fn the_examples_after_newsmark_check_wrote_its_cache() {
    let dir = source("../examples");
    crate::check_writing_the_cache(dir.path());
    let client = Client::start(dir.path(), Options::default());
    client.wait_for_log(|log| log.contains("unchanged since `newsmark check`"));
    let log = client.stderr();
    assert!(!log.contains("(0 unchanged"), "{log}");
    client.shutdown();
    agree(dir.path());
}

#[test]
fn a_generated_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let spec = newsmark_corpus::Spec {
        articles: 40,
        article_bytes: 1_500,
        entities: 60,
        entities_per_registry: 20,
        seed: 16,
    };
    newsmark_corpus::write(dir.path(), &spec).unwrap();
    agree(dir.path());
}

/// A repository opened at its top: corpora with their own `newsmark.toml`
/// (which define the same ids, as test fixtures do), loose articles at the
/// top, and a `.gitignore` outside git. Each corpus is a workspace of its
/// own for both (no `duplicate-definition` across them), and both skip
/// what `.gitignore` names.
#[test]
fn a_repository_with_several_corpora() {
    let dir = tempfile::tempdir().unwrap();
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    crate::copy_dir(&here.join("../examples"), &dir.path().join("examples"));
    crate::copy_dir(
        &here.join("../examples"),
        &dir.path().join("copy/of/examples"),
    );
    crate::copy_dir(
        &here.join("../tests/fixtures/workspace"),
        &dir.path().join("tests/fixtures/workspace"),
    );
    std::fs::create_dir_all(dir.path().join("notes/drafts")).unwrap();
    std::fs::write(
        dir.path().join("notes/loose.nmk"),
        "[Lavrov]@lavrov said {it went well}.\n\n@mine: Mine\n  kind: person\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("notes/drafts/broken.nmk"), "{unclosed [x\n").unwrap();
    std::fs::write(dir.path().join(".gitignore"), "drafts/\n").unwrap();
    let findings = check_findings(dir.path());
    assert!(
        !findings
            .iter()
            .any(|f| f.contains("duplicate-definition") || f.contains("drafts/")),
        "{findings:#?}"
    );
    agree(dir.path());
}
