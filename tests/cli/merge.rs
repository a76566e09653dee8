//! `newsmark merge` of annotators' versions of the examples
//! (`tests/fixtures/annotators`, whose README lists what each changed),
//! through the real binary.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::newsmark;

fn annotators() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/annotators")
}

fn merge(folders: &[&str], out: &Path, extra: &[&str]) -> Output {
    let mut command = newsmark(&annotators());
    command
        .arg("merge")
        .args(folders)
        .arg("--out")
        .arg(out)
        .args(extra);
    command.output().expect("the binary runs")
}

fn read(path: &Path) -> String {
    String::from_utf8(std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn three_annotators_merge_with_a_conflict_block_per_disagreement() {
    let out = tempfile::tempdir().unwrap();
    let output = merge(&["alice", "bob", "carol"], out.path(), &[]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "conflicts remain: exit 1, as git merge"
    );
    let said = String::from_utf8(output.stderr).unwrap();
    assert!(
        said.ends_with("56 blocks agreed, 18 conflicts in 6 files\n"),
        "{said}"
    );
    // The CRLF article stays CRLF, conflict markers included.
    let kirby = read(&out.path().join("articles/kirby-containers.nmk"));
    assert!(!kirby.replace("\r\n", "").contains('\n'), "{kirby:?}");
    insta::assert_snapshot!("kirby_merged", kirby.replace("\r\n", "⏎\n"));
    insta::assert_snapshot!(
        "ru_merged",
        read(&out.path().join("articles/lavrov-pyongyang-ru.nmk"))
    );
    insta::assert_snapshot!(
        "people_merged",
        read(&out.path().join("entities/people.nmk"))
    );
    // Carol has no copy of this one: every block of it is in conflict.
    let putin = read(&out.path().join("articles/putin-pyongyang-2024.nmk"));
    assert!(putin.contains("=======\n>>>>>>> carol\n"), "{putin}");
    assert_eq!(
        read(&out.path().join("newsmark.toml")),
        read(&annotators().join("alice/newsmark.toml"))
    );
}

#[test]
fn versions_that_agree_merge_into_the_same_files() {
    let out = tempfile::tempdir().unwrap();
    let output = merge(&["alice", "alice/../alice"], out.path(), &[]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for path in [
        "articles/kirby-containers.nmk",
        "articles/lavrov-pyongyang-ru.nmk",
        "entities/people.nmk",
    ] {
        assert_eq!(
            std::fs::read(out.path().join(path)).unwrap(),
            std::fs::read(annotators().join("alice").join(path)).unwrap(),
            "{path}"
        );
    }
}

#[test]
fn the_output_is_never_an_annotators_folder_nor_replaced_unasked() {
    let scratch = tempfile::tempdir().unwrap();
    let inside = scratch.path().join("alice");
    std::fs::create_dir(&inside).unwrap();
    std::fs::write(inside.join("a.nmk"), "Text.\n").unwrap();
    let output = newsmark(scratch.path())
        .args(["merge", "alice", "alice", "--out", "alice/merged"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is inside alice"));
    assert!(!inside.join("merged").exists());

    let out = scratch.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("a.nmk"), "Mine.\n").unwrap();
    let run = |force: &[&str]| {
        newsmark(scratch.path())
            .args(["merge", "alice", "alice", "--out", "out"])
            .args(force)
            .output()
            .unwrap()
    };
    assert_eq!(run(&[]).status.code(), Some(2));
    assert_eq!(read(&out.join("a.nmk")), "Mine.\n");
    assert_eq!(run(&["--force"]).status.code(), Some(0));
    assert_eq!(read(&out.join("a.nmk")), "Text.\n");
}

/// Writes each `(annotator, file, text)` into a fresh folder.
fn versions(files: &[(&str, &str, &str)]) -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    for (annotator, file, text) in files {
        let root = folder.path().join(annotator);
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join(file), text).unwrap();
    }
    folder
}

fn merge_in(folder: &Path, args: &[&str]) -> (Option<i32>, String) {
    let output = newsmark(folder).arg("merge").args(args).output().unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// A word changed where nobody annotated is still a disagreement.
#[test]
fn a_changed_text_without_annotations_is_a_conflict() {
    let folder = versions(&[
        ("alice", "a.nmk", "The minister spoke on Tuesday.\n"),
        (
            "bob",
            "a.nmk",
            "The minister spoke on Wednesday, reportedly.\n",
        ),
    ]);
    let (code, said) = merge_in(folder.path(), &["alice", "bob", "--out", "out"]);
    assert_eq!(code, Some(1), "{said}");
    assert_eq!(
        std::fs::read_to_string(folder.path().join("out/a.nmk")).unwrap(),
        "<<<<<<< alice\nThe minister spoke on Tuesday.\n=======\nThe minister spoke on Wednesday, reportedly.\n>>>>>>> bob\n"
    );
}

/// A line that reads as a conflict marker (an unresolved conflict, or
/// text that looks like one) would break the merge's own blocks: that
/// file is not merged, and the rest is.
#[test]
fn a_file_with_syntax_errors_is_merged_with_a_warning_naming_it() {
    let broken = "Reports said {North Korea supplied munitions\n\n[Kim]@kim left.\n";
    let folder = versions(&[("alice", "a.nmk", broken), ("bob", "a.nmk", broken)]);
    let (code, said) = merge_in(folder.path(), &["alice", "bob", "--out", "out"]);
    assert_eq!(code, Some(0), "{said}");
    assert!(
        said.contains("warning: alice/a.nmk has 1 syntax error(s); marks around them may be missing from the merge"),
        "{said}"
    );
    assert!(said.contains("bob/a.nmk has 1 syntax error(s)"), "{said}");
    assert!(folder.path().join("out/a.nmk").exists());
}

#[test]
fn files_with_conflict_markers_are_named_and_left_out() {
    let folder = versions(&[
        ("alice", "a.nmk", "Before.\n\n=======\n\n[Kim]@kim.\n"),
        ("bob", "a.nmk", "Before.\n\n=======\n\n[Kim]@kim-jong-un.\n"),
        ("alice", "b.nmk", "Same.\n"),
        ("bob", "b.nmk", "Same.\n"),
        (
            "carol",
            "b.nmk",
            "<<<<<<< x\nSame.\n=======\nOther.\n>>>>>>> y\n",
        ),
    ]);
    let (code, said) = merge_in(folder.path(), &["alice", "bob", "carol", "--out", "out"]);
    assert_eq!(code, Some(1), "{said}");
    assert!(
        said.contains("alice/a.nmk:3: this line reads as a conflict marker"),
        "{said}"
    );
    assert!(
        said.contains("carol/b.nmk:1: this line reads as a conflict marker"),
        "{said}"
    );
    assert!(!folder.path().join("out/a.nmk").exists());
    assert!(!folder.path().join("out/b.nmk").exists());
    // Seven and no more: `========` is text.
    let folder = versions(&[
        ("alice", "a.nmk", "========\n\nSame.\n"),
        ("bob", "a.nmk", "========\n\nSame.\n"),
    ]);
    let (code, said) = merge_in(folder.path(), &["alice", "bob", "--out", "out"]);
    assert_eq!(code, Some(0), "{said}");
}
