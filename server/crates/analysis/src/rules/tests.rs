//! Every rule, on fixtures whose `^^^ severity[code]` lines say exactly
//! which findings each file must get.

use crate::fixture;
use crate::rules::{diagnostics, diagnostics_of};
use crate::{FileEntry, FileId, PreparedFile, Workspace};
use newsmark_syntax::SyntaxTree;
use newsmark_syntax::position::first_line_len;

/// Checks that the diagnostics of every file are exactly the marked ones.
/// A finding that spans lines is marked on its first line.
#[track_caller]
fn check(text: &str) {
    let fixture = fixture::parse(text);
    let mut expected: Vec<(String, (usize, usize), String)> = fixture
        .marks
        .iter()
        .map(|(file, range, label)| {
            (
                fixture.ws.path(*file).to_owned(),
                (range.start, range.end),
                label.clone(),
            )
        })
        .collect();
    let mut actual = Vec::new();
    for (file, entry) in fixture.ws.files() {
        let text = &entry.text();
        for d in diagnostics(&fixture.ws, file) {
            let line_end = d.range.start + first_line_len(&text[d.range.start..]);
            let shown = (d.range.start, d.range.end.min(line_end));
            actual.push((
                entry.path.to_string(),
                shown,
                format!("{}[{}]", d.severity.as_str(), d.code.as_str()),
            ));
        }
    }
    expected.sort();
    actual.sort();
    assert_eq!(actual, expected);
    assert_outlines_agree(&fixture.ws);
    assert_open_documents_agree(&fixture.ws);
}

/// The editor's way gives the same findings: each file in turn as an
/// open document, whose uses the workspace counts instead of indexing.
#[track_caller]
fn assert_open_documents_agree(ws: &Workspace) {
    for (file, entry) in ws.files() {
        let mut open = ws.clone();
        open.set_summary(&entry.path, entry.text(), entry.summary.clone());
        let reopened = open.file(&entry.path).expect("still in the workspace");
        assert_eq!(
            diagnostics(&open, reopened),
            diagnostics(ws, file),
            "{}",
            entry.path
        );
    }
}

/// The linter's way gives the same findings: a workspace of outlines,
/// each file checked from its full entry.
#[track_caller]
fn assert_outlines_agree(ws: &Workspace) {
    let mut outlined = Workspace::new(ws.config().clone());
    outlined.set_root(ws.root());
    let outlines = ws.files().map(|(_, entry)| {
        let summary = (*entry.summary).clone();
        (
            entry.path.clone(),
            PreparedFile::outline(&entry.text(), summary),
        )
    });
    let files: Vec<FileId> = outlined.add_all(outlines).iter().map(|u| u.file).collect();
    for ((full, entry), outline) in ws.files().zip(files) {
        let alone = FileEntry::new(&entry.path, entry.text(), (*entry.summary).clone());
        assert_eq!(
            diagnostics_of(&outlined, outline, &alone),
            diagnostics(ws, full),
            "{}",
            entry.path
        );
    }
}

#[test]
fn another_version_of_an_open_document_is_checked_on_its_own_ids() {
    // The counts of ids kept for the open version must not answer for
    // another version of the file checked beside it.
    let summary = |text: &str| crate::FileSummary::from_tree(&SyntaxTree::parse(text));
    let mut ws = Workspace::default();
    ws.set_file("r.nmk", "@a: A\n".into());
    let open = "[A]@a and @x.\n";
    ws.set_summary("a.nmk", open.into(), summary(open));
    let other = "[A]@a and @y.\n";
    let entry = FileEntry::new("a.nmk", other.into(), summary(other));
    let undefined: Vec<String> = diagnostics_of(&ws, ws.file("a.nmk").unwrap(), &entry)
        .into_iter()
        .filter(|d| d.code == crate::Code::UndefinedEntity)
        .map(|d| d.message.into_owned())
        .collect();
    assert_eq!(undefined.len(), 1, "{undefined:?}");
    assert!(
        undefined[0].starts_with("`@y` is not defined"),
        "{undefined:?}"
    );
}

