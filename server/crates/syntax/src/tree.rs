//! Parsing: text in, a [`SyntaxTree`] out, always.
//!
//! One parser per thread is reused. Every parse has a deadline, checked by
//! tree-sitter's progress callback, so a pathological file cannot stall the
//! server or the linter; a parse cut short yields an empty tree and a
//! syntax error that says so.

use std::cell::RefCell;
use std::ops::ControlFlow;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ropey::Rope;
use tree_sitter::{InputEdit, ParseOptions, ParseState, Parser, Tree};

use crate::ast::Document;
use crate::errors::{self, SyntaxError};
use crate::kind::GRAMMAR;
use crate::position::{EditCursor, ts_point_after};
use crate::walk::Preorder;

/// A parsed file: its text and its tree, immutable. Cloning is cheap (the
/// text is shared and tree-sitter trees are reference counted).
#[derive(Clone)]
pub struct SyntaxTree {
    text: Arc<str>,
    tree: Tree,
    cut_short: Option<CutShort>,
}

/// Why a text has an empty tree instead of its own.
#[derive(Debug, Clone, Copy)]
enum CutShort {
    /// The parse reached its deadline after this long.
    Deadline(Duration),
    /// The text is over [`MAX_PARSED_BYTES`] and was not parsed.
    TooLarge,
}

/// Texts above this size are not parsed: they get an empty tree and one
/// syntax error that says so. Real articles are far smaller; a file this
/// large is generated or pasted by mistake, and its tree would need about
/// twenty times its size in memory (a 100 MB file took 2.2 GB, and its
/// parse still ran out of time).
pub const MAX_PARSED_BYTES: usize = 16 * 1024 * 1024;

thread_local! {
    static PARSER: RefCell<Parser> = RefCell::new({
        let mut parser = Parser::new();
        parser
            .set_language(&GRAMMAR.language)
            .expect("the grammar's ABI is supported by the linked tree-sitter");
        parser
    });
}

/// How long a parse may take: two seconds, plus a tenth of a second per
/// megabyte (real files parse at 20 MB/s or more; only pathological input,
/// where error recovery explodes, comes near this).
pub fn default_parse_budget(text_len: usize) -> Duration {
    Duration::from_secs(2) + Duration::from_millis((text_len / 10_000) as u64)
}

impl SyntaxTree {
    /// Parses a whole file with the default time budget.
    pub fn parse(text: impl Into<Arc<str>>) -> Self {
        let text = text.into();
        let budget = default_parse_budget(text.len());
        Self::parse_with(text, None, budget)
    }

    /// Parses `text`, reusing `old_tree` (which must already carry every
    /// edit, see [`input_edit`]) and stopping after `budget`. A text over
    /// [`MAX_PARSED_BYTES`] is not parsed.
    pub fn parse_with(
        text: impl Into<Arc<str>>,
        old_tree: Option<&Tree>,
        budget: Duration,
    ) -> Self {
        let text = text.into();
        if text.len() > MAX_PARSED_BYTES {
            return Self::empty(text, CutShort::TooLarge);
        }
        let started = Instant::now();
        let deadline = started + budget;
        let mut past_deadline = |_: &ParseState| {
            if Instant::now() >= deadline {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        let old_tree = old_tree.map(without_reusable_errors);
        let old_tree = old_tree.as_ref();
        let parsed = PARSER.with_borrow_mut(|parser| {
            let bytes = text.as_bytes();
            let mut read = |offset: usize, _| bytes.get(offset..).unwrap_or_default();
            let options = ParseOptions::new().progress_callback(&mut past_deadline);
            let tree = parser.parse_with_options(&mut read, old_tree, Some(options));
            if tree.is_none() {
                parser.reset();
            }
            tree
        });
        match parsed {
            Some(tree) => Self {
                text,
                tree,
                cut_short: None,
            },
            None => Self::empty(text, CutShort::Deadline(started.elapsed())),
        }
    }

    /// `text` with the tree of an empty file.
    fn empty(text: Arc<str>, why: CutShort) -> Self {
        let empty = PARSER
            .with_borrow_mut(|parser| parser.parse("", None))
            .expect("an empty text parses without a deadline");
        Self {
            text,
            tree: empty,
            cut_short: Some(why),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn shared_text(&self) -> &Arc<str> {
        &self.text
    }

    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    pub fn document(&self) -> Document<'_> {
        Document::new(self.tree.root_node(), &self.text)
    }

    /// Enter and leave events for every construct, in text order.
    pub fn walk(&self) -> Preorder<'_> {
        Preorder::new(self.tree.root_node(), &self.text)
    }

    /// The top-level parts of the file (blocks, comments and directives
    /// between them, errors), in text order. A part's summary depends only
    /// on its own text, which lets callers reuse work for unchanged parts.
    /// Empty when the parse was cut short.
    pub fn top_level(&self) -> impl Iterator<Item = TopLevel<'_>> {
        self.top_level_from(0)
    }

    /// The top-level parts from the first one that ends after `offset`
    /// (from the very first when `offset` is 0).
    pub(crate) fn top_level_from(&self, offset: usize) -> impl Iterator<Item = TopLevel<'_>> {
        let source: &str = &self.text;
        let root = self.tree.root_node();
        // When recovery gives up on the whole file, the root itself is the
        // error: it is then the one part.
        let mut whole_file_error = root.is_error().then_some(TopLevel { node: root, source });
        // A cursor steps to each next child in constant time (and finds the
        // first one for an offset in logarithmic time); indexing children
        // one by one would cost O(n²) over thousands of blocks.
        let mut cursor = root.walk();
        let mut started = whole_file_error.is_some();
        std::iter::from_fn(move || {
            if let Some(part) = whole_file_error.take() {
                return Some(part);
            }
            if started && cursor.node() == root && root.is_error() {
                return None;
            }
            loop {
                let moved = if started {
                    cursor.goto_next_sibling()
                } else if offset == 0 {
                    cursor.goto_first_child()
                } else {
                    goto_first_child_ending_after(&mut cursor, offset, source.len())
                };
                started = true;
                if !moved {
                    return None;
                }
                let node = cursor.node();
                if node.is_named() {
                    return Some(TopLevel { node, source });
                }
            }
        })
    }

