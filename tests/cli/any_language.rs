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

#[test]
fn two_workspaces_outside_git_keep_their_paths_apart_in_every_format() {
    let folder = tempfile::tempdir().unwrap();
    for corpus in ["corpus-a", "corpus-b"] {
        let articles = folder.path().join(corpus).join("articles");
        std::fs::create_dir_all(&articles).unwrap();
        std::fs::write(folder.path().join(corpus).join("newsmark.toml"), "").unwrap();
        std::fs::write(articles.join("x.nmk"), "{Unsourced}.\n").unwrap();
    }
    let output = |format: &str| {
        let (code, out) = run(newsmark(folder.path()).args([
            "check",
            "--no-cache",
            "--output-format",
            format,
            "corpus-a",
            "corpus-b",
        ]));
        assert_eq!(code, 1, "{out}");
        out
    };
    for format in ["concise", "github", "sarif", "json", "junit"] {
        let out = output(format);
        for corpus in ["corpus-a", "corpus-b"] {
            assert!(
                out.contains(&format!("{corpus}/articles/x.nmk")),
                "{format}: {out}"
            );
        }
    }
}

#[test]
fn a_russian_article_with_stems_and_hedges() {
    let registry = "@лавров: Сергей Лавров\n  kind: person\n  aliases: Лавров*\n@рябков: Сергей Рябков\n  kind: person\n  aliases: Рябков*\n";
    let article = "---\ntitle: Лавров и Рябков\nlanguage: ru\n---\n\
        [Лавров]@лавров и [Рябков]@рябков встретились. О Лаврове говорили, Рябкову звонили.\n\n\
        [Рябков]@рябков заявил, что {встреча ~[якобы] требует подготовки}.\n\
        ЛАВРОВ ответил: {стороны якобы договорились | @лавров}.\n";
    let folder = workspace(&[("registry.nmk", registry), ("article.nmk", article)]);
    assert_eq!(
        findings(folder.path()),
        [
            "article.nmk:5:50: hint[untagged-mention] `Лаврове` names `@лавров` (Сергей Лавров) but is not tagged: write `[Лаврове]@лавров`",
            "article.nmk:5:68: hint[untagged-mention] `Рябкову` names `@рябков` (Сергей Рябков) but is not tagged: write `[Рябкову]@рябков`",
            "article.nmk:7:29: warning[unsourced-claim] this claim has no source: add `| @source` before the closing `}`",
            "article.nmk:8:1: hint[untagged-mention] `ЛАВРОВ` names `@лавров` (Сергей Лавров) but is not tagged: write `[ЛАВРОВ]@лавров`",
            "article.nmk:8:26: hint[unmarked-hedge] `якобы` hedges this claim: mark it as a hedge cue, `~[…]`",
        ]
    );
}
