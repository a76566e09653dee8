//! Findings as every report format reads them: with their file, 1-based
//! lines and columns (columns count Unicode characters), in a
//! deterministic order (path, then position).

use std::borrow::Cow;
use std::cell::Cell;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use newsmark_analysis::{Code, Severity};
use newsmark_syntax::Encoding;
use newsmark_syntax::position::{LineCursor, LineIndex};

use crate::source::Source;
use serde::{Deserialize, Serialize};

/// A 1-based line and column; the column counts Unicode characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

impl LineCol {
    pub const START: LineCol = LineCol { line: 1, column: 1 };

    /// The position of a byte offset of `text`, whose line index is `lines`.
    pub fn of(text: &str, lines: &LineIndex, offset: usize) -> Self {
        Self::after(text, lines, offset, &Cell::default())
    }

    /// [`LineCol::of`], counted on from the offset `cursor` converted last
    /// when on its line (`LineIndex::position_after`).
    pub fn after(text: &str, lines: &LineIndex, offset: usize, cursor: &Cell<LineCursor>) -> Self {
        let mut moved = cursor.get();
        let position = lines.position_after(text, offset, Encoding::Utf32, &mut moved);
        cursor.set(moved);
        LineCol {
            line: position.line + 1,
            column: position.column + 1,
        }
    }
}

/// Whether `range` lies in `text` on character boundaries (a finding from
/// a damaged cache may not).
pub fn fits(text: &str, range: &Range<usize>) -> bool {
    range.start <= range.end
        && text.is_char_boundary(range.start)
        && text.is_char_boundary(range.end)
}

/// A checked file.
#[derive(Debug, Clone)]
pub struct CheckedFile {
    pub path: PathBuf,
    /// Relative to the current folder, as the user would type it.
    pub display: String,
    /// Relative to the repository (the git root above the workspace, or
    /// the current folder), for SARIF and GitHub annotations.
    pub repo_path: String,
    /// The hash of the file's text as first read, when it could be read:
    /// the text the findings point into, unless the file changed while it
    /// was checked (`check` warns of that, and `full` then shows no
    /// snippets for it).
    pub hash: Option<u128>,
    /// The text, when kept (see [`CheckedFile::text`]).
    pub kept: Option<Arc<str>>,
    /// Its findings, by position after [`Report::sort`]: each file's list
    /// is built where the file's findings were, so a corpus's findings are
    /// never held twice.
    pub findings: Vec<Finding>,
}

impl CheckedFile {
    /// The text the findings point into: kept, or read again (a corpus's
    /// texts do not all fit in memory); `None` if the file can no longer
    /// be read or has changed since it was checked.
    pub fn text(&self) -> Option<Arc<str>> {
        if let Some(text) = &self.kept {
            return Some(text.clone());
        }
        match crate::source::read(&self.path, true) {
            Source::Text { text, hash } if Some(hash) == self.hash => Some(text),
            _ => None,
        }
    }
}

/// One finding, ready for any format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Index into [`Report::files`] (set by [`Report::sort`]).
    pub file: usize,
    /// Bytes of the file's text.
    pub range: Range<usize>,
    pub start: LineCol,
    /// Just after the marked text (exclusive).
    pub end: LineCol,
    pub severity: Severity,
    pub code: Code,
    /// Borrowed when the rule's message never changes (most do not).
    pub message: Cow<'static, str>,
    /// Other places that explain the finding.
    pub notes: Vec<Note>,
}

/// A related place: the other definition of a duplicate, a suggested id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Shown like [`CheckedFile::display`].
    pub path: String,
    pub position: LineCol,
    pub message: String,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Every file asked about, sorted by display path after [`Report::sort`].
    pub files: Vec<CheckedFile>,
}

impl Report {
    /// Sorts files by path and each file's findings by position.
    pub fn sort(&mut self) {
        // Usually sorted already (as planned), and then not copied; stable:
        // a path given twice keeps its order.
        if !self.files.is_sorted_by(|a, b| a.display <= b.display) {
            self.files.sort_by(|a, b| a.display.cmp(&b.display));
        }
        for (index, file) in self.files.iter_mut().enumerate() {
            // Unstable, so no copy: findings with equal keys say the same
            // at the same place.
            file.findings.sort_unstable_by(|a, b| {
                (a.start, a.end, a.code, &a.message).cmp(&(b.start, b.end, b.code, &b.message))
            });
            for finding in &mut file.findings {
                finding.file = index;
            }
        }
    }

    /// Every finding, by path, then position (after [`Report::sort`]).
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.files.iter().flat_map(|file| &file.findings)
    }

    /// The text a finding marks (empty for a file whose text is not kept).
    pub fn marked_text(&self, finding: &Finding) -> &str {
        self.files[finding.file]
            .kept
            .as_deref()
            .and_then(|text| text.get(finding.range.clone()))
            .unwrap_or("")
    }

    /// What a human format shows: hints only when asked for.
    pub fn view(&self, show_hints: bool) -> View<'_> {
        View {
            files: &self.files,
            findings: self
                .findings()
                .filter(|f| show_hints || f.severity != Severity::Hint)
                .collect(),
        }
    }
}

/// The findings a format prints, with the files they point into.
#[derive(Debug)]
pub struct View<'a> {
    /// Every checked file (clean ones included).
    pub files: &'a [CheckedFile],
    /// Sorted by path, then position.
    pub findings: Vec<&'a Finding>,
}

impl View<'_> {
    pub fn path(&self, finding: &Finding) -> &str {
        &self.files[finding.file].display
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_read_again_only_as_it_was_checked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.nmk");
        std::fs::write(&path, "Пхеньян 🚀\r\n{claim}\r").unwrap();
        let Source::Text { hash, .. } = crate::source::read(&path, true) else {
            panic!("a.nmk reads");
        };
        let file = CheckedFile {
            path: path.clone(),
            display: "a.nmk".into(),
            repo_path: "a.nmk".into(),
            hash: Some(hash),
            kept: None,
            findings: Vec::new(),
        };
        assert_eq!(file.text().as_deref(), Some("Пхеньян 🚀\r\n{claim}\r"));
        std::fs::write(&path, "{another claim}\n").unwrap();
        assert_eq!(file.text(), None, "changed since the check");
        std::fs::remove_file(&path).unwrap();
        assert_eq!(file.text(), None, "gone");
        let kept = CheckedFile {
            kept: Some("kept".into()),
            ..file
        };
        assert_eq!(kept.text().as_deref(), Some("kept"));
    }
}
