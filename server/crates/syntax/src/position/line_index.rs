//! Lines of a text without a rope: a table of where each line starts, for
//! files that are not open in an editor (the linter, the language server's
//! closed files), and line bounds found by scanning a slice, for code that
//! has no table at hand. Both break lines where ropes do: at LF, CR and
//! CRLF.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::{Encoding, Position, column_in_line, encoded_len, floor_char_boundary, to_u32};
use crate::changes::ChangedParts;

/// Where each line of a text starts, in bytes; the first at 0. The text
/// itself is not kept: methods that need it take it, and it must be the
/// text the index was built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineIndex(Vec<u32>);

/// The last offset [`LineIndex::position_after`] converted (on a char
/// boundary) and its position.
#[derive(Debug, Clone, Copy, Default)]
pub struct LineCursor {
    last: Option<(usize, Position)>,
}

impl Default for LineIndex {
    /// The index of the empty text: one line.
    fn default() -> Self {
        Self(vec![0])
    }
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        // memchr2, not a byte loop: the linter builds this for every file.
        for at in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if !is_crlf_cr(bytes, at) {
                starts.push(at as u32 + 1);
            }
        }
        Self(starts)
    }

    /// The index of `text`, a new version of the text this is of, which
    /// differs from it only in `changed`: starts before the change are
    /// kept, those after it move, only those inside are looked for.
    pub fn spliced(&self, text: &str, changed: &ChangedParts) -> Self {
        let bytes = text.as_bytes();
        let (start, new_end) = (changed.new.start, changed.new.end);
        let kept = self.0.partition_point(|&at| (at as usize) < start);
        let moved = self.0.partition_point(|&at| at as usize <= changed.old.end);
        let mut starts = Vec::with_capacity(self.0.len() + 1);
        starts.extend_from_slice(&self.0[..kept]);
        if start == 0 {
            starts.push(0);
        }
        // A start right after a break: the break may sit just before `start`.
        let from = start.saturating_sub(1);
        let to = new_end.min(bytes.len());
        for at in memchr::memchr2_iter(b'\n', b'\r', &bytes[from..to]).map(|at| from + at) {
            if !is_crlf_cr(bytes, at) && at + 1 >= start {
                starts.push(at as u32 + 1);
            }
        }
        let delta = changed.delta();
        starts.extend(
            self.0[moved..]
                .iter()
                .map(|&at| (at as isize + delta) as u32),
        );
        Self(starts)
    }

    /// The number of lines (one more than the number of line breaks).
    pub fn count(&self) -> usize {
        self.0.len()
    }

    /// The zero-based line holding `offset`; an offset past the end is on
    /// the last line, and the LF of a CRLF on the line the CRLF ends.
    pub fn line(&self, offset: usize) -> u32 {
        (self.0.partition_point(|&start| start as usize <= offset) - 1) as u32
    }

    /// [`LineIndex::line`] for an offset on `from` or a line after it,
    /// found in steps that double from there: uses and findings in text
    /// order are mostly a few lines apart, in files of thousands.
    fn line_after(&self, from: u32, offset: usize) -> u32 {
        let rest = &self.0[from as usize..];
        let mut step = 1;
        while step < rest.len() && rest[step] as usize <= offset {
            step *= 2;
        }
        let within = &rest[..step.min(rest.len())];
        from + (within.partition_point(|&start| start as usize <= offset) - 1) as u32
    }

    /// Where `line` starts; `usize::MAX` for a line past the last.
    pub fn line_start(&self, line: u32) -> usize {
        self.0
            .get(line as usize)
            .map_or(usize::MAX, |&start| start as usize)
    }

    /// Where `line` ends, before its line break; the end of `text` for a
    /// line past the last.
    pub fn line_end(&self, text: &str, line: u32) -> usize {
        let start = self.line_start(line).min(text.len());
        let next = self.line_start(line + 1).min(text.len());
        // Trimmed from the end, not searched from the start: a line of a
        // megabyte holds thousands of tokens. Its only break is at its end.
        start + text[start..next].trim_end_matches(['\n', '\r']).len()
    }

    /// The text of `line`, without its line break.
    pub fn line_text<'a>(&self, text: &'a str, line: u32) -> &'a str {
        &text[self.line_start(line).min(text.len())..self.line_end(text, line)]
    }

    /// The position of `offset` in `encoding`'s units, clamped as
    /// [`super::offset_to_position`] clamps it, and equal to it.
    pub fn position(&self, text: &str, offset: usize, encoding: Encoding) -> Position {
        let offset = offset.min(text.len());
        self.position_on(text, offset, self.line(offset), encoding)
    }

    /// The position of `offset`, on `line`.
    fn position_on(&self, text: &str, offset: usize, line: u32, encoding: Encoding) -> Position {
        let start = self.line_start(line);
        let end = self.line_start(line + 1).min(text.len());
        Position::new(
            line,
            column_in_line(&text[start..end], offset - start, encoding),
        )
    }

    /// The positions of `offsets`, each as [`LineIndex::position`] gives
    /// it. An offset on the line of the one before it, and not before it,
    /// is counted on from there: in ascending order a thousand findings on
    /// a line of a megabyte cost one pass over the line, not a thousand.
    pub fn positions(
        &self,
        text: &str,
        offsets: impl IntoIterator<Item = usize>,
        encoding: Encoding,
    ) -> Vec<Position> {
        let mut cursor = LineCursor::default();
        offsets
            .into_iter()
            .map(|offset| self.position_after(text, offset, encoding, &mut cursor))
            .collect()
    }

    /// [`LineIndex::position`], counted on from the offset `cursor` last
    /// converted when this one is on its line and not before it, and its
    /// line searched for from there when it is on a later one.
    pub fn position_after(
        &self,
        text: &str,
        offset: usize,
        encoding: Encoding,
        cursor: &mut LineCursor,
    ) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let position = match cursor.last {
            Some((at, before)) if at <= offset && offset < self.line_start(before.line + 1) => {
                Position::new(
                    before.line,
                    before.column + to_u32(encoded_len(&text[at..offset], encoding)),
                )
            }
            Some((at, before)) if at <= offset => {
                let line = self.line_after(before.line, offset);
                self.position_on(text, offset, line, encoding)
            }
            _ => self.position(text, offset, encoding),
        };
        cursor.last = Some((offset, position));
        position
    }

    /// The positions of both ends of `range`. The end of a range within
    /// one line (nearly every mark) is counted on from its start, not
    /// looked up again.
    pub fn range(
        &self,
        text: &str,
        range: Range<usize>,
        encoding: Encoding,
    ) -> (Position, Position) {
        let start = self.position(text, range.start, encoding);
        let end = match text.get(range.clone()) {
            Some(inside) if first_line_len(inside) == inside.len() => Position::new(
                start.line,
                start.column + to_u32(encoded_len(inside, encoding)),
            ),
            _ => self.position(text, range.end, encoding),
        };
        (start, end)
    }
}

/// Whether the byte at `at` is the CR of a CRLF: the LF ends the line.
fn is_crlf_cr(bytes: &[u8], at: usize) -> bool {
    bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n')
}

/// Where the last line of `text` starts: just after its last line break,
/// or 0. A CR at the very end counts as a break. `text` may be cut
/// anywhere, even inside a character: line breaks are single bytes.
pub fn last_line_start(text: impl AsRef<[u8]>) -> usize {
    memchr::memrchr2(b'\n', b'\r', text.as_ref()).map_or(0, |at| at + 1)
}

/// The length of the first line of `text`, up to its first line break.
/// `text` may be cut anywhere, as for [`last_line_start`].
pub fn first_line_len(text: impl AsRef<[u8]>) -> usize {
    memchr::memchr2(b'\n', b'\r', text.as_ref()).unwrap_or(text.as_ref().len())
}

/// The length of the first line of `text` with its line break (LF, CRLF
/// or a lone CR), as [`first_line_len`] counts it.
pub fn first_line_with_break_len(text: impl AsRef<[u8]>) -> usize {
    let text = text.as_ref();
    let len = first_line_len(text);
    len + match &text[len..] {
        [b'\r', b'\n', ..] => 2,
        [] => 0,
        _ => 1,
    }
}
