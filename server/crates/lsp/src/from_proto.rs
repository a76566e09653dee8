//! Conversions from protocol types: positions to byte offsets, and the
//! encoding to use. URIs convert through `file_key`.
//!
//! Positions go through `newsmark_syntax::position` and nothing else, with
//! the encoding negotiated at `initialize`; out-of-range positions clamp as
//! the specification says (see that module).

use std::ops::Range;

use newsmark_syntax::Rope;
use newsmark_syntax::position::{self, Encoding};
use tower_lsp_server::jsonrpc::Error;
use tower_lsp_server::ls_types::{self as lsp, PositionEncodingKind, Uri};

/// The byte offset of a protocol position, clamped into the text.
pub fn offset(rope: &Rope, position: lsp::Position, encoding: Encoding) -> usize {
    position::position_to_offset(
        rope,
        position::Position::new(position.line, position.character),
        encoding,
    )
}

/// The byte range of a protocol range, or `None` when its end comes before
/// its start (after clamping).
pub fn range(rope: &Rope, range: lsp::Range, encoding: Encoding) -> Option<Range<usize>> {
    let start = offset(rope, range.start, encoding);
    let end = offset(rope, range.end, encoding);
    (start <= end).then_some(start..end)
}

/// The encoding to use given what the client offers: UTF-8 when offered,
/// else UTF-32 when offered, else UTF-16 (the protocol's default).
pub fn negotiate_encoding(offered: Option<&[PositionEncodingKind]>) -> Encoding {
    let offered = offered.unwrap_or_default();
    if offered.contains(&PositionEncodingKind::UTF8) {
        Encoding::Utf8
    } else if offered.contains(&PositionEncodingKind::UTF32) {
        Encoding::Utf32
    } else {
        Encoding::Utf16
    }
}

/// The answer to a request about a document the server does not know.
pub fn unknown_document(uri: &Uri) -> Error {
    Error::invalid_params(format!(
        "unknown document {}: it is not open and not in the workspace",
        uri.as_str()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_prefers_utf8_then_utf32_then_utf16() {
        use PositionEncodingKind as K;
        assert_eq!(negotiate_encoding(None), Encoding::Utf16);
        assert_eq!(negotiate_encoding(Some(&[K::UTF16])), Encoding::Utf16);
        assert_eq!(
            negotiate_encoding(Some(&[K::UTF16, K::UTF32])),
            Encoding::Utf32
        );
        assert_eq!(
            negotiate_encoding(Some(&[K::UTF16, K::UTF32, K::UTF8])),
            Encoding::Utf8
        );
    }

    #[test]
    fn reversed_ranges_are_rejected() {
        let rope = Rope::from_str("ab\ncd");
        let reversed = lsp::Range::new(lsp::Position::new(1, 0), lsp::Position::new(0, 1));
        assert_eq!(range(&rope, reversed, Encoding::Utf16), None);
        let past_end = lsp::Range::new(lsp::Position::new(0, 1), lsp::Position::new(7, 0));
        assert_eq!(range(&rope, past_end, Encoding::Utf16), Some(1..5));
    }
}
