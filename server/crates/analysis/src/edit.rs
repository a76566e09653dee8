//! What renames, quick fixes and refactorings return: text edits per file,
//! and code actions. Below the rules, which offer their own quick fixes.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::code::Code;
use crate::workspace::FileId;

/// A replacement of a byte range of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub range: Range<usize>,
    pub new_text: String,
}

/// Edits per file, in path order; each file's edits in text order.
pub type WorkspaceEdit = BTreeMap<FileId, Vec<TextEdit>>;

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
    /// The obvious fix of a finding: a quick fix the editor may apply at
    /// once (VS Code's "auto fix").
    pub(crate) fn preferred_fix(title: String, file: FileId, edits: Vec<TextEdit>) -> Self {
        CodeAction {
            preferred: true,
            ..CodeAction::new(title, ActionKind::QuickFix, file, edits)
        }
    }

    pub(crate) fn new(title: String, kind: ActionKind, file: FileId, edits: Vec<TextEdit>) -> Self {
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
}

/// Applies edits to a text (edits must not overlap).
#[cfg(test)]
pub(crate) fn apply_edits(text: &str, edits: &[TextEdit]) -> String {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    let mut result = text.to_owned();
    for edit in sorted {
        result.replace_range(edit.range.clone(), &edit.new_text);
    }
    result
}
