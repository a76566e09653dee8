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

/// The cache files of a workspace: the findings file and the summaries.
fn cache_files(root: &std::path::Path) -> Vec<std::path::PathBuf> {
    let folder = root.join(".newsmark_cache").join(env!("CARGO_PKG_VERSION"));
    let mut files: Vec<_> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "bin"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 2, "{files:?}");
    files
}

/// A cache left by checking one article (so a full check reads both the
/// findings and the summaries), and what a full check without cache says.
struct Damaged {
    dir: tempfile::TempDir,
    /// Each cache file and its bytes.
    pristine: Vec<(std::path::PathBuf, Vec<u8>)>,
    expected: (i32, String),
}

fn damaged_cache_setup() -> Damaged {
    let dir = copy_fixture("workspace");
    let root = dir.path();
    run(newsmark(root).args(["check", "articles/visit.nmk"]));
    let pristine = cache_files(root)
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect();
    let expected = run(newsmark(root).args(["check", "--no-cache", "--show-hints"]));
    Damaged {
        dir,
        pristine,
        expected,
    }
}

/// Whatever byte of the cache is flipped, `check` reports what it reports
/// without the cache (a damaged entry is a miss, never a crash).
#[test]
fn flipped_cache_bytes_never_change_the_report() {
    let Damaged {
        dir,
        pristine,
        expected,
    } = damaged_cache_setup();
    let root = dir.path();
    // xorshift64, fixed seed: the same flips on every run.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for round in 0..1000 {
        let target = round % pristine.len();
        let mut bytes = pristine[target].1.clone();
        let at = (next() % bytes.len() as u64) as usize;
        bytes[at] ^= 1 << (next() % 8);
        for (index, (path, original)) in pristine.iter().enumerate() {
            std::fs::write(path, if index == target { &bytes } else { original }).unwrap();
        }
        let got = run(newsmark(root).args(["check", "--show-hints"]));
        assert_eq!(
            got,
            expected,
            "byte {at} of {} flipped",
            pristine[target].0.display()
        );
    }
}

/// A summary count of a trillion entries is a miss, not an allocation.
#[test]
fn an_inflated_summary_count_is_a_miss() {
    let Damaged {
        dir,
        pristine,
        expected,
    } = damaged_cache_setup();
    let (path, bytes) = pristine
        .iter()
        .find(|(path, _)| path.ends_with("summaries.bin"))
        .unwrap();
    let mut bytes = bytes.clone();
    bytes[24..32].copy_from_slice(&(1u64 << 40).to_le_bytes());
    std::fs::write(path, bytes).unwrap();
    assert_eq!(
        run(newsmark(dir.path()).args(["check", "--show-hints"])),
        expected
    );
}
