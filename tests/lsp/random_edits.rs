//! Random positions for edit sequences, shared by the sync tests and the
//! soak test: only offsets a client can name as a protocol position.

use newsmark_corpus::Rng;

/// Whether `offset` has a protocol position of its own: a character
/// boundary that is not between the CR and the LF of a CRLF.
pub fn has_position(text: &str, offset: usize) -> bool {
    text.is_char_boundary(offset)
        && !(offset > 0
            && text.as_bytes()[offset - 1] == b'\r'
            && text.as_bytes().get(offset) == Some(&b'\n'))
}

/// A random offset of `text` that has a position.
pub fn random_offset(text: &str, rng: &mut Rng) -> usize {
    loop {
        let offset = rng.below(text.len() + 1);
        if has_position(text, offset) {
            return offset;
        }
    }
}
