//! `newsmark/attributionGraph`: entities, claims and their sources, with
//! claims per source, single-source and unsourced claims, anonymous and
//! undefined sources. The result is `newsmark_analysis::graph::
//! AttributionGraph` as JSON, the same document `newsmark graph --format
//! json` prints.

use newsmark_analysis::graph::{self, AttributionGraph};
use serde::Deserialize;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::Uri;

use crate::from_proto::unknown_document;
use crate::snapshot::Snapshot;

pub const METHOD: &str = "newsmark/attributionGraph";

/// The parameters, all optional (the params themselves may be left out).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AttributionGraphParams {
    /// The files to describe; every file of the workspace when left out
    /// or empty.
    pub uris: Option<Vec<Uri>>,
}

pub fn attribution_graph(snap: &Snapshot, uris: &[Uri]) -> Result<AttributionGraph> {
    let files = uris
        .iter()
        .map(|uri| snap.file(uri).ok_or_else(|| unknown_document(uri)))
        .collect::<Result<Vec<_>>>()?;
    Ok(graph::attribution_graph(&snap.ws, &files))
}
