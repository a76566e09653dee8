//! The chance-corrected measures of `newsmark agree`: every word of every
//! article gets, per kind of label, each annotator's category
//! (`agreement::word_categories`), and `reliability` measures the ratings:
//! Cohen's κ per pair of annotators, and across all of them Fleiss' κ,
//! Krippendorff's α and αu. Each article is read in the words of its first
//! annotator's text (in command-line order); the others' units are aligned
//! onto it when their texts differ. docs/agreement.md.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use newsmark_analysis::agreement::{self, Unit};
use newsmark_analysis::reliability::{self, Category, Span};
use serde::Serialize;

/// One pair's Cohen's κ on one kind of label, over the words of the
/// articles both have.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct PairKind {
    pub words: usize,
    pub cohen_kappa: Option<f64>,
}

/// All annotators' agreement on one kind of label. Fleiss' κ and αu count
/// the articles every annotator has (`words` of them); α counts every word
/// at least two annotators rated.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct GroupKind {
    pub words: usize,
    pub fleiss_kappa: Option<f64>,
    pub alpha: Option<f64>,
    pub alpha_u: Option<f64>,
}

/// All annotators who have one article.
#[derive(Debug, Serialize)]
pub struct GroupDocument {
    pub path: String,
    pub annotators: Vec<String>,
    pub kinds: BTreeMap<String, GroupKind>,
}

#[derive(Debug, Serialize)]
pub struct Group {
    pub kinds: BTreeMap<String, GroupKind>,
    /// Articles at least two annotators have, the lowest α first.
    pub documents: Vec<GroupDocument>,
}

/// One article as every annotator who has it marked it, on the words of
/// the first one's text.
pub struct Article<'a> {
    pub path: &'a str,
    /// Indexes of the annotators who have it, in order.
    pub holders: Vec<usize>,
    /// The first holder's plain text.
    pub text: &'a str,
    /// Each holder's units, aligned on the first holder's text.
    pub units: Vec<Vec<Unit>>,
}

/// One pair's κ per kind of label, over the corpus and per document.
#[derive(Default, Clone)]
pub struct PairMeasures {
    pub kinds: BTreeMap<String, PairKind>,
    pub documents: BTreeMap<String, BTreeMap<String, PairKind>>,
}

/// What `measure` finds: each pair's (in the order of `pairs`), and the
/// group's.
pub struct Measures {
    pub pairs: Vec<PairMeasures>,
    pub group: Group,
}

/// Category numbers for the labels of one kind; "none" is 0.
#[derive(Default)]
struct Categories(HashMap<String, Category>);

impl Categories {
    fn of(&mut self, label: Option<&str>) -> Category {
        let next = self.0.len() as Category + 1;
        label.map_or(0, |label| *self.0.entry(label.to_owned()).or_insert(next))
    }
}

