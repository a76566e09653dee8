//! `newsmark agree` on three annotators' versions of a small corpus, with
//! planted agreements and disagreements, through the real binary.

use std::path::Path;

use serde_json::Value;

use crate::support::{newsmark, run};

const REGISTRY: &str = "@lavrov: Sergey Lavrov\n  kind: person\n@kim: Kim Jong Un\n  kind: person\n@us: United States\n  kind: country\n@kirby: John Kirby\n  kind: person\n";

/// Three annotators: bob leaves Kim untagged and credits another source;
/// carol changed two words of the text; only alice has `extra.nmk`.
fn corpus() -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    let versions = [
        (
            "alice",
            "[Lavrov]@lavrov met [Kim]@kim. {Munitions were shipped | @us}.\n",
        ),
        (
            "bob",
            "[Lavrov]@lavrov met Kim. {Munitions were shipped | @kirby}.\n",
        ),
        (
            "carol",
            "[Lavrov]@lavrov met with [Kim]@kim. {Munitions shipped | @us}.\n",
        ),
    ];
    for (annotator, article) in versions {
        let root = folder.path().join(annotator);
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("registry.nmk"), REGISTRY).unwrap();
        std::fs::write(root.join("a.nmk"), article).unwrap();
    }
    std::fs::write(folder.path().join("alice/extra.nmk"), "Only [Kim]@kim.\n").unwrap();
    folder
}

fn agree(folder: &Path, args: &[&str]) -> (i32, String) {
    run(newsmark(folder).arg("agree").args(args))
}

/// (a, b, exact matches, overlap matches) of `label` in `pair`.
fn counts(pair: &Value, label: &str) -> (u64, u64, u64, u64) {
    let m = &pair["labels"][label];
    let n = |key: &str| m[key].as_u64().unwrap();
    (n("a"), n("b"), n("exact_matches"), n("overlap_matches"))
}

/// The document of `pair` at `path`.
fn document<'p>(pair: &'p Value, path: &str) -> &'p Value {
    (pair["documents"].as_array().unwrap().iter())
        .find(|d| d["path"] == path)
        .unwrap()
}

#[test]
fn pairs_of_annotators_per_label_with_text_mismatches_and_missing_articles() {
    let folder = corpus();
    let (code, out) = agree(
        folder.path(),
        &["alice", "bob", "carol", "--format", "json"],
    );
    assert_eq!(code, 0, "{out}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        report["annotators"],
        serde_json::json!(["alice", "bob", "carol"])
    );
    let pairs = report["pairs"].as_array().unwrap();
    let names: Vec<(&str, &str)> = pairs
        .iter()
        .map(|p| (p["a"].as_str().unwrap(), p["b"].as_str().unwrap()))
        .collect();
    assert_eq!(
        names,
        [("alice", "bob"), ("alice", "carol"), ("bob", "carol")]
    );

    let (alice_bob, alice_carol) = (&pairs[0], &pairs[1]);
    // Alice's Kim in extra.nmk, which bob lacks, counts unmatched.
    assert_eq!(counts(alice_bob, "mention:person"), (3, 1, 1, 1));
    assert_eq!(counts(alice_bob, "claim"), (1, 1, 1, 1));
    // The same claim, another source: no match.
    assert_eq!(counts(alice_bob, "source"), (1, 1, 0, 0));
    assert_eq!(alice_bob["overall"]["overlap"]["recall"], 0.4);
    // Weakest first: the article bob lacks.
    assert_eq!(alice_bob["documents"][0]["path"], "extra.nmk");
    assert_eq!(alice_bob["documents"][0]["overall"]["overlap"]["f1"], 0.0);
    assert!(document(alice_bob, "a.nmk")["text_mismatch"].is_null());

    // Carol's text differs ("with" added, "were" gone): aligned on
    // alice's, her marks fall where alice's are.
    assert_eq!(counts(alice_carol, "mention:person"), (3, 2, 2, 2));
    assert_eq!(counts(alice_carol, "claim"), (1, 1, 1, 1));
    assert_eq!(counts(alice_carol, "source"), (1, 1, 1, 1));
    assert_eq!(
        document(alice_carol, "a.nmk")["text_mismatch"],
        serde_json::json!({ "line": 1, "column": 12 })
    );
    assert_eq!(
        report["missing"],
        serde_json::json!([{ "path": "extra.nmk", "missing_from": ["bob", "carol"] }])
    );
}

