//! Every conversion between byte offsets and line/column positions.
//!
//! Lines break at LF, CR and CRLF only (ropey built without
//! `unicode_lines`), as the LSP specification says. Columns count code
//! units of the chosen encoding: bytes (UTF-8), UTF-16 code units (LSP's
//! default) or Unicode scalar values (UTF-32, also what `newsmark check`
//! prints). Out-of-range input is clamped, never a panic: a line past the
//! end means the end of the text, a column past the end of its line means
//! the end of that line, and a column inside a character means its start.
//!
//! An editor's buffer converts on its rope ([`offset_to_position`],
//! [`position_to_offset`]); a file without one, on its [`LineIndex`], which
//! gives the same positions.
//!
//! Tree-sitter's own points differ (rows count only `\n`, columns are
//! bytes); [`EditCursor`] (or [`ts_point`], from the start) computes them
//! for [`crate::input_edit`], [`ts_point_after`] for
//! [`crate::SyntaxTree::changed_parts`], and they are never shown.

mod line_index;

pub use line_index::{
    LineCursor, LineIndex, first_line_len, first_line_with_break_len, last_line_start,
};

use ropey::Rope;
use tree_sitter::Point;

/// The unit that columns count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

/// A zero-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

impl Position {
    pub fn new(line: u32, column: u32) -> Self {
        Self { line, column }
    }
}

/// The position of a byte offset. Offsets past the end, or inside a
/// character, are moved back to the end or to the character's start.
pub fn offset_to_position(rope: &Rope, offset: usize, encoding: Encoding) -> Position {
    let offset = offset.min(rope.len_bytes());
    let char_idx = rope.byte_to_char(offset);
    let line = rope.char_to_line(char_idx);
    let line_start_char = rope.line_to_char(line);
    let column = match encoding {
        Encoding::Utf8 => rope.char_to_byte(char_idx) - rope.line_to_byte(line),
        Encoding::Utf16 => rope.char_to_utf16_cu(char_idx) - rope.char_to_utf16_cu(line_start_char),
        Encoding::Utf32 => char_idx - line_start_char,
    };
    Position::new(to_u32(line), to_u32(column))
}

/// The byte offset of a position, clamped as the module docs describe.
pub fn position_to_offset(rope: &Rope, position: Position, encoding: Encoding) -> usize {
    let line = position.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let line_start_char = rope.line_to_char(line);
    let line_chars = line_len_without_break(rope, line);
    let line_end_char = line_start_char + line_chars;
    let column = position.column as usize;
    let char_idx = match encoding {
        Encoding::Utf32 => line_start_char + column.min(line_chars),
        Encoding::Utf16 => {
            let start_cu = rope.char_to_utf16_cu(line_start_char);
            let end_cu = rope.char_to_utf16_cu(line_end_char);
            // A column inside a surrogate pair rounds down to the character.
            rope.utf16_cu_to_char((start_cu + column).min(end_cu))
        }
        Encoding::Utf8 => {
            let start_byte = rope.char_to_byte(line_start_char);
            let end_byte = rope.char_to_byte(line_end_char);
            rope.byte_to_char((start_byte + column).min(end_byte))
        }
    };
    rope.char_to_byte(char_idx)
}

/// The number of characters on a line, not counting its LF, CR or CRLF.
fn line_len_without_break(rope: &Rope, line: usize) -> usize {
    let slice = rope.line(line);
    let mut len = slice.len_chars();
    if len > 0 && slice.char(len - 1) == '\n' {
        len -= 1;
    }
    if len > 0 && slice.char(len - 1) == '\r' {
        len -= 1;
    }
    len
}

/// The column of byte `offset` within `line` (the text of one line), in
/// `encoding`'s units; an offset inside a character counts from its start.
/// For [`LineIndex`], which knows the line already and needs no rope.
fn column_in_line(line: &str, offset: usize, encoding: Encoding) -> u32 {
    let offset = floor_char_boundary(line, offset.min(line.len()));
    to_u32(encoded_len(&line[..offset], encoding))
}

/// The largest char boundary of `text` at or before `offset`, which must
/// not pass its end (`str::floor_char_boundary` is not stable yet).
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The length of `text` in code units of `encoding`.
pub fn encoded_len(text: &str, encoding: Encoding) -> usize {
    match encoding {
        Encoding::Utf8 => text.len(),
        // The stretches between marks are mostly ASCII, and short: checked
        // a word at a time, they need no counting.
        _ if text.is_ascii() => text.len(),
        // One unit per char, two for a char of four bytes: count the
        // bytes that start a char, and those that start a four-byte one.
        // Byte counts of chunks of 127 fit a `u8` (a byte adds at most 2),
        // so the compiler sums 16 bytes at a time; a `usize` sum took 2.
        Encoding::Utf16 => (text.as_bytes().chunks(127))
            .map(|chunk| {
                let units = (chunk.iter())
                    .map(|&b| u8::from(b & 0xC0 != 0x80) + u8::from(b >= 0xF0))
                    .fold(0u8, u8::wrapping_add);
                usize::from(units)
            })
            .sum(),
        Encoding::Utf32 => text.chars().count(),
    }
}

