//! Quick fixes and refactorings for a range of a file.
//!
//! - a finding: the quick fixes of its rule (each rule module offers its
//!   own, see `rules::quick_fixes`), and silencing it with a `%% ignore:`
//!   directive.
//! - a selection: wrap it as a claim, or as a mention of an entity whose
//!   name or alias resembles the selected text.

use std::ops::Range;

use crate::code::Code;
use crate::edit::{ActionKind, CodeAction, TextEdit};
use crate::rules::{Diagnostic, diagnostics, quick_fixes};
use crate::summary::FileSummary;
use crate::workspace::{FileId, Workspace};

/// How many entities a "wrap as mention" refactoring offers.
const WRAP_CANDIDATES: usize = 5;

/// How many findings under the cursor get actions: the innermost ones
/// (nested claims can put thousands of findings under one cursor).
const FINDINGS_WITH_ACTIONS: usize = 16;

/// Every action for `range` (a cursor is an empty range).
pub fn code_actions(ws: &Workspace, file: FileId, range: Range<usize>) -> Vec<CodeAction> {
    code_actions_with_findings(ws, file, range, &diagnostics(ws, file))
}

/// [`code_actions`] given the file's findings (`diagnostics(ws, file)`),
/// for a front end that needs them too (the language server attaches the
/// finding each quick fix resolves) and should not compute them twice.
pub fn code_actions_with_findings(
    ws: &Workspace,
    file: FileId,
    range: Range<usize>,
    found: &[Diagnostic],
) -> Vec<CodeAction> {
    let mut actions = Vec::new();
    let summary = ws.summary(file);
    let mut here: Vec<&Diagnostic> = found
        .iter()
        .filter(|d| overlaps(&reach(summary, d), &range))
        .collect();
    if here.len() > FINDINGS_WITH_ACTIONS {
        here.sort_by_key(|d| d.range.len());
        here.truncate(FINDINGS_WITH_ACTIONS);
        here.sort_by_key(|d| (d.range.start, d.range.end));
    }
    for diagnostic in &here {
        actions.extend(quick_fixes(ws, file, diagnostic, found));
    }
    // A conflict is resolved, not silenced (a directive on its marker
    // line would become part of a name).
    for diagnostic in here.iter().filter(|d| d.code != Code::UnresolvedConflict) {
        actions.extend(suppress(ws, file, diagnostic));
    }
    if !range.is_empty() {
        wrap_selection(ws, file, range, &mut actions);
    }
    actions
}

/// Where a cursor gets a finding's actions: its range, or for an
/// unresolved conflict (found on its opening line) the whole block.
fn reach(summary: &FileSummary, diagnostic: &Diagnostic) -> Range<usize> {
    let conflict = (diagnostic.code == Code::UnresolvedConflict)
        .then(|| {
            summary
                .conflicts
                .iter()
                .find(|c| c.opening() == diagnostic.range)
        })
        .flatten();
    conflict.map_or(diagnostic.range.clone(), |c| c.range.clone())
}

