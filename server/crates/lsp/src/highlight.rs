//! `textDocument/documentHighlight`: the entity under the cursor in the
//! same file, its definition as a write and its uses as reads.

use newsmark_analysis::FileId;
use newsmark_analysis::navigation;
use tower_lsp_server::ls_types as lsp;

use crate::snapshot::Snapshot;
use crate::{from_proto, to_proto};

pub fn document_highlight(
    snap: &Snapshot,
    file: FileId,
    position: lsp::Position,
) -> Option<Vec<lsp::DocumentHighlight>> {
    let rope = snap.rope(file);
    let offset = from_proto::offset(&rope, position, snap.encoding);
    let found = navigation::document_highlight(&snap.ws, file, offset);
    if found.is_empty() {
        return None;
    }
    Some(
        found
            .into_iter()
            .map(|(range, kind)| lsp::DocumentHighlight {
                range: to_proto::range(&rope, range, snap.encoding),
                kind: Some(to_proto::highlight_kind(kind)),
            })
            .collect(),
    )
}
