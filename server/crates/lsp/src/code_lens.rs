//! `textDocument/codeLens`, `codeLens/resolve` and the command behind the
//! lens: on each definition, "N mentions · M claims sourced", which shows
//! the entity's references when clicked.
//!
//! The lens list is cheap (counts from the index); the references behind
//! each lens are gathered only when the client resolves it, as a registry
//! of thousands of entities would otherwise send every use of every entity.
//!
//! The resolved command is `newsmark.showReferences` with the arguments of
//! VS Code's `editor.action.showReferences` in protocol form:
//! `[uri, position, locations]`. A client-side handler can show the list
//! from them with no round trip (docs/lsp.md has one for VS Code and one
//! for Neovim). Clients without one send the command back to the server
//! (`workspace/executeCommand`, where the command is advertised), which
//! opens the first reference with `window/showDocument`. A lens with no
//! reference has an empty command: editors show it as plain text.

use newsmark_analysis::{FileId, code_lens as analysis, navigation};
use serde_json::{Value, json};
use tower_lsp_server::Client;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{self as lsp, Uri};
use tracing::{debug, warn};

use crate::from_proto::unknown_document;
use crate::snapshot::{Snapshot, Snapshots};
use crate::{from_proto, to_proto};

/// The command of a resolved lens.
pub const SHOW_REFERENCES: &str = "newsmark.showReferences";

/// The lenses of a file, unresolved: a range and what to resolve.
pub fn code_lenses(snap: &Snapshot, file: FileId) -> Vec<lsp::CodeLens> {
    let rope = snap.rope(file);
    let Some(uri) = snap.uri(file) else {
        return Vec::new();
    };
    analysis::code_lenses(&snap.ws, file)
        .into_iter()
        .map(|lens| lsp::CodeLens {
            range: to_proto::range(&rope, lens.range, snap.encoding),
            command: None,
            data: Some(json!({ "uri": uri, "id": &*lens.id })),
        })
        .collect()
}

/// The document and entity id a lens was made for.
pub fn lens_target(lens: &lsp::CodeLens) -> Option<(Uri, String)> {
    let data = lens.data.as_ref()?;
    let uri = data.get("uri")?.as_str()?.parse().ok()?;
    let id = data.get("id")?.as_str()?.to_owned();
    Some((uri, id))
}

/// Fills in the title and the command. A lens whose definition has gone
/// comes back as it was.
pub fn resolve(snap: &Snapshot, file: FileId, id: &str, mut lens: lsp::CodeLens) -> lsp::CodeLens {
    let rope = snap.rope(file);
    let at = from_proto::offset(&rope, lens.range.start, snap.encoding);
    let lenses = analysis::code_lenses(&snap.ws, file);
    let found = lenses
        .iter()
        .find(|found| &*found.id == id && found.range.start == at)
        .or_else(|| lenses.iter().find(|found| &*found.id == id));
    let (Some(found), Some(uri)) = (found, snap.uri(file)) else {
        debug!(id, "codeLens/resolve for a definition that has gone");
        return lens;
    };
    let references = navigation::references(&snap.ws, file, found.range.start, false);
    let locations = to_proto::locations(snap, references).into_vec();
    lens.range = to_proto::range(&rope, found.range.clone(), snap.encoding);
    let command = if locations.is_empty() {
        String::new()
    } else {
        SHOW_REFERENCES.to_owned()
    };
    lens.command = Some(lsp::Command {
        title: found.title.clone(),
        command,
        arguments: Some(vec![json!(uri), json!(lens.range.start), json!(locations)]),
    });
    lens
}

/// `workspace/executeCommand` for [`SHOW_REFERENCES`], run by clients that
/// have no handler of their own: opens the first reference (when the
/// client can show documents) and answers with the locations. Every
/// location must be a document of the workspace (open, or a file the scan
/// found): the arguments come from the client, and a URI such as
/// `file:///etc/shadow` or `https://…` is not shown with focus.
pub fn execute_show_references(
    snaps: &Snapshots,
    client: &Client,
    show_document: bool,
    arguments: &[Value],
) -> Result<Value> {
    let locations: Vec<lsp::Location> = arguments
        .get(2)
        .cloned()
        .and_then(|value| serde_json::from_value(value).ok())
        .unwrap_or_default();
    if let Some(foreign) = locations.iter().find(|l| snaps.document(&l.uri).is_none()) {
        warn!(
            uri = foreign.uri.as_str(),
            "{SHOW_REFERENCES} for a document outside the workspace; refused"
        );
        return Err(unknown_document(&foreign.uri));
    }
    if let Some(first) = locations.first().cloned()
        && show_document
    {
        // A request to the client: never awaited inside the handler.
        let client = client.clone();
        tokio::spawn(async move {
            let shown = client
                .show_document(lsp::ShowDocumentParams {
                    uri: first.uri,
                    external: Some(false),
                    take_focus: Some(true),
                    selection: Some(first.range),
                })
                .await;
            if let Err(error) = shown {
                warn!("the client did not show the reference: {error}");
            }
        });
    }
    Ok(json!(locations))
}