/// Ranges overlap, or touch when one is empty (a cursor at an edge).
fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// `%% ignore: code` for the finding's line: added to a directive already on
/// that line, appended to the line, or, when the line ends in a comment, put
/// on its own line above.
fn suppress(ws: &Workspace, file: FileId, diagnostic: &Diagnostic) -> Option<CodeAction> {
    let text = &*ws.text(file);
    let summary = ws.summary(file);
    let code = diagnostic.code.as_str();
    let line = summary.lines.line(diagnostic.range.start);
    let line_start = summary.lines.line_start(line);
    let line_text = summary.lines.line_text(text, line);
    let line_end = line_start + line_text.len();
    let content_end = line_start + line_text.trim_end().len();
    let inline_directive = summary
        .directives
        .iter()
        .find(|d| d.target_line == line && (line_start..=line_end).contains(&d.range.start));
    let edit = if let Some(directive) = inline_directive {
        let end = directive
            .codes
            .last()
            .map_or(directive.codes_start, |(_, r)| r.end);
        let separator = if directive.codes.is_empty() { "" } else { ", " };
        TextEdit {
            range: end..end,
            new_text: format!("{separator}{code}"),
        }
    } else if content_end > line_start && summary.in_comment(content_end - 1) {
        // The line ends in a comment: a directive there would be part of it.
        let indent: String = line_text
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        // The line's own break (LF, CR or CRLF); the last line has none.
        let next_line_start = summary.lines.line_start(line + 1).min(text.len());
        let newline = match &text[line_end..next_line_start] {
            "" => "\n",
            own => own,
        };
        TextEdit {
            range: line_start..line_start,
            new_text: format!("{indent}%% ignore: {code}{newline}"),
        }
    } else {
        TextEdit {
            range: content_end..content_end,
            new_text: format!(" %% ignore: {code}"),
        }
    };
    let title = format!("Silence `{code}` on this line");
    let mut action = CodeAction::new(title, ActionKind::QuickFix, file, vec![edit]);
    action.fixes = Some((diagnostic.code, diagnostic.range.clone()));
    Some(action)
}

