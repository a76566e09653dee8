//! `newsmark diff` between annotators' versions of the examples
//! (`tests/fixtures/annotators`, whose README lists what each changed),
//! through the real binary.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{newsmark, run};

fn annotators() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/annotators")
}

fn diff(folder: &Path, args: &[&str]) -> (i32, String) {
    run(newsmark(folder).arg("diff").args(args))
}

#[test]
fn changes_between_annotators_in_annotation_terms() {
    let (code, bob) = diff(&annotators(), &["alice", "bob"]);
    assert_eq!(code, 1, "changes found: exit 1, as diff(1)");
    insta::assert_snapshot!("alice_to_bob", bob);
    let (code, carol) = diff(&annotators(), &["alice", "carol"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("alice_to_carol", carol);
    let (_, json) = diff(&annotators(), &["alice", "bob", "--format", "json"]);
    insta::assert_snapshot!("alice_to_bob_json", json);
}

#[test]
fn a_version_has_no_changes_from_itself() {
    assert_eq!(
        diff(&annotators(), &["alice", "alice"]),
        (0, "no changes\n".to_owned())
    );
}

/// Two files compare whatever their names; places count characters on
/// each file's own lines, whatever its line ends (LF, CRLF, lone CR).
#[test]
fn two_articles_with_hangul_emoji_and_every_line_end() {
    let folder = tempfile::tempdir().unwrap();
    let registry = "@choe: 최선희\n  kind: person\n@kim: 김정은\n  kind: person\n";
    std::fs::write(folder.path().join("registry.nmk"), registry).unwrap();
    let old = "😀 첫 줄.\n[최선희]@choe 외무상이 {말했다 | @choe}.\n";
    std::fs::write(folder.path().join("old.nmk"), old).unwrap();
    for line_end in ["\n", "\r\n", "\r"] {
        let new = "😀 첫 줄.\n[최선희]@kim 외무상이 말했다.\n".replace('\n', line_end);
        std::fs::write(folder.path().join("new.nmk"), new).unwrap();
        let (code, json) = diff(folder.path(), &["old.nmk", "new.nmk", "--format", "json"]);
        assert_eq!(code, 1);
        let report: Value = serde_json::from_str(&json).unwrap();
        let article = &report["articles"][0];
        assert_eq!(article["path"], "old.nmk");
        let changes = article["changes"].as_array().unwrap();
        let described: Vec<&str> = changes
            .iter()
            .map(|c| c["change"].as_str().unwrap())
            .collect();
        assert_eq!(
            described,
            ["mention re-linked", "claim removed", "sources removed"]
        );
        let relinked = &changes[0];
        assert_eq!(
            (
                relinked["old"]["value"].as_str(),
                relinked["new"]["value"].as_str()
            ),
            (Some("choe"), Some("kim"))
        );
        // Line 2, after `[`: the second character of the line, both sides.
        for side in ["old", "new"] {
            assert_eq!(
                (
                    relinked[side]["line"].as_u64(),
                    relinked[side]["column"].as_u64()
                ),
                (Some(2), Some(2)),
                "{line_end:?}"
            );
        }
        // The claim's text starts after `{`, in the old file.
        let claim = &changes[1]["old"];
        assert_eq!(
            (
                claim["line"].as_u64(),
                claim["column"].as_u64(),
                claim["text"].as_str()
            ),
            (Some(2), Some(18), Some("말했다"))
        );
    }
}

#[test]
fn text_from_files_is_escaped_on_the_terminal() {
    let folder = tempfile::tempdir().unwrap();
    let registry = "@x: X\n  kind: person\n";
    std::fs::write(folder.path().join("registry.nmk"), registry).unwrap();
    std::fs::write(folder.path().join("old.nmk"), "Plain \u{1b}[31mred text.\n").unwrap();
    std::fs::write(
        folder.path().join("new.nmk"),
        "Plain [\u{1b}[31mred]@x text.\n",
    )
    .unwrap();
    let (code, human) = diff(folder.path(), &["old.nmk", "new.nmk"]);
    assert_eq!(code, 1);
    assert!(human.contains("mention added"), "{human}");
    assert!(!human.contains('\u{1b}'), "{human:?}");
}
