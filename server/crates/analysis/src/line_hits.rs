//! Hits of a search that never crosses a line break (untagged names,
//! hedging words), kept per version of a file: after an edit only the
//! lines that changed are searched again, and the hits after them shift.

use std::ops::Range;

use newsmark_syntax::TextChange;
use newsmark_syntax::position::{first_line_len, last_line_start};

use crate::summary::shift;

/// What one searcher found in one version of a text, in text order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineHits<T> {
    /// The searcher's id: hits found by another are never reused.
    searcher: u64,
    /// Whether the whole text was searched: only such hits seed the
    /// search of the next version.
    whole: bool,
    hits: Vec<(Range<usize>, T)>,
}

impl<T: Clone> LineHits<T> {
    /// Hits found in parts of a text only: they seed nothing.
    pub fn partial(searcher: u64, hits: Vec<(Range<usize>, T)>) -> Self {
        LineHits {
            searcher,
            whole: false,
            hits,
        }
    }

    /// Every hit in `text`. Given the hits of an earlier version of the
    /// same file, found by the same searcher in its whole text, only the
    /// lines that differ are searched again. `search` finds the hits in a
    /// range of whole lines, in order; none may cross a line break, so
    /// each line's hits depend on that line alone.
    pub fn of_text(
        searcher: u64,
        text: &str,
        earlier: Option<(&str, &Self)>,
        search: impl FnOnce(Range<usize>) -> Vec<(Range<usize>, T)>,
    ) -> Self {
        let seed = earlier.filter(|(_, old)| old.searcher == searcher && old.whole);
        let Some((old_text, old)) = seed else {
            return LineHits {
                searcher,
                whole: true,
                hits: search(0..text.len()),
            };
        };
        let change = TextChange::between(old_text, text);
        let bytes = text.as_bytes();
        let start = last_line_start(&bytes[..change.start]);
        let end = change.new_end + first_line_len(&bytes[change.new_end..]);
        let old_end = (end as isize - change.delta()) as usize;
        let before = old.hits.partition_point(|(range, _)| range.start < start);
        let after = old.hits.partition_point(|(range, _)| range.start < old_end);
        let mut hits = old.hits[..before].to_vec();
        hits.extend(search(start..end));
        hits.extend(
            old.hits[after..]
                .iter()
                .map(|(range, item)| (shift(range, change.delta()), item.clone())),
        );
        LineHits {
            searcher,
            whole: true,
            hits,
        }
    }
}

impl<T> LineHits<T> {
    pub fn found_by(&self, searcher: u64) -> bool {
        self.searcher == searcher
    }

    pub fn of_whole_text(&self) -> bool {
        self.whole
    }

    pub fn hits(&self) -> &[(Range<usize>, T)] {
        &self.hits
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;

    /// The places of "allegedly" in `text[range]`; the ranges searched go
    /// to `searched`.
    fn finder<'a>(
        text: &'a str,
        searched: &'a RefCell<Vec<(usize, usize)>>,
    ) -> impl FnOnce(Range<usize>) -> Vec<(Range<usize>, ())> + 'a {
        move |range| {
            searched.borrow_mut().push((range.start, range.end));
            (text[range.clone()].match_indices("allegedly"))
                .map(|(at, word)| (range.start + at..range.start + at + word.len(), ()))
                .collect()
        }
    }

    #[test]
    fn spliced_hits_equal_a_fresh_search_after_edits_of_every_kind() {
        let base = "allegedly one\r\ntwo allegedly\nthree\rallegedly 😀\n";
        let edits = [
            "",
            "x",
            "allegedly",
            "allegedly one\r\ntwo allegedly\nthree\rallegedly 😀\nallegedly",
            "Xallegedly one\r\ntwo allegedly\nthree\rallegedly 😀\n",
            "allegedly one\ntwo allegedly\nthree\rallegedly 😀\n",
            "allegedly one\rtwo allegedly\nthree\rallegedly 😀\n",
            "allegedly one two allegedly three allegedly 😀",
            "alleg one\r\ntwo edly\nthree\rallegedly 😀\n",
            "allegedly one\r\ntwo alle\ngedly\nthree\rallegedly 😀\n",
            "allegedly one\r\n\nthree\rallegedly 😀\n",
        ];
        let searched = RefCell::new(Vec::new());
        let old = LineHits::of_text(1, base, None, finder(base, &searched));
        for after in edits {
            assert_eq!(
                LineHits::of_text(1, after, Some((base, &old)), finder(after, &searched)),
                LineHits::of_text(1, after, None, finder(after, &searched)),
                "{after:?}"
            );
        }
    }

    #[test]
    fn an_edit_searches_its_lines_again_and_shifts_the_hits_after_them() {
        let before = "allegedly one\r\ntwo allegedly\nthree\rallegedly 😀\n";
        let after = "allegedly one\r\ntwo, reportedly, allegedly\nthree\rallegedly 😀\n";
        let searched = RefCell::new(Vec::new());
        let old = LineHits::of_text(1, before, None, finder(before, &searched));
        assert_eq!(searched.take(), [(0, before.len())]);
        let new = LineHits::of_text(1, after, Some((before, &old)), finder(after, &searched));
        let line = (after.find("two").unwrap(), after.find("\nthree").unwrap());
        assert_eq!(searched.take(), [line]);
        assert_eq!(
            new,
            LineHits::of_text(1, after, None, finder(after, &searched))
        );
        assert_eq!(new.hits().len(), 3);
        // Hits of another searcher, or of parts of the text, seed nothing.
        for seed in [
            LineHits::of_text(2, before, None, finder(before, &searched)),
            LineHits::partial(1, old.hits.clone()),
        ] {
            searched.take();
            LineHits::of_text(1, after, Some((before, &seed)), finder(after, &searched));
            assert_eq!(searched.take(), [(0, after.len())]);
        }
    }
}
