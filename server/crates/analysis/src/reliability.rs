//! Chance-corrected agreement measures over plain data: nominal ratings
//! of items (Cohen's κ, Fleiss' κ, Krippendorff's α) and units on a
//! continuum (Krippendorff's αu). Each gives `None` when it is undefined:
//! when chance alone would give full agreement (everyone used one and the
//! same category throughout, or there is nothing to rate).
//! docs/agreement.md gives the formulas and their sources.

use std::collections::BTreeMap;

/// A category, as a number the caller gives each of its labels.
pub type Category = u32;

/// `(observed - expected) / (1 - expected)` for agreements given as
/// fractions; undefined when `expected` is 1.
fn corrected(observed: f64, expected: f64, expected_is_one: bool) -> Option<f64> {
    (!expected_is_one).then(|| (observed - expected) / (1.0 - expected))
}

/// How many times each category occurs, indexed by category.
fn tally(counts: &mut Vec<u64>, category: Category, by: u64) {
    let index = category as usize;
    if counts.len() <= index {
        counts.resize(index + 1, 0);
    }
    counts[index] += by;
}

/// How many times each distinct category occurs in one item's ratings,
/// counted by sorting them in `scratch`: an item holds a few ratings, and
/// a count per category in the corpus would cost more than the item.
fn occurrences(
    ratings: impl Iterator<Item = Category>,
    scratch: &mut Vec<Category>,
) -> impl Iterator<Item = u64> + '_ {
    scratch.clear();
    scratch.extend(ratings);
    scratch.sort_unstable();
    scratch.chunk_by(|a, b| a == b).map(|run| run.len() as u64)
}

fn sum_of_squares(counts: &[u64]) -> u128 {
    counts.iter().map(|&c| u128::from(c) * u128::from(c)).sum()
}

/// Cohen's κ (1960) of two annotators: each item's two ratings.
pub fn cohen_kappa(items: &[(Category, Category)]) -> Option<f64> {
    let (mut first, mut second) = (Vec::new(), Vec::new());
    let mut agreeing = 0u64;
    for &(a, b) in items {
        tally(&mut first, a, 1);
        tally(&mut second, b, 1);
        agreeing += u64::from(a == b);
    }
    let n = items.len() as u128;
    let chance: u128 = (first.iter().zip(&second))
        .map(|(&a, &b)| u128::from(a) * u128::from(b))
        .sum();
    if n == 0 {
        return None;
    }
    let squared = (n * n) as f64;
    corrected(
        agreeing as f64 / n as f64,
        chance as f64 / squared,
        chance == n * n,
    )
}

/// Fleiss' κ (1971): `ratings` holds the items one after another, each
/// rated by the same number of annotators, `raters` (at least two).
pub fn fleiss_kappa(raters: usize, ratings: &[Category]) -> Option<f64> {
    if raters < 2 || ratings.is_empty() {
        return None;
    }
    let mut totals = Vec::new();
    let mut item_categories = Vec::with_capacity(raters);
    // Σ over items and categories of n_ij (n_ij − 1): agreeing ordered
    // pairs of ratings.
    let mut agreeing = 0u128;
    for item in ratings.chunks_exact(raters) {
        for &category in item {
            tally(&mut totals, category, 1);
        }
        agreeing += occurrences(item.iter().copied(), &mut item_categories)
            .map(|c| u128::from(c * (c - 1)))
            .sum::<u128>();
    }
    let items = (ratings.len() / raters) as f64;
    let all = (ratings.len() / raters * raters) as u128;
    let pairs = items * (raters * (raters - 1)) as f64;
    let squares = sum_of_squares(&totals);
    corrected(
        agreeing as f64 / pairs,
        squares as f64 / (all * all) as f64,
        squares == all * all,
    )
}

