//! Diagnostics: one module per code (listed once, in
//! [`crate::code::rules!`]), and the pipeline that runs the rules on a
//! file, applies `newsmark.toml` severities and honours `%% ignore:`
//! directives.
//!
//! Each rule's `DOC` is its user documentation (what it flags, why, an
//! example, how to fix, how to silence). `docs/rules.md` is generated from
//! it, and hover on a code in `%% ignore:` shows the same text.

mod comma_joined_ids;
mod conflicting_attribution;
mod disagreement;
mod doc;
mod duplicate_definition;
mod duplicate_label;
mod empty_claim;
mod empty_mention;
mod invalid_date;
mod invalid_review;
mod io;
mod missing_kind;
mod self_stance;
mod syntax;
mod text_mismatch;
mod undefined_entity;
mod unknown_code;
mod unknown_kind;
mod unknown_label;
mod unknown_property;
mod unmarked_hedge;
mod unresolved_conflict;
mod unsourced_claim;
mod untagged_mention;
mod unused_entity;

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

pub use doc::rules_markdown;
pub use unknown_kind::KINDS;
pub use unknown_property::{DEFINITION_KEYS, FRONT_MATTER_KEYS};

use crate::code::{Code, Severity};
use crate::edit::CodeAction;
use crate::summary::FileSummary;
use crate::workspace::{FileEntry, FileId, Workspace};

/// The rules' half of the code table, made from the one list in
/// [`crate::code::rules!`]: each code's documentation, the checks, and
/// the quick fixes.
macro_rules! rule_table {
    ($($code:ident => $name:literal, $severity:ident, $module:ident $(, $check:ident $(, $fixes:ident)?)?;)*) => {
        impl Code {
            /// The rule's documentation in Markdown, starting with a one-line summary.
            pub fn doc(self) -> &'static str {
                match self {
                    $(Code::$code => $module::DOC,)*
                }
            }
        }

        /// The rules that look at a file, in order, each with its code.
        const CHECKS: &[Check] = &[$($($module::$check,)?)*];

        /// The quick fixes of the rules that offer some.
        fn fixes_of(code: Code) -> Option<Fixes> {
            match code {
                $($($(Code::$code => Some($module::$fixes),)?)?)*
                _ => None,
            }
        }
    };
}
crate::code::rules!(rule_table);

impl Code {
    /// The first line of the documentation.
    pub fn summary(self) -> &'static str {
        self.doc().lines().next().unwrap_or_default()
    }
}

/// A finding in one file. Ranges are byte offsets into that file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub range: Range<usize>,
    /// Most messages are the same every time: a large corpus has millions.
    pub message: Cow<'static, str>,
    /// Other places that explain the finding (the other definition of a
    /// duplicate, the defined ids an undefined one may mean).
    pub related: Vec<Related>,
    /// Unused code that editors may fade out.
    pub unnecessary: bool,
    /// Entity ids a fix may use: suggestions for an undefined id, the
    /// candidates for an untagged mention.
    pub candidates: Vec<String>,
}

/// The most places one finding points at. A finding about one of n copies
/// of something would otherwise list the n − 1 others, and the n findings
/// together n²: a 60 KB file defining one id 5,000 times needed gigabytes.
/// The message still gives the full count.
pub const MAX_RELATED: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub file: FileId,
    pub range: Range<usize>,
    pub message: String,
}

impl Diagnostic {
    pub(crate) fn new(
        code: Code,
        range: Range<usize>,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        Diagnostic {
            code,
            severity: code.default_severity(),
            range,
            message: message.into(),
            related: Vec::new(),
            unnecessary: false,
            candidates: Vec::new(),
        }
    }
}

/// What a rule sees: the workspace and the file being checked.
pub(crate) struct Context<'a> {
    pub ws: &'a Workspace,
    pub file: FileId,
    pub entry: &'a FileEntry,
    /// The file's text, read once (it may be parked: see `FileText`).
    text: Arc<str>,
}

