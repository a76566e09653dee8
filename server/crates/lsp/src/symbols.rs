//! `textDocument/documentSymbol` (headings, definitions and claims as a
//! nested outline) and `workspace/symbol` (entities by id, name or alias).

use newsmark_analysis::FileId;
use newsmark_analysis::symbols;
use tower_lsp_server::ls_types::{self as lsp, DocumentSymbolResponse, OneOf};

use crate::snapshot::{Snapshot, Snapshots};
use crate::to_proto;

pub fn document_symbols(snap: &Snapshot, file: FileId) -> DocumentSymbolResponse {
    let rope = snap.rope(file);
    let outline = symbols::document_symbols(&snap.ws, file);
    DocumentSymbolResponse::Nested(to_proto::document_symbols(&rope, snap.encoding, outline))
}

/// The matching entities of every workspace.
pub fn workspace_symbols(snaps: &Snapshots, query: &str) -> Vec<lsp::WorkspaceSymbol> {
    snaps
        .namespaces
        .iter()
        .flat_map(|snap| symbols_of(snap, query))
        .collect()
}

fn symbols_of(snap: &Snapshot, query: &str) -> Vec<lsp::WorkspaceSymbol> {
    symbols::workspace_symbols(&snap.ws, query)
        .into_iter()
        .filter_map(|symbol| {
            Some(lsp::WorkspaceSymbol {
                name: symbol.name,
                kind: lsp::SymbolKind::OBJECT,
                tags: None,
                container_name: Some(symbol.detail),
                location: OneOf::Left(to_proto::location(snap, symbol.file, symbol.range)?),
                data: None,
            })
        })
        .collect()
}
