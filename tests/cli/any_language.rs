//! Annotating in languages other than English, and what a newcomer tripped
//! on (the "any language" issue), through the real binary.

use std::path::Path;

use crate::support::{newsmark, run};

/// A workspace of `files` in a temporary folder.
fn workspace(files: &[(&str, &str)]) -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    for (path, text) in files {
        std::fs::write(folder.path().join(path), text).unwrap();
    }
    folder
}

/// The findings of `newsmark check --show-hints`, one concise line each
/// (with the cache, which must notice a changed `newsmark.toml`).
fn findings(folder: &Path) -> Vec<String> {
    let (_, out) =
        run(newsmark(folder).args(["check", "--show-hints", "--output-format", "concise", "."]));
    out.lines()
        .filter(|l| l.contains(".nmk:"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn newsmark_toml_names_the_language_and_adds_its_words() {
    let article = "{Rosja rzekomo dostarczyła amunicję | @us}.\n";
    let registry = "@us: United States\n  kind: country\n";
    let folder = workspace(&[("a.nmk", article), ("r.nmk", registry)]);
    assert!(findings(folder.path()).is_empty());

    std::fs::write(
        folder.path().join("newsmark.toml"),
        "language = \"pl\"\n[cues.pl]\nhedges = [\"rzekomo\"]\n",
    )
    .unwrap();
    let found = findings(folder.path());
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("a.nmk:1:8: hint[unmarked-hedge] `rzekomo` hedges this claim"),
        "{found:?}"
    );
}