impl<'a> Context<'a> {
    fn new(ws: &'a Workspace, file: FileId, entry: &'a FileEntry) -> Self {
        let text = entry.text();
        Context {
            ws,
            file,
            entry,
            text,
        }
    }

    pub fn summary(&self) -> &FileSummary {
        &self.entry.summary
    }

    pub fn text(&self) -> &str {
        &self.text
    }
}

/// A rule's quick fixes for one of its findings: the finding, every
/// finding of the file (a fix may fix several), and where actions go.
type Fixes = fn(&Context, &Diagnostic, &[Diagnostic], &mut Vec<CodeAction>);

/// The quick fixes that the rule of `diagnostic` offers for it; `found`
/// holds every finding of the file (`diagnostics(ws, file)`).
pub fn quick_fixes(
    ws: &Workspace,
    file: FileId,
    diagnostic: &Diagnostic,
    found: &[Diagnostic],
) -> Vec<CodeAction> {
    let mut actions = Vec::new();
    if let Some(fixes) = fixes_of(diagnostic.code) {
        let ctx = Context::new(ws, file, ws.entry(file));
        fixes(&ctx, diagnostic, found, &mut actions);
    }
    for action in &mut actions {
        action.fixes = Some((diagnostic.code, diagnostic.range.clone()));
    }
    actions
}

/// Every finding in a file, with configured severities, without the codes
/// turned off or silenced by `%% ignore:`, sorted by position.
pub fn diagnostics(ws: &Workspace, file: FileId) -> Vec<Diagnostic> {
    diagnostics_of(ws, file, ws.entry(file))
}

/// [`diagnostics`] of a file whose entry the caller holds: the linter's
/// workspace holds only outlines ([`crate::PreparedFile::outline`]), and
/// it checks each file from its text read again and its summary.
pub fn diagnostics_of(ws: &Workspace, file: FileId, entry: &FileEntry) -> Vec<Diagnostic> {
    let ctx = Context::new(ws, file, entry);
    let mut found = Vec::new();
    for check in CHECKS {
        check(&ctx, &mut found);
    }
    finish(ws, ctx.summary(), found)
}

/// A rule: the findings of one code in the file of `Context`.
type Check = fn(&Context, &mut Vec<Diagnostic>);

/// Applies configured severities and `%% ignore:` directives, and sorts.
fn finish(ws: &Workspace, summary: &FileSummary, found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut kept: Vec<Diagnostic> = found
        .into_iter()
        .filter(|d| !is_silenced(summary, d))
        .filter_map(|mut d| {
            d.severity = ws.config().severity(d.code)?;
            Some(d)
        })
        .collect();
    kept.sort_by_key(|d| (d.range.start, d.range.end, d.code));
    kept
}

/// Whether a directive silences `diagnostic`: one alone on its line, above
/// the finding's first line; one at the end of a line, on any of the
/// finding's lines (annotators put it after a claim's last line).
fn is_silenced(summary: &FileSummary, diagnostic: &Diagnostic) -> bool {
    let lines = &summary.lines;
    let range = &diagnostic.range;
    let first = lines.line(range.start);
    let last = lines.line(range.end.saturating_sub(1).max(range.start));
    summary
        .directives
        .iter()
        .filter(|directive| {
            let trailing = lines.line(directive.range.start) == directive.target_line;
            directive.target_line == first
                || trailing && (first..=last).contains(&directive.target_line)
        })
        .any(|directive| {
            directive
                .codes
                .iter()
                .any(|(code, _)| code == diagnostic.code.as_str())
        })
}

/// The `io` finding for a file that could not be read or is not text.
pub fn io_error(ws: &Workspace, message: impl Into<Cow<'static, str>>) -> Option<Diagnostic> {
    let mut diagnostic = Diagnostic::new(Code::Io, 0..0, message);
    diagnostic.severity = ws.config().severity(Code::Io)?;
    Some(diagnostic)
}

#[cfg(test)]
mod tests;
