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
fn occurrences<'s>(
    ratings: &[Category],
    scratch: &'s mut Vec<Category>,
) -> impl Iterator<Item = u64> + 's {
    scratch.clear();
    scratch.extend_from_slice(ratings);
    scratch.sort_unstable();
    scratch.chunk_by(|a, b| a == b).map(|run| run.len() as u64)
}

fn sum_of_squares(counts: &[u64]) -> u128 {
    counts.iter().map(|&c| u128::from(c) * u128::from(c)).sum()
}

/// Adds `from`'s counts per category to `to`, each category renumbered.
fn merge_counts(to: &mut Vec<u64>, from: &[u64], renumber: impl Fn(Category) -> Category) {
    for (category, &count) in from.iter().enumerate() {
        if count > 0 {
            tally(to, renumber(category as Category), count);
        }
    }
}

/// Two annotators' ratings of items, gathered for Cohen's κ (1960).
#[derive(Debug, Clone, Default)]
pub struct Paired {
    first: Vec<u64>,
    second: Vec<u64>,
    agreeing: u64,
    items: u64,
}

impl Paired {
    /// One item's two ratings.
    pub fn add(&mut self, a: Category, b: Category) {
        tally(&mut self.first, a, 1);
        tally(&mut self.second, b, 1);
        self.agreeing += u64::from(a == b);
        self.items += 1;
    }

    /// `items` items both put in `category`, counted at once.
    pub fn add_agreeing(&mut self, category: Category, items: u64) {
        tally(&mut self.first, category, items);
        tally(&mut self.second, category, items);
        self.agreeing += items;
        self.items += items;
    }

    /// Adds `other`'s items, their categories renumbered.
    pub fn merge(&mut self, other: &Paired, renumber: impl Fn(Category) -> Category) {
        merge_counts(&mut self.first, &other.first, &renumber);
        merge_counts(&mut self.second, &other.second, &renumber);
        self.agreeing += other.agreeing;
        self.items += other.items;
    }

    pub fn items(&self) -> u64 {
        self.items
    }

    pub fn cohen_kappa(&self) -> Option<f64> {
        let n = u128::from(self.items);
        let chance: u128 = (self.first.iter().zip(&self.second))
            .map(|(&a, &b)| u128::from(a) * u128::from(b))
            .sum();
        if n == 0 {
            return None;
        }
        let squared = (n * n) as f64;
        corrected(
            self.agreeing as f64 / n as f64,
            chance as f64 / squared,
            chance == n * n,
        )
    }
}

/// Items rated on nominal categories, gathered for Fleiss' κ (1971) and
/// Krippendorff's α (2011). Items with fewer than two values are not
/// pairable and do not count.
#[derive(Debug, Clone, Default)]
pub struct Nominal {
    /// Values per category.
    totals: Vec<u64>,
    items: u64,
    /// Σ over items and categories of n_ic (n_ic − 1): agreeing ordered
    /// pairs of values (Fleiss).
    agreeing: u128,
    /// Each item's (disagreeing ordered pairs) / (m_u − 1), the
    /// off-diagonal of α's coincidence matrix, for the items that have
    /// some, in order: α sums them in this order, so that it does not
    /// depend on how items are gathered.
    disagreeing: Vec<f64>,
    scratch: Vec<Category>,
}

impl Nominal {
    /// One item's values, one per annotator who rated it.
    pub fn add(&mut self, values: &[Category]) {
        let n = values.len() as u64;
        if n < 2 {
            return;
        }
        for &category in values {
            tally(&mut self.totals, category, 1);
        }
        let squares: u128 = occurrences(values, &mut self.scratch)
            .map(|c| u128::from(c * c))
            .sum();
        self.agreeing += squares - u128::from(n);
        self.items += 1;
        let unlike = u128::from(n * n) - squares;
        if unlike > 0 {
            self.disagreeing.push(unlike as f64 / (n - 1) as f64);
        }
    }