/// Krippendorff's α for nominal data (2011): `ratings` holds the items
/// one after another, a value per annotator (`raters` of them), `None`
/// where an annotator did not rate the item. Items with fewer than two
/// values are not pairable and do not count.
pub fn krippendorff_alpha(raters: usize, ratings: &[Option<Category>]) -> Option<f64> {
    if raters == 0 {
        return None;
    }
    let mut totals = Vec::new();
    let mut item_categories = Vec::with_capacity(raters);
    // Σ over items of (disagreeing ordered pairs) / (m_u − 1): the
    // off-diagonal of the coincidence matrix.
    let mut disagreeing = 0.0;
    for item in ratings.chunks_exact(raters) {
        let values = item.iter().flatten().count() as u64;
        if values < 2 {
            continue;
        }
        for &category in item.iter().flatten() {
            tally(&mut totals, category, 1);
        }
        let squares: u128 = occurrences(item.iter().flatten().copied(), &mut item_categories)
            .map(|c| u128::from(c * c))
            .sum();
        let unlike = u128::from(values * values) - squares;
        disagreeing += unlike as f64 / (values - 1) as f64;
    }
    let n: u64 = totals.iter().sum();
    let unlike = u128::from(n) * u128::from(n) - sum_of_squares(&totals);
    (unlike > 0).then(|| 1.0 - (n - 1) as f64 * disagreeing / unlike as f64)
}

/// One annotator's unit on a continuum: characters `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    pub category: Category,
    pub start: usize,
    pub end: usize,
}

/// Krippendorff's αu (1995; 2004) over a continuum of `length`
/// characters: each annotator's units (`annotators[i]`), every annotator
/// having read the whole continuum. Per category, one annotator's
/// overlapping units are joined (αu allows them no overlap), empty ones
/// dropped; the categories' disagreements are summed.
pub fn alpha_u(length: usize, annotators: &[Vec<Span>]) -> Option<f64> {
    // Each annotator's spans by category, so each category reads only its own.
    let mut by_category: BTreeMap<Category, Vec<Vec<&Span>>> = BTreeMap::new();
    for (annotator, spans) in annotators.iter().enumerate() {
        for span in spans {
            (by_category.entry(span.category))
                .or_insert_with(|| vec![Vec::new(); annotators.len()])[annotator]
                .push(span);
        }
    }
    let (mut observed, mut expected) = (0.0, 0.0);
    for spans in by_category.values() {
        let units: Vec<Vec<(usize, usize)>> = (spans.iter())
            .map(|spans| joined(length, spans.iter().copied()))
            .collect();
        let (o, e) = unitizing_disagreement(length, &units);
        observed += o;
        expected += e;
    }
    (expected > 0.0).then(|| 1.0 - observed / expected)
}

/// Spans clipped to the continuum, sorted, with overlapping ones joined
/// and empty ones dropped.
fn joined<'s>(length: usize, spans: impl Iterator<Item = &'s Span>) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = spans
        .map(|s| (s.start.min(length), s.end.min(length)))
        .filter(|(start, end)| start < end)
        .collect();
    spans.sort_unstable();
    let mut joined: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (start, end) in spans {
        match joined.last_mut() {
            Some(last) if start < last.1 => last.1 = last.1.max(end),
            _ => joined.push((start, end)),
        }
    }
    joined
}

/// A piece of one annotator's continuum: a unit of the category, or the
/// gap between two.
#[derive(Debug, Clone, Copy)]
struct Segment {
    start: usize,
    end: usize,
    unit: bool,
}

impl Segment {
    fn len(&self) -> f64 {
        (self.end - self.start) as f64
    }
}

/// The continuum cut into units and gaps.
fn segments(length: usize, units: &[(usize, usize)]) -> Vec<Segment> {
    let mut segments = Vec::with_capacity(2 * units.len() + 1);
    let mut at = 0;
    for &(start, end) in units {
        if at < start {
            segments.push(Segment {
                start: at,
                end: start,
                unit: false,
            });
        }
        segments.push(Segment {
            start,
            end,
            unit: true,
        });
        at = end;
    }
    if at < length {
        segments.push(Segment {
            start: at,
            end: length,
            unit: false,
        });
    }
    segments
}

/// δ² of two annotators' segments (Krippendorff 2004): two overlapping
/// units differ by the squares of their ends' distances; a unit that lies
/// within the other's gap by its length squared; nothing else differs.
fn distance(a: &Segment, b: &Segment) -> f64 {
    let contains =
        |outer: &Segment, inner: &Segment| outer.start <= inner.start && inner.end <= outer.end;
    match (a.unit, b.unit) {
        (true, true) if a.start < b.end && b.start < a.end => {
            let starts = a.start as f64 - b.start as f64;
            let ends = a.end as f64 - b.end as f64;
            starts * starts + ends * ends
        }
        (true, false) if contains(b, a) => a.len() * a.len(),
        (false, true) if contains(a, b) => b.len() * b.len(),
        _ => 0.0,
    }
}