/// An article two versions share byte for byte is read once and rated
/// through a shortcut: it must measure exactly as the same article with
/// other bytes (CRLF line ends) but the same text and marks.
#[test]
fn a_shared_article_measures_as_the_same_article_written_differently() {
    let shared = "[Lavrov]@lavrov met [Kim]@kim.\n{Munitions were shipped | @us} and\n{more, [Kim]@kim said | @kim}.\n";
    let reports: Vec<String> = [shared.to_owned(), shared.replace('\n', "\r\n")]
        .into_iter()
        .map(|bobs| {
            let folder = corpus();
            std::fs::write(folder.path().join("alice/a.nmk"), shared).unwrap();
            std::fs::write(folder.path().join("bob/a.nmk"), bobs).unwrap();
            // Disagreement elsewhere, so that the corpus measures count
            // the shared article's words.
            for (annotator, other) in [("alice", "[Kim]@kim left."), ("bob", "Kim left.")] {
                std::fs::write(folder.path().join(annotator).join("b.nmk"), other).unwrap();
            }
            let (code, out) = agree(folder.path(), &["alice", "bob", "--format", "json"]);
            assert_eq!(code, 0, "{out}");
            out
        })
        .collect();
    let report: Value = serde_json::from_str(&reports[0]).unwrap();
    let kinds = &document(&report["pairs"][0], "a.nmk")["kinds"];
    assert_eq!(kinds["claim"]["cohen_kappa"], 1.0, "{kinds}");
    assert_eq!(reports[0], reports[1]);
}

#[test]
fn the_table_puts_the_weakest_first_and_fail_under_fails_ci() {
    let folder = corpus();
    let (code, out) = agree(folder.path(), &["alice", "bob"]);
    assert_eq!(code, 0, "{out}");
    let rows: Vec<&str> = out.lines().filter(|l| l.starts_with("  ")).collect();
    assert!(rows[1].trim_start().starts_with("source "), "{out}");
    assert!(out.contains("extra.nmk is missing from bob"), "{out}");
    let (code, _) = agree(folder.path(), &["alice", "bob", "--fail-under", "0.9"]);
    assert_eq!(code, 1);
    let (code, _) = agree(folder.path(), &["alice", "bob", "--fail-under", "0.5"]);
    assert_eq!(code, 0);
}

#[test]
fn stances_agree_on_the_claim_they_are_about_whatever_its_label() {
    let folder = tempfile::tempdir().unwrap();
    for (annotator, article) in [
        (
            "alice",
            "{Shipped | @us}#a and {False | @kirby denies #a}.\n",
        ),
        (
            "bob",
            "Then {Shipped | @us}#shipments and {False | @kirby denies #shipments}.\n",
        ),
    ] {
        let root = folder.path().join(annotator);
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("registry.nmk"), REGISTRY).unwrap();
        std::fs::write(root.join("a.nmk"), article).unwrap();
    }
    let (code, out) = agree(folder.path(), &["alice", "bob", "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let pair = &report["pairs"][0];
    assert_eq!(counts(pair, "stance"), (1, 1, 1, 1));
    assert!(!pair["documents"][0]["text_mismatch"].is_null());
    let (code, _) = agree(folder.path(), &["alice", "bob", "--fail-under", "1.5"]);
    assert_eq!(code, 2);
}

fn annotators() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/annotators")
}

/// Each disagreement is a finding at its place in each annotator's file,
/// as GitHub annotations and as SARIF results.
#[test]
fn disagreements_as_findings_in_every_annotators_file() {
    let (code, github) = agree(
        &annotators(),
        &["alice", "bob", "carol", "--format", "github"],
    );
    assert_eq!(code, 0, "{github}");
    insta::assert_snapshot!("annotators_github", github);
    for format in ["table", "json", "sarif"] {
        let (code, out) = agree(
            &annotators(),
            &["alice", "bob", "carol", "--format", format],
        );
        assert_eq!(code, 0, "{out}");
        insta::assert_snapshot!(format!("annotators_{format}"), out);
    }
    let (code, sarif) = agree(
        &annotators(),
        &["alice", "bob", "carol", "--format", "sarif"],
    );
    assert_eq!(code, 0);
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), github.lines().count());
    let in_file = |uri: &str, rule: &str| {
        results
            .iter()
            .filter(|r| r["ruleId"] == rule)
            .filter(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri)
            .count()
    };
    let carol_crlf = "tests/fixtures/annotators/carol/articles/kirby-containers.nmk";
    assert_eq!(
        in_file(carol_crlf, "text-mismatch"),
        2,
        "one for alice, one for bob"
    );
    let stance = results
        .iter()
        .find(|r| r["message"]["text"] == "stance changed: denies in alice, disputes in carol")
        .unwrap();
    let region = &stance["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (&region["startLine"], &region["startColumn"]),
        (&Value::from(32), &Value::from(59))
    );
}

