//! Quick fixes and refactorings for a range of a file.
//!
//! - `undefined-entity`: replace with each suggested id; define the entity
//!   in the registry file of `newsmark.toml` (else in the current file).
//! - `unsourced-claim`: attribute it to an entity named in the same sentence
//!   next to an attribution cue (preferred), or insert ` | @` and complete.
//! - `untagged-mention`: tag this mention; tag every untagged mention of the
//!   entity in the file.
//! - any finding: silence it with a `%% ignore:` directive.
//! - a selection: wrap it as a claim, or as a mention of an entity whose
//!   name or alias resembles the selected text.

use std::ops::Range;

use crate::rename::{TextEdit, WorkspaceEdit};
use crate::rules::{Code, Diagnostic, diagnostics};
use crate::summary::{Claim, UsageKind};
use crate::workspace::{FileId, Workspace};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    QuickFix,
    Refactor,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeAction {
    pub title: String,
    pub kind: ActionKind,
    pub preferred: bool,
    /// The finding this action fixes.
    pub fixes: Option<(Code, Range<usize>)>,
    pub edit: WorkspaceEdit,
    /// A file to create first (a registry named in `newsmark.toml` that does
    /// not exist yet): its path (the workspace root joined with the
    /// configured name) and its text.
    pub create_file: Option<(String, String)>,
    /// Whether the editor should open completion after applying the edit.
    pub then_complete: bool,
}

impl CodeAction {
    fn new(title: String, kind: ActionKind, file: FileId, edits: Vec<TextEdit>) -> Self {
        CodeAction {
            title,
            kind,
            preferred: false,
            fixes: None,
            edit: WorkspaceEdit::from([(file, edits)]),
            create_file: None,
            then_complete: false,
        }
    }

    fn fixing(mut self, diagnostic: &Diagnostic) -> Self {
        self.fixes = Some((diagnostic.code, diagnostic.range.clone()));
        self
    }
}

/// Words that introduce who said something.
const ATTRIBUTION_CUES: &[&str] = &[
    "said",
    "says",
    "according to",
    "reported",
    "reports",
    "told",
    "claimed",
    "claims",
    "announced",
    "stated",
    "added",
    "noted",
    "confirmed",
    "denied",
    "warned",
    "insisted",
    "conveyed",
    "wrote",
    "tweeted",
    "posted",
    "quoted",
    "cited",
    "alleged",
    "declared",
];

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
    let mut here: Vec<&Diagnostic> = found
        .iter()
        .filter(|d| overlaps(&d.range, &range))
        .collect();
    if here.len() > FINDINGS_WITH_ACTIONS {
        here.sort_by_key(|d| d.range.len());
        here.truncate(FINDINGS_WITH_ACTIONS);
        here.sort_by_key(|d| (d.range.start, d.range.end));
    }
    for diagnostic in &here {
        match diagnostic.code {
            Code::UndefinedEntity => undefined_entity(ws, file, diagnostic, &mut actions),
            Code::UnsourcedClaim => unsourced_claim(ws, file, diagnostic, &mut actions),
            Code::UntaggedMention => untagged_mention(ws, file, diagnostic, found, &mut actions),
            _ => {}
        }
    }
    for diagnostic in &here {
        actions.extend(suppress(ws, file, diagnostic));
    }
    if !range.is_empty() {
        wrap_selection(ws, file, range, &mut actions);
    }
    actions
}

/// Ranges overlap, or touch when one is empty (a cursor at an edge).
fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start <= b.end && b.start <= a.end
}

fn undefined_entity(
    ws: &Workspace,
    file: FileId,
    diagnostic: &Diagnostic,
    actions: &mut Vec<CodeAction>,
) {
    // The diagnostic covers `@id`; the id itself starts after the `@`.
    let id_range = diagnostic.range.start + 1..diagnostic.range.end;
    let id = &ws.text(file)[id_range.clone()];
    for candidate in &diagnostic.candidates {
        let name = ws.entity(candidate).map_or("", |(_, d)| d.display_name());
        let edits = vec![TextEdit {
            range: id_range.clone(),
            new_text: candidate.clone(),
        }];
        let mut action = CodeAction::new(
            format!("Replace with `@{candidate}` ({name})"),
            ActionKind::QuickFix,
            file,
            edits,
        );
        action.preferred = diagnostic.candidates.len() == 1;
        actions.push(action.fixing(diagnostic));
    }
    actions.push(define_entity(ws, file, id).fixing(diagnostic));
}

