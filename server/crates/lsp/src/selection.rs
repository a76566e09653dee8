//! `textDocument/selectionRange`: for each position, the ranges that grow
//! from the id under it to the mention, the claim text, the claim, the
//! claims around it, the paragraph or definition, and the file, as a chain
//! of parents.

use newsmark_analysis::FileId;
use tower_lsp_server::ls_types as lsp;

use crate::snapshot::Snapshot;
use crate::{from_proto, to_proto};

/// How many ranges one chain holds at most. Each is a nested JSON object,
/// and a file of 100,000 nested claims would otherwise nest that deep.
pub const MAX_DEPTH: usize = 64;

pub fn selection_ranges(
    snap: &Snapshot,
    file: FileId,
    positions: &[lsp::Position],
) -> Vec<lsp::SelectionRange> {
    let rope = snap.rope(file);
    positions
        .iter()
        .map(|&position| {
            let offset = from_proto::offset(&rope, position, snap.encoding);
            let mut chain = newsmark_analysis::selection::selection_ranges(&snap.ws, file, offset);
            if chain.len() > MAX_DEPTH {
                // Deeply nested claims: keep the innermost steps and the
                // whole file; the answer nests as deep as the chain.
                let outermost = chain.pop();
                chain.truncate(MAX_DEPTH - 1);
                chain.extend(outermost);
            }
            // Outermost first, so that each range can take the one built
            // before it as its parent (no recursion, whatever the depth).
            let mut selection: Option<lsp::SelectionRange> = None;
            for range in chain.into_iter().rev() {
                selection = Some(lsp::SelectionRange {
                    range: to_proto::range(&rope, range, snap.encoding),
                    parent: selection.map(Box::new),
                });
            }
            // The protocol wants one answer per position: an empty range
            // at the position when nothing holds it.
            selection.unwrap_or(lsp::SelectionRange {
                range: lsp::Range::new(position, position),
                parent: None,
            })
        })
        .collect()
}