/// Article text is untrusted: it reaches annotations only escaped.
#[test]
fn hostile_text_cannot_forge_annotations() {
    let folder = tempfile::tempdir().unwrap();
    for (annotator, article) in [
        ("alice", "The {x::error file=a::pwned%0A\x1b[31m | @us}.\n"),
        ("bob", "{The x::error file=a::pwned%0A\x1b[31m | @us}.\n"),
    ] {
        let root = folder.path().join(annotator);
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("registry.nmk"), REGISTRY).unwrap();
        std::fs::write(root.join("a.nmk"), article).unwrap();
    }
    let (_, github) = agree(folder.path(), &["alice", "bob", "--format", "github"]);
    assert!(
        github.lines().all(|l| l.starts_with("::warning file=")),
        "{github}"
    );
    assert!(
        !github.contains('\x1b') && !github.contains("%0A\\"),
        "{github}"
    );
    assert!(github.contains("pwned%250A"), "{github}");
}

#[test]
fn chance_corrected_measures_on_words_per_pair_and_across_all() {
    let folder = corpus();
    let (code, out) = agree(
        folder.path(),
        &["alice", "bob", "carol", "--format", "json"],
    );
    assert_eq!(code, 0, "{out}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let close = |value: &Value, expected: f64| {
        let value = value.as_f64().unwrap();
        assert!(
            (value - expected).abs() < 1e-12,
            "{value} is not {expected}"
        );
    };
    // a.nmk's six words (extra.nmk is alice's only): "Lavrov met Kim
    // Munitions were shipped", Kim a person to alice and carol, nothing
    // to bob. Carol's words are aligned on alice's.
    let alice_bob = &report["pairs"][0];
    assert_eq!(alice_bob["kinds"]["mention"]["words"], 6);
    close(&alice_bob["kinds"]["mention"]["cohen_kappa"], 4.0 / 7.0);
    close(&report["pairs"][1]["kinds"]["mention"]["cohen_kappa"], 1.0);
    close(
        &document(alice_bob, "a.nmk")["kinds"]["mention"]["cohen_kappa"],
        4.0 / 7.0,
    );
    assert_eq!(
        document(alice_bob, "extra.nmk")["kinds"],
        serde_json::json!({})
    );
    let all = &report["all"]["kinds"];
    close(&all["mention"]["fleiss_kappa"], 47.0 / 65.0);
    close(&all["mention"]["alpha"], 96.0 / 130.0);
    close(&all["claim"]["alpha_u"], 1.0);
    assert!(all["mention"]["alpha_u"].as_f64().unwrap() < 1.0);
    assert_eq!(report["all"]["documents"][0]["path"], "a.nmk");
    assert_eq!(
        report["all"]["documents"][0]["annotators"],
        serde_json::json!(["alice", "bob", "carol"])
    );

    // The table: per pair, per kind, and the annotator matrices.
    let (_, table) = agree(folder.path(), &["alice", "bob", "carol"]);
    assert!(
        table.contains("  mention                      6     0.723   0.738"),
        "{table}"
    );
    assert!(table.contains("  Cohen κ, mention\n"), "{table}");
    assert!(table.contains("  bob     0.571  1.000  0.571\n"), "{table}");

    let fails = |bar: &str| {
        agree(
            folder.path(),
            &["alice", "bob", "carol", "--fail-under", bar],
        )
        .0
    };
    assert_eq!(fails("alpha=0.7"), 1); // source: α 0.485
    assert_eq!(fails("alpha=0.4"), 0);
    assert_eq!(fails("kappa=0.34"), 1); // source: κ 1/3 for alice and bob
    assert_eq!(fails("fleiss=0.4"), 0);
    assert_eq!(fails("alpha_u=-1"), 1); // source: αu −1.18, it can go below −1
    assert_eq!(fails("f1=0.9"), 1);
    assert_eq!(fails("beta=0.5"), 2);
    assert_eq!(fails("alpha=-1.5"), 2);
}

#[test]
fn words_are_unicode_words_in_any_script() {
    let folder = tempfile::tempdir().unwrap();
    let registry = "@choe: Choe Son Hui\r\n  kind: person\r\n@lavrov: Лавров\r\n  kind: person\r\n";
    for (annotator, article) in [
        ("a", "[최선희]@choe met\r[Лавров]@lavrov 😀 today.\r\n"),
        ("b", "최선희 met\r[Лавров]@lavrov 😀 today.\r\n"),
    ] {
        let root = folder.path().join(annotator);
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("registry.nmk"), registry).unwrap();
        std::fs::write(root.join("x.nmk"), article).unwrap();
    }
    let (code, out) = agree(folder.path(), &["a", "b", "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let report: Value = serde_json::from_str(&out).unwrap();
    // Four words (the emoji is none): person, none, person, none against
    // none, none, person, none; κ = (3/4 − 1/2) / (1 − 1/2).
    let mention = &report["pairs"][0]["kinds"]["mention"];
    assert_eq!(mention["words"], 4);
    assert_eq!(mention["cohen_kappa"], 0.5);
}
