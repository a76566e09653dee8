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
use std::sync::Arc;

use crate::snapshot::Snapshots;

pub const METHOD: &str = "newsmark/attributionGraph";

/// The parameters, all optional (the params themselves may be left out).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AttributionGraphParams {
    /// The files to describe, of one workspace; every file of the first
    /// workspace (that of the first workspace folder) when left out or
    /// empty.
    pub uris: Option<Vec<Uri>>,
}

pub fn attribution_graph(snaps: &Snapshots, uris: &[Uri]) -> Result<AttributionGraph> {
    let found = uris
        .iter()
        .map(|uri| snaps.document(uri).ok_or_else(|| unknown_document(uri)))
        .collect::<Result<Vec<_>>>()?;
    let Some(snap) = found.first().map(|(snap, _)| *snap).or_else(|| {
        snaps
            .namespaces
            .iter()
            .find(|snap| snap.ws.file_count() > 0)
    }) else {
        return Ok(graph::attribution_graph(&Default::default(), &[]));
    };
    if found
        .iter()
        .any(|(other, _)| !Arc::ptr_eq(&other.ws, &snap.ws))
    {
        return Err(tower_lsp_server::jsonrpc::Error::invalid_params(
            "the documents belong to different workspaces (folders with their own newsmark.toml); ask for each apart",
        ));
    }
    let files: Vec<_> = found.iter().map(|(_, file)| *file).collect();
    Ok(graph::attribution_graph(&snap.ws, &files))
}
