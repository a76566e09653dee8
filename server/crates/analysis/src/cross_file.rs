//! The facts of one file that other files' findings depend on, for caches
//! that keep findings across runs (the linter's `.newsmark_cache/`).
//!
//! A file's findings depend on its own text and on these facts of every
//! other file: the definitions (ids, where the ids are written, display
//! names, properties — aliases feed `untagged-mention`, positions feed the
//! notes of `duplicate-definition` and `undefined-entity`), the set of ids
//! it uses (`unused-entity`) and its sourced direct quotes with their
//! sources and places (`conflicting-attribution`). Other prose, claims and
//! the positions of usages never matter, so editing an article's text
//! leaves every other file's findings valid, while editing a registry does
//! not.
//!
//! **A rule that reads anything else of another file must add it here**,
//! or the linter's cache will keep stale findings for that rule.
//!
//! The caller chooses the hasher; this module only feeds it. [`outline`]
//! keeps the same facts, for a workspace too large to hold every summary.

use std::hash::{Hash, Hasher};
use std::ops::Range;

use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use crate::summary::{Claim, FileSummary, Name, UsageKind};

/// Feeds `state` with everything of `summary` that can change another
/// file's findings; `used` holds the ids the file uses, each once, in any
/// order. Equal hashes for two versions of a file mean the rest of the
/// workspace gets the same findings with either.
pub fn hash_cross_file_facts<H: Hasher>(
    summary: &FileSummary,
    used: &[&str],
    text: &str,
    state: &mut H,
) {
    summary.definitions.len().hash(state);
    for definition in &summary.definitions {
        definition.id.hash(state);
        definition.id_range.hash(state);
        definition.name.hash(state);
        definition.properties.len().hash(state);
        for property in &definition.properties {
            property.key.hash(state);
            property.value.hash(state);
        }
    }
    // A sum of each id's hash: the same in any order, with no sorting of
    // the ~2,000 ids of a large article at each of its keystrokes.
    let sum = (used.iter()).fold(0u64, |sum, id| sum.wrapping_add(xxh3_64(id.as_bytes())));
    (used.len(), sum).hash(state);
    for (index, claim) in summary.claims.iter().enumerate() {
        // Only quotes have their sources looked up (a binary search each).
        if !claim.is_quote() {
            continue;
        }
        let mut sources = summary.sources(index as u32).peekable();
        if sources.peek().is_none() {
            continue;
        }
        claim.range().hash(state);
        text.get(claim.text_range()).hash(state);
        for source in sources {
            source.id.hash(state);
        }
    }
}

/// The hash of what other files' findings depend on, as
/// `PreparedFile::facts` gives it: two versions with the same hash leave
/// every other file's findings as they are. `used` as for
/// [`hash_cross_file_facts`].
pub fn facts(summary: &FileSummary, used: &[&str], text: &str) -> u64 {
    let mut hasher = Xxh3::default();
    hash_cross_file_facts(summary, used, text, &mut hasher);
    hasher.finish()
}

/// What [`hash_cross_file_facts`] hashes of a file, but the ids it uses:
/// its definitions, and its sourced direct quotes with their `Source`
/// usages (claims renumbered, without their `parent`), each quote's text
/// beside it, in claim order. Everything else is left out, so an outline
/// answers for the file in other files' findings (`Workspace::add_outline`)
/// at a fraction of the memory.
pub fn outline(summary: FileSummary, text: &str) -> (FileSummary, Box<[Box<str>]>) {
    let mut kept: Vec<Option<u32>> = vec![None; summary.claims.len()];
    let mut claims: Vec<Claim> = Vec::new();
    let mut quotes: Vec<Box<str>> = Vec::new();
    for (index, claim) in summary.claims.iter().enumerate() {
        if claim.is_quote() && summary.sources(index as u32).next().is_some() {
            kept[index] = Some(claims.len() as u32);
            quotes.push(text.get(claim.text_range()).unwrap_or("").into());
            claims.push(claim.with_parent(None));
        }
    }
    // Copied, not filtered in place: that would keep the whole list's room.
    let usages = (summary.usages.iter())
        .filter_map(|usage| {
            let UsageKind::Source { claim } = usage.kind else {
                return None;
            };
            let claim = kept[claim as usize]?;
            Some(usage.with_claims(UsageKind::Source { claim }, Some(claim)))
        })
        .collect();
    let outline = FileSummary {
        definitions: summary.definitions,
        usages,
        claims,
        ..FileSummary::default()
    };
    (outline, quotes.into())
}