#[test]
fn unsourced_claim() {
    check(
        r#"
//- a.nmk
{North Korea supplied munitions | @us} and {an unsourced claim}.
                                           ^^^^^^^^^^^^^^^^^^^^ warning[unsourced-claim]
{Nested {inner unsourced} | @us}
        ^^^^^^^^^^^^^^^^^ warning[unsourced-claim]
{A claim
^^^^^^^^ warning[unsourced-claim]
over two lines}
//- b.nmk
@us: United States
  kind: country
"#,
    );
}

#[test]
fn undefined_entity_suggests_nearest_ids() {
    let fixture = fixture::parse(
        "//- r.nmk\n@white-house: The White House\n  kind: org\n//- a.nmk\n{Shipped | @whitehouse} and [X]@nobody\n",
    );
    let article = fixture.file("a.nmk");
    let found = diagnostics(&fixture.ws, article);
    assert_eq!(found.len(), 2);
    assert_eq!(
        found[0].message,
        "`@whitehouse` is not defined in any file of the workspace; did you mean `@white-house`?"
    );
    assert_eq!(found[0].candidates, ["white-house"]);
    assert_eq!(found[0].related.len(), 1);
    assert_eq!(found[0].related[0].file, fixture.file("r.nmk"));
    assert_eq!(
        found[1].message,
        "`@nobody` is not defined in any file of the workspace"
    );
    check(
        r#"
//- r.nmk
@us: United States
^^^ hint[unused-entity]
  kind: country
//- a.nmk
{Shipped | @usa} [Washington]@usa @usa
           ^^^^ error[undefined-entity]
                             ^^^^ error[undefined-entity]
                                  ^^^^ error[undefined-entity]
"#,
    );
}

#[test]
fn duplicate_definition_in_two_files_points_at_the_other() {
    check(
        r#"
//- a.nmk
@kim: Kim Jong Un
^^^^ error[duplicate-definition]
  kind: person
//- b.nmk
@kim: Kim Yo Jong
^^^^ error[duplicate-definition]
  kind: person
//- c.nmk
@kim
"#,
    );
    let fixture = fixture::parse(
        "//- a.nmk\n@kim: A\n  kind: person\n//- b.nmk\n@kim: B\n  kind: person\n@kim\n",
    );
    let found = diagnostics(&fixture.ws, fixture.file("a.nmk"));
    assert_eq!(found[0].related[0].file, fixture.file("b.nmk"));
}

#[test]
fn thousands_of_copies_point_at_a_few_others_each() {
    // Pointing every copy at every other would be quadratic: 5,000
    // definitions of one id took gigabytes.
    let mut ws = crate::Workspace::new(crate::Config::default());
    let copies = "@kim: Kim\n  kind: person\n\n".repeat(5_000);
    let file = ws.set_file("r.nmk", copies.into()).file;
    let found: Vec<_> = diagnostics(&ws, file)
        .into_iter()
        .filter(|d| d.code.as_str() == "duplicate-definition")
        .collect();
    assert_eq!(found.len(), 5_000);
    assert!(
        found
            .iter()
            .all(|d| d.related.len() == crate::rules::MAX_RELATED)
    );
    assert_eq!(
        found[0].message,
        "`@kim` is defined 5000 times; every id must be defined once"
    );
    let mut ws = crate::Workspace::new(crate::Config::default());
    for index in 0..50 {
        let claim = format!("{{\"the same words\" | @source{index}}}\n");
        ws.set_file(&format!("a{index}.nmk"), claim.into());
    }
    let first = ws.file("a0.nmk").unwrap();
    let found = diagnostics(&ws, first);
    let conflict = found
        .iter()
        .find(|d| d.code.as_str() == "conflicting-attribution")
        .unwrap();
    assert_eq!(conflict.related.len(), crate::rules::MAX_RELATED);
    assert!(
        conflict.message.contains("in 49 place(s) in other files"),
        "{}",
        conflict.message
    );
}

#[test]
fn definition_properties() {
    check(
        r#"
//- r.nmk
@kcna: Korean Central News Agency
  kind: news-agency
        ^^^^^^^^^^^ warning[unknown-kind]
  alias: KCNA
  ^^^^^ warning[unknown-property]
  x-desk: Asia
  date: 2023-02-30
        ^^^^^^^^^^ warning[invalid-date]

@choe: Choe Son Hui
^^^^^ warning[missing-kind]
  role: Foreign Minister
  date: 2024-02-29

@unused: Nobody
^^^^^^^ hint[unused-entity]
  kind: person
//- a.nmk
---
title: T
date: 18/10/2023
      ^^^^^^^^^^ warning[invalid-date]
publisher: X
^^^^^^^^^ warning[unknown-property]
x-desk: Asia
---
@kcna @choe
"#,
    );
}