    /// Every syntax error, in text order.
    pub fn errors(&self) -> Vec<SyntaxError> {
        if let Some(why) = self.cut_short {
            let message = match why {
                CutShort::Deadline(elapsed) => format!(
                    "parsing stopped after {} ms: the file is too large or too complex to check ({} bytes)",
                    elapsed.as_millis(),
                    self.text.len()
                ),
                CutShort::TooLarge => format!(
                    "the file is too large to check: {} bytes, and files over {} MB are not parsed",
                    self.text.len(),
                    MAX_PARSED_BYTES >> 20
                ),
            };
            return vec![SyntaxError {
                range: 0..0,
                message,
            }];
        }
        let mut errors: Vec<SyntaxError> =
            self.top_level().flat_map(|part| part.errors()).collect();
        errors.sort_by_key(|error| (error.range.start, error.range.end));
        errors
    }

    /// Whether the parse was stopped by its deadline, or the text was too
    /// large to parse.
    pub fn was_cut_short(&self) -> bool {
        self.cut_short.is_some()
    }

    /// The tree as an S-expression, for tests and fuzzing.
    pub fn to_sexp(&self) -> String {
        self.tree.root_node().to_sexp()
    }
}

/// Moves `cursor` from the root to its first child that ends after
/// `offset`. Tree-sitter's own search gives up when the offset falls in
/// hidden text (blank lines) at the end of a hidden repeat node; the next
/// offsets find the part after it, and a long run of blank lines is
/// walked from the first part.
fn goto_first_child_ending_after(
    cursor: &mut tree_sitter::TreeCursor<'_>,
    offset: usize,
    len: usize,
) -> bool {
    if (offset..len)
        .take(64)
        .any(|goal| cursor.goto_first_child_for_byte(goal).is_some())
    {
        return true;
    }
    if !cursor.goto_first_child() {
        return false;
    }
    while cursor.node().end_byte() <= offset {
        if !cursor.goto_next_sibling() {
            return false;
        }
    }
    true
}

/// A copy of an edited tree in which every top-level part that holds a
/// syntax error is marked as changed, so that a reparse reuses nothing
/// inside it. Tree-sitter reuses untouched subtrees even when error
/// recovery built them, and recovery in the new text may choose
/// otherwise: the incremental tree then differs from a fresh parse of the
/// same text (inserting `}` at byte 11 of `[]@😀\n-\n--{{|[a}i}` kept a
/// claim that a fresh parse gives one more child). Error-free parts are
/// still reused.
fn without_reusable_errors(old_tree: &Tree) -> Tree {
    let mut tree = old_tree.clone();
    let root = old_tree.root_node();
    if !root.has_error() {
        return tree;
    }
    let mut cursor = root.walk();
    let broken: Vec<tree_sitter::Node<'_>> = if root.is_error() {
        vec![root]
    } else {
        root.children(&mut cursor)
            .filter(|part| part.has_error())
            .collect()
    };
    for part in broken {
        // The same text over the same range: only "changed" is recorded.
        tree.edit(&InputEdit {
            start_byte: part.start_byte(),
            old_end_byte: part.end_byte(),
            new_end_byte: part.end_byte(),
            start_position: part.start_position(),
            old_end_position: part.end_position(),
            new_end_position: part.end_position(),
        });
    }
    tree
}

/// One top-level part of a file: a block, a comment or directive between
/// blocks, or text the parser could not place.
#[derive(Clone, Copy)]
pub struct TopLevel<'a> {
    node: tree_sitter::Node<'a>,
    source: &'a str,
}

impl<'a> TopLevel<'a> {
    pub fn range(&self) -> std::ops::Range<usize> {
        self.node.byte_range()
    }

    pub fn text(&self) -> &'a str {
        &self.source[self.node.byte_range()]
    }

    /// Enter and leave events for the part and everything in it.
    pub fn walk(&self) -> Preorder<'a> {
        Preorder::new(self.node, self.source)
    }

    /// The syntax errors inside this part, in text order.
    pub fn errors(&self) -> Vec<SyntaxError> {
        errors::collect(self.node, self.source)
    }
}

impl std::fmt::Debug for TopLevel<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TopLevel({:?})", self.range())
    }
}

impl std::fmt::Debug for SyntaxTree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyntaxTree")
            .field("len", &self.text.len())
            .field("cut_short", &self.cut_short)
            .finish()
    }
}

/// The tree-sitter edit for replacing `start..old_end` of `rope` (the text
/// before the change) with `new_text`. Apply it to the old tree with
/// [`Tree::edit`] before the rope changes, once per change, in order;
/// `cursor` carries the point of each change's start to the next.
pub fn input_edit(
    rope: &Rope,
    start: usize,
    old_end: usize,
    new_text: &str,
    cursor: &mut EditCursor,
) -> InputEdit {
    let start_position = cursor.point(rope, start);
    let removed = rope.byte_slice(start..old_end).to_string();
    InputEdit {
        start_byte: start,
        old_end_byte: old_end,
        new_end_byte: start + new_text.len(),
        start_position,
        old_end_position: ts_point_after(start_position, removed.as_bytes()),
        new_end_position: ts_point_after(start_position, new_text.as_bytes()),
    }
}
