//! Diagnostics: one module per code, one list of the codes with their
//! names, default severities and modules ([`rules!`]), and the pipeline that runs the rules on a file, applies
//! `newsmark.toml` severities and honours `%% ignore:` directives.
//!
//! Each rule's `DOC` is its user documentation (what it flags, why, an
//! example, how to fix, how to silence). `docs/rules.md` is generated from
//! it, and hover on a code in `%% ignore:` shows the same text.

pub(crate) mod conflicting_attribution;
mod doc;
mod duplicate_definition;
mod empty_claim;
mod empty_mention;
mod invalid_date;
mod io;
mod missing_kind;
mod syntax;
pub(crate) mod undefined_entity;
pub(crate) mod unknown_kind;
pub(crate) mod unknown_property;
mod unsourced_claim;
mod untagged_mention;
mod unused_entity;

use std::ops::Range;

pub use doc::rules_markdown;
pub use unknown_kind::KINDS;
pub use unknown_property::{DEFINITION_KEYS, FRONT_MATTER_KEYS};

use crate::summary::FileSummary;
use crate::workspace::{FileEntry, FileId, Workspace};

/// The rule registry, the one list of codes: each line is a code's
/// variant, its name (stable, used in output, in `newsmark.toml` and in
/// `%% ignore:` directives), its default severity, and its module, whose
/// `DOC` documents it and whose `check` (when it has one) finds it. The
/// order is the order in which rules run and are documented.
macro_rules! rules {
    ($($code:ident => $name:literal, $severity:ident, $module:ident $(, $check:ident)?;)*) => {
        /// A diagnostic code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($code,)*
        }

        impl Code {
            pub const ALL: [Code; [$(stringify!($code)),*].len()] = [$(Code::$code,)*];

            /// The code → (name, default severity, documentation) table.
            fn info(self) -> (&'static str, Severity, &'static str) {
                match self {
                    $(Code::$code => ($name, Severity::$severity, $module::DOC),)*
                }
            }
        }

        /// The rules that look at a file, in order.
        const CHECKS: &[fn(&Context, &mut Vec<Diagnostic>)] = &[$($($module::$check,)?)*];
    };
}

rules! {
    Syntax => "syntax", Error, syntax, check;
    UnsourcedClaim => "unsourced-claim", Warning, unsourced_claim, check;
    UndefinedEntity => "undefined-entity", Error, undefined_entity, check;
    DuplicateDefinition => "duplicate-definition", Error, duplicate_definition, check;
    UnknownKind => "unknown-kind", Warning, unknown_kind, check;
    MissingKind => "missing-kind", Warning, missing_kind, check;
    UnknownProperty => "unknown-property", Warning, unknown_property, check;
    InvalidDate => "invalid-date", Warning, invalid_date, check;
    EmptyClaim => "empty-claim", Warning, empty_claim, check;
    EmptyMention => "empty-mention", Warning, empty_mention, check;
    UnusedEntity => "unused-entity", Hint, unused_entity, check;
    UntaggedMention => "untagged-mention", Hint, untagged_mention, check;
    ConflictingAttribution => "conflicting-attribution", Warning, conflicting_attribution, check;
    // Found by the front ends, which read the files: see `io_error`.
    Io => "io", Error, io;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        [
            Severity::Error,
            Severity::Warning,
            Severity::Info,
            Severity::Hint,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }
}

impl Code {
    pub fn as_str(self) -> &'static str {
        self.info().0
    }

    pub fn default_severity(self) -> Severity {
        self.info().1
    }

    /// The rule's documentation in Markdown, starting with a one-line summary.
    pub fn doc(self) -> &'static str {
        self.info().2
    }

    /// The first line of the documentation.
    pub fn summary(self) -> &'static str {
        self.doc().lines().next().unwrap_or_default()
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Code::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// A finding in one file. Ranges are byte offsets into that file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub range: Range<usize>,
    pub message: String,
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
    pub(crate) fn new(code: Code, range: Range<usize>, message: impl Into<String>) -> Self {
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
}

impl Context<'_> {
    pub fn summary(&self) -> &FileSummary {
        &self.entry.summary
    }

    pub fn text(&self) -> &str {
        &self.entry.text
    }
}

/// Every finding in a file, with configured severities, without the codes
/// turned off or silenced by `%% ignore:`, sorted by position.
pub fn diagnostics(ws: &Workspace, file: FileId) -> Vec<Diagnostic> {
    let ctx = Context {
        ws,
        file,
        entry: ws.entry(file),
    };
    let mut found = Vec::new();
    for check in CHECKS {
        check(&ctx, &mut found);
    }
    finish(ws, ctx.summary(), found)
}

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

fn is_silenced(summary: &FileSummary, diagnostic: &Diagnostic) -> bool {
    let line = summary.lines.line(diagnostic.range.start);
    summary
        .directives
        .iter()
        .filter(|directive| directive.target_line == line)
        .any(|directive| {
            directive
                .codes
                .iter()
                .any(|(code, _)| code == diagnostic.code.as_str())
        })
}

/// The `io` finding for a file that could not be read or is not text.
pub fn io_error(ws: &Workspace, message: impl Into<String>) -> Option<Diagnostic> {
    let mut diagnostic = Diagnostic::new(Code::Io, 0..0, message);
    diagnostic.severity = ws.config().severity(Code::Io)?;
    Some(diagnostic)
}

#[cfg(test)]
mod tests;
