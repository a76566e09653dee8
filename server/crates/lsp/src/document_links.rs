//! `textDocument/documentLink`: `url` values and `wikidata` ids (linked to
//! wikidata.org) in definitions and front matter.

use newsmark_analysis::FileId;
use tower_lsp_server::ls_types as lsp;

use crate::snapshot::Snapshot;
use crate::to_proto;

pub fn document_links(snap: &Snapshot, file: FileId) -> Vec<lsp::DocumentLink> {
    let rope = snap.rope(file);
    newsmark_analysis::document_links::document_links(&snap.ws, file)
        .into_iter()
        .filter_map(|link| {
            Some(lsp::DocumentLink {
                range: to_proto::range(&rope, link.range, snap.encoding),
                // Analysis has percent-encoded what URIs may not hold.
                target: Some(link.target.parse().ok()?),
                tooltip: None,
                data: None,
            })
        })
        .collect()
}
