//! An open document: its rope, its version and its tree, and the
//! incremental edits that keep the three in step.
//!
//! Each content change is converted against the rope as it is at that
//! point, applied to the tree (`Tree::edit`, with tree-sitter points
//! computed from byte offsets) and then to the rope, in order. The tree is
//! reparsed once, lazily, after every queued change has been applied, with
//! a deadline. A notification that cannot apply (its version goes
//! backwards, a range ends before it starts) leaves the document exactly as
//! it was: the changes apply to copies (O(1) for ropes and trees) that
//! replace the originals only when every change succeeded.

use std::fmt;
use std::sync::Arc;

use newsmark_analysis::{FileSummary, SummaryCache};
use newsmark_syntax::position::EditCursor;
use newsmark_syntax::{
    Encoding, MAX_PARSED_BYTES, Rope, SyntaxTree, Tree, default_parse_budget, input_edit,
};
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};
use tracing::warn;

use crate::from_proto;

#[derive(Debug)]
pub struct Document {
    pub uri: Uri,
    pub version: i32,
    pub rope: Rope,
    /// The last parse; its text is the rope's text unless `edited` is set.
    parsed: SyntaxTree,
    /// The last parse's tree with every edit since applied, waiting for
    /// the reparse; `None` after a full-text change (nothing to reuse).
    edited: Option<Option<Tree>>,
    /// Summaries of the last version's blocks, reused for unchanged ones.
    summaries: SummaryCache,
    /// Where the last change started, for the tree's edits.
    cursor: EditCursor,
}

/// Why a `didChange` was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeError {
    VersionWentBack { current: i32, received: i32 },
    ReversedRange { index: usize },
}

impl fmt::Display for ChangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChangeError::VersionWentBack { current, received } => write!(
                f,
                "version {received} is older than the document's version {current}"
            ),
            ChangeError::ReversedRange { index } => {
                write!(
                    f,
                    "content change {index} has a range that ends before it starts"
                )
            }
        }
    }
}

/// Parses a file's text with the default deadline, reusing `old_tree`
/// (already edited). Texts over [`MAX_PARSED_BYTES`] are kept but not
/// parsed: parsing them would hold every edit of every document back for
/// seconds; their tree reports the file as one syntax error.
pub fn parse(name: &str, text: Arc<str>, old_tree: Option<&Tree>) -> SyntaxTree {
    if text.len() > MAX_PARSED_BYTES {
        warn!(
            "{name}: {:.1} MB is more than the {} MB that are checked; not parsed",
            text.len() as f64 / 1e6,
            MAX_PARSED_BYTES >> 20
        );
    }
    let budget = default_parse_budget(text.len());
    SyntaxTree::parse_with(text, old_tree, budget)
}

impl Document {
    /// A new open document; it is parsed on first use.
    pub fn open(uri: Uri, version: i32, text: String) -> Self {
        let rope = Rope::from_str(&text);
        Self {
            uri,
            version,
            rope,
            parsed: SyntaxTree::parse(""),
            edited: Some(None),
            summaries: SummaryCache::default(),
            cursor: EditCursor::default(),
        }
    }

    /// Applies one `didChange` notification's changes, in order.
    pub fn apply_changes(
        &mut self,
        version: i32,
        changes: &[TextDocumentContentChangeEvent],
        encoding: Encoding,
    ) -> Result<(), ChangeError> {
        if version < self.version {
            return Err(ChangeError::VersionWentBack {
                current: self.version,
                received: version,
            });
        }
        let mut rope = self.rope.clone();
        let mut cursor = self.cursor;
        let mut tree = match &self.edited {
            Some(edited) => edited.clone(),
            // A parse cut short by its deadline has an empty tree that does
            // not describe the text: nothing to reuse.
            None if self.parsed.was_cut_short() => None,
            None => Some(self.parsed.tree().clone()),
        };
        for (index, change) in changes.iter().enumerate() {
            let Some(range) = change.range else {
                rope = Rope::from_str(&change.text);
                tree = None;
                cursor = EditCursor::default();
                continue;
            };
            let range = from_proto::range(&rope, range, encoding)
                .ok_or(ChangeError::ReversedRange { index })?;
            // The cursor must see every change to the rope, or it would
            // count on from text that moved.
            match &mut tree {
                Some(tree) => tree.edit(&input_edit(
                    &rope,
                    range.start,
                    range.end,
                    &change.text,
                    &mut cursor,
                )),
                None => cursor = EditCursor::default(),
            }
            let start = rope.byte_to_char(range.start);
            let end = rope.byte_to_char(range.end);
            rope.remove(start..end);
            rope.insert(start, &change.text);
        }
        self.rope = rope;
        self.cursor = cursor;
        self.edited = Some(tree);
        self.version = version;
        Ok(())
    }

