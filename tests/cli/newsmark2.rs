//! The failures the Newsmark 2 issue found when real wire stories were
//! annotated with version 1, one test per failure, through the real binary.

use std::path::Path;

use serde_json::Value;

use crate::support::{newsmark, run};

/// A workspace of `files` in a temporary folder.
fn workspace(files: &[(&str, &str)]) -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    for (path, text) in files {
        std::fs::write(folder.path().join(path), text).unwrap();
    }
    folder
}

/// `newsmark check --output-format concise` on `folder`: exit code and
/// output lines.
fn check(folder: &Path) -> (i32, Vec<String>) {
    let (code, out) =
        run(newsmark(folder).args(["check", "--no-cache", "--output-format", "concise", "."]));
    (
        code,
        out.lines()
            .map(str::to_owned)
            .filter(|l| l.contains(": "))
            .collect(),
    )
}

/// The export of `article.nmk` (its JSON line).
fn exported(folder: &Path) -> Value {
    let (code, out) =
        run(newsmark(folder).args(["export", "--format", "jsonl", "--out", "-", "article.nmk"]));
    assert_eq!(code, 0, "{out}");
    serde_json::from_str(out.lines().next().unwrap()).unwrap()
}

/// The exported plain text of `article.nmk` (JSON lines).
fn exported_text(folder: &Path) -> String {
    let (code, out) =
        run(newsmark(folder).args(["export", "--format", "jsonl", "--out", "-", "article.nmk"]));
    assert_eq!(code, 0, "{out}");
    let line: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    line["text"].as_str().unwrap().to_owned()
}

const REGISTRY: &str = "@us: United States\n  kind: country\n\n@jon: Jon\n  kind: person\n\n@kcna: KCNA\n  kind: outlet\n\n@south-korea: South Korea\n  kind: country\n\n@lavrov: Sergey Lavrov\n  kind: person\n\n@rubio: Marco Rubio\n  kind: person\n";

#[test]
fn a_source_chain_is_one_sourced_claim_with_its_conduit() {
    let folder = workspace(&[
        ("registry.nmk", REGISTRY),
        (
            "article.nmk",
            "{The launch succeeded | @jon via @kcna}, [Jon]@jon said.\n",
        ),
    ]);
    assert_eq!(check(folder.path()), (0, vec![]));
    assert_eq!(
        exported_text(folder.path()),
        "The launch succeeded, Jon said.\n"
    );
}

#[test]
fn a_denial_links_to_the_labelled_claim() {
    let folder = workspace(&[
        ("registry.nmk", REGISTRY),
        (
            "article.nmk",
            "{North Korea supplied munitions | @kcna}#munitions; Seoul said {the report is groundless | @south-korea denies #munitions}.\n\n{Also wrong | @south-korea denies #munition}\n",
        ),
    ]);
    let (code, lines) = check(folder.path());
    assert_eq!(code, 1);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("error[unknown-label]")
            && lines[0].contains("did you mean `#munitions`?"),
        "{lines:?}"
    );
}

#[test]
fn a_hedge_cue_is_marked_and_read_as_plain_words() {
    let folder = workspace(&[
        ("registry.nmk", REGISTRY),
        (
            "article.nmk",
            "{North Korea ~[allegedly] supplied munitions | @us}.\n",
        ),
    ]);
    assert_eq!(check(folder.path()), (0, vec![]));
    assert_eq!(
        exported_text(folder.path()),
        "North Korea allegedly supplied munitions.\n"
    );
}

#[test]
fn an_escape_ends_an_id_and_exports_without_the_backslash() {
    let folder = workspace(&[
        ("registry.nmk", REGISTRY),
        ("article.nmk", "A [U.S.]@us\\-led coalition.\n"),
    ]);
    assert_eq!(check(folder.path()), (0, vec![]));
    assert_eq!(exported_text(folder.path()), "A U.S.-led coalition.\n");
}

#[test]
fn a_mention_of_two_entities_names_both() {
    let folder = workspace(&[
        ("registry.nmk", REGISTRY),
        ("article.nmk", "[The two ministers]@lavrov+@rubio met.\n"),
    ]);
    assert_eq!(check(folder.path()), (0, vec![]));
    assert_eq!(exported_text(folder.path()), "The two ministers met.\n");
    let export = exported(folder.path());
    let mentions: Vec<(&str, &str)> = (export["mentions"].as_array().unwrap().iter())
        .map(|m| (m["id"].as_str().unwrap(), m["text"].as_str().unwrap()))
        .collect();
    assert_eq!(
        mentions,
        [
            ("lavrov", "The two ministers"),
            ("rubio", "The two ministers")
        ]
    );
}

#[test]
fn ids_typed_with_combining_accents_are_the_same_entity() {
    let folder = workspace(&[
        ("registry.nmk", "@josé: José Ramos\n  kind: person\n"),
        ("article.nmk", "[Ramos]@jose\u{301} spoke; so did @josé.\n"),
    ]);
    assert_eq!(check(folder.path()), (0, vec![]));
    let export = exported(folder.path());
    let ids: Vec<&str> = (export["mentions"].as_array().unwrap().iter())
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["josé", "josé"]);
    assert_eq!(export["text"], "Ramos spoke; so did José Ramos.\n");
}

#[test]
fn cyrillic_ids_are_ids() {
    let folder = workspace(&[
        (
            "registry.nmk",
            "@захарова: Мария Захарова\n  kind: person\n",
        ),
        ("article.nmk", "[Захарова]@захарова заявила.\n"),
    ]);
    assert_eq!(check(folder.path()), (0, vec![]));
}

#[test]
fn url_values_are_literal_and_a_definition_may_leave_out_its_name() {
    let folder = workspace(&[
        (
            "registry.nmk",
            "@mfa: Russian Foreign Ministry\n  kind: org\n  url: https://www.youtube.com/@MFARussia/videos\n\n@src-1:\n  kind: anonymous\n",
        ),
        (
            "article.nmk",
            "{It was agreed | @src-1} and [the ministry]@mfa confirmed.\n",
        ),
    ]);
    assert_eq!(check(folder.path()), (0, vec![]));
}
