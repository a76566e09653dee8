//! Diagnostic codes and severities, and the rule registry: the one list
//! of the codes ([`rules!`]). It sits below the configuration, which names
//! codes, and below the workspace; the rules themselves (`crate::rules`)
//! read the same list to add each code's documentation, check and fixes.

/// The rule registry, the one list of codes: each line is a code's
/// variant, its name (stable, used in output, in `newsmark.toml` and in
/// `%% ignore:` directives), its default severity, and its module in
/// `rules/`, whose `DOC` documents it, whose `check` (when it has one)
/// finds it and whose `fixes` (when it has them) offers quick fixes. The
/// order is the order in which rules run and are documented.
///
/// The list is handed to `$table`, a macro of the caller's: this module
/// makes the code table from it, `rules/mod.rs` the checks and fixes.
macro_rules! rules {
    ($table:ident) => {
        $table! {
            Syntax => "syntax", Error, syntax, check, fixes;
            UnsourcedClaim => "unsourced-claim", Warning, unsourced_claim, check, fixes;
            UndefinedEntity => "undefined-entity", Error, undefined_entity, check, fixes;
            DuplicateDefinition => "duplicate-definition", Error, duplicate_definition, check;
            UnknownKind => "unknown-kind", Warning, unknown_kind, check;
            MissingKind => "missing-kind", Warning, missing_kind, check;
            UnknownProperty => "unknown-property", Warning, unknown_property, check;
            InvalidDate => "invalid-date", Warning, invalid_date, check;
            EmptyClaim => "empty-claim", Warning, empty_claim, check;
            EmptyMention => "empty-mention", Warning, empty_mention, check;
            UnusedEntity => "unused-entity", Hint, unused_entity, check;
            UntaggedMention => "untagged-mention", Hint, untagged_mention, check, fixes;
            ConflictingAttribution => "conflicting-attribution", Warning, conflicting_attribution, check;
            UnknownLabel => "unknown-label", Error, unknown_label, check;
            DuplicateLabel => "duplicate-label", Error, duplicate_label, check;
            SelfStance => "self-stance", Warning, self_stance, check;
            UnknownCode => "unknown-code", Warning, unknown_code, check, fixes;
            CommaJoinedIds => "comma-joined-ids", Warning, comma_joined_ids, check, fixes;
            UnmarkedHedge => "unmarked-hedge", Hint, unmarked_hedge, check, fixes;
            UnresolvedConflict => "unresolved-conflict", Error, unresolved_conflict, check, fixes;
            InvalidReview => "invalid-review", Warning, invalid_review, check;
            // Found by the front ends, which read the files: see `rules::io_error`.
            Io => "io", Error, io;
            // Found by `newsmark agree`, between annotators' versions.
            Disagreement => "disagreement", Warning, disagreement;
            TextMismatch => "text-mismatch", Warning, text_mismatch;
        }
    };
}
pub(crate) use rules;

macro_rules! code_table {
    ($($code:ident => $name:literal, $severity:ident, $module:ident $(, $check:ident $(, $fixes:ident)?)?;)*) => {
        /// A diagnostic code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($code,)*
        }

        impl Code {
            pub const ALL: [Code; [$(stringify!($code)),*].len()] = [$(Code::$code,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$code => $name,)*
                }
            }

            pub fn default_severity(self) -> Severity {
                match self {
                    $(Code::$code => Severity::$severity,)*
                }
            }
        }
    };
}
rules!(code_table);

impl Code {
    pub fn from_name(name: &str) -> Option<Self> {
        Code::ALL.into_iter().find(|c| c.as_str() == name)
    }
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