/// The observed and expected disagreement of αu for one category: each
/// annotator's units, sorted and not overlapping.
fn unitizing_disagreement(length: usize, annotators: &[Vec<(usize, usize)>]) -> (f64, f64) {
    let m = annotators.len();
    if m < 2 || length == 0 {
        return (0.0, 0.0);
    }
    let pieces: Vec<Vec<Segment>> = annotators.iter().map(|u| segments(length, u)).collect();
    let l = length as f64;
    // Observed: every pair of annotators' segments that meet (the only
    // ones δ² can count), in one sweep per pair; both orders.
    let mut observed = 0.0;
    for i in 0..m {
        for j in i + 1..m {
            let (a, b) = (&pieces[i], &pieces[j]);
            let (mut x, mut y) = (0, 0);
            while x < a.len() && y < b.len() {
                observed += 2.0 * distance(&a[x], &b[y]);
                let (end_a, end_b) = (a[x].end, b[y].end);
                x += usize::from(end_a <= end_b);
                y += usize::from(end_b <= end_a);
            }
        }
    }
    observed /= (m * (m - 1)) as f64 * l * l;

    // Expected: every unit against every place it could fall in any
    // annotator's gaps, and against the other units.
    let units: Vec<f64> = (pieces.iter().flatten())
        .filter(|s| s.unit)
        .map(Segment::len)
        .collect();
    let mut gaps: Vec<f64> = (pieces.iter().flatten())
        .filter(|s| !s.unit)
        .map(Segment::len)
        .collect();
    gaps.sort_by(f64::total_cmp);
    // Sums of the gaps from the longest down: `longer[k]` = Σ gaps[k..].
    let mut longer = vec![0.0; gaps.len() + 1];
    for k in (0..gaps.len()).rev() {
        longer[k] = longer[k + 1] + gaps[k];
    }
    let others = units.len() as f64 - 1.0;
    let mut numerator = 0.0;
    for &u in &units {
        let first = gaps.partition_point(|&g| g < u);
        // Σ over gaps g ≥ u of (g − u + 1).
        let places = longer[first] - (gaps.len() - first) as f64 * (u - 1.0);
        numerator += others / 3.0 * (2.0 * u * u * u - 3.0 * u * u + u) + u * u * places;
    }
    let within: f64 = units.iter().map(|u| u * (u - 1.0)).sum();
    let ml = m as f64 * l;
    let expected = 2.0 / l * numerator / (ml * (ml - 1.0) - within);
    (observed, expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(value: Option<f64>, expected: f64, tolerance: f64) {
        let value = value.expect("defined");
        assert!(
            (value - expected).abs() < tolerance,
            "{value} is not {expected}"
        );
    }

    #[test]
    fn cohen_kappa_textbook_and_extremes() {
        // Wikipedia's example (after Cohen 1960): 50 proposals, yes/no;
        // 20 yes-yes, 5 yes-no, 10 no-yes, 15 no-no: κ = 0.4.
        let mut items = vec![(1, 1); 20];
        items.extend([(1, 0); 5]);
        items.extend([(0, 1); 10]);
        items.extend([(0, 0); 15]);
        close(cohen_kappa(&items), 0.4, 1e-12);
        close(cohen_kappa(&[(0, 0), (1, 1), (2, 2)]), 1.0, 1e-12);
        // Systematic disagreement on two balanced categories: κ = −1.
        close(cohen_kappa(&[(0, 1), (1, 0), (0, 1), (1, 0)]), -1.0, 1e-12);
        // One category throughout: chance agrees fully, κ is undefined.
        assert_eq!(cohen_kappa(&[(3, 3), (3, 3)]), None);
        assert_eq!(cohen_kappa(&[]), None);
    }

    #[test]
    fn fleiss_kappa_textbook_and_extremes() {
        // Fleiss (1971) as Wikipedia gives it: 10 items, 14 raters, 5
        // categories; κ = 0.210.
        let table = [
            [0, 0, 0, 0, 14],
            [0, 2, 6, 4, 2],
            [0, 0, 3, 5, 6],
            [0, 3, 9, 2, 0],
            [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0],
            [3, 2, 6, 3, 0],
            [2, 5, 3, 2, 2],
            [6, 5, 2, 1, 0],
            [0, 2, 2, 3, 7],
        ];
        let ratings: Vec<Category> = (table.iter())
            .flat_map(|row| {
                (row.iter().enumerate())
                    .flat_map(|(category, &count)| vec![category as Category; count])
            })
            .collect();
        close(fleiss_kappa(14, &ratings), 0.20993070442195522, 1e-12);
        close(fleiss_kappa(3, &[0, 0, 0, 1, 1, 1]), 1.0, 1e-12);
        // Two raters always disagreeing on balanced categories: −1.
        close(fleiss_kappa(2, &[0, 1, 1, 0]), -1.0, 1e-12);
        assert_eq!(fleiss_kappa(2, &[4, 4, 4, 4]), None);
    }

    #[test]
    fn krippendorff_alpha_textbook_with_missing_values() {
        // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability",
        // section C: 4 observers, 12 units, nominal α = 0.743.
        let observers: [[u32; 12]; 4] = [
            [1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3],
            [0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0],
        ];
        let ratings: Vec<Option<Category>> = (0..12)
            .flat_map(|unit| {
                observers
                    .iter()
                    .map(move |o| Some(o[unit]).filter(|&v| v > 0))
            })
            .collect();
        close(krippendorff_alpha(4, &ratings), 0.743, 5e-4);
        close(
            krippendorff_alpha(2, &[Some(0), Some(0), Some(1), Some(1), None, Some(2)]),
            1.0,
            1e-12,
        );
        // Always disagreeing on two categories: α = 1 − (n−1)/(n/2) < 0.
        close(
            krippendorff_alpha(2, &[Some(0), Some(1), Some(1), Some(0)]),
            -0.5,
            1e-12,
        );
        assert_eq!(
            krippendorff_alpha(2, &[Some(0), Some(0), Some(0), None]),
            None
        );
    }

    fn span(category: Category, start: usize, end: usize) -> Span {
        Span {
            category,
            start,
            end,
        }
    }

    #[test]
    fn alpha_u_krippendorff_2004_example() {
        // Krippendorff (2004), "Measuring the reliability of qualitative
        // text analysis data": a continuum of 300 (150..450 there, here
        // shifted to 0..300), two observers, categories c and k. Published:
        // c: D_o = 0.0144, D_e = 0.0532 (αu = 0.7293 from these rounded
        // figures, 0.7286 unrounded); k: αu = 1, D_e = 0.0490.
        let c = |start: usize, len: usize| (start - 150, start - 150 + len);
        let (o, e) = unitizing_disagreement(
            300,
            &[
                vec![c(225, 70), c(370, 30)],
                vec![c(220, 80), c(355, 20), c(400, 20)],
            ],
        );
        assert!((o - 0.0144).abs() < 5e-5, "{o}");
        assert!((e - 0.0532).abs() < 5e-5, "{e}");
        assert!((1.0 - o / e - 0.7286).abs() < 5e-5, "{}", 1.0 - o / e);
        let k = vec![c(180, 60), c(300, 50)];
        let (o, e) = unitizing_disagreement(300, &[k.clone(), k]);
        assert_eq!(o, 0.0);
        assert!((e - 0.0490).abs() < 5e-5, "{e}");

        let units = |spans: &[(usize, usize)], category| {
            (spans.iter())
                .map(|&(s, e)| span(category, s, e))
                .collect::<Vec<_>>()
        };
        let observer_i = [
            units(&[c(225, 70), c(370, 30)], 0),
            units(&[c(180, 60), c(300, 50)], 1),
        ]
        .concat();
        let observer_j = [
            units(&[c(220, 80), c(355, 20), c(400, 20)], 0),
            units(&[c(180, 60), c(300, 50)], 1),
        ]
        .concat();
        // Both categories: 1 − (0.0144 + 0) / (0.0532 + 0.0490).
        close(alpha_u(300, &[observer_i, observer_j]), 0.8590, 5e-4);
    }

    #[test]
    fn alpha_u_extremes() {
        let same = vec![span(0, 2, 5), span(1, 8, 9)];
        close(alpha_u(12, &[same.clone(), same.clone(), same]), 1.0, 1e-12);
        // Units one annotator has where the other has none, and the
        // reverse: worse than chance.
        let value = alpha_u(20, &[vec![span(0, 0, 10)], vec![span(0, 10, 20)]]).unwrap();
        assert!(value < 0.0, "{value}");
        // Overlapping units of one category count as their union.
        close(
            alpha_u(
                10,
                &[vec![span(0, 0, 4), span(0, 2, 6)], vec![span(0, 0, 6)]],
            ),
            1.0,
            1e-12,
        );
        assert_eq!(alpha_u(10, &[vec![], vec![]]), None);
    }
}
