//! Character offsets and UTF-16 code units, the unit of the tools written
//! in JavaScript or Java (doccano, UIMA and INCEpTION): a character
//! outside the Basic Multilingual Plane (an emoji) is two units.

/// Where each character of a text starts, in UTF-16 code units.
#[derive(Debug)]
pub struct Utf16(Vec<usize>);

impl Utf16 {
    pub fn new(text: &str) -> Self {
        let mut at = Vec::with_capacity(text.len() + 1);
        at.push(0);
        let mut units = 0;
        for c in text.chars() {
            units += c.len_utf16();
            at.push(units);
        }
        Utf16(at)
    }

    /// The UTF-16 offset of character `char` (the end, past the last).
    pub fn at(&self, char: usize) -> usize {
        self.0[char.min(self.0.len() - 1)]
    }

    /// The character at UTF-16 offset `unit`: none when it lies inside a
    /// character (between the two halves of a surrogate pair) or past the
    /// end.
    pub fn char_at(&self, unit: usize) -> Option<usize> {
        self.0.binary_search(&unit).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_are_two_units_and_cannot_be_split() {
        let units = Utf16::new("a😀한b");
        assert_eq!(
            (0..=4).map(|c| units.at(c)).collect::<Vec<_>>(),
            [0, 1, 3, 4, 5]
        );
        assert_eq!(units.char_at(3), Some(2));
        assert_eq!(units.char_at(2), None, "inside the surrogate pair");
        assert_eq!(units.char_at(6), None, "past the end");
    }
}
