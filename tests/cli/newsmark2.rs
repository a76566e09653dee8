//! The failures the Newsmark 2 issue found when real wire stories were
//! annotated with version 1, one test per failure, through the real binary.

use std::path::Path;

use serde_json::Value;

use crate::support::{newsmark, run};

/// A workspace of `files` in a temporary folder.
fn workspace(files: &[(&str, &str)]) -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    for (path, text) in files {
        std::fs::write(folder.path().join(path), text).unwrap();
    }
    folder
}

/// `newsmark check --output-format concise` on `folder`: exit code and
/// output lines.
fn check(folder: &Path) -> (i32, Vec<String>) {
    let (code, out) =
        run(newsmark(folder).args(["check", "--no-cache", "--output-format", "concise", "."]));
    (
        code,
        out.lines()
            .map(str::to_owned)
            .filter(|l| l.contains(": "))
            .collect(),
    )
}

/// The export of `article.nmk` (its JSON line).
fn exported(folder: &Path) -> Value {
    let (code, out) =
        run(newsmark(folder).args(["export", "--format", "jsonl", "--out", "-", "article.nmk"]));
    assert_eq!(code, 0, "{out}");
    serde_json::from_str(out.lines().next().unwrap()).unwrap()
}

/// The exported plain text of `article.nmk` (JSON lines).
fn exported_text(folder: &Path) -> String {
    exported(folder)["text"].as_str().unwrap().to_owned()
}

/// Each exported claim of `article.nmk`: its text, quote kind, quoted
/// words and the texts of the later parts folded into it.
fn quotes(folder: &Path) -> Vec<(String, String, Vec<String>, Vec<String>)> {
    let texts = |claim: &Value, key: &str| -> Vec<String> {
        (claim[key].as_array().into_iter().flatten())
            .map(|span| span["text"].as_str().unwrap().to_owned())
            .collect()
    };
    (exported(folder)["claims"].as_array().unwrap().iter())
        .map(|claim| {
            (
                claim["text"].as_str().unwrap().to_owned(),
                claim["quote_kind"].as_str().unwrap_or("none").to_owned(),
                texts(claim, "fragments"),
                texts(claim, "parts"),
            )
        })
        .collect()
}

/// `newsmark stats --format json`: the corpus's claims, direct and
/// partial quotes.
fn quote_counts(folder: &Path) -> (u64, u64, u64) {
    let (code, out) = run(newsmark(folder).args(["stats", "--format", "json", "."]));
    assert_eq!(code, 0, "{out}");
    let stats: Value = serde_json::from_str(&out).unwrap();
    let corpus = &stats["corpus"];
    let count = |key: &str| corpus[key].as_u64().unwrap();
    (count("claims"), count("quotes"), count("partial_quotes"))
}

fn owned(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

const REGISTRY: &str = "@us: United States\n  kind: country\n\n@jon: Jon\n  kind: person\n\n@kcna: KCNA\n  kind: outlet\n\n@south-korea: South Korea\n  kind: country\n\n@lavrov: Sergey Lavrov\n  kind: person\n\n@rubio: Marco Rubio\n  kind: person\n";

#[test]
fn a_source_chain_is_one_sourced_claim_with_its_conduit() {
    let folder = workspace(&[
        ("registry.nmk", REGISTRY),
        (
            "article.nmk",
            "{The launch succeeded | @jon via @kcna}, [Jon]@jon said.\n",
        ),
    ]);
    assert_eq!(check(folder.path()), (0, vec![]));
    assert_eq!(
        exported_text(folder.path()),
        "The launch succeeded, Jon said.\n"
    );
}

#[test]
fn a_denial_links_to_the_labelled_claim() {
    let folder = workspace(&[
        ("registry.nmk", REGISTRY),
        (
            "article.nmk",
            "{North Korea supplied munitions | @kcna}#munitions; Seoul said {the report is groundless | @south-korea denies #munitions}.\n\n{Also wrong | @south-korea denies #munition}\n",
        ),
    ]);
    let (code, lines) = check(folder.path());
    assert_eq!(code, 1);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("error[unknown-label]")
            && lines[0].contains("did you mean `#munitions`?"),
        "{lines:?}"
    );
}

