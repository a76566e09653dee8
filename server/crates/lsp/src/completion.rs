//! `textDocument/completion` and `completionItem/resolve`: entity ids after
//! `@`, property keys and `kind` values in definitions, front matter keys,
//! codes after `%% ignore:`. Each item replaces the word being typed
//! (a text edit); resolving an entity item adds its card as documentation.

use newsmark_analysis::{FileId, Workspace};
use tower_lsp_server::ls_types::{self as lsp, CompletionResponse, Documentation};

use crate::snapshot::{Snapshot, Snapshots};
use crate::{from_proto, to_proto};

/// The characters that open a completion: `@` (ids), `:` (a `kind:`
/// value, `%% ignore:`), `,` (the next code or source).
pub const TRIGGER_CHARACTERS: [&str; 4] = ["@", ":", ",", "#"];

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
        .map(|item| to_proto::completion_item(item, replace, snap.ws.root()))
        .collect();
    // When incomplete, the client asks again as the user types.
    Some(CompletionResponse::List(lsp::CompletionList {
        is_incomplete: found.incomplete,
        items,
    }))
}

/// Adds the entity card to an entity item, from the workspace the item
/// came from; other items come back as sent.
pub fn resolve(snaps: &Snapshots, item: lsp::CompletionItem) -> lsp::CompletionItem {
    let root = item
        .data
        .as_ref()
        .and_then(|data| data.get("root"))
        .and_then(|root| root.as_str());
    match snaps
        .namespaces
        .iter()
        .find(|snap| Some(snap.ws.root()) == root)
    {
        Some(snap) => resolve_in(&snap.ws, item),
        None => item,
    }
}

fn resolve_in(ws: &Workspace, mut item: lsp::CompletionItem) -> lsp::CompletionItem {
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

#[cfg(test)]
mod tests {
    use newsmark_analysis::Config;
    use serde_json::json;

    use super::*;

    #[test]
    fn hostile_registry_content_is_inert_in_the_documentation() {
        let mut ws = Workspace::new(Config::default());
        ws.set_file(
            "entities/r.nmk",
            "@evil: )[x](command:foo) <img src=x onerror=alert(1)>\n  url: javascript:alert(1)\n  wikidata: Q1) [y](command:y\n".into(),
        );
        let item = lsp::CompletionItem {
            label: "evil".to_owned(),
            data: Some(json!({ "entity": "evil" })),
            ..Default::default()
        };
        let Some(Documentation::MarkupContent(doc)) = resolve_in(&ws, item).documentation else {
            panic!("no Markdown documentation");
        };
        assert_eq!(
            doc.value.lines().take(3).collect::<Vec<_>>(),
            [
                r"**\)\[x\]\(command:foo\) \<img src=x onerror=alert\(1\)\>** · `@evil`",
                "",
                r"javascript:alert\(1\) · Wikidata Q1\) \[y\]\(command:y",
            ]
        );
    }
}
