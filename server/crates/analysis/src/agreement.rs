//! Agreement between annotators of the same article: the units each
//! version holds, in the coordinates of the article's plain text (the text
//! a reader sees, as exported), so that moving marks around does not count,
//! and how many of them two versions share, exactly or by overlap.
//! `newsmark agree` pairs the versions and aligns texts that differ.
//! For the chance-corrected measures (`reliability`), each word of the
//! text gets, per kind of label, the category each version gives it.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use newsmark_syntax::QuoteKind;
use serde::Serialize;

use crate::alignment::Alignment;
use crate::export::{PlainDocument, ResolvedEntity};
pub use crate::words::words;

/// One annotation as it is compared.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unit {
    /// What is annotated: `mention:person` (a mention, by its entity's
    /// kind), `claim`, `source`, `chain`, `stance`, `hedge`, `quote`.
    pub label: String,
    /// Unicode characters into the plain text, end exclusive.
    pub start: usize,
    pub end: usize,
    /// What must agree besides the span: the entity id of a mention, the
    /// source set of a claim, a chain, a stance, a quote's kind. Empty for
    /// claims and hedges.
    pub value: String,
    /// The span of the claim a stance is about (labels are each
    /// annotator's own names).
    pub target: Option<(usize, usize)>,
}

impl Unit {
    /// This unit of a second text, where it falls in the first.
    pub fn moved(&self, alignment: &Alignment) -> Unit {
        let (start, end) = alignment.span((self.start, self.end));
        Unit {
            start,
            end,
            target: self.target.map(|target| alignment.span(target)),
            ..self.clone()
        }
    }
}

/// The units of one version of an article. `entities` gives each id's
/// kind (the entities the article uses, resolved in its own workspace).
pub fn units(document: &PlainDocument, entities: &[ResolvedEntity]) -> Vec<Unit> {
    let kinds: HashMap<&str, &str> = (entities.iter())
        .filter_map(|e| Some((&*e.id, e.kind.as_deref()?)))
        .collect();
    let kind_of = |id: &str| kinds.get(id).copied().unwrap_or("unknown");
    let mut units = Vec::with_capacity(document.mentions.len() + 2 * document.claims.len());
    let mut stances = Vec::new();
    let mut unit = |label: String, start: usize, end: usize, value: String| {
        units.push(Unit {
            label,
            start,
            end,
            value,
            target: None,
        });
    };
    for mention in &document.mentions {
        let label = format!("mention:{}", kind_of(&mention.id));
        unit(label, mention.start, mention.end, mention.id.clone());
    }
    for claim in &document.claims {
        let (start, end) = (claim.start, claim.end);
        unit("claim".into(), start, end, String::new());
        if !claim.sources.is_empty() {
            let mut sources = claim.sources.clone();
            sources.sort();
            sources.dedup();
            unit("source".into(), start, end, sources.join(","));
        }
        for (source, via) in claim.sources.iter().zip(&claim.via) {
            if !via.is_empty() {
                unit(
                    "chain".into(),
                    start,
                    end,
                    format!("{source} via {}", via.join(" via ")),
                );
            }
        }
        for (kind, label) in &claim.stances {
            // Labels are each annotator's own names: the target is the
            // labelled claim's span.
            let target = (document.claims.iter())
                .find(|c| c.label.as_deref() == Some(label.as_str()))
                .map(|c| (c.start, c.end));
            stances.push(Unit {
                label: "stance".into(),
                start,
                end,
                // A label no claim has keeps its name: it matches nothing else.
                value: match target {
                    Some(_) => kind.word().to_owned(),
                    None => format!("{} #{label}", kind.word()),
                },
                target,
            });
        }
        for hedge in &claim.hedges {
            unit("hedge".into(), hedge.start, hedge.end, String::new());
        }
        if claim.quote != QuoteKind::None {
            unit("quote".into(), start, end, claim.quote.word().to_owned());
        }
    }
    units.extend(stances);
    units.sort();
    units
}

/// How two versions agree on one label: how many units each holds, and
/// how many pairs match with the same span, or with overlapping spans
/// (one to one).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub a: u32,
    pub b: u32,
    pub exact: u32,
    pub overlap: u32,
}

impl Counts {
    pub fn add(&mut self, other: Counts) {
        self.a += other.a;
        self.b += other.b;
        self.exact += other.exact;
        self.overlap += other.overlap;
    }

