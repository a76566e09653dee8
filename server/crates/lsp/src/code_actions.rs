//! `textDocument/codeAction`: quick fixes for findings (replace an undefined
//! id, define it, attribute an unsourced claim, tag untagged mentions,
//! silence a code with `%% ignore:`) and refactorings of a selection (wrap
//! it as a claim or a mention).
//!
//! Each quick fix carries the diagnostic it resolves, converted exactly as
//! it was published, and the preferred fix says so (`isPreferred`). An
//! action that creates the registry file of `newsmark.toml` is a
//! `CreateFile` followed by an edit in `documentChanges`, and is left out
//! for clients that cannot create files. An action after which the user
//! picks an id ("Add a source…") carries the command
//! `editor.action.triggerSuggest`, which VS Code runs to open completion,
//! for clients that say they run it.

use std::path::Path;

use newsmark_analysis::code_actions as analysis;
use newsmark_analysis::edit::ActionKind;
use newsmark_analysis::{Diagnostic, FileId};
use tower_lsp_server::ls_types::{self as lsp, CodeActionKind, CodeActionOrCommand};

use crate::file_key::FileKey;
use crate::from_proto;
use crate::session::ClientFeatures;
use crate::snapshot::Snapshot;
use crate::to_proto::{self, NewFile};

/// The kinds the server offers (`codeActionKinds`).
pub const KINDS: [CodeActionKind; 2] = [CodeActionKind::QUICKFIX, CodeActionKind::REFACTOR_REWRITE];

/// The command that opens completion after an action applies. VS Code
/// knows it; other clients may map it and say so (see docs/lsp.md).
pub const TRIGGER_SUGGEST: &str = "editor.action.triggerSuggest";

pub fn code_actions(
    snap: &Snapshot,
    file: FileId,
    range: lsp::Range,
    only: Option<&[CodeActionKind]>,
    features: &ClientFeatures,
) -> Vec<CodeActionOrCommand> {
    let rope = snap.rope(file);
    let Some(range) = from_proto::range(&rope, range, snap.encoding) else {
        return Vec::new();
    };
    let found = newsmark_analysis::diagnostics(&snap.ws, file);
    let actions = analysis::code_actions_with_findings(&snap.ws, file, range, &found);
    // The finding each action fixes, converted as it was published (all
    // at once, see `diagnostic_ranges`), so that clients match it with the
    // diagnostic they show.
    let fixes: Vec<Option<&Diagnostic>> = actions
        .iter()
        .map(|action| {
            let (code, range) = action.fixes.as_ref()?;
            found
                .iter()
                .find(|found| found.code == *code && found.range == *range)
        })
        .collect();
    let mut ranges =
        to_proto::diagnostic_ranges(snap, file, fixes.iter().flatten().copied()).into_iter();
    actions
        .into_iter()
        .zip(fixes)
        .filter_map(|(action, fixed)| {
            // Taken before the filter below: one range per fixed finding.
            let fixed = fixed.map(|found| {
                let range = ranges.next().expect("a range per fixed finding");
                vec![to_proto::diagnostic(snap, range, found)]
            });
            let kind = match action.kind {
                ActionKind::QuickFix => CodeActionKind::QUICKFIX,
                ActionKind::Refactor => CodeActionKind::REFACTOR_REWRITE,
            };
            if !wanted(&kind, only) {
                return None;
            }
            let new_file = match &action.create_file {
                Some((path, text)) => Some(NewFile {
                    uri: FileKey::from_path(Path::new(path))?.to_uri()?,
                    text: text.clone(),
                }),
                None => None,
            };
            let edit = to_proto::workspace_edit(snap, &action.edit, new_file, features)?;
            let command =
                (action.then_complete && features.trigger_suggest).then(|| lsp::Command {
                    title: "Suggest".to_owned(),
                    command: TRIGGER_SUGGEST.to_owned(),
                    arguments: None,
                });
            Some(CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: action.title,
                kind: Some(kind),
                diagnostics: fixed,
                edit: Some(edit),
                command,
                is_preferred: action.preferred.then_some(true),
                disabled: None,
                data: None,
            }))
        })
        .collect()
}

/// Whether `kind` falls under one of the kinds the client asked for
/// (`refactor` takes `refactor.rewrite`).
fn wanted(kind: &CodeActionKind, only: Option<&[CodeActionKind]>) -> bool {
    let Some(only) = only else {
        return true;
    };
    only.iter().any(|asked| {
        let asked = asked.as_str();
        let kind = kind.as_str();
        kind == asked
            || kind
                .strip_prefix(asked)
                .is_some_and(|rest| rest.starts_with('.'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_filters_by_kind_prefix() {
        let quickfix = CodeActionKind::QUICKFIX;
        let rewrite = CodeActionKind::REFACTOR_REWRITE;
        assert!(wanted(&quickfix, None));
        assert!(wanted(&rewrite, Some(&[CodeActionKind::REFACTOR])));
        assert!(!wanted(&quickfix, Some(&[CodeActionKind::REFACTOR])));
        assert!(!wanted(
            &rewrite,
            Some(&[CodeActionKind::new("refactor.re")])
        ));
        assert!(wanted(&quickfix, Some(&[CodeActionKind::QUICKFIX])));
    }
}
