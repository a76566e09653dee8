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
use rayon::prelude::*;
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

    /// The labels, by number (1 first).
    fn into_labels(self) -> Vec<String> {
        let mut labels: Vec<(String, Category)> = self.0.into_iter().collect();
        labels.sort_unstable_by_key(|&(_, category)| category);
        labels.into_iter().map(|(label, _)| label).collect()
    }
}

/// One article under one kind of label, in the article's own category
/// numbers, with the measures of it that do not depend on how categories
/// are numbered (all but αu, whose sum runs in category order).
struct Rated {
    /// The article's labels in order of first use, numbered from 1.
    labels: Vec<String>,
    /// Each word's category from each holder, a word after another.
    ratings: Vec<Category>,
    /// Each holder's units of the kind.
    spans: Vec<Vec<Span>>,
    fleiss_kappa: Option<f64>,
    alpha: Option<f64>,
    /// Cohen's κ of each pair (as in `pairs`) that both have the article.
    pairs: Vec<Option<PairKind>>,
}

/// All annotators' measures on one kind of label.
struct KindMeasures {
    group: GroupKind,
    /// Per article, when two annotators or more have it.
    documents: Vec<Option<GroupKind>>,
    /// Per pair (as in `pairs`), over the corpus.
    pairs: Vec<PairKind>,
}

