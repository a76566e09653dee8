//! Newsmark language support for the [tree-sitter] parsing library.
//!
//! Add [`LANGUAGE`] to a tree-sitter [`Parser`] and parse an annotated article:
//!
//! ```
//! let text = "{North Korea supplied munitions | @us}\n";
//! let mut parser = tree_sitter::Parser::new();
//! parser
//!     .set_language(&tree_sitter_newsmark::LANGUAGE.into())
//!     .expect("the grammar's ABI matches the tree-sitter crate");
//! let tree = parser.parse(text, None).unwrap();
//! assert!(!tree.root_node().has_error());
//! ```
//!
//! The language is described in `docs/markup.md` of the Newsmark repository.
//!
//! [`Parser`]: https://docs.rs/tree-sitter/latest/tree_sitter/struct.Parser.html
//! [tree-sitter]: https://tree-sitter.github.io/

use tree_sitter_language::LanguageFn;

#[allow(unsafe_code)]
unsafe extern "C" {
    fn tree_sitter_newsmark() -> *const ();
}

/// The tree-sitter [`LanguageFn`] for this grammar.
#[allow(unsafe_code)]
pub const LANGUAGE: LanguageFn = unsafe { LanguageFn::from_raw(tree_sitter_newsmark) };

/// The content of the [`node-types.json`] file for this grammar.
///
/// [`node-types.json`]: https://tree-sitter.github.io/tree-sitter/using-parsers/6-static-node-types
pub const NODE_TYPES: &str = include_str!("../../src/node-types.json");

/// Syntax highlighting (standard capture names, as Neovim uses them).
pub const HIGHLIGHTS_QUERY: &str = include_str!("../../queries/highlights.scm");

/// Fold ranges: front matter, definitions, paragraphs and claims.
pub const FOLDS_QUERY: &str = include_str!("../../queries/folds.scm");

/// Language injections: comments are handed to the `comment` parser.
pub const INJECTIONS_QUERY: &str = include_str!("../../queries/injections.scm");

/// Definitions and references of entities, for tree-sitter tags.
pub const TAGS_QUERY: &str = include_str!("../../queries/tags.scm");