/// Appends a definition skeleton to the registry file (or the current file).
fn define_entity(ws: &Workspace, file: FileId, id: &str) -> CodeAction {
    let skeleton = format!("@{id}: {}\n  kind: \n", display_name_guess(id));
    let registry = ws.config().registry.as_deref();
    let target = registry.and_then(|name| {
        ws.files()
            .find(|(f, _)| ws.display_path(*f) == name)
            .map(|(f, _)| f)
    });
    match (registry, target) {
        (Some(name), None) => CodeAction {
            title: format!("Define `@{id}` in {name}"),
            kind: ActionKind::QuickFix,
            preferred: false,
            fixes: None,
            edit: WorkspaceEdit::new(),
            create_file: Some((ws.path_in_root(name), skeleton)),
            then_complete: false,
        },
        (registry, target) => {
            let target = target.unwrap_or(file);
            let text = ws.text(target);
            let separator = match () {
                _ if text.is_empty() || text.ends_with("\n\n") => "",
                _ if text.ends_with('\n') => "\n",
                _ => "\n\n",
            };
            let edits = vec![TextEdit {
                range: text.len()..text.len(),
                new_text: format!("{separator}{skeleton}"),
            }];
            let place = registry.map_or_else(|| "this file".to_owned(), str::to_owned);
            CodeAction::new(
                format!("Define `@{id}` in {place}"),
                ActionKind::QuickFix,
                target,
                edits,
            )
        }
    }
}

