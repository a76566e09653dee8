//! The syntax layer of Newsmark: parsing, a typed view over the tree, syntax
//! errors, and text positions.
//!
//! ```
//! use newsmark_syntax::{SyntaxTree, Syntax, WalkEvent};
//!
//! let tree = SyntaxTree::parse("[Sergey Lavrov]@lavrov said {it rained | @tass}.\n");
//! let ids: Vec<&str> = tree
//!     .walk()
//!     .filter_map(|event| match event {
//!         WalkEvent::Enter(Syntax::Mention(m)) => m.id().map(|id| id.as_str()),
//!         WalkEvent::Enter(Syntax::Source(s)) => s.id().map(|id| id.as_str()),
//!         _ => None,
//!     })
//!     .collect();
//! assert_eq!(ids, ["lavrov", "tass"]);
//! assert!(tree.errors().is_empty());
//! ```
//!
//! This crate knows nothing of rules, workspaces, disks or the LSP. It is
//! the only code that reads tree-sitter node kinds; all offsets it returns
//! are byte offsets into the file's text.

mod ast;
mod changes;
mod errors;
mod id;
mod kind;
pub mod position;
mod quote;
mod tree;
mod walk;

pub use ast::{
    Block, Claim, Comment, Conduit, Conflict, ConflictVersion, Content, Definition, Directive,
    Document, Editorial, EntityId, Escape, FrontMatter, Heading, Hedge, Label, LabelName, Mention,
    Paragraph, Property, Reference, Source, Stance, StanceKind, Unfinished,
};
pub use changes::{ChangedParts, TextChange};
pub use errors::{MISSING_COMMA, SECOND_BAR, SyntaxError, TRAILING_COMMA};
pub use id::{ID_RULE, is_id_char, is_valid_id, normalized_id};
pub use position::{Encoding, Position};
pub use quote::{
    MAX_QUOTE_DEPTH, QUOTATION_MARKS, Quotation, QuoteKind, QuotePart, continued_quotes, quotation,
};
pub use tree::{MAX_PARSED_BYTES, SyntaxTree, TopLevel, default_parse_budget, input_edit};
pub use walk::{Preorder, Syntax, WalkEvent};

/// Re-exported so callers can edit trees and ropes without naming versions.
pub use ropey::Rope;
pub use tree_sitter::{InputEdit, Tree};