    /// `items` items on which all `values` values are `category`, counted
    /// at once.
    pub fn add_agreeing(&mut self, category: Category, values: u64, items: u64) {
        if values < 2 {
            return;
        }
        tally(&mut self.totals, category, values * items);
        self.agreeing += u128::from(items) * u128::from(values * (values - 1));
        self.items += items;
    }

    /// Adds `other`'s items after these, their categories renumbered.
    pub fn merge(&mut self, other: &Nominal, renumber: impl Fn(Category) -> Category) {
        merge_counts(&mut self.totals, &other.totals, renumber);
        self.items += other.items;
        self.agreeing += other.agreeing;
        self.disagreeing.extend(&other.disagreeing);
    }

    /// Fleiss' κ, every item rated by `raters` annotators (two or more).
    pub fn fleiss_kappa(&self, raters: usize) -> Option<f64> {
        if raters < 2 || self.items == 0 {
            return None;
        }
        let items = self.items as f64;
        let all = u128::from(self.items) * raters as u128;
        let pairs = items * (raters * (raters - 1)) as f64;
        let squares = sum_of_squares(&self.totals);
        corrected(
            self.agreeing as f64 / pairs,
            squares as f64 / (all * all) as f64,
            squares == all * all,
        )
    }

    /// Krippendorff's α for nominal data.
    pub fn krippendorff_alpha(&self) -> Option<f64> {
        let disagreeing: f64 = self.disagreeing.iter().fold(0.0, |sum, d| sum + d);
        let n: u64 = self.totals.iter().sum();
        let unlike = u128::from(n) * u128::from(n) - sum_of_squares(&self.totals);
        (unlike > 0).then(|| 1.0 - (n - 1) as f64 * disagreeing / unlike as f64)
    }
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

    fn cohen_kappa(items: &[(Category, Category)]) -> Option<f64> {
        let mut paired = Paired::default();
        for &(a, b) in items {
            paired.add(a, b);
        }
        paired.cohen_kappa()
    }

    /// Items one after another, `raters` values each, `None` where an
    /// annotator did not rate the item.
    fn nominal(raters: usize, ratings: &[Option<Category>]) -> Nominal {
        let mut nominal = Nominal::default();
        for item in ratings.chunks_exact(raters) {
            let values: Vec<Category> = item.iter().flatten().copied().collect();
            nominal.add(&values);
        }
        nominal
    }

    fn fleiss_kappa(raters: usize, ratings: &[Category]) -> Option<f64> {
        let ratings: Vec<Option<Category>> = ratings.iter().map(|&c| Some(c)).collect();
        nominal(raters, &ratings).fleiss_kappa(raters)
    }

    fn krippendorff_alpha(raters: usize, ratings: &[Option<Category>]) -> Option<f64> {
        nominal(raters, ratings).krippendorff_alpha()
    }

    #[test]
    fn counted_at_once_is_counted_one_by_one() {
        let mut one_by_one = Nominal::default();
        let mut paired = Paired::default();
        for _ in 0..5 {
            one_by_one.add(&[0, 0, 0]);
            paired.add(0, 0);
        }
        one_by_one.add(&[1, 0, 1]);
        paired.add(1, 0);
        let mut at_once = Nominal::default();
        at_once.add_agreeing(0, 3, 5);
        at_once.add(&[1, 0, 1]);
        let mut pair_at_once = Paired::default();
        pair_at_once.add_agreeing(0, 5);
        pair_at_once.add(1, 0);
        assert_eq!(one_by_one.fleiss_kappa(3), at_once.fleiss_kappa(3));
        assert_eq!(
            one_by_one.krippendorff_alpha(),
            at_once.krippendorff_alpha()
        );
        assert_eq!(paired.cohen_kappa(), pair_at_once.cohen_kappa());
        // Renumbered and merged: the same figures.
        let mut merged = Nominal::default();
        merged.merge(&at_once, |c| c + 7);
        assert_eq!(merged.krippendorff_alpha(), at_once.krippendorff_alpha());
    }

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