#[test]
fn a_hedge_cue_is_marked_and_read_as_plain_words() {
    let folder = workspace(&[
        ("registry.nmk", REGISTRY),
        (
            "article.nmk",
            "{North Korea ~[allegedly] supplied munitions | @us}.\n",
        ),
    ]);
    assert_eq!(check(folder.path()), (0, vec![]));
    assert_eq!(
        exported_text(folder.path()),
        "North Korea allegedly supplied munitions.\n"
    );
}

#[test]
fn an_escape_ends_an_id_and_exports_without_the_backslash() {
    let folder = workspace(&[
        ("registry.nmk", REGISTRY),
        ("article.nmk", "A [U.S.]@us\\-led coalition.\n"),
    ]);
    assert_eq!(check(folder.path()), (0, vec![]));
    assert_eq!(exported_text(folder.path()), "A U.S.-led coalition.\n");
}

#[test]
fn a_mention_of_two_entities_names_both() {
    let folder = workspace(&[
        ("registry.nmk", REGISTRY),
        ("article.nmk", "[The two ministers]@lavrov+@rubio met.\n"),
    ]);
    assert_eq!(check(folder.path()), (0, vec![]));
    assert_eq!(exported_text(folder.path()), "The two ministers met.\n");
    let export = exported(folder.path());
    let mentions: Vec<(&str, &str)> = (export["mentions"].as_array().unwrap().iter())
        .map(|m| (m["id"].as_str().unwrap(), m["text"].as_str().unwrap()))
        .collect();
    assert_eq!(
        mentions,
        [
            ("lavrov", "The two ministers"),
            ("rubio", "The two ministers")
        ]
    );
}

#[test]
fn ids_typed_with_combining_accents_are_the_same_entity() {
    let folder = workspace(&[
        ("registry.nmk", "@josé: José Ramos\n  kind: person\n"),
        ("article.nmk", "[Ramos]@jose\u{301} spoke; so did @josé.\n"),
    ]);
    assert_eq!(check(folder.path()), (0, vec![]));
    let export = exported(folder.path());
    let ids: Vec<&str> = (export["mentions"].as_array().unwrap().iter())
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["josé", "josé"]);
    assert_eq!(export["text"], "Ramos spoke; so did @josé.\n");
}

#[test]
fn cyrillic_ids_are_ids() {
    let folder = workspace(&[
        (
            "registry.nmk",
            "@захарова: Мария Захарова\n  kind: person\n",
        ),
        ("article.nmk", "[Захарова]@захарова заявила.\n"),
    ]);
    assert_eq!(check(folder.path()), (0, vec![]));
}

#[test]
fn url_values_are_literal_and_a_definition_may_leave_out_its_name() {
    let folder = workspace(&[
        (
            "registry.nmk",
            "@mfa: Russian Foreign Ministry\n  kind: org\n  url: https://www.youtube.com/@MFARussia/videos\n\n@src-1:\n  kind: anonymous\n",
        ),
        (
            "article.nmk",
            "{It was agreed | @src-1} and [the ministry]@mfa confirmed.\n",
        ),
    ]);
    assert_eq!(check(folder.path()), (0, vec![]));
}

#[test]
fn a_russian_split_quote_is_one_direct_quote_counted_once() {
    let folder = workspace(&[
        ("registry.nmk", REGISTRY),
        (
            "article.nmk",
            "{«Нельзя отложить то, | @lavrov} — сказал он — {о чём не договаривались» | @lavrov}.\n",
        ),
    ]);
    assert_eq!(check(folder.path()), (0, vec![]));
    assert_eq!(
        quotes(folder.path()),
        [(
            "«Нельзя отложить то,".to_owned(),
            "direct".to_owned(),
            owned(&["Нельзя отложить то,", "о чём не договаривались"]),
            owned(&["о чём не договаривались»"]),
        )]
    );
    assert_eq!(quote_counts(folder.path()), (1, 1, 0));
}