/// A sourced direct quote of a file, as `conflicting-attribution` compares
/// them across the workspace and within the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcedQuote {
    /// Its text without its outer quotation marks, whitespace collapsed.
    pub key: Box<str>,
    /// The claim's range.
    pub range: Range<usize>,
    /// Its source ids, sorted, each once.
    pub sources: Box<[Name]>,
}

/// The sourced direct quotes of a file, in text order; `claim_text` gives
/// the text of a claim (its `text_range`), from the file or its outline.
pub fn sourced_quotes<'t>(
    summary: &FileSummary,
    claim_text: impl Fn(u32) -> &'t str,
) -> Vec<SourcedQuote> {
    let mut quotes = Vec::new();
    for (index, claim) in summary.claims.iter().enumerate() {
        if !claim.is_quote() {
            continue;
        }
        let mut sources: Vec<Name> = (summary.sources(index as u32))
            .map(|source| source.id.clone())
            .collect();
        if sources.is_empty() {
            continue;
        }
        sources.sort();
        sources.dedup();
        quotes.push(SourcedQuote {
            key: quote_key(claim_text(index as u32)).into(),
            range: claim.range(),
            sources: sources.into(),
        });
    }
    quotes
}

/// Quote text as compared: without its outer quotation marks, with
/// whitespace collapsed.
fn quote_key(text: &str) -> String {
    let mut chars = text.trim().chars();
    chars.next();
    chars.next_back();
    chars
        .as_str()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use std::collections::hash_map::DefaultHasher;

    use newsmark_syntax::SyntaxTree;

    use super::*;

    fn facts(text: &str) -> u64 {
        let summary = FileSummary::from_tree(&SyntaxTree::parse(text));
        let mut hasher = DefaultHasher::new();
        hash_cross_file_facts(&summary, &summary.distinct_ids(), text, &mut hasher);
        hasher.finish()
    }

    #[test]
    fn prose_and_claims_do_not_change_the_facts() {
        let before = facts("[Lavrov]@lavrov said {it rained | @tass}.\n");
        let after = facts("Later, [Sergey Lavrov]@lavrov said {it rained all week | @tass}.\n");
        assert_eq!(before, after);
    }

    #[test]
    fn used_ids_and_definitions_change_the_facts() {
        let base = facts("@a: Alpha\n  kind: person\n\n@b mentioned.\n");
        assert_ne!(base, facts("@a: Alpha\n  kind: person\n\n@c mentioned.\n"));
        assert_ne!(base, facts("@a: Alfa\n  kind: person\n\n@b mentioned.\n"));
        assert_ne!(
            base,
            facts("@a: Alpha\n  kind: person\n  aliases: A\n\n@b mentioned.\n")
        );
        // The ids used are a set: their order and repeats do not count.
        assert_eq!(
            facts("@a: Alpha\n\n@b and @c.\n"),
            facts("@a: Alpha\n\n@c, @b and @c again.\n")
        );
        let summary = FileSummary::from_tree(&SyntaxTree::parse("@b and @c.\n"));
        assert_eq!(
            super::facts(&summary, &["b", "c"], ""),
            super::facts(&summary, &["c", "b"], "")
        );
        assert_ne!(
            facts("@a: Alpha\n\n@b and @c.\n"),
            facts("@a: Alpha\n\n@b and @d.\n")
        );
        // The definition moved: notes pointing at it elsewhere move too.
        assert_ne!(
            base,
            facts("\n@a: Alpha\n  kind: person\n\n@b mentioned.\n")
        );
    }

    #[test]
    fn sourced_quotes_change_the_facts() {
        let base = facts("{\"unbreakable\" | @choe} and {a claim | @choe}\n");
        assert_eq!(
            base,
            facts("{\"unbreakable\" | @choe} and {another claim | @choe}\n")
        );
        assert_ne!(
            base,
            facts("{\"unbreakable\" | @choe, @kim} and {a claim | @choe}\n")
        );
        assert_ne!(
            base,
            facts("{\"unbreakable!\" | @choe} and {a claim | @choe}\n")
        );
        assert_ne!(
            base,
            facts("So {\"unbreakable\" | @choe} and {a claim | @choe}\n")
        );
    }
}
