//! The words of a plain text, as the agreement measures count them: the
//! text cut at Unicode word boundaries (UAX #29), keeping the pieces that
//! hold a letter or a digit.
//!
//! `unicode-segmentation` looks up every character's word-break class in
//! its tables, which made this a sixth of `newsmark agree` on a large
//! corpus. Most of a news text is ASCII, where the rules are few: the text
//! is cut into chunks before every ASCII character (other than a space)
//! that follows a space, where UAX #29 always breaks and nothing before
//! the cut bears on what follows; an all-ASCII chunk is cut here, the rest
//! by the crate. (Not after every space: rule WB4 joins a space with the
//! marks after it, and a mark that is a letter makes the two a word.) A
//! property test holds the two to the same words.

use unicode_segmentation::UnicodeSegmentation;

/// The words of `text`, in characters, end exclusive.
pub fn words(text: &str) -> Vec<(usize, usize)> {
    let mut words = Vec::new();
    // Characters before `chunk`.
    let mut chars = 0;
    for chunk in chunks(text) {
        if chunk.is_ascii() {
            ascii_words(chunk.as_bytes(), chars, &mut words);
            chars += chunk.len();
        } else {
            chars = crate_words(chunk, chars, &mut words);
        }
    }
    words
}

/// The words of `text`, which starts `offset` characters into the text, by
/// `unicode-segmentation`; returns the offset after it.
fn crate_words(text: &str, offset: usize, words: &mut Vec<(usize, usize)>) -> usize {
    let (mut byte, mut char) = (0, offset);
    for (start, word) in text.unicode_word_indices() {
        char += text[byte..start].chars().count();
        let end = char + word.chars().count();
        words.push((char, end));
        (byte, char) = (start + word.len(), end);
    }
    char + text[byte..].chars().count()
}

/// `text` cut before each ASCII character other than a space that follows
/// a space.
fn chunks(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut start = 0;
    let cuts = (1..bytes.len())
        .filter(|&at| bytes[at - 1] == b' ' && bytes[at] != b' ' && bytes[at].is_ascii())
        .chain([bytes.len()]);
    cuts.map(move |cut| {
        let chunk = &text[start..cut];
        start = cut;
        chunk
    })
}

/// The word-break classes of UAX #29 that ASCII has and the word rules
/// use (every other ASCII character breaks on both sides).
#[derive(Clone, Copy, PartialEq)]
enum Class {
    Letter,
    Digit,
    /// `_` (ExtendNumLet).
    Underscore,
    /// `:` (MidLetter): joins letters.
    MidLetter,
    /// `,` `;` (MidNum): join digits.
    MidNum,
    /// `.` `'` (MidNumLet, Single_Quote): join letters or digits.
    MidBoth,
    Other,
}

fn class(byte: u8) -> Class {
    match byte {
        b'a'..=b'z' | b'A'..=b'Z' => Class::Letter,
        b'0'..=b'9' => Class::Digit,
        b'_' => Class::Underscore,
        b':' => Class::MidLetter,
        b',' | b';' => Class::MidNum,
        b'.' | b'\'' => Class::MidBoth,
        _ => Class::Other,
    }
}

/// Whether `middle` between `before` and `after` keeps them one word
/// (rules WB6, WB7, WB11 and WB12).
fn joins(before: Class, middle: Class, after: Class) -> bool {
    match middle {
        Class::MidLetter => before == Class::Letter && after == Class::Letter,
        Class::MidNum => before == Class::Digit && after == Class::Digit,
        Class::MidBoth => before == after && matches!(before, Class::Letter | Class::Digit),
        _ => false,
    }
}

/// The words of the ASCII `run`, which starts `offset` characters into
/// the text: letters, digits and `_` never break between each other
/// (WB5, WB8–WB10, WB13a, WB13b), and a middle mark joins as [`joins`]
/// says; a piece of only `_` is no word.
fn ascii_words(run: &[u8], offset: usize, words: &mut Vec<(usize, usize)>) {
    let word_class = |c: Class| matches!(c, Class::Letter | Class::Digit | Class::Underscore);
    let mut at = 0;
    while at < run.len() {
        if !word_class(class(run[at])) {
            at += 1;
            continue;
        }
        let start = at;
        let mut alphanumeric = false;
        loop {
            alphanumeric |= run[at] != b'_';
            let next = run.get(at + 1).map(|&b| class(b));
            match next {
                Some(c) if word_class(c) => at += 1,
                Some(middle)
                    if run
                        .get(at + 2)
                        .is_some_and(|&b| joins(class(run[at]), middle, class(b))) =>
                {
                    at += 2
                }
                _ => break,
            }
        }
        at += 1;
        if alphanumeric {
            words.push((offset + start, offset + at));
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{crate_words, words};

    /// What `unicode-segmentation` alone gives.
    fn by_the_crate(text: &str) -> Vec<(usize, usize)> {
        let mut words = Vec::new();
        crate_words(text, 0, &mut words);
        words
    }

    #[test]
    fn ascii_runs_are_cut_as_uax_29_cuts_them() {
        for text in [
            "e.g. a.b.c a..b 3.14 3:4 a:b 3,4 a,b a'b 3'4 a.3 _ __a a_1 x_.y",
            "Kim's visit.\r\nends—now.\rGo ",
            "  leading and trailing  ",
            // A space and the letter-like mark after it are one word (WB4).
            "a \u{93e} b  \u{345}c \u{200d}\u{93e}",
            "",
        ] {
            assert_eq!(words(text), by_the_crate(text), "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn the_same_words_as_unicode_segmentation(
            text in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "Z", "7", "_", ".", ":", ",", ";", "'", "\"", " ", " ", "\t",
                    "\r", "\n", "-", "é", "Ж", "한", "\u{301}", "\u{93e}", "\u{345}", "\u{200d}", "😀",
                    "\u{a0}", "·", "٫", "ﬁ", "Ⅻ", "¹", "x",
                ]),
                0..40,
            ).prop_map(|parts| parts.concat())
        ) {
            prop_assert_eq!(words(&text), by_the_crate(&text), "{:?}", text);
        }
    }
}