#[test]
fn empty_claims_and_mentions() {
    check(
        r#"
//- a.nmk
Said {} and { } and {| @x}; met []@x and [ ]@x.
     ^^ warning[empty-claim]
            ^^^ warning[empty-claim]
                    ^^^^^^ warning[empty-claim]
                                ^^^^ warning[empty-mention]
                                         ^^^^^ warning[empty-mention]
//- r.nmk
@x: X
  kind: person
"#,
    );
}

#[test]
fn untagged_mentions_in_prose_and_claims_only() {
    check(
        r#"
//- r.nmk
@north-korea: North Korea
  kind: country
  aliases: the North, 북한
//- a.nmk
---
title: Lavrov thanks North Korea
---
[North Korea]@north-korea thanked {North Korea | @north-korea}.
                                   ^^^^^^^^^^^ hint[untagged-mention]
%% North Korea in a comment is fine
Not in @north-korea or North Koreans; 북한은 yes.
                                      ^^ hint[untagged-mention]
"#,
    );
}

#[test]
fn untagged_mentions_of_inflected_names_and_at_a_sentence_start() {
    check(
        r#"
//- r.nmk
@lavrov: Сергей Лавров
  kind: person
  aliases: Лавров*
@ryabkov: Сергей Рябков
  kind: person
  aliases: Рябков*
@north-korea: North Korea
  kind: country
  aliases: the North
//- a.nmk
[Лавров]@lavrov, [Рябков]@ryabkov, [КНДР]@north-korea.
О Лаврове говорили, Рябкову звонили. ЛАВРОВ ответил.
  ^^^^^^^ hint[untagged-mention]
                    ^^^^^^^ hint[untagged-mention]
                                     ^^^^^^ hint[untagged-mention]
The North's media said the North. Then The North.
^^^^^^^^^ hint[untagged-mention]
                       ^^^^^^^^^ hint[untagged-mention]
"#,
    );
}

#[test]
fn ignore_directives_on_the_line_or_above() {
    check(
        r#"
//- a.nmk
{Unsourced on purpose} %% ignore: unsourced-claim
%% ignore: unsourced-claim, undefined-entity
{Also silenced @nobody}

{Still reported} %% ignore: empty-claim
^^^^^^^^^^^^^^^^ warning[unsourced-claim]
"#,
    );
}

#[test]
fn a_trailing_directive_on_any_line_of_a_finding_silences_it() {
    for header in ["//- a.nmk", "//- a.nmk crlf", "//- a.nmk cr"] {
        check(&TRAILING_DIRECTIVES.replace("//- a.nmk", header));
    }
}

const TRAILING_DIRECTIVES: &str = r#"
//- a.nmk
{Reported} and {a claim over
^^^^^^^^^^ warning[unsourced-claim]
two lines}, silenced at its end. %% ignore: unsourced-claim

{Silenced on its first line %% ignore: unsourced-claim
as well}.

{Reported: a directive alone on its line
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning[unsourced-claim]
%% ignore: unsourced-claim
applies to the next line only}.
"#;

#[test]
fn severities_come_from_the_config() {
    check(
        r#"
//- newsmark.toml
[severity]
unsourced-claim = "error"
undefined-entity = "off"
//- a.nmk
{Unsourced} @nobody
^^^^^^^^^^^ error[unsourced-claim]
"#,
    );
}

#[test]
fn syntax_errors_are_findings() {
    check(
        r#"
//- a.nmk
A stray } and @ok.
        ^ error[syntax]
              ^^^ error[undefined-entity]
"#,
    );
}

#[test]
fn positions_hold_with_hangul_emoji_and_crlf() {
    check(
        r#"
//- a.nmk crlf
🎉 [최선희]@choe 외무상은 {불패의 관계}
                  ^^^^^^^^ warning[unsourced-claim]
//- r.nmk
@choe: 최선희
  kind: person
"#,
    );
}

