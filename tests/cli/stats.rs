//! `newsmark stats`: per article and for the corpus.

use insta_cmd::assert_cmd_snapshot;

use crate::support::{examples, fixture, newsmark};

#[test]
fn table() {
    assert_cmd_snapshot!(newsmark(&fixture("workspace")).args(["stats"]));
}

#[test]
fn json() {
    assert_cmd_snapshot!(newsmark(&fixture("workspace")).args([
        "stats",
        "--format",
        "json",
        "articles/visit.nmk"
    ]));
}

#[test]
fn examples_table() {
    assert_cmd_snapshot!(newsmark(&examples()).args(["stats"]));
}