#[test]
fn a_speech_tag_inside_a_quote_is_not_quoted() {
    let folder = workspace(&[
        ("registry.nmk", REGISTRY),
        (
            "article.nmk",
            "{“strategic,” he said, “and historic” | @lavrov}\n",
        ),
    ]);
    let found = quotes(folder.path());
    assert_eq!(found[0].1, "direct");
    assert_eq!(found[0].2, owned(&["strategic,", "and historic"]));
}

#[test]
fn every_quotation_mark_style_and_the_dialogue_dash_make_a_direct_quote() {
    let folder = workspace(&[
        ("registry.nmk", REGISTRY),
        (
            "article.nmk",
            "— {Мы готовы к диалогу | @lavrov}\n\n{「合作」 | @us} {《协议》 | @us} {‹oui› | @us} {»Ja« | @us} {\"strategic\". | @us}\n",
        ),
    ]);
    let found: Vec<(String, Vec<String>)> = (quotes(folder.path()).into_iter())
        .map(|(_, kind, fragments, _)| (kind, fragments))
        .collect();
    let direct = |words: &str| ("direct".to_owned(), owned(&[words]));
    assert_eq!(
        found,
        [
            direct("Мы готовы к диалогу"),
            direct("合作"),
            direct("协议"),
            direct("oui"),
            direct("Ja"),
            direct("strategic"),
        ]
    );
}

#[test]
fn a_quote_over_two_paragraphs_is_one_quotation() {
    let folder = workspace(&[
        ("registry.nmk", REGISTRY),
        (
            "article.nmk",
            "{“The first paragraph. | @jon}\n\n{“The second paragraph.” | @jon}\n",
        ),
    ]);
    assert_eq!(check(folder.path()), (0, vec![]));
    assert_eq!(
        quotes(folder.path()),
        [(
            "“The first paragraph.".to_owned(),
            "direct".to_owned(),
            owned(&["The first paragraph.", "The second paragraph."]),
            owned(&["“The second paragraph.”"]),
        )]
    );
    assert_eq!(quote_counts(folder.path()), (1, 1, 0));
}

#[test]
fn a_partial_quote_keeps_its_quoted_words() {
    let folder = workspace(&[
        ("registry.nmk", REGISTRY),
        (
            "article.nmk",
            "{it will \"fully reconsider\" the issue | @kcna}\n",
        ),
    ]);
    let found = quotes(folder.path());
    assert_eq!(found[0].1, "partial");
    assert_eq!(found[0].2, owned(&["fully reconsider"]));
    assert_eq!(quote_counts(folder.path()), (1, 0, 1));
}

#[test]
fn ids_joined_with_a_comma_are_a_finding() {
    let folder = workspace(&[
        ("registry.nmk", REGISTRY),
        ("article.nmk", "[The diplomats]@lavrov,@rubio met.\n"),
    ]);
    let (code, lines) = check(folder.path());
    assert_eq!(code, 1);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("article.nmk:1:23: warning[comma-joined-ids]")
            && lines[0].contains("`@lavrov+@rubio`"),
        "{lines:?}"
    );
}

#[test]
fn an_unclosed_quote_joins_no_quote_two_paragraphs_later() {
    let folder = workspace(&[
        ("registry.nmk", REGISTRY),
        (
            "article.nmk",
            "{“We will respond | @jon}\n\nOther news.\n\n{“Later words.” | @jon}\n",
        ),
    ]);
    let texts: Vec<String> = quotes(folder.path()).into_iter().map(|q| q.0).collect();
    assert_eq!(texts, ["“We will respond", "“Later words.”"]);
    assert_eq!(quote_counts(folder.path()).0, 2);
}
