//! `textDocument/hover`: the entity card on a reference, mention, source or
//! definition; the sources of a claim; the documentation of a code in
//! `%% ignore:`. Markdown, with the hovered construct as range.

use newsmark_analysis::FileId;
use tower_lsp_server::ls_types::{self as lsp, HoverContents};

use crate::snapshot::Snapshot;
use crate::{from_proto, to_proto};

pub fn hover(snap: &Snapshot, file: FileId, position: lsp::Position) -> Option<lsp::Hover> {
    let rope = snap.rope(file);
    let offset = from_proto::offset(&rope, position, snap.encoding);
    let found = newsmark_analysis::hover::hover(&snap.ws, file, offset)?;
    Some(lsp::Hover {
        contents: HoverContents::Markup(to_proto::markdown(found.markdown)),
        range: Some(to_proto::range(&rope, found.range, snap.encoding)),
    })
}