    /// Precision, recall and F1 of `b` against `a` for `matched` pairs;
    /// 1 when neither holds anything (nothing to disagree on).
    pub fn scores(&self, matched: u32) -> Scores {
        let ratio = |part: u32, whole: u32| {
            if whole == 0 {
                1.0
            } else {
                f64::from(part) / f64::from(whole)
            }
        };
        Scores {
            precision: ratio(matched, self.b),
            recall: ratio(matched, self.a),
            f1: ratio(2 * matched, self.a + self.b),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Scores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// A unit of `a` matched with one of `b` (indices), with the same span or
/// an overlapping one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    pub a: usize,
    pub b: usize,
    pub exact: bool,
}

/// The one-to-one matches between two versions' units (each sorted, as
/// [`units`] gives them): units with the same label, value and target,
/// the same span first, then the spans that overlap most.
pub fn matches(a: &[Unit], b: &[Unit]) -> Vec<Match> {
    let mut found = Vec::new();
    // Exact: the same unit in both (as multisets). An exact pair is an
    // overlapping pair too, taken before any other.
    let (mut i, mut j) = (0, 0);
    let mut matched_a = vec![false; a.len()];
    let mut taken = vec![false; b.len()];
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                found.push(Match {
                    a: i,
                    b: j,
                    exact: true,
                });
                (matched_a[i], taken[j]) = (true, true);
                i += 1;
                j += 1;
            }
        }
    }
    // Overlap: each other unit of `a`, in order, takes the free unit of
    // `b` with the same label and value whose span overlaps its own most.
    // Only units of `b` that start before it ends, and no further before
    // it than the longest span of its label, can overlap it: `b` is
    // sorted by label, then start.
    let mut longest: HashMap<&str, usize> = HashMap::new();
    for unit in b {
        let reach = longest.entry(&unit.label).or_default();
        *reach = (*reach).max(unit.end - unit.start);
    }
    for (i, unit) in a.iter().enumerate().filter(|&(i, _)| !matched_a[i]) {
        let same = b.partition_point(|u| u.label < unit.label);
        let before_end = |u: &Unit| u.label == unit.label && u.start < unit.end;
        let after = same + b[same..].partition_point(before_end);
        let reach = longest
            .get(unit.label.as_str())
            .copied()
            .unwrap_or_default();
        let first = same + b[same..after].partition_point(|u| u.start + reach <= unit.start);
        let best = (first..after)
            .filter(|&k| !taken[k] && b[k].value == unit.value && b[k].target == unit.target)
            .map(|k| (shared(unit, &b[k]), k))
            .filter(|(shared, _)| *shared > 0)
            .max_by_key(|(shared, k)| (*shared, std::cmp::Reverse(*k)));
        if let Some((_, k)) = best {
            taken[k] = true;
            found.push(Match {
                a: i,
                b: k,
                exact: false,
            });
        }
    }
    found
}

/// The counts of two versions' units (each sorted, as [`units`] gives
/// them), per label.
pub fn compare(a: &[Unit], b: &[Unit]) -> BTreeMap<String, Counts> {
    let mut by_label: BTreeMap<String, Counts> = BTreeMap::new();
    for unit in a {
        by_label.entry(unit.label.clone()).or_default().a += 1;
    }
    for unit in b {
        by_label.entry(unit.label.clone()).or_default().b += 1;
    }
    for found in matches(a, b) {
        let counts = by_label.get_mut(&a[found.a].label).expect("counted");
        counts.overlap += 1;
        counts.exact += u32::from(found.exact);
    }
    by_label
}

/// How much two spans share, in characters; an empty span shares one
/// with a span at the same place.
pub fn shared(a: &Unit, b: &Unit) -> usize {
    if a.start == a.end || b.start == b.end {
        return usize::from(a.start == b.start && a.end == b.end);
    }
    a.end.min(b.end).saturating_sub(a.start.max(b.start))
}

/// The kind of label a unit is, which token-level measures compare one
/// at a time: its label without a mention's entity kind
/// (`mention:person` is a `mention`).
pub fn kind(label: &str) -> &str {
    label.split_once(':').map_or(label, |(kind, _)| kind)
}

/// What a unit says of the words it covers, within its kind: a mention's
/// entity kind, a source's set of sources, a chain, a stance, a quote's
/// kind; `claim` and `hedge` for those.
pub fn category(unit: &Unit) -> &str {
    match unit.label.split_once(':') {
        Some((_, entity_kind)) => entity_kind,
        None if unit.value.is_empty() => &unit.label,
        None => &unit.value,
    }
}

