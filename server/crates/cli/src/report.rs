//! Findings as every report format reads them: with their file, 1-based
//! lines and columns (columns count Unicode characters), in a
//! deterministic order (path, then position).

use std::borrow::Cow;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use newsmark_analysis::{Code, Severity};
use newsmark_syntax::Encoding;
use newsmark_syntax::position::LineIndex;
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
        let position = lines.position(text, offset, Encoding::Utf32);
        LineCol {
            line: position.line + 1,
            column: position.column + 1,
        }
    }
}

/// A checked file.
#[derive(Debug, Clone)]
pub struct CheckedFile {
    pub path: PathBuf,
    /// Relative to the current folder, as the user would type it.
    pub display: String,
    /// Relative to the repository (the git root above the workspace, or
    /// the workspace root), for SARIF and GitHub annotations.
    pub repo_path: String,
    /// The text, when the file could be read.
    pub text: Option<Arc<str>>,
}

/// One finding, ready for any format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Index into [`Report::files`].
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
    pub findings: Vec<Finding>,
}

impl Report {
    /// Sorts files by path and findings by path, then position.
    pub fn sort(&mut self) {
        let mut order: Vec<usize> = (0..self.files.len()).collect();
        order.sort_by(|&a, &b| self.files[a].display.cmp(&self.files[b].display));
        let mut new_index = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = new;
        }
        let mut files: Vec<Option<CheckedFile>> = std::mem::take(&mut self.files)
            .into_iter()
            .map(Some)
            .collect();
        self.files = order
            .iter()
            .map(|&old| files[old].take().expect("each file once"))
            .collect();
        for finding in &mut self.findings {
            finding.file = new_index[finding.file];
        }
        // Unstable, so no copy of a large list: findings with equal keys say
        // the same at the same place.
        self.findings.sort_unstable_by(|a, b| {
            (a.file, a.start, a.end, a.code, &a.message)
                .cmp(&(b.file, b.start, b.end, b.code, &b.message))
        });
    }

    /// The text a finding marks (empty for a file that could not be read).
    pub fn marked_text(&self, finding: &Finding) -> &str {
        self.files[finding.file]
            .text
            .as_deref()
            .and_then(|text| text.get(finding.range.clone()))
            .unwrap_or("")
    }

    /// What a human format shows: hints only when asked for.
    pub fn view(&self, show_hints: bool) -> View<'_> {
        View {
            files: &self.files,
            findings: self
                .findings
                .iter()
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
