//! `--write-baseline` and `--baseline`: old findings are accepted, new
//! ones reported, matched by file, code and marked text.

use insta_cmd::assert_cmd_snapshot;

use crate::support::{copy_fixture, edit, newsmark};

#[test]
fn baseline_reports_only_new_findings() {
    let dir = copy_fixture("workspace");
    let root = dir.path();
    assert_cmd_snapshot!(
        "write",
        newsmark(root).args(["check", "--no-cache", "--write-baseline", "baseline.json"])
    );
    insta::assert_snapshot!(
        "file",
        std::fs::read_to_string(root.join("baseline.json")).unwrap()
    );

    // Lines move, one finding is fixed, one is new, and one accepted
    // sentence is copied (its copy is new: the baseline counts).
    let visit = root.join("articles/visit.nmk");
    edit(
        &visit,
        "# [Lavrov]@lavrov arrives\n",
        "# [Lavrov]@lavrov arrives\n\nA new first paragraph.\n",
    );
    edit(
        &visit,
        "A statement from @us followed.",
        "A statement from @tass followed.",
    );
    edit(
        &visit,
        "{} and",
        "{} and {} and {a new unsourced claim} and",
    );
    assert_cmd_snapshot!(
        "after_edits",
        newsmark(root).args([
            "check",
            "--no-cache",
            "--output-format",
            "concise",
            "--show-hints",
            "--baseline",
            "baseline.json"
        ])
    );
}

#[test]
fn missing_baseline_is_an_error() {
    let dir = copy_fixture("workspace");
    assert_cmd_snapshot!(newsmark(dir.path()).args([
        "check",
        "--no-cache",
        "--baseline",
        "nowhere.json"
    ]));
}

#[cfg(unix)]
#[test]
fn a_baseline_that_links_to_a_device_is_refused_not_read() {
    let dir = copy_fixture("workspace");
    let root = dir.path();
    // A committed baseline turned into a link to /dev/zero: reading it
    // never ended and took all memory.
    std::os::unix::fs::symlink("/dev/zero", root.join("baseline.json")).unwrap();
    let output = newsmark(root)
        .args(["check", "--no-cache", "--baseline", "baseline.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr).trim(),
        "newsmark: error: cannot read the baseline baseline.json: it is a device, not a file"
    );
}
