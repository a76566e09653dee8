//! `textDocument/semanticTokens/full`, `/full/delta` and `/range`: what
//! each stretch of a file is (entity ids, mention text, sourced and
//! unsourced claims, quotes, sources, keys, comments, directives, and the
//! chains, labels, stances and hedge cues of Newsmark 2).
//!
//! Tokens come from `newsmark_analysis::semantic_tokens`, which never lets
//! them overlap or span lines; this module encodes them relative to each
//! other in the negotiated position encoding. The last full result of each
//! open document is kept with its result id, so that a delta request sends
//! only what changed: the tokens between the common prefix and the common
//! suffix of the old and new arrays.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use newsmark_analysis::FileId;
use newsmark_analysis::semantic_tokens::{self as tokens, MODIFIERS, TokenType};
use tower_lsp_server::ls_types::{
    self as lsp, SemanticTokenModifier, SemanticTokenType, SemanticTokensDelta, SemanticTokensEdit,
    SemanticTokensFullDeltaResult, SemanticTokensLegend,
};

use crate::snapshot::Snapshot;
use crate::{from_proto, to_proto};

/// The legend: token types in `TokenType::ALL` order, then the modifiers,
/// whose bit `i` is `MODIFIERS[i]`.
pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TokenType::ALL
            .iter()
            .map(|token_type| SemanticTokenType::new(token_type.as_str()))
            .collect(),
        token_modifiers: MODIFIERS
            .iter()
            .map(|modifier| SemanticTokenModifier::new(modifier))
            .collect(),
    }
}

/// A result id and the tokens sent with it.
type Sent = (String, Vec<lsp::SemanticToken>);

/// The last full result sent for each open document.
#[derive(Debug, Default)]
pub struct Cache {
    next_id: AtomicU64,
    results: Mutex<HashMap<Arc<str>, Sent>>,
}

impl Cache {
    /// Keeps `data` as the result of `key`'s document and returns its id.
    /// Documents that have closed are forgotten on the way.
    fn store(&self, snap: &Snapshot, key: Arc<str>, data: Vec<lsp::SemanticToken>) -> String {
        let result_id = (self.next_id.fetch_add(1, Ordering::Relaxed) + 1).to_string();
        let mut results = self.lock();
        results.retain(|kept, _| snap.open.contains_key(kept));
        if snap.open.contains_key(&key) {
            results.insert(key, (result_id.clone(), data));
        }
        result_id
    }

