//! The result cache: a warm run reports exactly what a run without cache
//! reports, also after a registry or an article changed.

use crate::support::{copy_fixture, edit, newsmark, run};

/// `check` with the cache, and without, must agree; returns the report.
fn check_agrees(root: &std::path::Path, args: &[&str]) -> (i32, String) {
    let cached = run(newsmark(root)
        .args(["check", "--output-format", "json"])
        .args(args));
    let uncached = run(newsmark(root)
        .args(["check", "--no-cache", "--output-format", "json"])
        .args(args));
    assert_eq!(
        cached, uncached,
        "cached and uncached runs differ for {args:?}"
    );
    cached
}

#[test]
fn warm_run_equals_cold_run() {
    let dir = copy_fixture("workspace");
    let root = dir.path();
    let cold = run(newsmark(root).args(["check", "--output-format", "json"]));
    assert!(root.join(".newsmark_cache").is_dir());
    let gitignore = std::fs::read_to_string(root.join(".newsmark_cache/.gitignore")).unwrap();
    assert!(gitignore.lines().any(|line| line == "*"), "{gitignore}");
    let warm = run(newsmark(root).args(["check", "--output-format", "json"]));
    assert_eq!(cold, warm);
    assert_eq!(
        cold,
        run(newsmark(root).args(["check", "--no-cache", "--output-format", "json"]))
    );
}

#[test]
fn editing_only_a_registry_updates_findings_in_articles() {
    let dir = copy_fixture("workspace");
    let root = dir.path();
    let (_, before) = check_agrees(root, &[]);
    assert!(!before.contains("`@kcna` is not defined"));
    // Renaming @kcna leaves the articles untouched but breaks their uses.
    edit(
        &root.join("entities/people.nmk"),
        "@kcna: Korean",
        "@kcna-agency: Korean",
    );
    let (_, after) = check_agrees(root, &[]);
    assert!(after.contains("`@kcna` is not defined"), "{after}");
    assert!(
        after.contains("\"path\":\"articles/hangul.nmk\""),
        "{after}"
    );
    // And back: the old findings return.
    edit(
        &root.join("entities/people.nmk"),
        "@kcna-agency: Korean",
        "@kcna: Korean",
    );
    assert_eq!(check_agrees(root, &[]).1, before);
}

#[test]
fn editing_an_article_keeps_other_files_right() {
    let dir = copy_fixture("workspace");
    let root = dir.path();
    check_agrees(root, &[]);
    // Prose only: no cross-file fact changes.
    edit(
        &root.join("articles/clean.nmk"),
        "met reporters",
        "met many reporters",
    );
    check_agrees(root, &[]);
    // A new use of @old-entry: its unused-entity hint in the registry goes.
    edit(
        &root.join("articles/clean.nmk"),
        "met many reporters",
        "met [the old entry]@old-entry",
    );
    let (_, after) = check_agrees(root, &[]);
    assert!(!after.contains("`@old-entry` is not used"), "{after}");
    // One file asked for, after a full run, and the other way round.
    check_agrees(root, &["articles/visit.nmk"]);
    edit(&root.join("articles/visit.nmk"), "landed in", "arrived in");
    check_agrees(root, &["articles/visit.nmk"]);
    check_agrees(root, &[]);
    // A new file, then a removed one.
    std::fs::write(
        root.join("articles/new.nmk"),
        "@kcna-2: Duplicate of nothing\n  kind: outlet\n\n{x | @kcna-2}\n",
    )
    .unwrap();
    check_agrees(root, &[]);
    std::fs::remove_file(root.join("articles/new.nmk")).unwrap();
    check_agrees(root, &[]);
}

#[test]
fn changing_the_configuration_changes_the_findings() {
    let dir = copy_fixture("workspace");
    let root = dir.path();
    let (_, before) = check_agrees(root, &[]);
    edit(
        &root.join("newsmark.toml"),
        "missing-kind = \"info\"",
        "missing-kind = \"off\"\nunsourced-claim = \"error\"",
    );
    let (_, after) = check_agrees(root, &[]);
    assert_ne!(before, after);
    assert!(!after.contains("missing-kind"));
}

#[test]
fn a_quote_edited_in_one_article_updates_the_other() {
    let dir = copy_fixture("workspace");
    let root = dir.path();
    std::fs::write(
        root.join("articles/other.nmk"),
        "{\"unbreakable comradely relationship\" | @us-officials, @kcna}\n",
    )
    .unwrap();
    let (_, before) = check_agrees(root, &[]);
    assert!(!before.contains("conflicting-attribution"), "{before}");
    // Only other.nmk changes; visit.nmk gets the finding.
    edit(
        &root.join("articles/other.nmk"),
        "@us-officials, @kcna",
        "@choe",
    );
    let (_, after) = check_agrees(root, &["articles/visit.nmk"]);
    assert!(after.contains("conflicting-attribution"), "{after}");
    check_agrees(root, &[]);
}