#[test]
fn conflicting_attribution_across_articles() {
    check(
        r#"
//- r.nmk
@choe: Choe
  kind: person
@kim: Kim
  kind: person
//- a.nmk
{"unbreakable  comradely relationship" | @choe}
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning[conflicting-attribution]
//- b.nmk
{“unbreakable comradely relationship” | @kim}
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning[conflicting-attribution]
//- c.nmk
{"unbreakable comradely relationship" | @choe} {"unbreakable comradely relationship"}
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning[conflicting-attribution]
                                               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning[unsourced-claim]
"#,
    );
    let fixture = fixture::parse(
        "//- a.nmk
{\"q\" | @x}
//- b.nmk
{\"q\" | @y}
",
    );
    let found = diagnostics(&fixture.ws, fixture.file("a.nmk"));
    let conflict = found
        .iter()
        .find(|d| d.code == crate::Code::ConflictingAttribution)
        .unwrap();
    assert_eq!(conflict.related.len(), 1);
    assert_eq!(conflict.related[0].file, fixture.file("b.nmk"));
    assert_eq!(conflict.related[0].message, "attributed to `@y` in `b.nmk`");
}

#[test]
fn conflicting_attribution_within_one_article() {
    check(
        r#"
//- r.nmk
@lavrov: Lavrov
  kind: person
@zakharova: Zakharova
  kind: person
//- a.nmk
{"We will respond" | @lavrov}, he said.
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning[conflicting-attribution]
Later: {«We will respond» | @zakharova}. Again: {"We will respond" | @lavrov}.
       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning[conflicting-attribution]
                                                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning[conflicting-attribution]
"#,
    );
    let fixture = fixture::parse("//- a.nmk\n{\"q\" | @x} {\"q\" | @y}\n//- b.nmk\n{\"q\" | @z}\n");
    let found = diagnostics(&fixture.ws, fixture.file("a.nmk"));
    let conflict = (found.iter())
        .find(|d| d.code == crate::Code::ConflictingAttribution)
        .unwrap();
    assert_eq!(
        conflict.message,
        "this quote is attributed to `@x` here but to other sources elsewhere in this file and in 1 place(s) in other files"
    );
    let related: Vec<&str> = conflict.related.iter().map(|r| &*r.message).collect();
    assert_eq!(
        related,
        [
            "attributed to `@y` elsewhere in this file",
            "attributed to `@z` in `b.nmk`"
        ]
    );
}

#[test]
fn conflicting_attribution_relates_other_files_in_file_order_whatever_their_sources() {
    let fixture = fixture::parse(
        "//- a.nmk\n{\"q\" | @x}\n//- b.nmk\n{\"q\" | @y}\n//- c.nmk\n{\"q\" | @z} {\"q\" | @y}\n//- d.nmk\n{\"q\" | @x}\n//- e.nmk\n{\"q\" | @y}\n",
    );
    let found = diagnostics(&fixture.ws, fixture.file("a.nmk"));
    let conflict = (found.iter())
        .find(|d| d.code == crate::Code::ConflictingAttribution)
        .unwrap();
    assert!(
        conflict.message.ends_with("in 4 place(s) in other files"),
        "{}",
        conflict.message
    );
    let related: Vec<&str> = conflict.related.iter().map(|r| &*r.message).collect();
    assert_eq!(
        related,
        [
            "attributed to `@y` in `b.nmk`",
            "attributed to `@z` in `c.nmk`",
            "attributed to `@y` in `c.nmk`",
            "attributed to `@y` in `e.nmk`",
        ]
    );
}

#[test]
fn conflicting_attribution_follows_edits_of_the_other_file() {
    let mut fixture = fixture::parse("//- a.nmk\n{\"q\" | @x}\n//- b.nmk\n{\"q\" | @x}\n");
    let a = fixture.file("a.nmk");
    let conflicts = |ws: &crate::Workspace| {
        diagnostics(ws, a)
            .iter()
            .filter(|d| d.code == crate::Code::ConflictingAttribution)
            .count()
    };
    assert_eq!(conflicts(&fixture.ws), 0);
    let update = fixture.ws.set_file("b.nmk", "{\"q\" | @y}\n".into());
    assert!(update.affects_other_files);
    assert_eq!(conflicts(&fixture.ws), 1);
    fixture.ws.set_file("b.nmk", "{\"q\" | @x}\n".into());
    assert_eq!(conflicts(&fixture.ws), 0);
}

#[test]
fn reviews() {
    check(
        r#"
//- r.nmk
@kcna: KCNA
  kind: outlet

@factcheck: Fact Check
  kind: org
//- a.nmk
---
review: #munitions Mostly false 2/5 @factcheck 2023-10-20 https://f.example/m
review: #munition False @factcheck
        ^^^^^^^^^ error[unknown-label]
review: #munitions False @factcheck 2023-10-32
                                    ^^^^^^^^^^ warning[invalid-review]
review: False @factcheck
        ^^^^^^^^^^^^^^^^ warning[invalid-review]
review: #munitions False @nobody
                         ^^^^^^^ error[undefined-entity]
x-review: anything
---

{Munitions were shipped | @kcna}#munitions.
"#,
    );
}

#[test]
fn labels_and_stances() {
    check(
        r#"
//- r.nmk
@kcna: KCNA
  kind: outlet

@seoul: Seoul
  kind: country
//- a.nmk
{Munitions were shipped | @kcna}#munitions and {False | @seoul denies #munitions}.
{Not so | @seoul confirms #munition}.
                          ^^^^^^^^^ error[unknown-label]
{Talks resume | @kcna}#talks and {Talks are over | @kcna}#talks.
                      ^^^^^^ error[duplicate-label]
                                                         ^^^^^^ error[duplicate-label]
{It is false | @seoul disputes #self}#self.
                      ^^^^^^^^^^^^^^ warning[self-stance]
"#,
    );
    let fixture = fixture::parse(
        "//- a.nmk\n{A | @x}#munitions {B | @x denies #munition} {C | @x denies #zzz}\n\n@x: X\n  kind: person\n",
    );
    let found = diagnostics(&fixture.ws, fixture.file("a.nmk"));
    let messages: Vec<&str> = found.iter().map(|d| &*d.message).collect();
    assert_eq!(
        messages,
        [
            "no claim of this file is labelled `#munition`: label the claim right after its closing brace, as in `}#munition`; did you mean `#munitions`?",
            "no claim of this file is labelled `#zzz`: label the claim right after its closing brace, as in `}#zzz`",
        ]
    );
}

#[test]
fn unknown_codes_in_directives() {
    check(
        r#"
//- a.nmk
{Unsourced} %% ignore: unsourced-claims, empty-claim
^^^^^^^^^^^ warning[unsourced-claim]
                       ^^^^^^^^^^^^^^^^ warning[unknown-code]
"#,
    );
    let fixture = fixture::parse("//- a.nmk\n%% ignore: unsourced-claims, zzz\n{x}\n");
    let found = diagnostics(&fixture.ws, fixture.file("a.nmk"));
    let messages: Vec<&str> = found.iter().map(|d| &*d.message).collect();
    assert_eq!(
        messages,
        [
            "`unsourced-claims` is not a diagnostic code; did you mean `unsourced-claim`?",
            "`zzz` is not a diagnostic code: docs/rules.md lists them, and completion after `ignore:` offers them",
            "this claim has no source: add `| @source` before the closing `}`",
        ]
    );
}

#[test]
fn comma_joined_ids_after_a_mention() {
    check(
        r#"
//- r.nmk
@lavrov: Lavrov
  kind: person
@rubio: Rubio
  kind: person
@wang: Wang
  kind: person
//- a.nmk
[The diplomats]@lavrov,@rubio met. [All three]@lavrov,@rubio,@wang spoke.
                      ^^^^^^^ warning[comma-joined-ids]
                                                     ^^^^^^^^^^^^^ warning[comma-joined-ids]
[The two]@lavrov+@rubio met, and [Lavrov]@lavrov, @rubio and @wang too.
[Envoys of @wang]@lavrov,@rubio met. [@wang @wang @wang @wang @wang @wang @wang @wang @wang]@lavrov,@rubio too.
                        ^^^^^^^ warning[comma-joined-ids]
                                                                                                   ^^^^^^^ warning[comma-joined-ids]
"#,
    );
}

#[test]
fn unmarked_hedge_in_the_articles_language() {
    check(
        r#"
//- r.nmk
@us: US
  kind: country
//- en.nmk
---
language: en
---
{North Korea allegedly shipped ~[reportedly] якобы shells | @us}. Allegedly outside.
             ^^^^^^^^^ hint[unmarked-hedge]
//- ru.nmk
---
language: ru-RU
---
{КНДР якобы поставила снаряды | @us}, allegedly.
      ^^^^^ hint[unmarked-hedge]
//- any.nmk
{Reportedly {якобы} | @us}
 ^^^^^^^^^^ hint[unmarked-hedge]
             ^^^^^ hint[unmarked-hedge]
            ^^^^^^^ warning[unsourced-claim]
{Shells [reportedly] arrived | @us}, an editor's insertion.
"#,
    );
}

#[test]
fn undefined_ids_suggest_the_entity_an_alias_names_and_handles_stay_text() {
    let fixture = fixture::parse(
        "//- r.nmk\n@south-korea: South Korea\n  kind: country\n  aliases: Seoul, ROK\n//- a.nmk\n{Denied | @seoul}. He wrote to @realDonaldTrump.\n",
    );
    let found = diagnostics(&fixture.ws, fixture.file("a.nmk"));
    let messages: Vec<&str> = found.iter().map(|d| &*d.message).collect();
    assert_eq!(
        messages,
        [
            "`@seoul` is not defined in any file of the workspace; did you mean `@south-korea`?",
            "`@realDonaldTrump` is not defined in any file of the workspace; if it is a handle or an address, write `\\@realDonaldTrump` to keep it as text",
        ]
    );
}

#[test]
fn unresolved_conflict_names_its_versions_and_checks_their_blocks() {
    let fixture = fixture::parse(
        "//- a.nmk\n<<<<<<< alice\n{Shipped | @us}\n======= bob\n{Shipped | @nobody}\n=======\n>>>>>>> carol\n\n<<<<<<< 🦊\nA\n=======\nB\n",
    );
    let found = diagnostics(&fixture.ws, fixture.file("a.nmk"));
    let messages: Vec<(&str, &str)> = (found.iter())
        .map(|d| (d.code.as_str(), d.message.as_ref()))
        .collect();
    // The blocks inside versions are checked like any others.
    assert!(messages.iter().any(|(code, _)| *code == "undefined-entity"));
    let conflicts: Vec<&(&str, &str)> = (messages.iter())
        .filter(|(code, _)| *code == "unresolved-conflict")
        .collect();
    assert_eq!(
        conflicts,
        [
            &(
                "unresolved-conflict",
                "unresolved conflict between alice, bob and carol"
            ),
            &(
                "unresolved-conflict",
                "unresolved conflict between 🦊 and version 2, with no closing `>>>>>>>` line"
            ),
        ]
    );
    let first = found
        .iter()
        .find(|d| d.code.as_str() == "unresolved-conflict")
        .unwrap();
    assert_eq!(
        &fixture.ws.text(fixture.file("a.nmk"))[first.range.clone()],
        "<<<<<<< alice"
    );
}

/// The versions of a conflict are alternatives: the same label or
/// definition in two of them is no duplicate, but a third copy outside
/// the conflict is.
#[test]
fn versions_of_a_conflict_are_not_duplicates_of_each_other() {
    let fixture = fixture::parse(
        "//- a.nmk\n@us: United States\n\n<<<<<<< alice\n{Shipped | @us}#s\n\n@kim: Kim\n=======\n{Shipped | @us via @kim}#s\n\n@kim: Kim Jong Un\n>>>>>>> bob\n",
    );
    let codes = |found: &[crate::Diagnostic]| -> Vec<String> {
        (found.iter())
            .filter(|d| d.code.as_str().starts_with("duplicate"))
            .map(|d| d.code.as_str().to_owned())
            .collect()
    };
    assert_eq!(
        codes(&diagnostics(&fixture.ws, fixture.file("a.nmk"))),
        Vec::<String>::new()
    );
    let fixture = fixture::parse(
        "//- a.nmk\n@kim: Kim\n\n{Said | @kim}#s\n\n<<<<<<< alice\n{Shipped | @kim}#s\n\n@kim: Kim\n=======\n{Shipped | @kim}#s\n\n@kim: Kim Jong Un\n>>>>>>> bob\n",
    );
    let mut found = codes(&diagnostics(&fixture.ws, fixture.file("a.nmk")));
    found.sort();
    assert_eq!(
        found,
        [
            "duplicate-definition",
            "duplicate-definition",
            "duplicate-definition",
            "duplicate-label",
            "duplicate-label",
            "duplicate-label"
        ]
    );
}