    /// The tree of the current text, reparsing once if edits are pending.
    pub fn syntax(&mut self) -> &SyntaxTree {
        if let Some(edited) = self.edited.take() {
            let text: Arc<str> = Arc::from(String::from(&self.rope));
            self.parsed = parse(self.uri.as_str(), text, edited.as_ref());
        }
        &self.parsed
    }

    /// The tree and summary of the current text; the summary re-walks only
    /// the blocks whose text changed since the last call.
    pub fn summarize(&mut self) -> (SyntaxTree, Arc<FileSummary>) {
        let tree = self.syntax().clone();
        let summary = FileSummary::from_tree_cached(&tree, &mut self.summaries);
        (tree, summary)
    }

    pub fn text(&self) -> String {
        String::from(&self.rope)
    }
}

#[cfg(test)]
mod tests {
    use tower_lsp_server::ls_types::{Position, Range};

    use super::*;

    fn change(range: ((u32, u32), (u32, u32)), text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(
                Position::new(range.0.0, range.0.1),
                Position::new(range.1.0, range.1.1),
            )),
            range_length: None,
            text: text.to_owned(),
        }
    }

    /// An open document, parsed, so that later edits reuse its tree.
    fn document(text: &str) -> Document {
        let mut document = Document::open("file:///a.nmk".parse().unwrap(), 1, text.to_owned());
        document.syntax();
        document
    }

    #[test]
    fn changes_apply_in_order_and_match_a_fresh_parse() {
        let mut doc = document("가 {claim | @a}\r\nnext line\rthird\n");
        let changes = [
            change(((0, 2), (0, 3)), "{{"),
            change(((0, 3), (0, 4)), ""),
            change(((1, 0), (1, 4)), "[Next]@next"),
            change(((2, 5), (2, 5)), " 😀 {x | @y}"),
        ];
        doc.apply_changes(2, &changes, Encoding::Utf16).unwrap();
        let expected = "가 {claim | @a}\r\n[Next]@next line\rthird 😀 {x | @y}\n";
        assert_eq!(doc.text(), expected);
        let incremental = doc.syntax().to_sexp();
        assert_eq!(incremental, SyntaxTree::parse(expected).to_sexp());
    }

    #[test]
    fn full_text_change_resets() {
        let mut doc = document("old");
        let full = TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: "new {x}".to_owned(),
        };
        doc.apply_changes(2, &[change(((0, 0), (0, 0)), "zz"), full], Encoding::Utf8)
            .unwrap();
        assert_eq!(doc.text(), "new {x}");
        assert_eq!(
            doc.syntax().to_sexp(),
            SyntaxTree::parse("new {x}").to_sexp()
        );
    }

    #[test]
    fn edits_while_the_text_is_too_long_to_parse_leave_no_stale_point() {
        // Found in review: with no tree to edit, the cursor stayed where
        // the last edit started while the text before it changed, and the
        // next edit counted on from inside a Hangul character (a panic).
        let mut doc = document("a\nb\nc\n");
        let too_long = "x".repeat(MAX_PARSED_BYTES + 1);
        doc.apply_changes(2, &[change(((2, 0), (2, 0)), &too_long)], Encoding::Utf8)
            .unwrap();
        assert!(doc.syntax().was_cut_short());
        doc.apply_changes(3, &[change(((0, 0), (9, 0)), "가나다\n")], Encoding::Utf8)
            .unwrap();
        doc.syntax();
        doc.apply_changes(4, &[change(((0, 9), (0, 9)), "!")], Encoding::Utf8)
            .unwrap();
        assert_eq!(doc.text(), "가나다!\n");
        assert_eq!(
            doc.syntax().to_sexp(),
            SyntaxTree::parse("가나다!\n").to_sexp()
        );
    }

    #[test]
    fn refused_changes_leave_the_document_as_it_was() {
        let mut doc = document("abc\ndef\n");
        doc.apply_changes(5, &[change(((0, 0), (0, 1)), "A")], Encoding::Utf16)
            .unwrap();
        let error = doc
            .apply_changes(4, &[change(((0, 0), (0, 1)), "B")], Encoding::Utf16)
            .unwrap_err();
        assert_eq!(
            error,
            ChangeError::VersionWentBack {
                current: 5,
                received: 4
            }
        );
        let error = doc
            .apply_changes(
                6,
                &[change(((0, 0), (0, 1)), "C"), change(((1, 2), (0, 1)), "D")],
                Encoding::Utf16,
            )
            .unwrap_err();
        assert_eq!(error, ChangeError::ReversedRange { index: 1 });
        assert_eq!(doc.text(), "Abc\ndef\n");
        assert_eq!(doc.version, 5);
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let mut doc = document("ab\ncd");
        doc.apply_changes(2, &[change(((0, 9), (7, 0)), "!")], Encoding::Utf16)
            .unwrap();
        assert_eq!(doc.text(), "ab!");
    }
}
