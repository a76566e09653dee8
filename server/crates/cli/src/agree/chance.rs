//! The chance-corrected measures of `newsmark agree`: every word of every
//! article gets, per kind of label, each annotator's category
//! (`agreement::word_categories`), and `reliability` measures the ratings:
//! Cohen's κ per pair of annotators, and across all of them Fleiss' κ,
//! Krippendorff's α and αu. Each article is read in the words of its first
//! annotator's text (in command-line order); the others' units are aligned
//! onto it when their texts differ. docs/agreement.md.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use newsmark_analysis::agreement::{self, Unit};
use newsmark_analysis::reliability::{self, Category, Nominal, Paired, Span};
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
    pub path: &'a String,
    /// Indexes of the annotators who have it, in order.
    pub holders: Vec<usize>,
    /// The first holder's plain text.
    pub text: &'a str,
    /// Each holder's units, aligned on the first holder's text.
    pub units: Vec<Cow<'a, [Unit]>>,
    /// Where each holder's text first differs from the first holder's, in
    /// characters of it.
    pub first_differences: Vec<Option<usize>>,
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
    fn of(&mut self, label: &str) -> Category {
        if let Some(&category) = self.0.get(label) {
            return category;
        }
        let next = self.0.len() as Category + 1;
        self.0.insert(label.to_owned(), next);
        next
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
    words: usize,
    /// The holders' ratings of the words, when two or more hold it.
    ratings: Option<Nominal>,
    /// Each holder's units of the kind.
    spans: Vec<Vec<Span>>,
    /// The ratings of each pair (as in `pairs`) that both have the article.
    pairs: Vec<Option<Paired>>,
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
    // Inserted one by one: collecting millions of units' kinds first would
    // sort them all.
    let mut kinds: BTreeSet<&str> = BTreeSet::new();
    for unit in (articles.iter()).flat_map(|a| a.units.iter().flat_map(|units| units.iter())) {
        kinds.insert(agreement::kind(&unit.label));
    }
    let kinds: Vec<&str> = kinds.into_iter().collect();
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
    let mut documents_by_kind = Vec::with_capacity(kinds.len());
    for (&kind, measured) in kinds.iter().zip(by_kind) {
        group_kinds.insert(kind.to_owned(), measured.group);
        for (p, measured) in measured.pairs.into_iter().enumerate() {
            pair_measures[p].kinds.insert(kind.to_owned(), measured);
        }
        documents_by_kind.push(measured.documents);
    }
    // Articles are in path order: each document is made once, whole.
    let mut documents: Vec<GroupDocument> = Vec::new();
    for (a, (article, rated)) in articles.iter().zip(&rated).enumerate() {
        let mut pair_kinds = vec![BTreeMap::new(); pairs.len()];
        let mut group_kinds = BTreeMap::new();
        for (k, &kind) in kinds.iter().enumerate() {
            for (p, paired) in rated[k].pairs.iter().enumerate() {
                if let Some(paired) = paired {
                    pair_kinds[p].insert(kind.to_owned(), pair_kind(paired));
                }
            }
            if let Some(measured) = documents_by_kind[k][a] {
                group_kinds.insert(kind.to_owned(), measured);
            }
        }
        for (measures, kinds) in pair_measures.iter_mut().zip(pair_kinds) {
            if !kinds.is_empty() {
                measures.documents.insert(article.path.clone(), kinds);
            }
        }
        if !group_kinds.is_empty() {
            documents.push(GroupDocument {
                path: article.path.clone(),
                annotators: article.holders.iter().map(|&h| names[h].clone()).collect(),
                kinds: group_kinds,
            });
        }
    }
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

fn pair_kind(paired: &Paired) -> PairKind {
    PairKind {
        words: paired.items() as usize,
        cohen_kappa: paired.cohen_kappa(),
    }
}

/// Each holder's ratings of the words of `article` under `kind`, and
/// their units of the kind as spans. Only the words someone marked are
/// walked; the others, rated "none" by all, are counted at once.
fn rate(
    article: &Article,
    words: &[(usize, usize)],
    kind: &str,
    pairs: &[(usize, usize)],
) -> Rated {
    let holders = article.holders.len();
    let mut categories = Categories::default();
    // Versions that share their units (the same file in each folder) rate
    // every word alike: the first one's marks are read, once.
    let first = &article.units[0];
    let alike =
        (article.units.iter()).all(|u| u.as_ptr() == first.as_ptr() && u.len() == first.len());
    let marking = if alike {
        &article.units[..1]
    } else {
        &article.units
    };
    // (word, holder, category) for each word a holder marked.
    let mut marked: Vec<(usize, usize, Category)> = Vec::new();
    for (holder, units) in marking.iter().enumerate() {
        // Runs of words share a label (the words of one unit): it is
        // looked up once per run.
        let mut last: Option<(Cow<str>, Category)> = None;
        for (word, label) in agreement::word_categories(units, kind, words) {
            let category = match &last {
                Some((same, category)) if *same == label => *category,
                _ => {
                    let category = categories.of(&label);
                    last = Some((label, category));
                    category
                }
            };
            marked.push((word, holder, category));
        }
    }
    let spans = (article.units.iter())
        .map(|units| {
            (units.iter().filter(|u| agreement::kind(&u.label) == kind))
                .map(|u| Span {
                    category: categories.of(agreement::category(u)),
                    start: u.start,
                    end: u.end,
                })
                .collect()
        })
        .collect();
    let holder_pairs: Vec<Option<(usize, usize)>> = (pairs.iter())
        .map(|&(i, j)| {
            let hi = article.holders.iter().position(|&h| h == i)?;
            let hj = article.holders.iter().position(|&h| h == j)?;
            Some((hi, hj))
        })
        .collect();
    let mut ratings = (holders >= 2).then(Nominal::default);
    let mut paired: Vec<Option<Paired>> = (holder_pairs.iter())
        .map(|p| p.map(|_| Paired::default()))
        .collect();
    let mut unmarked = words.len() as u64;
    if alike {
        // Each marked word is an item every holder put in its category.
        let most = marked.iter().map(|&(_, _, category)| category).max();
        let mut items: Vec<u64> = vec![0; most.map_or(0, |c| c as usize + 1)];
        for &(_, _, category) in &marked {
            items[category as usize] += 1;
            unmarked -= 1;
        }
        marked.clear();
        for (category, &count) in (items.iter().enumerate()).filter(|(_, count)| **count > 0) {
            let category = category as Category;
            if let Some(ratings) = &mut ratings {
                ratings.add_agreeing(category, holders as u64, count);
            }
            for paired in paired.iter_mut().flatten() {
                paired.add_agreeing(category, count);
            }
        }
    }
    marked.sort_unstable();
    let mut item = vec![0; holders];
    for run in marked.chunk_by(|a, b| a.0 == b.0) {
        item.fill(0);
        for &(_, holder, category) in run {
            item[holder] = category;
        }
        unmarked -= 1;
        if let Some(ratings) = &mut ratings {
            ratings.add(&item);
        }
        for (paired, holders) in paired.iter_mut().zip(&holder_pairs) {
            if let (Some(paired), Some((hi, hj))) = (paired, holders) {
                paired.add(item[*hi], item[*hj]);
            }
        }
    }
    if let Some(ratings) = &mut ratings {
        ratings.add_agreeing(0, holders as u64, unmarked);
    }
    for paired in paired.iter_mut().flatten() {
        paired.add_agreeing(0, unmarked);
    }
    Rated {
        labels: categories.into_labels(),
        words: words.len(),
        ratings,
        spans,
        pairs: paired,
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
    let mut everyone = Nominal::default();
    let mut everyone_words = 0;
    let mut with_missing = Nominal::default();
    let mut continuum: Vec<Vec<Span>> = vec![Vec::new(); m];
    let mut length = 0;
    let mut pair_ratings: Vec<Paired> = vec![Paired::default(); pairs.len()];
    let mut documents = Vec::with_capacity(articles.len());
    for ((article, rated), &article_length) in articles.iter().zip(rated).zip(lengths) {
        let numbers: Vec<Category> = std::iter::once(0)
            .chain(rated.labels.iter().map(|l| categories.of(l)))
            .collect();
        let renumber = |c: Category| numbers[c as usize];
        let spans: Vec<Vec<Span>> = (rated.spans.iter())
            .map(|spans| {
                (spans.iter())
                    .map(|s| Span {
                        category: renumber(s.category),
                        ..*s
                    })
                    .collect()
            })
            .collect();
        let holders = article.holders.len();
        if let Some(ratings) = &rated.ratings {
            with_missing.merge(ratings, renumber);
        }
        if holders == m {
            if let Some(ratings) = &rated.ratings {
                everyone.merge(ratings, renumber);
            }
            everyone_words += rated.words;
            for (annotator, spans) in spans.iter().enumerate() {
                continuum[annotator].extend(spans.iter().map(|s| Span {
                    start: s.start + length,
                    end: s.end + length,
                    ..*s
                }));
            }
            length += article_length;
        }
        documents.push(rated.ratings.as_ref().map(|ratings| GroupKind {
            words: rated.words,
            fleiss_kappa: ratings.fleiss_kappa(holders),
            alpha: ratings.krippendorff_alpha(),
            alpha_u: reliability::alpha_u(article_length, &spans),
        }));
        for (all, paired) in pair_ratings.iter_mut().zip(&rated.pairs) {
            if let Some(paired) = paired {
                all.merge(paired, renumber);
            }
        }
    }
    KindMeasures {
        group: GroupKind {
            words: everyone_words,
            fleiss_kappa: everyone.fleiss_kappa(m),
            alpha: with_missing.krippendorff_alpha(),
            alpha_u: reliability::alpha_u(length, &continuum),
        },
        documents,
        pairs: pair_ratings.iter().map(pair_kind).collect(),
    }
}

/// A document's lowest α over its kinds; an undefined α (no variation:
/// everyone agreed) counts as 1.
pub fn lowest_alpha(document: &GroupDocument) -> f64 {
    (document.kinds.values())
        .map(|k| k.alpha.unwrap_or(1.0))
        .fold(1.0, f64::min)
}
