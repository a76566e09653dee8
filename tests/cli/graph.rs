//! `newsmark graph`: the attribution graph as JSON and as Graphviz DOT.

use insta_cmd::assert_cmd_snapshot;

use crate::support::{fixture, newsmark, run};

#[test]
fn json() {
    assert_cmd_snapshot!(newsmark(&fixture("workspace")).args(["graph"]));
}

#[test]
fn dot() {
    assert_cmd_snapshot!(newsmark(&fixture("workspace")).args(["graph", "--format", "dot"]));
}

#[test]
fn json_answers_the_attribution_questions() {
    let (code, out) = run(newsmark(&fixture("workspace")).args(["graph"]));
    assert_eq!(code, 0);
    let graph: serde_json::Value = serde_json::from_str(&out).unwrap();
    for key in [
        "entities",
        "claims",
        "claims_per_source",
        "single_source_claims",
        "unsourced_claims",
        "anonymous_sources",
        "undefined_sources",
    ] {
        assert!(graph.get(key).is_some(), "missing {key}: {graph}");
    }
    let claims = graph["claims"].as_array().unwrap();
    for index in graph["unsourced_claims"].as_array().unwrap() {
        assert!(
            claims[index.as_u64().unwrap() as usize]["sources"]
                .as_array()
                .unwrap()
                .is_empty()
        );
    }
    for index in graph["single_source_claims"].as_array().unwrap() {
        assert_eq!(
            claims[index.as_u64().unwrap() as usize]["sources"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
    }
}