/// Tree-sitter's point for a byte offset: rows count `\n` only, columns
/// are bytes since the last `\n`.
pub fn ts_point(rope: &Rope, offset: usize) -> Point {
    point_after(
        Point::default(),
        rope.byte_slice(..offset.min(rope.len_bytes())),
    )
}

/// The tree-sitter point of the last edit's start, from which the next
/// edit's is counted: typing or deleting near it counts a few bytes, not
/// every line before it (a keystroke at the end of a 1 MB document read
/// the whole rope). It stays valid while the text before that offset is
/// unchanged, as it is for edits applied in order, each asking for its
/// own start: a change to the text that the cursor does not see must
/// reset it.
#[derive(Debug, Clone, Copy, Default)]
pub struct EditCursor(Option<(usize, Point)>);

impl EditCursor {
    /// The point of `offset` in `rope`, which becomes the cursor's.
    pub fn point(&mut self, rope: &Rope, offset: usize) -> Point {
        let offset = offset.min(rope.len_bytes());
        let point = match self.0 {
            Some((at, point)) if at <= offset => point_after(point, rope.byte_slice(at..offset)),
            // Back on the same line (a deletion before the cursor): the
            // column counts the bytes since the line's start.
            Some((at, point)) if at - offset <= point.column => {
                Point::new(point.row, point.column - (at - offset))
            }
            _ => ts_point(rope, offset),
        };
        self.0 = Some((offset, point));
        point
    }
}

fn point_after(start: Point, text: ropey::RopeSlice) -> Point {
    (text.chunks()).fold(start, |point, chunk| {
        ts_point_after(point, chunk.as_bytes())
    })
}

/// The point reached after `text` when starting at `start`.
pub fn ts_point_after(start: Point, text: &[u8]) -> Point {
    // memchr, not a byte loop: an edit at the end of a 1 MB document
    // counts every line before it.
    match memchr::memrchr(b'\n', text) {
        Some(last) => Point::new(
            start.row + memchr::memchr_iter(b'\n', text).count(),
            text.len() - last - 1,
        ),
        None => Point::new(start.row, start.column + text.len()),
    }
}

fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SyntaxTree;
    use proptest::prelude::*;

    #[test]
    fn an_edit_cursor_gives_the_point_counted_from_the_start() {
        let text = "가나 {a}\r\n😀 b\rc\n\nЖ\n";
        let rope = Rope::from_str(text);
        let boundaries: Vec<usize> = (0..=text.len())
            .filter(|&at| text.is_char_boundary(at))
            .collect();
        for &first in &boundaries {
            for &second in &boundaries {
                let mut cursor = EditCursor::default();
                assert_eq!(cursor.point(&rope, first), ts_point(&rope, first));
                assert_eq!(
                    cursor.point(&rope, second),
                    ts_point(&rope, second),
                    "{first} then {second}"
                );
            }
        }
    }

    #[test]
    fn encoded_len_counts_long_texts_of_every_width() {
        // Past the 127-byte chunks the UTF-16 count sums in, each chunk
        // cut inside a character somewhere.
        for text in [
            "a".repeat(1_000),
            format!("{}é", "a".repeat(1_000)),
            format!("a{}", "😀".repeat(40)),
            "😀".repeat(100),
            "Лавров ".repeat(60),
            format!("{}x{}", "서울".repeat(70), "🇰🇷".repeat(33)),
        ] {
            assert_eq!(encoded_len(&text, Encoding::Utf8), text.len());
            assert_eq!(
                encoded_len(&text, Encoding::Utf16),
                text.encode_utf16().count()
            );
            assert_eq!(encoded_len(&text, Encoding::Utf32), text.chars().count());
        }
    }

    const TEXT: &str = "가a😀\r\nb\rc\n";

    #[test]
    fn lines_break_at_lf_cr_and_crlf_only() {
        let rope = Rope::from_str("a\u{2028}b\u{000C}c\r\nd😀e\n");
        assert_eq!(rope.len_lines(), 3);
        let rope = Rope::from_str(TEXT);
        assert_eq!(rope.len_lines(), 4);
    }

    #[test]
    fn columns_count_the_chosen_unit() {
        let rope = Rope::from_str(TEXT);
        // After 가 (3 bytes, 1 UTF-16 unit), a, 😀 (4 bytes, 2 units).
        let end_of_emoji = "가a😀".len();
        assert_eq!(
            offset_to_position(&rope, end_of_emoji, Encoding::Utf8),
            Position::new(0, 8)
        );
        assert_eq!(
            offset_to_position(&rope, end_of_emoji, Encoding::Utf16),
            Position::new(0, 4)
        );
        assert_eq!(
            offset_to_position(&rope, end_of_emoji, Encoding::Utf32),
            Position::new(0, 3)
        );
        let b = TEXT.find('b').unwrap();
        let c = TEXT.find('c').unwrap();
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            assert_eq!(offset_to_position(&rope, b, encoding), Position::new(1, 0));
            assert_eq!(offset_to_position(&rope, c, encoding), Position::new(2, 0));
            assert_eq!(position_to_offset(&rope, Position::new(2, 0), encoding), c);
        }
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let rope = Rope::from_str("ab\ncd");
        // A column past the end of a line stays on that line.
        assert_eq!(
            position_to_offset(&rope, Position::new(0, 4), Encoding::Utf16),
            2
        );
        // A line past the end means the end of the text.
        assert_eq!(
            position_to_offset(&rope, Position::new(9, 0), Encoding::Utf16),
            5
        );
        // An offset past the end is the last position.
        assert_eq!(
            offset_to_position(&rope, 99, Encoding::Utf16),
            Position::new(1, 2)
        );
        // A column inside a surrogate pair rounds down to the character.
        let rope = Rope::from_str("😀x");
        assert_eq!(
            position_to_offset(&rope, Position::new(0, 1), Encoding::Utf16),
            0
        );
        // A byte column inside a Hangul syllable rounds down too.
        let rope = Rope::from_str("가x");
        assert_eq!(
            position_to_offset(&rope, Position::new(0, 2), Encoding::Utf8),
            0
        );
    }

    #[test]
    fn column_in_a_line_agrees_with_the_rope() {
        let line = "가a😀 b";
        let rope = Rope::from_str(line);
        for (offset, _) in line.char_indices().chain([(line.len(), ' ')]) {
            for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                assert_eq!(
                    column_in_line(line, offset, encoding),
                    offset_to_position(&rope, offset, encoding).column
                );
            }
        }
        assert_eq!(column_in_line(line, 1, Encoding::Utf16), 0, "inside 가");
        assert_eq!(column_in_line(line, 99, Encoding::Utf32), 5, "past the end");
    }

    #[test]
    fn crlf_line_end_is_not_part_of_the_line() {
        let rope = Rope::from_str("ab\r\ncd");
        assert_eq!(
            position_to_offset(&rope, Position::new(0, 9), Encoding::Utf32),
            2
        );
    }

    #[test]
    fn tree_sitter_points_count_only_newlines() {
        let rope = Rope::from_str("a\rb\r\nc😀d");
        let d = "a\rb\r\nc😀".len();
        assert_eq!(ts_point(&rope, d), Point::new(1, d - "a\rb\r\n".len()));
        assert_eq!(
            ts_point_after(Point::new(2, 3), "x\ny😀".as_bytes()),
            Point::new(3, 5)
        );
        assert_eq!(ts_point_after(Point::new(2, 3), b"xy"), Point::new(2, 5));
    }

    #[test]
    fn the_line_index_breaks_at_lf_cr_and_crlf() {
        let text = "a\nb\r\nc\rd";
        let lines = LineIndex::new(text);
        assert_eq!(lines.count(), 4);
        assert_eq!(lines.line(0), 0);
        assert_eq!(lines.line(2), 1);
        assert_eq!(lines.line(4), 1, "the LF of a CRLF");
        assert_eq!(lines.line(6), 2);
        assert_eq!(lines.line(7), 3);
        assert_eq!(lines.line(100), 3);
        assert_eq!(lines.line_text(text, 1), "b");
        assert_eq!(lines.line_end(text, 2), 6);
        assert_eq!(lines.line_text(text, 9), "");
        assert_eq!(LineIndex::default(), LineIndex::new(""));
    }

    #[test]
    fn line_bounds_in_a_slice() {
        assert_eq!(last_line_start("a\rb"), 2);
        assert_eq!(last_line_start("a\r\nb"), 3);
        assert_eq!(last_line_start("ab"), 0);
        assert_eq!(first_line_len("ab\rc"), 2);
        assert_eq!(first_line_len("ab\r\nc"), 2);
        assert_eq!(first_line_len("ab"), 2);
    }

    /// Whether `offset` is between the CR and the LF of a CRLF, which has
    /// no position of its own.
    fn inside_crlf(text: &str, offset: usize) -> bool {
        offset > 0
            && text.as_bytes()[offset - 1] == b'\r'
            && text.as_bytes().get(offset) == Some(&b'\n')
    }

    fn text_strategy() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("a"),
                Just("가"),
                Just("д"),
                Just("😀"),
                Just("\n"),
                Just("\r\n"),
                Just("\r"),
                Just(" "),
            ],
            0..40,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn offsets_round_trip_at_char_boundaries(text in text_strategy(), pick in any::<usize>()) {
            let rope = Rope::from_str(&text);
            let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let offset = boundaries[pick % boundaries.len()];
            prop_assume!(!inside_crlf(&text, offset));
            for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                let position = offset_to_position(&rope, offset, encoding);
                prop_assert_eq!(position_to_offset(&rope, position, encoding), offset);
            }
        }

        #[test]
        fn encoded_len_counts_code_units(text in text_strategy()) {
            prop_assert_eq!(encoded_len(&text, Encoding::Utf8), text.len());
            prop_assert_eq!(encoded_len(&text, Encoding::Utf16), text.encode_utf16().count());
            prop_assert_eq!(encoded_len(&text, Encoding::Utf32), text.chars().count());
        }

        #[test]
        fn any_position_maps_to_a_char_boundary(text in text_strategy(), line in 0u32..20, column in 0u32..20) {
            let rope = Rope::from_str(&text);
            for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                let offset = position_to_offset(&rope, Position::new(line, column), encoding);
                prop_assert!(text.is_char_boundary(offset));
                let back = offset_to_position(&rope, offset, encoding);
                prop_assert!(back.line <= line);
            }
        }

        #[test]
        fn the_line_index_agrees_with_the_rope(text in text_strategy(), ends in any::<(usize, usize)>()) {
            let rope = Rope::from_str(&text);
            let lines = LineIndex::new(&text);
            prop_assert_eq!(lines.count(), rope.len_lines());
            for line in 0..lines.count() as u32 + 1 {
                let start = position_to_offset(&rope, Position::new(line, 0), Encoding::Utf8);
                let end = position_to_offset(&rope, Position::new(line, u32::MAX), Encoding::Utf8);
                prop_assert_eq!(lines.line_text(&text, line), &text[start..end]);
            }
            let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len(), text.len() + 3]).collect();
            for &offset in &boundaries {
                for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                    prop_assert_eq!(lines.position(&text, offset, encoding), offset_to_position(&rope, offset, encoding));
                }
                if offset <= text.len() && !inside_crlf(&text, offset) {
                    let line = lines.line(offset);
                    prop_assert_eq!(last_line_start(&text[..offset]), lines.line_start(line));
                    prop_assert_eq!(offset + first_line_len(&text[offset..]), lines.line_end(&text, line));
                }
            }
            for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                // Every byte offset, ascending then in any order: counted
                // on from the one before, or looked up afresh.
                let mut offsets: Vec<usize> = (0..=text.len() + 2).collect();
                let expected: Vec<Position> = offsets.iter().map(|&o| offset_to_position(&rope, o, encoding)).collect();
                prop_assert_eq!(&lines.positions(&text, offsets.iter().copied(), encoding), &expected);
                // Every few boundaries, lines apart: the line is searched
                // for from the last one's.
                let sparse: Vec<usize> = boundaries.iter().copied().step_by(ends.1 % 9 + 2).collect();
                let expected_sparse: Vec<Position> = sparse.iter().map(|&o| offset_to_position(&rope, o, encoding)).collect();
                prop_assert_eq!(lines.positions(&text, sparse, encoding), expected_sparse);
                let turn = ends.0 % offsets.len();
                offsets.rotate_left(turn);
                let expected: Vec<Position> = offsets.iter().map(|&o| offset_to_position(&rope, o, encoding)).collect();
                prop_assert_eq!(lines.positions(&text, offsets, encoding), expected);
            }
            let (a, b) = (boundaries[ends.0 % boundaries.len()], boundaries[ends.1 % boundaries.len()]);
            let range = a.min(b)..a.max(b);
            for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                prop_assert_eq!(
                    lines.range(&text, range.clone(), encoding),
                    (offset_to_position(&rope, range.start, encoding), offset_to_position(&rope, range.end, encoding))
                );
            }
        }

        #[test]
        fn a_spliced_line_index_equals_a_fresh_one(old in text_strategy(), new in text_strategy()) {
            // Two texts of a document: paragraphs between blank lines.
            let (old, new) = (format!("{old}\n\n{old}"), format!("{old}\n\n{new}"));
            let Some(changed) = SyntaxTree::parse(new.as_str()).changed_parts(&SyntaxTree::parse(old.as_str())) else {
                return Ok(());
            };
            prop_assert_eq!(LineIndex::new(&old).spliced(&new, &changed), LineIndex::new(&new));
        }
    }
}
