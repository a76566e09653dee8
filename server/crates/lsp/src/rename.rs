//! `textDocument/prepareRename` and `textDocument/rename`: an entity id
//! renamed in its definitions and in every reference, mention, source and
//! property value of the workspace, open or not.
//!
//! The edits of files that are not open are converted on their text in the
//! workspace; those of open documents carry the document's version when
//! the client takes `documentChanges`. A new id that is not valid, or that
//! another entity already has, is refused with an error whose message says
//! why (editors show it).

use newsmark_analysis::FileId;
use newsmark_analysis::rename::{self as analysis, RenameError};
use tower_lsp_server::jsonrpc::{Error, ErrorCode};
use tower_lsp_server::ls_types::{self as lsp, PrepareRenameResponse};

use crate::session::ClientFeatures;
use crate::snapshot::Snapshot;
use crate::{from_proto, to_proto};

/// LSP's `RequestFailed`: the request was valid but could not be done.
pub const REQUEST_FAILED: i64 = -32803;

/// The id under the cursor (without its `@`), or `None` when there is
/// nothing to rename there.
pub fn prepare_rename(
    snap: &Snapshot,
    file: FileId,
    position: lsp::Position,
) -> Option<PrepareRenameResponse> {
    let rope = snap.rope(file);
    let offset = from_proto::offset(&rope, position, snap.encoding);
    let id_range = analysis::prepare_rename(&snap.ws, file, offset)?;
    Some(PrepareRenameResponse::Range(to_proto::range(
        &rope,
        id_range,
        snap.encoding,
    )))
}

pub fn rename(
    snap: &Snapshot,
    file: FileId,
    position: lsp::Position,
    new_name: &str,
    features: &ClientFeatures,
) -> Result<Option<lsp::WorkspaceEdit>, Error> {
    let offset = from_proto::offset(&snap.rope(file), position, snap.encoding);
    let edit = analysis::rename(&snap.ws, file, offset, new_name).map_err(refused)?;
    Ok(to_proto::workspace_edit(snap, &edit, None, features))
}

fn refused(error: RenameError) -> Error {
    Error {
        code: ErrorCode::ServerError(REQUEST_FAILED),
        message: error.to_string().into(),
        data: None,
    }
}
