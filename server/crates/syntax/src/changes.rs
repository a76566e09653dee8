//! What changed between two versions of a file, as a stretch of whole
//! top-level parts, so that work done per part (the summary) can be kept
//! for every part outside it.
//!
//! The stretch starts from where the two texts differ (their common prefix
//! and suffix), then grows to whole top-level parts of both versions,
//! including those that touch it. When either version has a syntax error it
//! also grows by every range whose syntax tree-sitter reports as changed
//! (`Tree::changed_ranges`): error recovery can change how text far from
//! an edit parses.

use std::ops::Range;

use tree_sitter::{InputEdit, Point};

use crate::position::ts_point_after;
use crate::tree::{SyntaxTree, TopLevel};

/// The top-level parts that differ between two versions of a file: `old`
/// in the old text, `new` in the new one. Before them both versions have
/// the same text and parts; after them too, moved by [`Self::delta`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedParts {
    pub old: Range<usize>,
    pub new: Range<usize>,
}

impl ChangedParts {
    /// How far everything after the change moved.
    pub fn delta(&self) -> isize {
        self.new.end as isize - self.old.end as isize
    }
}

/// Where two texts differ: `start..old_end` of the old one became
/// `start..new_end` of the new one, and the rest (a common prefix and a
/// common suffix) is the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextChange {
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
}

impl TextChange {
    pub fn between(old: &str, new: &str) -> Self {
        let (old, new) = (old.as_bytes(), new.as_bytes());
        let start = common_prefix(old, new);
        let suffix = common_suffix(&old[start..], &new[start..]);
        TextChange {
            start,
            old_end: old.len() - suffix,
            new_end: new.len() - suffix,
        }
    }

    /// How far the text after the change moved.
    pub fn delta(&self) -> isize {
        self.new_end as isize - self.old_end as isize
    }
}

impl SyntaxTree {
    /// The parts of `self` that differ from `old`, an earlier version of
    /// the same file. `None` when the two cannot be compared part by part:
    /// either parse was cut short, or recovery made the whole file one error.
    pub fn changed_parts(&self, old: &SyntaxTree) -> Option<ChangedParts> {
        if self.was_cut_short() || old.was_cut_short() || self.is_one_error() || old.is_one_error()
        {
            return None;
        }
        let (before, after) = (old.text().as_bytes(), self.text().as_bytes());
        let change = TextChange::between(old.text(), self.text());
        let TextChange {
            start: prefix,
            old_end,
            new_end,
        } = change;
        let delta = change.delta();
        let (mut start, mut end) = (prefix, new_end);
        // Without errors a part's tree depends only on its own text and on
        // the line after it (does it continue the block?), which the parts
        // touching the change cover. Error recovery looks further, so
        // tree-sitter is asked what else changed; it compares every
        // top-level part, which costs about a millisecond per megabyte.
        if old.tree().root_node().has_error() || self.tree().root_node().has_error() {
            let mut edited = old.tree().clone();
            let start_position = ts_point_after(Point::default(), &before[..prefix]);
            edited.edit(&InputEdit {
                start_byte: prefix,
                old_end_byte: old_end,
                new_end_byte: new_end,
                start_position,
                old_end_position: ts_point_after(start_position, &before[prefix..old_end]),
                new_end_position: ts_point_after(start_position, &after[prefix..new_end]),
            });
            for range in edited.changed_ranges(self.tree()) {
                start = start.min(range.start_byte);
                end = end.max(range.end_byte);
            }
        }
        // The window only grows from the textual change, so its end is
        // always in the moved text; a part of the old version may end
        // before, inside or after the change.
        let old_of = |new: usize| (new as isize - delta) as usize;
        let new_of = |old: usize| match old {
            _ if old <= prefix => old,
            _ if old >= old_end => (old as isize + delta) as usize,
            _ => new_end,
        };
        // Whole parts of both versions, until neither adds any.
        let mut first = true;
        loop {
            let mut grown = start..end;
            let new_parts = self
                .top_level_overlapping(start..end, first)
                .map(|part| part.range());
            let old_parts = old
                .top_level_overlapping(start..old_of(end), first)
                .map(|part| new_of(part.range().start)..new_of(part.range().end));
            for range in new_parts.chain(old_parts) {
                grown = grown.start.min(range.start)..grown.end.max(range.end);
            }
            first = false;
            if grown == (start..end) {
                break;
            }
            (start, end) = (grown.start, grown.end);
        }
        Some(ChangedParts {
            old: start..old_of(end),
            new: start..end,
        })
    }

