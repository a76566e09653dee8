//! Aligning two versions of a text (an annotator changed a word): where
//! each character of the second stands in the first, so annotations made
//! on either can be compared in one set of coordinates.

use std::time::Duration;

use similar::{DiffOp, TextDiff};

/// For each character offset of one text (its end included), the offset of
/// the first text it stands for; and where they first differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alignment {
    map: Vec<usize>,
    /// The character of the first text where the two first differ; its
    /// length when they do not.
    pub first_difference: usize,
}

impl Alignment {
    /// Aligns `b` on `a` with a character diff. Text inserted in `b` maps
    /// to where it was inserted; replaced text spreads over what it
    /// replaced.
    pub fn new(a: &str, b: &str) -> Self {
        // Versions mostly differ in a word or two, and `similar` hashes
        // every character it is given: the common start and end are
        // aligned as they stand (as its diff would align them), and only
        // the middle is diffed.
        let same = |(x, y): &(char, char)| x == y;
        let prefix: usize = (a.chars().zip(b.chars()).take_while(same))
            .map(|(c, _)| c.len_utf8())
            .sum();
        let (a_rest, b_rest) = (&a[prefix..], &b[prefix..]);
        let suffix: usize = (a_rest.chars().rev().zip(b_rest.chars().rev()))
            .take_while(same)
            .map(|(c, _)| c.len_utf8())
            .sum();
        let a_middle = &a_rest[..a_rest.len() - suffix];
        let b_middle = &b_rest[..b_rest.len() - suffix];
        let before = a[..prefix].chars().count();
        let (len_a, len_b) = (a.chars().count(), b.chars().count());
        let mut map = vec![len_a; len_b + 1];
        for (k, slot) in map[..before].iter_mut().enumerate() {
            *slot = k;
        }
        let (a_end, b_end) = (
            before + a_middle.chars().count(),
            before + b_middle.chars().count(),
        );
        for (k, slot) in map[b_end..len_b].iter_mut().enumerate() {
            *slot = a_end + k;
        }
        let mut first = None;
        let diff = TextDiff::configure()
            // A pathological pair of texts gives a coarser alignment, not a hang.
            .timeout(Duration::from_secs(2))
            .diff_chars(a_middle, b_middle);
        for op in diff.ops() {
            match *op {
                DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                } => {
                    for k in 0..len {
                        map[before + new_index + k] = before + old_index + k;
                    }
                }
                DiffOp::Delete { old_index, .. } => {
                    first.get_or_insert(before + old_index);
                }
                DiffOp::Insert {
                    old_index,
                    new_index,
                    new_len,
                } => {
                    first.get_or_insert(before + old_index);
                    map[before + new_index..before + new_index + new_len].fill(before + old_index);
                }
                DiffOp::Replace {
                    old_index,
                    old_len,
                    new_index,
                    new_len,
                } => {
                    first.get_or_insert(before + old_index);
                    for k in 0..new_len {
                        map[before + new_index + k] = before + old_index + k * old_len / new_len;
                    }
                }
            }
        }
        Alignment {
            map,
            first_difference: first.unwrap_or(len_a),
        }
    }

    /// Where the span `start..end` of the second text falls in the first:
    /// its end follows its last character, so text the first has right
    /// after the span stays out of it.
    pub fn span(&self, (start, end): (usize, usize)) -> (usize, usize) {
        if start == end {
            return (self.map[start], self.map[start]);
        }
        let start = self.map[start];
        (start, (self.map[end - 1] + 1).max(start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_second_text_maps_onto_the_first() {
        let alignment = Alignment::new("Lavrov met Kim.", "Lavrov met with Kim.");
        assert_eq!(alignment.first_difference, 11);
        // "Kim" is 16..19 in the second text, 11..14 in the first.
        assert_eq!(alignment.span((16, 19)), (11, 14));
        // Text the first has right after a span stays out of it.
        let alignment = Alignment::new("Lavrov, met", "Lavrov met");
        assert_eq!(alignment.span((0, 6)), (0, 6));
        // Characters, not bytes: Hangul and emoji before the span.
        let alignment = Alignment::new("최선희 😀 said Kim", "최선희 said Kim");
        assert_eq!(alignment.span((9, 12)), (11, 14));
        assert_eq!(Alignment::new("same", "same").first_difference, 4);
    }
}