pub fn measure(names: &[String], articles: &[Article], pairs: &[(usize, usize)]) -> Measures {
    let m = names.len();
    let kinds: BTreeSet<&str> = (articles.iter())
        .flat_map(|a| a.units.iter().flatten())
        .map(|u| agreement::kind(&u.label))
        .collect();
    let words: Vec<Vec<(usize, usize)>> =
        articles.iter().map(|a| agreement::words(a.text)).collect();
    let lengths: Vec<usize> = articles.iter().map(|a| a.text.chars().count()).collect();
    let mut pair_measures = vec![PairMeasures::default(); pairs.len()];
    let mut group_kinds = BTreeMap::new();
    let mut documents: BTreeMap<&str, GroupDocument> = BTreeMap::new();
    for &kind in &kinds {
        let mut categories = Categories::default();
        let mut everyone: Vec<Category> = Vec::new();
        let mut with_missing: Vec<Option<Category>> = Vec::new();
        let mut continuum: Vec<Vec<Span>> = vec![Vec::new(); m];
        let mut length = 0;
        let mut pair_items: Vec<Vec<(Category, Category)>> = vec![Vec::new(); pairs.len()];
        for ((article, words), &article_length) in articles.iter().zip(&words).zip(&lengths) {
            let (rated, spans) = rate(article, words, kind, &mut categories);
            let holders = article.holders.len();
            let local: Vec<Category> = (0..words.len())
                .flat_map(|w| rated.iter().map(move |r| r[w]))
                .collect();
            for ratings in local.chunks_exact(holders) {
                let mut row = vec![None; m];
                for (&annotator, &category) in article.holders.iter().zip(ratings) {
                    row[annotator] = Some(category);
                }
                with_missing.extend(row);
            }
            if holders == m {
                everyone.extend(&local);
                for (annotator, spans) in spans.iter().enumerate() {
                    continuum[annotator].extend(spans.iter().map(|s| Span {
                        start: s.start + length,
                        end: s.end + length,
                        ..*s
                    }));
                }
                length += article_length;
            }
            if holders >= 2 {
                let measured = GroupKind {
                    words: words.len(),
                    fleiss_kappa: reliability::fleiss_kappa(holders, &local),
                    alpha: reliability::krippendorff_alpha(
                        holders,
                        &local.iter().map(|&c| Some(c)).collect::<Vec<_>>(),
                    ),
                    alpha_u: reliability::alpha_u(article_length, &spans),
                };
                (documents.entry(article.path))
                    .or_insert_with(|| GroupDocument {
                        path: article.path.to_owned(),
                        annotators: article.holders.iter().map(|&h| names[h].clone()).collect(),
                        kinds: BTreeMap::new(),
                    })
                    .kinds
                    .insert(kind.to_owned(), measured);
            }
            for (p, &(i, j)) in pairs.iter().enumerate() {
                let (Some(hi), Some(hj)) = (
                    article.holders.iter().position(|&h| h == i),
                    article.holders.iter().position(|&h| h == j),
                ) else {
                    continue;
                };
                let items: Vec<(Category, Category)> = rated[hi]
                    .iter()
                    .copied()
                    .zip(rated[hj].iter().copied())
                    .collect();
                let measured = PairKind {
                    words: items.len(),
                    cohen_kappa: reliability::cohen_kappa(&items),
                };
                (pair_measures[p]
                    .documents
                    .entry(article.path.to_owned())
                    .or_default())
                .insert(kind.to_owned(), measured);
                pair_items[p].extend(items);
            }
        }
        for (p, items) in pair_items.iter().enumerate() {
            let measured = PairKind {
                words: items.len(),
                cohen_kappa: reliability::cohen_kappa(items),
            };
            pair_measures[p].kinds.insert(kind.to_owned(), measured);
        }
        let measured = GroupKind {
            words: everyone.len() / m,
            fleiss_kappa: reliability::fleiss_kappa(m, &everyone),
            alpha: reliability::krippendorff_alpha(m, &with_missing),
            alpha_u: reliability::alpha_u(length, &continuum),
        };
        group_kinds.insert(kind.to_owned(), measured);
    }
    let mut documents: Vec<GroupDocument> = documents.into_values().collect();
    documents.sort_by(|x, y| {
        lowest_alpha(x)
            .total_cmp(&lowest_alpha(y))
            .then(x.path.cmp(&y.path))
    });
    Measures {
        pairs: pair_measures,
        group: Group {
            kinds: group_kinds,
            documents,
        },
    }
}

/// Each holder's category for each word of `article` under `kind`, and
/// their units of the kind as spans.
fn rate(
    article: &Article,
    words: &[(usize, usize)],
    kind: &str,
    categories: &mut Categories,
) -> (Vec<Vec<Category>>, Vec<Vec<Span>>) {
    let rated = (article.units.iter())
        .map(|units| {
            (agreement::word_categories(units, kind, words).iter())
                .map(|c| categories.of(c.as_deref()))
                .collect()
        })
        .collect();
    let spans = (article.units.iter())
        .map(|units| {
            (units.iter().filter(|u| agreement::kind(&u.label) == kind))
                .map(|u| Span {
                    category: categories.of(Some(agreement::category(u))),
                    start: u.start,
                    end: u.end,
                })
                .collect()
        })
        .collect();
    (rated, spans)
}

/// A document's lowest α over its kinds; an undefined α (no variation:
/// everyone agreed) counts as 1.
pub fn lowest_alpha(document: &GroupDocument) -> f64 {
    (document.kinds.values())
        .map(|k| k.alpha.unwrap_or(1.0))
        .fold(1.0, f64::min)
}
