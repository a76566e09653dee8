//! `textDocument/completion` and `completionItem/resolve`: entity ids after
//! `@`, property keys and `kind` values in definitions, front matter keys,
//! codes after `%% ignore:`. Each item replaces the word being typed
//! (a text edit); resolving an entity item adds its card as documentation.

use newsmark_analysis::{FileId, Workspace};
use tower_lsp_server::ls_types::{self as lsp, CompletionResponse, Documentation};

use crate::snapshot::Snapshot;
use crate::{from_proto, to_proto};

/// The characters that open a completion: `@` (ids), `:` (a `kind:`
/// value, `%% ignore:`), `,` (the next code or source).
pub const TRIGGER_CHARACTERS: [&str; 3] = ["@", ":", ","];

pub fn completion(
    snap: &Snapshot,
    file: FileId,
    position: lsp::Position,
) -> Option<CompletionResponse> {
    let rope = snap.rope(file);
    let offset = from_proto::offset(&rope, position, snap.encoding);
    let found = newsmark_analysis::completion::completion(&snap.ws, file, offset)?;
    let replace = to_proto::range(&rope, found.replace, snap.encoding);
    let items = found
        .items
        .into_iter()
        .map(|item| to_proto::completion_item(item, replace))
        .collect();
    // When incomplete, the client asks again as the user types.
    Some(CompletionResponse::List(lsp::CompletionList {
        is_incomplete: found.incomplete,
        items,
    }))
}

/// Adds the entity card to an entity item; other items come back as sent.
pub fn resolve(ws: &Workspace, mut item: lsp::CompletionItem) -> lsp::CompletionItem {
    let id = item
        .data
        .as_ref()
        .and_then(|data| data.get("entity"))
        .and_then(|id| id.as_str());
    if let Some(id) = id {
        let card = newsmark_analysis::hover::entity_card(ws, id);
        item.documentation = Some(Documentation::MarkupContent(to_proto::markdown(card)));
    }
    item
}
