//! `newsmark.openReport` (`workspace/executeCommand`, argument: the URI of
//! a document): writes the report of the document's workspace with
//! `newsmark report` into `.newsmark_cache/report/` at the workspace root,
//! and asks the client to open the document's page in the browser
//! (`window/showDocument`, `external: true`). The report is the command
//! line's: this binary runs itself as a child, so the language server
//! shares no code with the command line (the front ends depend on
//! neither), and the report reads the files as saved on disk.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};
use tower_lsp_server::Client;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{self as lsp, Uri};
use tracing::{info, warn};

use crate::file_key::FileKey;
use crate::from_proto::unknown_document;
use crate::snapshot::Snapshots;

pub const OPEN_REPORT: &str = "newsmark.openReport";

/// The folder below a workspace root the report is written to.
const REPORT_DIR: &str = ".newsmark_cache/report";

/// Writes the report and asks the client to show the document's page;
/// answers `{ "page": URI }`.
pub fn execute(
    snaps: &Snapshots,
    client: &Client,
    show_document: bool,
    arguments: &[Value],
) -> Result<Value> {
    let uri: Uri = (arguments.first().cloned())
        .and_then(|value| serde_json::from_value(value).ok())
        .ok_or_else(|| {
            Error::invalid_params(format!("{OPEN_REPORT} takes the URI of a document"))
        })?;
    // Only a file of a workspace: the argument comes from the client.
    let (snap, file) = snaps.document(&uri).ok_or_else(|| unknown_document(&uri))?;
    let root = snap.ws.root();
    if root.is_empty() {
        return Err(Error::invalid_params(format!(
            "{OPEN_REPORT}: the document is in no workspace folder"
        )));
    }
    let root = Path::new(root);
    let page = write_report(root, Path::new(snap.ws.path(file)))?;
    let page_uri = FileKey::from_path(&page)
        .and_then(|key| key.to_uri())
        .ok_or_else(|| internal(&format!("no URI for {}", page.display())))?;
    info!(page = %page.display(), "wrote the report");
    if show_document {
        let client = client.clone();
        let shown = page_uri.clone();
        // A request to the client: never awaited inside the handler.
        tokio::spawn(async move {
            let params = lsp::ShowDocumentParams {
                uri: shown,
                external: Some(true),
                take_focus: Some(true),
                selection: None,
            };
            if let Err(error) = client.show_document(params).await {
                warn!("the client did not open the report: {error}");
            }
        });
    }
    Ok(json!({ "page": page_uri }))
}

/// Runs `newsmark report ROOT --out ROOT/.newsmark_cache/report --force
/// --page-of FILE` and returns the page it names.
fn write_report(root: &Path, file: &Path) -> Result<PathBuf> {
    let binary = std::env::current_exe()
        .map_err(|error| internal(&format!("cannot find this binary: {error}")))?;
    let output = Command::new(binary)
        .current_dir(root)
        .arg("report")
        .arg(root)
        .arg("--out")
        .arg(root.join(REPORT_DIR))
        .arg("--force")
        .arg("--page-of")
        .arg(file)
        .output()
        .map_err(|error| internal(&format!("cannot run newsmark report: {error}")))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    match stdout.lines().next() {
        Some(page) if output.status.code().is_some_and(|code| code < 2) => Ok(PathBuf::from(page)),
        _ => Err(internal(&format!(
            "newsmark report failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ))),
    }
}

fn internal(message: &str) -> Error {
    warn!("{OPEN_REPORT}: {message}");
    Error {
        code: tower_lsp_server::jsonrpc::ErrorCode::InternalError,
        message: format!("{OPEN_REPORT}: {message}").into(),
        data: None,
    }
}