/// `white-house` → `White House`, a starting point for the display name.
fn display_name_guess(id: &str) -> String {
    id.split(['-', '_', '.'])
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn unsourced_claim(
    ws: &Workspace,
    file: FileId,
    diagnostic: &Diagnostic,
    actions: &mut Vec<CodeAction>,
) {
    let summary = ws.summary(file);
    let Some(claim) = summary.claims.iter().find(|c| c.range == diagnostic.range) else {
        return;
    };
    let insert_at = claim.text_range.end;
    for (index, id) in attribution_candidates(ws, file, claim)
        .into_iter()
        .enumerate()
    {
        let name = ws
            .entity(&id)
            .map_or("not defined", |(_, d)| d.display_name());
        let edits = vec![TextEdit {
            range: insert_at..insert_at,
            new_text: format!(" | @{id}"),
        }];
        let mut action = CodeAction::new(
            format!("Attribute to `@{id}` ({name})"),
            ActionKind::QuickFix,
            file,
            edits,
        );
        action.preferred = index == 0;
        actions.push(action.fixing(diagnostic));
    }
    let edits = vec![TextEdit {
        range: insert_at..insert_at,
        new_text: " | @".to_owned(),
    }];
    let mut action = CodeAction::new(
        "Add a source…".to_owned(),
        ActionKind::QuickFix,
        file,
        edits,
    );
    action.then_complete = true;
    actions.push(action.fixing(diagnostic));
}

/// Entities named (mentioned or referenced) in the claim's sentence,
/// outside the claim, that stand next to an attribution cue; nearest first.
fn attribution_candidates(ws: &Workspace, file: FileId, claim: &Claim) -> Vec<String> {
    let text = ws.text(file);
    let sentence = sentence_around(text, claim.range.clone());
    let lowered = text[sentence.clone()].to_lowercase();
    let cues: Vec<usize> = ATTRIBUTION_CUES
        .iter()
        .flat_map(|cue| {
            lowered
                .match_indices(cue)
                .filter(|(at, _)| is_word_at(&lowered, *at, cue.len()))
        })
        .map(|(at, _)| sentence.start + at)
        .filter(|at| !(claim.range.start..claim.range.end).contains(at))
        .collect();
    if cues.is_empty() {
        return Vec::new();
    }
    let mut candidates: Vec<(usize, String)> = ws
        .summary(file)
        .usages
        .iter()
        .filter(|u| matches!(u.kind, UsageKind::Mention { .. } | UsageKind::Reference))
        .filter(|u| sentence.start <= u.range.start && u.range.end <= sentence.end)
        .filter(|u| u.range.end <= claim.range.start || u.range.start >= claim.range.end)
        .map(|u| {
            let distance = cues
                .iter()
                .map(|&cue| cue.abs_diff(u.range.start).min(cue.abs_diff(u.range.end)))
                .min()
                .unwrap_or(usize::MAX);
            (distance, u.id.to_string())
        })
        .collect();
    candidates.sort();
    let mut ids: Vec<String> = Vec::new();
    for (_, id) in candidates {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

fn is_word_at(text: &str, at: usize, len: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at + len..].chars().next();
    before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
}

/// The sentence holding `range`: back to the previous `.`, `!`, `?` or
/// blank line, forward to the next one.
fn sentence_around(text: &str, range: Range<usize>) -> Range<usize> {
    let is_end = |c: char| matches!(c, '.' | '!' | '?');
    let start = text[..range.start]
        .rfind(|c: char| is_end(c))
        .map_or(0, |i| i + 1)
        .max(text[..range.start].rfind("\n\n").map_or(0, |i| i + 2));
    let after = &text[range.end..];
    let end_in_after = after
        .find(|c: char| is_end(c))
        .map_or(after.len(), |i| i + 1)
        .min(after.find("\n\n").unwrap_or(after.len()));
    start..range.end + end_in_after
}

fn untagged_mention(
    ws: &Workspace,
    file: FileId,
    diagnostic: &Diagnostic,
    all: &[Diagnostic],
    actions: &mut Vec<CodeAction>,
) {
    let text = ws.text(file);
    let surface = &text[diagnostic.range.clone()];
    for id in &diagnostic.candidates {
        let tag = |range: Range<usize>| TextEdit {
            range: range.clone(),
            new_text: format!("[{}]@{id}", &text[range]),
        };
        let action = CodeAction::new(
            format!("Tag `{surface}` as a mention of `@{id}`"),
            ActionKind::QuickFix,
            file,
            vec![tag(diagnostic.range.clone())],
        );
        actions.push(action.fixing(diagnostic));
        let same_entity: Vec<TextEdit> = all
            .iter()
            .filter(|d| {
                d.code == Code::UntaggedMention && d.candidates.len() == 1 && d.candidates[0] == *id
            })
            .map(|d| tag(d.range.clone()))
            .collect();
        if same_entity.len() > 1 {
            let title = format!(
                "Tag every untagged mention of `@{id}` in this file ({})",
                same_entity.len()
            );
            actions.push(
                CodeAction::new(title, ActionKind::QuickFix, file, same_entity).fixing(diagnostic),
            );
        }
    }
}

/// `%% ignore: code` for the finding's line: added to a directive already on
/// that line, appended to the line, or, when the line ends in a comment, put
/// on its own line above.
fn suppress(ws: &Workspace, file: FileId, diagnostic: &Diagnostic) -> Option<CodeAction> {
    let text = ws.text(file);
    let summary = ws.summary(file);
    let code = diagnostic.code.as_str();
    let line = summary.lines.line(diagnostic.range.start);
    let line_start = summary.lines.line_start(line);
    let line_end = summary.lines.line_end(text, line);
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
    } else if text[line_start..line_end].contains("%%") {
        let indent: String = text[line_start..line_end]
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
        let content_end = line_start + text[line_start..line_end].trim_end().len();
        TextEdit {
            range: content_end..content_end,
            new_text: format!(" %% ignore: {code}"),
        }
    };
    let title = format!("Silence `{code}` on this line");
    Some(CodeAction::new(title, ActionKind::QuickFix, file, vec![edit]).fixing(diagnostic))
}

fn wrap_selection(
    ws: &Workspace,
    file: FileId,
    range: Range<usize>,
    actions: &mut Vec<CodeAction>,
) {
    let text = ws.text(file);
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
    let wanted = selected.trim().to_lowercase();
    let mut scored: Vec<(u32, String, String)> = ws
        .entities()
        .filter_map(|(id, _, definition)| {
            let forms = std::iter::once(definition.display_name())
                .chain(definition.aliases())
                .chain(std::iter::once(&**id));
            let best = forms
                .map(|form| strsim::jaro_winkler(&wanted, &form.to_lowercase()))
                .fold(0.0, f64::max);
            (best >= 0.75).then(|| {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;
    use crate::rename::apply_edits;

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
                    apply_edits(fixture.ws.text(*f), e),
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
                "@white-house: The White House\n  kind: org\n\n@whitehouse: Whitehouse\n  kind: \n"
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
                "@us-gov: Us Gov\n  kind: \n".to_owned()
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

    #[test]
    fn silencing_joins_a_directive_or_goes_above_a_comment() {
        let (fixture, actions) = actions_at("//- a.nmk\n{x$0} %% ignore: empty-claim\n");
        let silence = actions
            .iter()
            .find(|a| a.title.starts_with("Silence"))
            .unwrap();
        assert_eq!(
            applied(&fixture, silence)[0].1,
            "{x} %% ignore: empty-claim, unsourced-claim\n"
        );
        let (fixture, actions) = actions_at("//- a.nmk crlf\n  {x$0} %% a note\n");
        let silence = actions
            .iter()
            .find(|a| a.title.starts_with("Silence"))
            .unwrap();
        assert_eq!(
            applied(&fixture, silence)[0].1,
            "  %% ignore: unsourced-claim\r\n  {x} %% a note\r\n"
        );
        // The new line ends as the line below it does.
        let (fixture, actions) = actions_at("//- a.nmk cr\n  {x$0} %% a note\n");
        let silence = actions
            .iter()
            .find(|a| a.title.starts_with("Silence"))
            .unwrap();
        assert_eq!(
            applied(&fixture, silence)[0].1,
            "  %% ignore: unsourced-claim\r  {x} %% a note\r"
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
}
