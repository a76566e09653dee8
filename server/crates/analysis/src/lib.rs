//! The analysis layer of Newsmark: per-file summaries, the workspace index,
//! the rules, and the editor features, all as plain data.
//!
//! ```
//! use newsmark_analysis::{Config, Workspace, diagnostics};
//!
//! let mut ws = Workspace::new(Config::default());
//! ws.set_file("entities.nmk", "@us: United States\n  kind: country\n".into());
//! let article = ws.set_file("a.nmk", "{Munitions were supplied | @us} and {no source}.\n".into()).file;
//! let codes: Vec<&str> = diagnostics(&ws, article).iter().map(|d| d.code.as_str()).collect();
//! assert_eq!(codes, ["unsourced-claim"]);
//! ```
//!
//! Invariants: no LSP types, no JSON, no tokio, no disk and no stdout here.
//! Offsets are byte offsets into a file's text; front ends turn them into
//! line and column at their edge (see `newsmark_syntax::position`).

pub mod agreement;
pub mod alignment;
pub mod changes;
pub mod code;
pub mod code_actions;
pub mod code_lens;
pub mod completion;
pub mod config;
pub mod cross_file;
pub mod date;
pub mod disagreements;
pub mod document_links;
pub mod edit;
pub mod export;
pub mod file_text;
pub mod folding;
pub mod graph;
pub mod hover;
pub mod inlay_hints;
pub mod lexicon;
pub mod line_hits;
pub mod markdown;
pub mod markup_writer;
pub mod merge;
pub mod navigation;
pub mod reliability;
pub mod rename;
pub mod review;
pub mod rules;
pub mod selection;
pub mod semantic_tokens;
pub mod stats;
pub mod summary;
pub mod symbols;
pub mod untagged;
pub mod words;
pub mod workspace;

#[cfg(test)]
mod fixture;

pub use code::{Code, Severity};
pub use config::{CONFIG_FILE, Config, ConfigError};
pub use file_text::{FileText, ParkedText};
pub use rules::{Diagnostic, Related, diagnostics, diagnostics_of};
pub use summary::{FileSummary, Name, SummaryCache};
pub use workspace::{
    DefinitionRef, FileEntry, FileId, LineSpan, PreparedFile, Update, UsageCounts, Workspace,
};
