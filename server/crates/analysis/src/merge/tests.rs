use newsmark_syntax::SyntaxTree;

use super::*;
use crate::config::Config;
use crate::export::{entities_used, plain_document};
use crate::workspace::Workspace;

const REGISTRY: &str = "@kim: Kim Jong Un\n  kind: person\n@choe: 최선희\n  kind: person\n@us: United States\n  kind: country\n";

/// Each text as the file `a.nmk` of a workspace with the registry.
fn chunked(text: &str) -> Chunked {
    let mut ws = Workspace::new(Config::default());
    ws.set_file("registry.nmk", REGISTRY.into());
    ws.set_file("a.nmk", text.into());
    let file = ws.file("a.nmk").unwrap();
    let document = plain_document(&SyntaxTree::parse(ws.text(file).clone()));
    Chunked::new(text, ws.summary(file), &document, &entities_used(&ws, file))
}

fn merged(versions: &[(&str, Option<&str>)]) -> Merged {
    let chunked: Vec<Option<Chunked>> =
        versions.iter().map(|(_, text)| text.map(chunked)).collect();
    let names: Vec<&str> = versions.iter().map(|(name, _)| *name).collect();
    let refs: Vec<Option<&Chunked>> = chunked.iter().map(Option::as_ref).collect();
    merge(&names, &refs)
}

#[test]
fn what_all_agree_on_is_written_once_whatever_the_markup() {
    let alice = "---\ntitle: T\n---\n\n[Kim]@kim came.\n\n%% a note\n{It rained | @us}.\n";
    // Bob breaks the line elsewhere and drops the comment: the same
    // annotations on the same text.
    let bob = "---\ntitle: T\n---\n\n[Kim]@kim\ncame.\n\n{It rained | @us}.\n";
    let result = merged(&[("alice", Some(alice)), ("bob", Some(bob))]);
    assert_eq!(result.text, alice);
    assert_eq!((result.agreed, result.conflicts), (2, 0));
    assert!(result.front_matter_differs.is_empty());
}

#[test]
fn a_disagreement_becomes_a_conflict_block_between_the_agreed_paragraphs() {
    let alice = "[Kim]@kim came.\r\n\r\n{It rained | @us}.\r\n\r\nThe end.\r\n";
    let bob = "[Kim]@kim came.\n\n{It rained | @kim}.\n\nThe end.\n";
    let result = merged(&[("alice", Some(alice)), ("bob", Some(bob))]);
    assert_eq!(
        result.text,
        "[Kim]@kim came.\r\n\r\n<<<<<<< alice\r\n{It rained | @us}.\r\n=======\r\n{It rained | @kim}.\r\n>>>>>>> bob\r\n\r\nThe end.\r\n"
    );
    assert_eq!((result.agreed, result.conflicts), (2, 1));
}

#[test]
fn three_versions_name_each_on_its_marker() {
    let result = merged(&[
        ("alice", Some("[최선희]@choe 말했다.\n")),
        ("bob", Some("최선희 말했다.\n")),
        ("carol", Some("[최선희]@kim 말했다.\n")),
    ]);
    assert_eq!(
        result.text,
        "<<<<<<< alice\n[최선희]@choe 말했다.\n======= bob\n최선희 말했다.\n=======\n[최선희]@kim 말했다.\n>>>>>>> carol\n"
    );
}

#[test]
fn a_paragraph_only_one_has_is_a_conflict_with_empty_versions() {
    let alice = "First.\n\nLast.\n";
    let bob = "First.\n\n[Kim]@kim added this.\n\nLast.\n\nAn ending.\n";
    let result = merged(&[("alice", Some(alice)), ("bob", Some(bob))]);
    assert_eq!(
        result.text,
        "First.\n\n<<<<<<< alice\n=======\n[Kim]@kim added this.\n>>>>>>> bob\n\nLast.\n\n<<<<<<< alice\n=======\nAn ending.\n>>>>>>> bob\n"
    );
    assert_eq!((result.agreed, result.conflicts), (2, 2));
}

#[test]
fn an_annotator_without_the_file_leaves_every_chunk_in_conflict() {
    let alice = "One.\n\nTwo.\n";
    let result = merged(&[
        ("alice", None),
        ("bob", Some(alice)),
        ("carol", Some(alice)),
    ]);
    assert_eq!(result.conflicts, 2);
    assert!(
        result
            .text
            .starts_with("<<<<<<< alice\n======= bob\nOne.\n=======\nOne.\n>>>>>>> carol\n\n"),
        "{}",
        result.text
    );
}

#[test]
fn registries_merge_by_definition() {
    let alice = "@kim: Kim Jong Un\n  kind: person\n\n@us: United States\n  kind: country\n";
    let bob = "@kim: Kim Jong Un\n  kind: person\n  aliases: Kim\n\n@us: United States\n  kind: country\n";
    let result = merged(&[("alice", Some(alice)), ("bob", Some(bob))]);
    assert_eq!(
        result.text,
        "<<<<<<< alice\n@kim: Kim Jong Un\n  kind: person\n=======\n@kim: Kim Jong Un\n  kind: person\n  aliases: Kim\n>>>>>>> bob\n\n@us: United States\n  kind: country\n"
    );
}

#[test]
fn front_matter_is_the_first_versions_and_a_difference_is_said() {
    let result = merged(&[
        ("alice", Some("---\ntitle: A\n---\nText.\n")),
        ("bob", Some("---\ntitle: B\n---\nText.\n")),
    ]);
    assert_eq!(result.text, "---\ntitle: A\n---\nText.\n");
    assert_eq!(result.front_matter_differs, [1]);
}