fn wrap_selection(
    ws: &Workspace,
    file: FileId,
    range: Range<usize>,
    actions: &mut Vec<CodeAction>,
) {
    let text = &*ws.text(file);
    let selected = &text[range.clone()];
    if selected.trim().is_empty() || selected.contains("\n\n") {
        return;
    }
    let claim = vec![TextEdit {
        range: range.clone(),
        new_text: format!("{{{selected}}}"),
    }];
    actions.push(CodeAction::new(
        "Wrap as a claim".to_owned(),
        ActionKind::Refactor,
        file,
        claim,
    ));
    let mut scored: Vec<(u32, String, String)> = ws
        .entities()
        .filter_map(|(id, _, definition)| {
            let forms = std::iter::once(definition.display_name())
                .chain(definition.aliases())
                .chain(std::iter::once(&**id));
            let best = forms
                .map(|form| naming_score(selected.trim(), form))
                .fold(0.0, f64::max);
            (best > 0.0).then(|| {
                (
                    (best * 1000.0) as u32,
                    id.to_string(),
                    definition.display_name().to_owned(),
                )
            })
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    for (_, id, name) in scored.into_iter().take(WRAP_CANDIDATES) {
        let edit = vec![TextEdit {
            range: range.clone(),
            new_text: format!("[{selected}]@{id}"),
        }];
        actions.push(CodeAction::new(
            format!("Wrap as a mention of `@{id}` ({name})"),
            ActionKind::Refactor,
            file,
            edit,
        ));
    }
}

/// How well `selected` names the entity that `form` (a name, an alias or
/// an id) names, from 0 (unrelated) up: above 1 when the whole selection
/// is the form or a near spelling of it, else the share of the form's
/// name words that a selected name word spells, begins ("Лаврова",
/// "최선희는") or nearly spells. Name words are those not written in
/// lower case: "the" is one in "The Korea Herald", not in "the launch".
fn naming_score(selected: &str, form: &str) -> f64 {
    let whole = strsim::jaro_winkler(&selected.to_lowercase(), &form.to_lowercase());
    if whole >= 0.9 {
        return 1.0 + whole;
    }
    let name_words = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 2 && !w.starts_with(char::is_lowercase))
            .map(str::to_lowercase)
            .collect()
    };
    let (selected_words, name_words) = (name_words(selected), name_words(form));
    let spelt = |name: &String| {
        selected_words.iter().any(|word| {
            word.starts_with(name.as_str())
                || name.chars().count() >= 4 && strsim::jaro_winkler(word, name) >= 0.92
        })
    };
    let matched = name_words.iter().filter(|name| spelt(name)).count();
    if matched == 0 {
        return 0.0;
    }
    matched as f64 / name_words.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply_edits;
    use crate::fixture;

    /// Titles of the actions at the cursor (or over the `$0…$0`-free marked
    /// range), and the text of `file` after applying the one titled `apply`.
    fn actions_at(text: &str) -> (fixture::Fixture, Vec<CodeAction>) {
        let fixture = fixture::parse(text);
        let range = match fixture.marks.first() {
            Some((_, range, _)) => range.clone(),
            None => {
                let (_, offset) = fixture.cursor();
                offset..offset
            }
        };
        let file = fixture
            .cursor
            .map_or_else(|| fixture.marks[0].0, |(f, _)| f);
        let actions = code_actions(&fixture.ws, file, range);
        (fixture, actions)
    }

    fn applied(fixture: &fixture::Fixture, action: &CodeAction) -> Vec<(String, String)> {
        action
            .edit
            .iter()
            .map(|(f, e)| {
                (
                    fixture.ws.path(*f).to_owned(),
                    apply_edits(&fixture.ws.text(*f), e),
                )
            })
            .collect()
    }

    fn titles(actions: &[CodeAction]) -> Vec<&str> {
        actions.iter().map(|a| a.title.as_str()).collect()
    }

    #[test]
    fn undefined_entity_offers_suggestions_and_a_definition_in_the_registry() {
        let (fixture, actions) = actions_at(
            "//- newsmark.toml\nregistry = \"entities.nmk\"\n//- entities.nmk\n@white-house: The White House\n  kind: org\n//- a.nmk\n{Shipped | @whitehou$0se}\n",
        );
        assert_eq!(
            titles(&actions),
            [
                "Replace with `@white-house` (The White House)",
                "Define `@whitehouse` in entities.nmk",
                "Silence `undefined-entity` on this line"
            ]
        );
        assert!(actions[0].preferred);
        assert_eq!(
            applied(&fixture, &actions[0]),
            [("a.nmk".to_owned(), "{Shipped | @white-house}\n".to_owned())]
        );
        assert_eq!(
            applied(&fixture, &actions[1]),
            [(
                "entities.nmk".to_owned(),
                "@white-house: The White House\n  kind: org\n\n@whitehouse: Whitehouse\n"
                    .to_owned()
            )]
        );
        assert_eq!(
            applied(&fixture, &actions[2]),
            [(
                "a.nmk".to_owned(),
                "{Shipped | @whitehouse} %% ignore: undefined-entity\n".to_owned()
            )]
        );
    }

    #[test]
    fn define_takes_the_mentions_words_and_leaves_the_kind_to_choose() {
        let (fixture, actions) = actions_at("//- a.nmk\n[Дмитрий   Песков]@pes$0kov said so.\n");
        let define = actions
            .iter()
            .find(|a| a.title.starts_with("Define"))
            .unwrap();
        assert_eq!(
            applied(&fixture, define)[0].1,
            "[Дмитрий   Песков]@peskov said so.\n\n@peskov: Дмитрий Песков\n"
        );
        // Words that name two entities name neither.
        let (fixture, actions) = actions_at(
            "//- r.nmk\n@lavrov: L\n  kind: person\n//- a.nmk\n[the two ministers]@lavrov+@ru$0bio met.\n",
        );
        let define = actions
            .iter()
            .find(|a| a.title.starts_with("Define"))
            .unwrap();
        assert!(applied(&fixture, define)[0].1.ends_with("@rubio: Rubio\n"));
    }

    #[test]
    fn codes_run_together_are_not_a_misspelling() {
        let (_, actions) =
            actions_at("//- a.nmk\n{X} %% ignore: unsourced-claim untagged-men$0tion\n");
        assert!(
            !titles(&actions)
                .iter()
                .any(|t| t.starts_with("Replace with"))
        );
    }

    #[test]
    fn an_undefined_handle_in_text_can_stay_text() {
        let (fixture, actions) = actions_at("//- a.nmk\nHe wrote to @realDonald$0Trump.\n");
        assert_eq!(
            titles(&actions)[0],
            "Keep `@realDonaldTrump` as text (`\\@realDonaldTrump`)"
        );
        assert_eq!(
            applied(&fixture, &actions[0])[0].1,
            "He wrote to \\@realDonaldTrump.\n"
        );
        // A source is never text: no such fix there.
        let (_, actions) = actions_at("//- a.nmk\n{Said | @realDonald$0Trump}\n");
        assert!(!titles(&actions).iter().any(|t| t.starts_with("Keep")));
    }

    #[test]
    fn a_registry_that_does_not_exist_yet_is_created() {
        let (_, actions) = actions_at(
            "//- newsmark.toml\nregistry = \"entities/new.nmk\"\n//- a.nmk\n@us-$0gov\n",
        );
        let define = actions
            .iter()
            .find(|a| a.title.starts_with("Define"))
            .unwrap();
        assert_eq!(
            define.create_file,
            Some((
                "entities/new.nmk".to_owned(),
                "@us-gov: Us Gov\n".to_owned()
            ))
        );
    }

    #[test]
    fn unsourced_claim_is_attributed_to_the_speaker_next_to_a_cue() {
        let (fixture, actions) = actions_at(
            "//- r.nmk\n@kirby: John Kirby\n  kind: person\n@kim: Kim\n  kind: person\n//- a.nmk\n[Kim]@kim visited. [John Kirby]@kirby said that {munitions were $0shipped}.\n",
        );
        assert_eq!(
            titles(&actions)[..2],
            ["Attribute to `@kirby` (John Kirby)", "Add a source…"]
        );
        assert!(actions[0].preferred);
        assert_eq!(
            applied(&fixture, &actions[0])[0].1,
            "[Kim]@kim visited. [John Kirby]@kirby said that {munitions were shipped | @kirby}.\n"
        );
        assert!(actions[1].then_complete);
        let (_, actions) = actions_at("//- a.nmk\nWe know {munitions were $0shipped}.\n");
        assert_eq!(titles(&actions)[0], "Add a source…");
        let (_, actions) = actions_at(
            "//- r.nmk\n@kcna: KCNA\n  kind: outlet\n//- a.nmk\n{The talks $0went well}, according to [KCNA]@kcna.\n",
        );
        assert_eq!(titles(&actions)[0], "Attribute to `@kcna` (KCNA)");
    }

    #[test]
    fn unsourced_claim_is_attributed_through_the_outlet_that_carried_it() {
        let (fixture, actions) = actions_at(
            "//- r.nmk\n@jon: Jon\n  kind: person\n@kcna: KCNA\n  kind: outlet\n//- a.nmk\n[Jon]@jon said {the launch $0succeeded} in a statement carried by [KCNA]@kcna.\n",
        );
        assert_eq!(
            titles(&actions)[..3],
            [
                "Attribute to `@jon` via `@kcna`",
                "Attribute to `@jon` (Jon)",
                "Attribute to `@kcna` (KCNA)"
            ]
        );
        assert!(actions[0].preferred && !actions[1].preferred);
        assert_eq!(
            applied(&fixture, &actions[0])[0].1,
            "[Jon]@jon said {the launch succeeded | @jon via @kcna} in a statement carried by [KCNA]@kcna.\n"
        );
    }

    const RYABKOV: &str =
        "//- r.nmk\n@ryabkov: Сергей Рябков\n  kind: person\n@tass: ТАСС\n  kind: outlet\n";

    #[test]
    fn attribution_cues_of_the_articles_language() {
        for sentence in [
            "[Рябков]@ryabkov заявил, что {встреча требует $0подготовки}.",
            "По словам [Рябкова]@ryabkov, {встреча требует $0подготовки}.",
        ] {
            let (_, actions) = actions_at(&format!(
                "{RYABKOV}//- a.nmk\n---\nlanguage: ru\n---\n{sentence}\n"
            ));
            assert_eq!(
                titles(&actions)[0],
                "Attribute to `@ryabkov` (Сергей Рябков)",
                "{sentence}"
            );
        }
        let (fixture, actions) = actions_at(&format!(
            "{RYABKOV}//- a.nmk\n---\nlanguage: ru\n---\n[Рябков]@ryabkov сказал, что {{встреча $0нужна}}, передаёт [ТАСС]@tass.\n"
        ));
        assert_eq!(titles(&actions)[0], "Attribute to `@ryabkov` via `@tass`");
        assert!(
            applied(&fixture, &actions[0])[0]
                .1
                .contains("{встреча нужна | @ryabkov via @tass}")
        );
        // The article's language picks the list: a Russian cue means
        // nothing in an English article.
        let (_, actions) = actions_at(&format!(
            "{RYABKOV}//- a.nmk\n---\nlanguage: en\n---\n[Рябков]@ryabkov заявил, что {{встреча $0нужна}}.\n"
        ));
        assert_eq!(titles(&actions)[0], "Add a source…");
    }

    #[test]
    fn attribution_cues_in_languages_without_spaces_between_words() {
        let (_, actions) = actions_at(
            "//- r.nmk\n@kim: 김정은\n  kind: person\n//- a.nmk\n---\nlanguage: ko\n---\n[김정은]@kim 위원장은 \"{발사가 $0성공했다}\"고 말했다.\n",
        );
        assert_eq!(titles(&actions)[0], "Attribute to `@kim` (김정은)");
        let (_, actions) = actions_at(
            "//- r.nmk\n@mofa: 外务省\n  kind: org\n//- a.nmk\n---\nlanguage: ja\n---\n[外務省]@mofaによると、{発射は$0失敗した}。次の文。\n",
        );
        assert_eq!(titles(&actions)[0], "Attribute to `@mofa` (外务省)");
    }

    #[test]
    fn newsmark_toml_sets_the_language_and_adds_cues() {
        let config = "//- newsmark.toml\nlanguage = \"pl\"\n[cues.pl]\nattribution = [\"powiedział\"]\nconduits = [\"podaje\"]\n";
        let (fixture, actions) = actions_at(&format!(
            "{config}{RYABKOV}//- a.nmk\n[Riabkow]@ryabkov powiedział, że {{spotkanie jest $0potrzebne}}, podaje [TASS]@tass.\n"
        ));
        assert_eq!(titles(&actions)[0], "Attribute to `@ryabkov` via `@tass`");
        assert!(
            applied(&fixture, &actions[0])[0]
                .1
                .contains("| @ryabkov via @tass}")
        );
        // The article's own `language:` wins over newsmark.toml's.
        let (_, actions) = actions_at(&format!(
            "{config}{RYABKOV}//- a.nmk\n---\nlanguage: en\n---\n[Riabkow]@ryabkov powiedział, że {{spotkanie jest $0potrzebne}}.\n"
        ));
        assert_eq!(titles(&actions)[0], "Add a source…");
    }

    #[test]
    fn letters_that_change_length_in_lower_case_keep_the_offsets() {
        // `İ` grows and the Kelvin sign shrinks when lowered: the cue and
        // the mention after it must still be found where they are.
        let (_, actions) = actions_at(
            "//- r.nmk\n@jon: Jon\n  kind: person\n@kcna: KCNA\n  kind: outlet\n//- a.nmk\nİİ [Jon]@jon said {x$0} in a statement carried by КЦНА [KCNA]@kcna 5 \u{212a}.\nİstanbul: [Jon]@jon said {y} carried by [KCNA]@kcna.\n",
        );
        assert_eq!(
            titles(&actions)[..2],
            ["Attribute to `@jon` (Jon)", "Attribute to `@kcna` (KCNA)"]
        );
        let (_, actions) = actions_at(
            "//- r.nmk\n@jon: Jon\n  kind: person\n@kcna: KCNA\n  kind: outlet\n//- a.nmk\nİstanbul: [Jon]@jon said {y$0} carried by [KCNA]@kcna.\n",
        );
        assert_eq!(titles(&actions)[0], "Attribute to `@jon` via `@kcna`");
    }

    #[test]
    fn comma_joined_ids_join_into_one_mention() {
        let (fixture, actions) = actions_at(
            "//- r.nmk\n@lavrov: Lavrov\n  kind: person\n@rubio: Rubio\n  kind: person\n//- a.nmk\n[The diplomats]@lavrov,@ru$0bio met.\n",
        );
        assert_eq!(
            titles(&actions)[0],
            "Join into one mention of several entities (`+`)"
        );
        assert!(actions[0].preferred);
        assert_eq!(
            applied(&fixture, &actions[0])[0].1,
            "[The diplomats]@lavrov+@rubio met.\n"
        );
    }

    #[test]
    fn a_misspelt_code_is_replaced_by_the_nearest() {
        let (fixture, actions) =
            actions_at("//- a.nmk\n{Shipped | @x} %% ignore: unsourced-cla$0ims\n");
        assert_eq!(titles(&actions)[0], "Replace with `unsourced-claim`");
        assert_eq!(
            applied(&fixture, &actions[0])[0].1,
            "{Shipped | @x} %% ignore: unsourced-claim\n"
        );
    }

    #[test]
    fn source_list_mistakes_each_have_their_fix() {
        for (article, title, fixed) in [
            (
                "{Shipped | @lavrov @ru$0bio}\n",
                "Add the comma",
                "{Shipped | @lavrov, @rubio}\n",
            ),
            (
                "{Shipped | @lavrov %% the minister\n  %% and the senator\n  @ru$0bio}\n",
                "Add the comma",
                "{Shipped | @lavrov, %% the minister\n  %% and the senator\n  @rubio}\n",
            ),
            (
                "{Shipped | @lavrov$0,}\n",
                "Remove the trailing comma",
                "{Shipped | @lavrov}\n",
            ),
            (
                "{Shipped | @lavrov |$0 @rubio}\n",
                "Merge into one list of sources",
                "{Shipped | @lavrov, @rubio}\n",
            ),
        ] {
            let registry = "//- r.nmk\n@lavrov: L\n  kind: person\n@rubio: R\n  kind: person\n";
            let (fixture, actions) = actions_at(&format!("{registry}//- a.nmk\n{article}"));
            assert_eq!(titles(&actions)[0], title, "{article}");
            assert_eq!(applied(&fixture, &actions[0])[0].1, fixed, "{article}");
        }
    }

    #[test]
    fn unmarked_hedge_is_marked() {
        let (fixture, actions) =
            actions_at("//- a.nmk\n{North Korea alleg$0edly supplied munitions | @us}\n");
        assert_eq!(titles(&actions)[0], "Mark as hedged: `~[allegedly]`");
        assert_eq!(
            applied(&fixture, &actions[0])[0].1,
            "{North Korea ~[allegedly] supplied munitions | @us}\n"
        );
    }

    #[test]
    fn untagged_mention_tags_one_or_all() {
        let (fixture, actions) = actions_at(
            "//- r.nmk\n@north-korea: North Korea\n  kind: country\n//- a.nmk\n[North Korea]@north-korea and Nor$0th Korea, again North Korea.\n",
        );
        assert_eq!(
            titles(&actions)[..2],
            [
                "Tag `North Korea` as a mention of `@north-korea`",
                "Tag every untagged mention of `@north-korea` in this file (2)"
            ]
        );
        assert_eq!(
            applied(&fixture, &actions[1])[0].1,
            "[North Korea]@north-korea and [North Korea]@north-korea, again [North Korea]@north-korea.\n"
        );
    }

    /// The text of the fixture's file after the "Silence" action at `$0`.
    fn silenced(fixture: &str) -> String {
        let (fixture, actions) = actions_at(fixture);
        let silence = actions
            .iter()
            .find(|a| a.title.starts_with("Silence"))
            .unwrap();
        applied(&fixture, silence)[0].1.clone()
    }

    #[test]
    fn silencing_joins_a_directive_or_goes_above_a_comment() {
        assert_eq!(
            silenced("//- a.nmk\n{x$0} %% ignore: empty-claim\n"),
            "{x} %% ignore: empty-claim, unsourced-claim\n"
        );
        assert_eq!(
            silenced("//- a.nmk crlf\n  {x$0} %% a note\n"),
            "  %% ignore: unsourced-claim\r\n  {x} %% a note\r\n"
        );
        // The new line ends as the line below it does.
        assert_eq!(
            silenced("//- a.nmk cr\n  {x$0} %% a note\n"),
            "  %% ignore: unsourced-claim\r  {x} %% a note\r"
        );
    }

    #[test]
    fn an_escaped_percent_is_no_comment_to_silence_above() {
        assert_eq!(
            silenced("//- a.nmk\n{x$0} 5 \\%% off\n"),
            "{x} 5 \\%% off %% ignore: unsourced-claim\n"
        );
    }

    #[test]
    fn selection_wraps_as_claim_or_mention() {
        let (fixture, actions) = actions_at(
            "//- r.nmk\n@lavrov: Sergey Lavrov\n  kind: person\n  aliases: Lavrov\n//- a.nmk\nThen Lavrov spoke.\n     ^^^^^^\n",
        );
        assert_eq!(
            titles(&actions),
            [
                "Tag `Lavrov` as a mention of `@lavrov`",
                "Silence `untagged-mention` on this line",
                "Wrap as a claim",
                "Wrap as a mention of `@lavrov` (Sergey Lavrov)"
            ]
        );
        assert_eq!(
            applied(&fixture, &actions[2])[0].1,
            "Then {Lavrov} spoke.\n"
        );
        assert_eq!(
            applied(&fixture, &actions[3])[0].1,
            "Then [Lavrov]@lavrov spoke.\n"
        );
    }

    const WRAP_REGISTRY: &str = "//- r.nmk\n@korea-herald: The Korea Herald\n  kind: outlet\n@us: United States\n  kind: country\n  aliases: US\n@lavrov: Sergey Lavrov\n  kind: person\n  aliases: Лавров*\n@dprk: North Korea\n  kind: country\n  aliases: the North, 북한\n";

    /// The mentions "Wrap as a mention" offers for the marked words.
    fn wrap_offers(article: &str) -> Vec<String> {
        let (_, actions) = actions_at(&format!("{WRAP_REGISTRY}//- a.nmk\n{article}"));
        titles(&actions)
            .into_iter()
            .filter(|t| t.starts_with("Wrap as a mention"))
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn wrap_as_a_mention_offers_only_entities_the_words_name() {
        assert_eq!(
            wrap_offers("Then the launch failed.\n     ^^^^^^^^^^^^^^^^^\n"),
            Vec::<String>::new()
        );
        assert!(wrap_offers("Then the North said.\n         ^^^\n").is_empty());
        assert_eq!(
            wrap_offers("Then Lavrov's aide.\n     ^^^^^^^^\n"),
            ["Wrap as a mention of `@lavrov` (Sergey Lavrov)"]
        );
        assert_eq!(
            wrap_offers("О Лаврове.\n  ^^^^^^^\n"),
            ["Wrap as a mention of `@lavrov` (Sergey Lavrov)"]
        );
        assert_eq!(
            wrap_offers("북한은 말했다.\n^^^\n"),
            ["Wrap as a mention of `@dprk` (North Korea)"]
        );
        // The entity the words name best comes first.
        assert_eq!(
            wrap_offers("The Korean Herald and the US.\n    ^^^^^^^^^^^^^\n"),
            [
                "Wrap as a mention of `@korea-herald` (The Korea Herald)",
                "Wrap as a mention of `@dprk` (North Korea)"
            ]
        );
        assert_eq!(
            wrap_offers("North Korea and the US.\n^^^^^^^^^^^^^^^^^^^^^^\n"),
            [
                "Wrap as a mention of `@dprk` (North Korea)",
                "Wrap as a mention of `@us` (United States)",
                "Wrap as a mention of `@korea-herald` (The Korea Herald)"
            ]
        );
    }

    const CONFLICT: &str = "Before.\n\n<<<<<<< 김민지\n{North Korea supplied munitions | @us}\n=======\n{North Korea supplied munitions | @us via @cnn}\n>>>>>>> 🦊bob\n\nAfter.\n";

    fn accepted(text: &str, title: &str) -> String {
        let (fixture, actions) = actions_at(text);
        let action = (actions.iter().find(|a| a.title == title))
            .unwrap_or_else(|| panic!("no {title:?} in {:?}", titles(&actions)));
        applied(&fixture, action)[0].1.clone()
    }

    #[test]
    fn a_conflict_offers_each_version_both_and_one_side_throughout() {
        let cursor = CONFLICT.replace("via @cnn", "via @c$0nn");
        let (_, actions) = actions_at(&format!("//- a.nmk\n{cursor}"));
        assert_eq!(
            titles(&actions)[..5],
            [
                "Accept 김민지",
                "Accept 🦊bob",
                "Accept both",
                "Accept all from 김민지 in this file",
                "Accept all from 🦊bob in this file",
            ]
        );
        let text = format!("//- a.nmk\n{cursor}");
        assert_eq!(
            accepted(&text, "Accept 🦊bob"),
            "Before.\n\n{North Korea supplied munitions | @us via @cnn}\n\nAfter.\n"
        );
        assert_eq!(
            accepted(&text, "Accept 김민지"),
            "Before.\n\n{North Korea supplied munitions | @us}\n\nAfter.\n"
        );
        assert_eq!(
            accepted(&text, "Accept both"),
            "Before.\n\n{North Korea supplied munitions | @us}\n\n{North Korea supplied munitions | @us via @cnn}\n\nAfter.\n"
        );
    }

    #[test]
    fn accepting_keeps_crlf_and_lone_cr_line_ends() {
        for (option, end) in [("crlf", "\r\n"), ("cr", "\r")] {
            let text = format!(
                "//- a.nmk {option}\nBefore.\n\n<<<<<<< alice\nA\n=======$0\nB\n>>>>>>> bob\n\nAfter.\n"
            );
            assert_eq!(
                accepted(&text, "Accept bob"),
                format!("Before.{end}{end}B{end}{end}After.{end}")
            );
            assert_eq!(
                accepted(&text, "Accept both"),
                format!("Before.{end}{end}A{end}{end}B{end}{end}After.{end}")
            );
        }
    }

    #[test]
    fn three_versions_and_empty_ones() {
        let text = "//- a.nmk\n<<<<<<< alice\nA\n======= bob\n=======\nC\n>>>>>>> carol$0\n";
        let (_, actions) = actions_at(text);
        assert_eq!(
            titles(&actions)[..4],
            ["Accept alice", "Accept bob", "Accept carol", "Accept all"]
        );
        assert_eq!(accepted(text, "Accept bob"), "");
        assert_eq!(accepted(text, "Accept all"), "A\n\nC\n");
    }

    #[test]
    fn accepting_one_side_throughout_leaves_conflicts_without_it() {
        let text = "//- a.nmk\n<<<<<<< alice\nA1\n=======\nB1\n>>>>>>> bob\n\n<<<<<<< carol\nC\n=======\nB2\n>>>>>>> bob\n\n<<<<<<< alice$0\nA3\n=======\nD\n>>>>>>> dave\n";
        assert_eq!(
            accepted(text, "Accept all from alice in this file"),
            "A1\n\n<<<<<<< carol\nC\n=======\nB2\n>>>>>>> bob\n\nA3\n"
        );
        assert_eq!(
            accepted(text, "Accept all from dave in this file"),
            "<<<<<<< alice\nA1\n=======\nB1\n>>>>>>> bob\n\n<<<<<<< carol\nC\n=======\nB2\n>>>>>>> bob\n\nD\n"
        );
    }

    #[test]
    fn an_unterminated_conflict_offers_no_resolution() {
        let (_, actions) = actions_at("//- a.nmk\n<<<<<<< alice$0\nA\n=======\nB\n");
        assert!(actions.iter().all(|a| !a.title.starts_with("Accept")));
    }
}