    /// The top-level parts that lie within `range`: those that start in it
    /// and end by its end. An empty part at `range.end` is not one of them.
    pub fn top_level_within(&self, range: Range<usize>) -> impl Iterator<Item = TopLevel<'_>> {
        self.top_level_from(range.start.saturating_sub(1))
            .skip_while(move |part| part.range().start < range.start)
            .take_while(move |part| part.range().start < range.end)
    }

    /// Parts that overlap `window`; with `touching`, also those that end
    /// where it starts or start where it ends. Empty parts and an empty
    /// window overlap what they touch.
    fn top_level_overlapping(
        &self,
        window: Range<usize>,
        touching: bool,
    ) -> impl Iterator<Item = TopLevel<'_>> {
        let Range { start, end } = window;
        let touching = touching || start == end;
        self.top_level_from(start.saturating_sub(1))
            .take_while(move |part| {
                let range = part.range();
                range.start < end || (touching || range.is_empty()) && range.start == end
            })
            .filter(move |part| {
                let range = part.range();
                range.end > start || (touching || range.is_empty()) && range.end == start
            })
    }

    fn is_one_error(&self) -> bool {
        self.tree().root_node().is_error()
    }
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    // Compared in blocks first: the texts are often megabytes long.
    const BLOCK: usize = 128;
    let mut at = 0;
    while at + BLOCK <= a.len().min(b.len()) && a[at..at + BLOCK] == b[at..at + BLOCK] {
        at += BLOCK;
    }
    at + a[at..]
        .iter()
        .zip(&b[at..])
        .take_while(|(x, y)| x == y)
        .count()
}

fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 128;
    let mut len = 0;
    while len + BLOCK <= a.len().min(b.len())
        && a[a.len() - len - BLOCK..a.len() - len] == b[b.len() - len - BLOCK..b.len() - len]
    {
        len += BLOCK;
    }
    len + a[..a.len() - len]
        .iter()
        .rev()
        .zip(b[..b.len() - len].iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changed(old: &str, new: &str) -> (String, String) {
        let parts = SyntaxTree::parse(new)
            .changed_parts(&SyntaxTree::parse(old))
            .unwrap();
        (old[parts.old].to_owned(), new[parts.new].to_owned())
    }

    #[test]
    fn an_edit_inside_a_paragraph_changes_that_paragraph() {
        let old = "# T\n\nFirst {a | @x}.\n\nSecond 가 😀.\n\nThird.\n";
        let new = "# T\n\nFirst {a | @x}.\n\nSecond 가 😀 more.\n\nThird.\n";
        assert_eq!(
            changed(old, new),
            ("Second 가 😀.\n\n".into(), "Second 가 😀 more.\n\n".into())
        );
    }

    #[test]
    fn an_edit_that_joins_two_paragraphs_changes_both() {
        let old = "One.\n\nTwo.\n\nThree.\n";
        let new = "One.\nTwo.\n\nThree.\n";
        let (before, after) = changed(old, new);
        assert_eq!(after, "One.\nTwo.\n\n");
        assert!(before.starts_with("One.\n") && before.contains("Two.\n"));
    }

    #[test]
    fn an_opened_claim_changes_only_its_block() {
        let old = "A {b | @c} d.\r\n\r\nE f.\r\n";
        let new = "A {b | @c} {d.\r\n\r\nE f.\r\n";
        assert_eq!(
            changed(old, new),
            (
                "A {b | @c} d.\r\n\r\n".into(),
                "A {b | @c} {d.\r\n\r\n".into()
            )
        );
    }

    #[test]
    fn equal_texts_change_nothing_or_one_part() {
        let text = "One.\n\nTwo.\n";
        let (before, after) = changed(text, text);
        assert_eq!(before, after);
        assert!(before.len() <= "Two.\n".len());
    }

    #[test]
    fn a_deletion_to_the_end_after_an_error() {
        assert_eq!(changed("]@lavrov", "]@"), ("]@lavrov".into(), "]@".into()));
    }

    #[test]
    fn parts_within_a_range() {
        let tree = SyntaxTree::parse("One.\n\nTwo.\n\n\n\nThree.\n");
        let within =
            |range| -> Vec<&str> { tree.top_level_within(range).map(|p| p.text()).collect() };
        // A block takes the blank lines after it.
        assert_eq!(within(6..11), ["Two.\n\n\n\n"]);
        assert_eq!(within(5..11), ["Two.\n\n\n\n"]);
        assert_eq!(within(6..20), ["Two.\n\n\n\n", "Three.\n"]);
        assert_eq!(within(12..20), ["Three.\n"]);
        assert_eq!(within(0..5), ["One.\n\n"]);
    }

    #[test]
    fn parts_after_many_blank_lines_are_found() {
        // Blank lines at the start of a file are top-level nodes of their
        // own (after a block, they are part of it).
        let text = format!("{}One.\n\nTwo.\n", "\n".repeat(500));
        let tree = SyntaxTree::parse(text.as_str());
        let from = |offset| tree.top_level_from(offset).next().map(|p| p.text());
        assert_eq!(from(3), Some("One.\n\n"));
        assert_eq!(from(300), Some("One.\n\n"));
        assert_eq!(from(503), Some("One.\n\n"));
        assert_eq!(from(507), Some("Two.\n"));
        assert_eq!(from(text.len()), None);
    }
}