pub fn measure(names: &[String], articles: &[Article], pairs: &[(usize, usize)]) -> Measures {
    let kinds: Vec<&str> = (articles.iter())
        .flat_map(|a| a.units.iter().flatten())
        .map(|u| agreement::kind(&u.label))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let lengths: Vec<usize> = articles.iter().map(|a| a.text.chars().count()).collect();
    // Articles apart, on every core; then the corpus, a kind per core.
    let rated: Vec<Vec<Rated>> = (articles.par_iter())
        .map(|article| {
            let words = agreement::words(article.text);
            (kinds.iter())
                .map(|kind| rate(article, &words, kind, pairs))
                .collect()
        })
        .collect();
    let by_kind: Vec<KindMeasures> = (0..kinds.len())
        .into_par_iter()
        .map(|k| {
            let column = rated.iter().map(|r| &r[k]);
            over_corpus(names.len(), articles, &lengths, column, pairs)
        })
        .collect();

    let mut pair_measures = vec![PairMeasures::default(); pairs.len()];
    let mut group_kinds = BTreeMap::new();
    let mut documents: BTreeMap<&str, GroupDocument> = BTreeMap::new();
    for ((k, &kind), measured) in kinds.iter().enumerate().zip(by_kind) {
        group_kinds.insert(kind.to_owned(), measured.group);
        for (p, measured) in measured.pairs.into_iter().enumerate() {
            pair_measures[p].kinds.insert(kind.to_owned(), measured);
        }
        for ((article, rated), document) in articles.iter().zip(&rated).zip(measured.documents) {
            for (p, measured) in rated[k].pairs.iter().enumerate() {
                if let Some(measured) = measured {
                    (pair_measures[p].documents)
                        .entry(article.path.to_owned())
                        .or_default()
                        .insert(kind.to_owned(), *measured);
                }
            }
            if let Some(measured) = document {
                (documents.entry(article.path))
                    .or_insert_with(|| GroupDocument {
                        path: article.path.to_owned(),
                        annotators: article.holders.iter().map(|&h| names[h].clone()).collect(),
                        kinds: BTreeMap::new(),
                    })
                    .kinds
                    .insert(kind.to_owned(), measured);
            }
        }
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

/// Each holder's category for each word of `article` under `kind`, their
/// units of the kind as spans, and the article's measures but αu.
fn rate(
    article: &Article,
    words: &[(usize, usize)],
    kind: &str,
    pairs: &[(usize, usize)],
) -> Rated {
    let mut categories = Categories::default();
    let rated: Vec<Vec<Category>> = (article.units.iter())
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
    let holders = article.holders.len();
    let ratings: Vec<Category> = (0..words.len())
        .flat_map(|w| rated.iter().map(move |r| r[w]))
        .collect();
    let (fleiss_kappa, alpha) = if holders >= 2 {
        let with_all: Vec<Option<Category>> = ratings.iter().map(|&c| Some(c)).collect();
        (
            reliability::fleiss_kappa(holders, &ratings),
            reliability::krippendorff_alpha(holders, &with_all),
        )
    } else {
        (None, None)
    };
    let pairs = (pairs.iter())
        .map(|&(i, j)| {
            let hi = article.holders.iter().position(|&h| h == i)?;
            let hj = article.holders.iter().position(|&h| h == j)?;
            let items: Vec<(Category, Category)> = rated[hi]
                .iter()
                .copied()
                .zip(rated[hj].iter().copied())
                .collect();
            Some(PairKind {
                words: items.len(),
                cohen_kappa: reliability::cohen_kappa(&items),
            })
        })
        .collect();
    Rated {
        labels: categories.into_labels(),
        ratings,
        spans,
        fleiss_kappa,
        alpha,
        pairs,
    }
}

/// One kind's measures over the corpus, the articles' categories numbered
/// in order of first use across it (the order αu sums them in).
fn over_corpus<'r>(
    m: usize,
    articles: &[Article],
    lengths: &[usize],
    rated: impl Iterator<Item = &'r Rated>,
    pairs: &[(usize, usize)],
) -> KindMeasures {
    let mut categories = Categories::default();
    let mut everyone: Vec<Category> = Vec::new();
    let mut with_missing: Vec<Option<Category>> = Vec::new();
    let mut continuum: Vec<Vec<Span>> = vec![Vec::new(); m];
    let mut length = 0;
    let mut pair_items: Vec<Vec<(Category, Category)>> = vec![Vec::new(); pairs.len()];
    let mut documents = Vec::with_capacity(articles.len());
    for ((article, rated), &article_length) in articles.iter().zip(rated).zip(lengths) {
        let numbers: Vec<Category> = std::iter::once(0)
            .chain(rated.labels.iter().map(|l| categories.of(Some(l))))
            .collect();
        let local: Vec<Category> = rated.ratings.iter().map(|&c| numbers[c as usize]).collect();
        let spans: Vec<Vec<Span>> = (rated.spans.iter())
            .map(|spans| {
                (spans.iter())
                    .map(|s| Span {
                        category: numbers[s.category as usize],
                        ..*s
                    })
                    .collect()
            })
            .collect();
        let holders = article.holders.len();
        let holder_of: Vec<Option<usize>> = (0..m)
            .map(|annotator| article.holders.iter().position(|&h| h == annotator))
            .collect();
        for ratings in local.chunks_exact(holders) {
            with_missing.extend(holder_of.iter().map(|h| h.map(|h| ratings[h])));
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
        documents.push((holders >= 2).then(|| GroupKind {
            words: local.len() / holders,
            fleiss_kappa: rated.fleiss_kappa,
            alpha: rated.alpha,
            alpha_u: reliability::alpha_u(article_length, &spans),
        }));
        for (p, &(i, j)) in pairs.iter().enumerate() {
            let (Some(hi), Some(hj)) = (holder_of[i], holder_of[j]) else {
                continue;
            };
            pair_items[p]
                .extend((local.chunks_exact(holders)).map(|ratings| (ratings[hi], ratings[hj])));
        }
    }
    KindMeasures {
        group: GroupKind {
            words: everyone.len() / m,
            fleiss_kappa: reliability::fleiss_kappa(m, &everyone),
            alpha: reliability::krippendorff_alpha(m, &with_missing),
            alpha_u: reliability::alpha_u(length, &continuum),
        },
        documents,
        pairs: (pair_items.iter())
            .map(|items| PairKind {
                words: items.len(),
                cohen_kappa: reliability::cohen_kappa(items),
            })
            .collect(),
    }
}

/// A document's lowest α over its kinds; an undefined α (no variation:
/// everyone agreed) counts as 1.
pub fn lowest_alpha(document: &GroupDocument) -> f64 {
    (document.kinds.values())
        .map(|k| k.alpha.unwrap_or(1.0))
        .fold(1.0, f64::min)
}