/// The words some unit of `of_kind` covers a character of, in order, each
/// with the category one version gives it: where several units cover it,
/// their distinct categories in order, joined by `+` (`country+person`
/// for a word of two mentions). Words left out have no category.
pub fn word_categories<'u>(
    units: &'u [Unit],
    of_kind: &str,
    words: &[(usize, usize)],
) -> Vec<(usize, Cow<'u, str>)> {
    let mut covering: Vec<(usize, &str)> = Vec::new();
    for unit in units.iter().filter(|u| kind(&u.label) == of_kind) {
        let first = words.partition_point(|&(_, end)| end <= unit.start);
        let last = first + words[first..].partition_point(|&(start, _)| start < unit.end);
        covering.extend((first..last).map(|index| (index, category(unit))));
    }
    covering.sort_unstable();
    covering.dedup();
    (covering.chunk_by(|a, b| a.0 == b.0))
        .map(|run| match run {
            [(index, category)] => (*index, Cow::Borrowed(*category)),
            _ => {
                let found: Vec<&str> = run.iter().map(|&(_, category)| category).collect();
                (run[0].0, Cow::Owned(found.join("+")))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_counted_in_characters_without_spaces_or_punctuation() {
        let text = "최선희 said: \"Kim's 😀 visit\"\r\nends—now.\rGo";
        let chars: Vec<char> = text.chars().collect();
        let found: Vec<String> = (words(text).into_iter())
            .map(|(start, end)| chars[start..end].iter().collect())
            .collect();
        assert_eq!(
            found,
            ["최선희", "said", "Kim's", "visit", "ends", "now", "Go"]
        );
        assert_eq!(words(text)[0], (0, 3));
        assert_eq!(words(text)[2], (11, 16));
    }

    #[test]
    fn each_word_takes_the_categories_of_the_units_over_it() {
        // "Lavrov met Kim in Seoul": words 0..6, 7..10, 11..14, 15..17, 18..23.
        let text_words = words("Lavrov met Kim in Seoul");
        let units = vec![
            unit("mention:person", 0, 6, "lavrov"),
            // A mark that ends inside a word covers it.
            unit("mention:country", 12, 23, "kr"),
            unit("mention:person", 11, 14, "kim"),
            unit("claim", 7, 23, ""),
            unit("source", 7, 23, "kirby,us"),
        ];
        let found = |kind| -> Vec<(usize, String)> {
            (word_categories(&units, kind, &text_words).into_iter())
                .map(|(index, category)| (index, category.into_owned()))
                .collect()
        };
        let owned = |pairs: &[(usize, &str)]| -> Vec<(usize, String)> {
            pairs.iter().map(|&(i, c)| (i, c.to_owned())).collect()
        };
        assert_eq!(
            found("mention"),
            owned(&[
                (0, "person"),
                (2, "country+person"),
                (3, "country"),
                (4, "country")
            ])
        );
        assert_eq!(
            found("claim"),
            owned(&[(1, "claim"), (2, "claim"), (3, "claim"), (4, "claim")])
        );
        assert_eq!(found("source")[3], (4, "kirby,us".to_owned()));
        assert_eq!(found("hedge"), []);
    }

    fn tally(a: u32, b: u32, exact: u32, overlap: u32) -> Counts {
        Counts {
            a,
            b,
            exact,
            overlap,
        }
    }

    fn unit(label: &str, start: usize, end: usize, value: &str) -> Unit {
        Unit {
            label: label.into(),
            start,
            end,
            value: value.into(),
            target: None,
        }
    }

    #[test]
    fn exact_and_overlapping_matches_per_label() {
        let mut a = vec![
            unit("mention:person", 0, 6, "lavrov"),
            unit("mention:person", 10, 15, "kim"),
            unit("claim", 20, 40, ""),
            unit("source", 20, 40, "us"),
        ];
        let mut b = vec![
            unit("mention:person", 0, 6, "lavrov"),
            // Overlaps, but names someone else.
            unit("mention:person", 10, 15, "choe"),
            unit("claim", 22, 40, ""),
            unit("source", 22, 40, "us"),
            unit("hedge", 25, 30, ""),
        ];
        a.sort();
        b.sort();
        let counts = compare(&a, &b);
        assert_eq!(counts["mention:person"], tally(2, 2, 1, 1));
        assert_eq!(counts["claim"], tally(1, 1, 0, 1));
        assert_eq!(counts["source"], tally(1, 1, 0, 1));
        assert_eq!(counts["hedge"], tally(0, 1, 0, 0));
        let scores = counts["mention:person"].scores(1);
        assert_eq!(
            (scores.precision, scores.recall, scores.f1),
            (0.5, 0.5, 0.5)
        );
        assert_eq!(counts["hedge"].scores(0).recall, 1.0);
        assert_eq!(counts["hedge"].scores(0).precision, 0.0);
    }

    #[test]
    fn exact_pairs_are_taken_first_whichever_annotator_comes_first() {
        let mut a = vec![unit("claim", 0, 10, ""), unit("claim", 5, 9, "")];
        let mut b = vec![unit("claim", 5, 9, ""), unit("claim", 0, 3, "")];
        a.sort();
        b.sort();
        let expected = Counts {
            a: 2,
            b: 2,
            exact: 1,
            overlap: 2,
        };
        assert_eq!(compare(&a, &b)["claim"], expected);
        let swapped = Counts {
            a: 2,
            b: 2,
            ..expected
        };
        assert_eq!(compare(&b, &a)["claim"], swapped);
    }

    #[test]
    fn overlap_is_one_to_one_and_prefers_the_largest() {
        let a = vec![unit("claim", 0, 10, ""), unit("claim", 8, 20, "")];
        let b = vec![unit("claim", 5, 18, "")];
        let counts = compare(&a, &b);
        assert_eq!(counts["claim"], tally(2, 1, 0, 1));
    }
}
