//! Corpus statistics (`newsmark stats`): how much of a file or a corpus is
//! claimed, sourced, quoted, attributed to anonymous sources, and who is
//! cited and mentioned most. Plain numbers; the CLI formats them.

use std::collections::BTreeMap;

use newsmark_syntax::{QuoteKind, StanceKind};

use crate::code::Code;
use crate::rules::diagnostics;
use crate::summary::UsageKind;
use crate::workspace::{FileId, Workspace};

/// Counts for one file, or summed over a corpus with [`Stats::add`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Files counted (1 for a file).
    pub files: u32,
    /// Claims, nested claims included; the parts of a split quote (or of
    /// a quote over paragraphs) count once.
    pub claims: u32,
    /// Claims with at least one source.
    pub sourced_claims: u32,
    /// Claims that are direct quotes.
    pub quotes: u32,
    /// Claims that paraphrase with quoted fragments.
    pub partial_quotes: u32,
    /// Claims with a hedge cue (`~[allegedly]`).
    pub hedged_claims: u32,
    /// Sourced claims whose every source came through a conduit (`via`).
    pub conduit_only_claims: u32,
    /// Stances taken, by kind.
    pub denials: u32,
    pub confirmations: u32,
    pub disputes: u32,
    /// Sources cited, summed over claims (a claim citing two counts two).
    pub citations: u32,
    /// Citations of entities whose kind is `anonymous`.
    pub anonymous_citations: u32,
    /// `untagged-mention` findings (after `%% ignore:` and configuration).
    pub untagged_mentions: u32,
    /// Per source id, the claims citing it.
    pub sources: BTreeMap<String, u32>,
    /// Per entity id, its mentions and references in the text (sources,
    /// front matter and property values not counted).
    pub mentions: BTreeMap<String, u32>,
}

impl Stats {
    /// The statistics of one file of the workspace.
    pub fn of_file(ws: &Workspace, file: FileId) -> Stats {
        let summary = ws.summary(file);
        let mut stats = Stats {
            files: 1,
            ..Stats::default()
        };
        let continued = summary.continued_quotes();
        let mut hedged: Vec<u32> = summary.hedges.iter().map(|h| h.claim).collect();
        hedged.sort_unstable();
        hedged.dedup();
        for (index, claim) in summary.claims.iter().enumerate() {
            if continued[index].is_some() {
                continue;
            }
            stats.claims += 1;
            let chains = summary.chains(index as u32);
            if !chains.is_empty() {
                stats.sourced_claims += 1;
                if chains.iter().all(|(_, conduits)| !conduits.is_empty()) {
                    stats.conduit_only_claims += 1;
                }
            }
            match claim.quote().kind {
                QuoteKind::Direct => stats.quotes += 1,
                QuoteKind::Partial => stats.partial_quotes += 1,
                QuoteKind::None => {}
            }
            if hedged.binary_search(&(index as u32)).is_ok() {
                stats.hedged_claims += 1;
            }
            for source in summary.sources(index as u32) {
                stats.citations += 1;
                *stats.sources.entry(source.id.to_string()).or_default() += 1;
                let kind = ws.entity(&source.id).and_then(|(_, d)| d.kind());
                if kind == Some("anonymous") {
                    stats.anonymous_citations += 1;
                }
            }
        }
        for stance in &summary.stances {
            *match stance.kind {
                StanceKind::Denies => &mut stats.denials,
                StanceKind::Confirms => &mut stats.confirmations,
                StanceKind::Disputes => &mut stats.disputes,
            } += 1;
        }
        for usage in &summary.usages {
            if matches!(usage.kind, UsageKind::Mention { .. } | UsageKind::Reference) {
                *stats.mentions.entry(usage.id.to_string()).or_default() += 1;
            }
        }
        stats.untagged_mentions = diagnostics(ws, file)
            .iter()
            .filter(|d| d.code == Code::UntaggedMention)
            .count() as u32;
        stats
    }

    /// Adds another file's (or corpus's) counts to these.
    pub fn add(&mut self, other: &Stats) {
        self.files += other.files;
        self.claims += other.claims;
        self.sourced_claims += other.sourced_claims;
        self.quotes += other.quotes;
        self.partial_quotes += other.partial_quotes;
        self.hedged_claims += other.hedged_claims;
        self.conduit_only_claims += other.conduit_only_claims;
        self.denials += other.denials;
        self.confirmations += other.confirmations;
        self.disputes += other.disputes;
        self.citations += other.citations;
        self.anonymous_citations += other.anonymous_citations;
        self.untagged_mentions += other.untagged_mentions;
        for (id, count) in &other.sources {
            *self.sources.entry(id.clone()).or_default() += count;
        }
        for (id, count) in &other.mentions {
            *self.mentions.entry(id.clone()).or_default() += count;
        }
    }

    /// Sourced claims over claims, from 0 to 1; `None` without claims.
    pub fn share_sourced(&self) -> Option<f64> {
        ratio(self.sourced_claims, self.claims)
    }

    /// Sources per sourced claim; `None` without sourced claims.
    pub fn sources_per_claim(&self) -> Option<f64> {
        ratio(self.citations, self.sourced_claims)
    }

    /// The `n` most cited sources, most cited first, ties by id.
    pub fn top_sources(&self, n: usize) -> Vec<(&str, u32)> {
        top(&self.sources, n)
    }

    /// The `n` most mentioned entities, most mentioned first, ties by id.
    pub fn most_mentioned(&self, n: usize) -> Vec<(&str, u32)> {
        top(&self.mentions, n)
    }
}

fn ratio(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| f64::from(part) / f64::from(whole))
}

fn top(counts: &BTreeMap<String, u32>, n: usize) -> Vec<(&str, u32)> {
    let mut sorted: Vec<(&str, u32)> = counts
        .iter()
        .map(|(id, &count)| (id.as_str(), count))
        .collect();
    // Stable sort: equal counts stay in id order.
    sorted.sort_by_key(|&(_, count)| std::cmp::Reverse(count));
    sorted.truncate(n);
    sorted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn counts_claims_sources_quotes_and_mentions() {
        let mut ws = Workspace::new(Config::default());
        ws.set_file(
            "r.nmk",
            "@us-officials: U.S. officials\n  kind: anonymous\n\n@kirby: John Kirby\n  kind: person\n\n@tass: TASS\n  kind: outlet\n".into(),
        );
        let article = ws
            .set_file(
                "a.nmk",
                "[Kirby]@kirby said {\"shipped\" | @kirby, @us-officials} and {more | @kirby}.\n{Unsourced {nested | @tass}} @kirby TASS.\n".into(),
            )
            .file;
        let stats = Stats::of_file(&ws, article);
        assert_eq!(
            (
                stats.claims,
                stats.sourced_claims,
                stats.quotes,
                stats.citations,
                stats.anonymous_citations
            ),
            (4, 3, 1, 4, 1)
        );
        assert_eq!(stats.top_sources(2), [("kirby", 2), ("tass", 1)]);
        assert_eq!(stats.most_mentioned(5), [("kirby", 2)]);
        assert_eq!(stats.untagged_mentions, 1);
        assert_eq!(stats.share_sourced(), Some(0.75));
        assert_eq!(stats.sources_per_claim(), Some(4.0 / 3.0));

        let mut corpus = Stats::default();
        corpus.add(&stats);
        corpus.add(&stats);
        assert_eq!((corpus.files, corpus.claims), (2, 8));
        assert_eq!(corpus.top_sources(1), [("kirby", 4)]);
        assert_eq!(Stats::default().share_sourced(), None);
    }
}
