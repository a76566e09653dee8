//! `textDocument/definition` and `textDocument/declaration` (the same
//! thing in Newsmark): from a reference, mention, source or definition to
//! every `@id:` that defines the entity, in any file.

use newsmark_analysis::FileId;
use newsmark_analysis::navigation;
use tower_lsp_server::ls_types::{self as lsp, GotoDefinitionResponse};

use crate::snapshot::Snapshot;
use crate::{from_proto, to_proto};

pub fn definition(
    snap: &Snapshot,
    file: FileId,
    position: lsp::Position,
) -> Option<GotoDefinitionResponse> {
    let offset = from_proto::offset(&snap.rope(file), position, snap.encoding);
    let definitions = navigation::goto_definition(&snap.ws, file, offset);
    let locations = to_proto::locations(snap, definitions).into_vec();
    (!locations.is_empty()).then_some(GotoDefinitionResponse::Array(locations))
}
