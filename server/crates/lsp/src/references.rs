//! `textDocument/references`: every use of the entity under the cursor in
//! the workspace, and its definitions when `includeDeclaration` is set.

use newsmark_analysis::FileId;
use newsmark_analysis::navigation;
use tower_lsp_server::ls_types as lsp;

use crate::snapshot::Snapshot;
use crate::{from_proto, to_proto};

pub fn references(
    snap: &Snapshot,
    file: FileId,
    position: lsp::Position,
    include_declaration: bool,
) -> Option<to_proto::Locations<'_>> {
    let offset = from_proto::offset(&snap.rope(file), position, snap.encoding);
    let found = navigation::references(&snap.ws, file, offset, include_declaration);
    if found.is_empty() {
        return None;
    }
    Some(to_proto::locations(snap, found))
}
