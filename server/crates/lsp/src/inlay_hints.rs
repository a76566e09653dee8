//! `textDocument/inlayHint`: the display name after each bare `@id` (a
//! reference, a claim source, a property value), so that `{… | @kcna}`
//! reads `@kcna Korean Central News Agency`. Turned off with
//! `initializationOptions.inlayHints: false` or the `newsmark.inlayHints`
//! setting (see `settings`).

use newsmark_analysis::FileId;
use tower_lsp_server::ls_types as lsp;

use crate::snapshot::Snapshot;
use crate::{from_proto, to_proto};

pub fn inlay_hints(snap: &Snapshot, file: FileId, range: lsp::Range) -> Vec<lsp::InlayHint> {
    let rope = snap.rope(file);
    let Some(range) = from_proto::range(&rope, range, snap.encoding) else {
        return Vec::new();
    };
    newsmark_analysis::inlay_hints::inlay_hints(&snap.ws, file, range)
        .into_iter()
        .map(|hint| lsp::InlayHint {
            position: to_proto::position(&rope, hint.offset, snap.encoding),
            label: lsp::InlayHintLabel::String(hint.label),
            kind: None,
            text_edits: None,
            tooltip: None,
            padding_left: Some(true),
            padding_right: None,
            data: None,
        })
        .collect()
}