    fn previous(&self, key: &str, result_id: &str) -> Option<Vec<lsp::SemanticToken>> {
        let results = self.lock();
        let (kept_id, data) = results.get(key)?;
        (kept_id == result_id).then(|| data.clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Arc<str>, Sent>> {
        self.results.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// `textDocument/semanticTokens/full`.
pub fn full(snap: &Snapshot, cache: &Cache, file: FileId) -> lsp::SemanticTokens {
    let data = encode(snap, file, None);
    let key: Arc<str> = snap.ws.path(file).into();
    let result_id = cache.store(snap, key, data.clone());
    lsp::SemanticTokens {
        result_id: Some(result_id),
        data,
    }
}

/// `textDocument/semanticTokens/full/delta`: the edits from the result
/// `previous_result_id` to the current tokens, or every token when that
/// result is no longer known.
pub fn full_delta(
    snap: &Snapshot,
    cache: &Cache,
    file: FileId,
    previous_result_id: &str,
) -> SemanticTokensFullDeltaResult {
    let key: Arc<str> = snap.ws.path(file).into();
    let Some(previous) = cache.previous(&key, previous_result_id) else {
        return SemanticTokensFullDeltaResult::Tokens(full(snap, cache, file));
    };
    let data = encode(snap, file, None);
    let edits = diff(&previous, &data);
    let result_id = cache.store(snap, key, data);
    SemanticTokensFullDeltaResult::TokensDelta(SemanticTokensDelta {
        result_id: Some(result_id),
        edits,
    })
}

/// `textDocument/semanticTokens/range`: the tokens that overlap `range`
/// (`None` for a range that ends before it starts).
pub fn range(snap: &Snapshot, file: FileId, range: lsp::Range) -> Option<lsp::SemanticTokens> {
    let range = from_proto::range(&snap.rope(file), range, snap.encoding)?;
    Some(lsp::SemanticTokens {
        result_id: None,
        data: encode(snap, file, Some(range)),
    })
}

fn encode(snap: &Snapshot, file: FileId, range: Option<Range<usize>>) -> Vec<lsp::SemanticToken> {
    let rope = snap.rope(file);
    let found = tokens::semantic_tokens(&snap.ws, file, range);
    to_proto::semantic_tokens(&rope, snap.encoding, &found)
}

/// One edit that turns `old` into `new`: everything between their common
/// prefix and their common suffix. Offsets count integers (five per token),
/// as the protocol says.
pub fn diff(old: &[lsp::SemanticToken], new: &[lsp::SemanticToken]) -> Vec<SemanticTokensEdit> {
    let prefix = old
        .iter()
        .zip(new)
        .take_while(|(old, new)| old == new)
        .count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(old, new)| old == new)
        .count();
    let deleted = old.len() - prefix - suffix;
    let inserted = &new[prefix..new.len() - suffix];
    if deleted == 0 && inserted.is_empty() {
        return Vec::new();
    }
    vec![SemanticTokensEdit {
        start: (prefix * 5) as u32,
        delete_count: (deleted * 5) as u32,
        data: (!inserted.is_empty()).then(|| inserted.to_vec()),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(delta_line: u32, length: u32) -> lsp::SemanticToken {
        lsp::SemanticToken {
            delta_line,
            delta_start: 0,
            length,
            token_type: 0,
            token_modifiers_bitset: 0,
        }
    }

    /// Tokens as the flat integer array of the protocol.
    fn flat<'a>(tokens: impl IntoIterator<Item = &'a lsp::SemanticToken>) -> Vec<u32> {
        tokens
            .into_iter()
            .flat_map(|t| {
                [
                    t.delta_line,
                    t.delta_start,
                    t.length,
                    t.token_type,
                    t.token_modifiers_bitset,
                ]
            })
            .collect()
    }

    /// Applies edits the way a client does, on the flat integer array.
    fn apply(old: &[lsp::SemanticToken], edits: &[SemanticTokensEdit]) -> Vec<u32> {
        let mut flat_tokens = flat(old);
        for edit in edits.iter().rev() {
            let start = edit.start as usize;
            let inserted = flat(edit.data.iter().flatten());
            flat_tokens.splice(start..start + edit.delete_count as usize, inserted);
        }
        flat_tokens
    }

    #[test]
    fn diff_replaces_only_the_middle() {
        let old = [token(0, 1), token(1, 2), token(1, 3), token(1, 4)];
        let new = [
            token(0, 1),
            token(1, 9),
            token(0, 9),
            token(1, 3),
            token(1, 4),
        ];
        let edits = diff(&old, &new);
        assert_eq!(edits.len(), 1);
        assert_eq!((edits[0].start, edits[0].delete_count), (5, 5));
        assert_eq!(edits[0].data.as_ref().unwrap().len(), 2);
        assert_eq!(apply(&old, &edits), apply(&new, &[]));
    }

    #[test]
    fn diff_of_equal_arrays_is_empty_and_deletions_carry_no_data() {
        let old = [token(0, 1), token(1, 2), token(1, 3)];
        assert!(diff(&old, &old).is_empty());
        let edits = diff(&old, &old[..1]);
        assert_eq!((edits[0].start, edits[0].delete_count), (5, 10));
        assert!(edits[0].data.is_none());
        assert_eq!(apply(&old, &edits), apply(&old[..1], &[]));
        // A repeated token: prefix and suffix must not overlap.
        let old = [token(0, 1), token(0, 1)];
        let new = [token(0, 1)];
        assert_eq!(apply(&old, &diff(&old, &new)), apply(&new, &[]));
    }

    #[test]
    fn legend_follows_the_analysis_order() {
        let legend = legend();
        let types: Vec<&str> = legend.token_types.iter().map(|t| t.as_str()).collect();
        assert_eq!(
            types,
            [
                "entity",
                "mention",
                "claim",
                "quote",
                "source",
                "property",
                "comment",
                "directive",
                "conduit",
                "keyword",
                "label",
                "hedge"
            ]
        );
        let modifiers: Vec<&str> = legend.token_modifiers.iter().map(|m| m.as_str()).collect();
        assert_eq!(modifiers, ["declaration", "sourced", "unsourced"]);
        assert_eq!(tokens::DECLARATION, 1 << 0);
        assert_eq!(tokens::SOURCED, 1 << 1);
        assert_eq!(tokens::UNSOURCED, 1 << 2);
    }
}
