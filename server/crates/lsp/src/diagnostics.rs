//! Diagnostics, pushed and pulled.
//!
//! Push: after the state thread has applied a batch of changes it sends a
//! [`Job`] to one worker thread, which computes the findings of the open
//! documents named in it and publishes them, in order, serialised straight
//! into the transport's output (`crate::outbox`). Jobs queued while the
//! worker was busy are merged, so
//! only the newest state is analysed, and a result is dropped when its
//! document has moved to another version in the meantime.
//!
//! Pull: `textDocument/diagnostic` for any file of the workspace and
//! `workspace/diagnostic` for the files that are not open, with the
//! workspace revision as result id.
//!
//! While the first scan runs, findings that need every file to be known
//! (`undefined-entity`, `unused-entity`) are held back; the end of the scan
//! publishes them.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::mpsc;

use newsmark_analysis::{Code, FileId};
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::notification::{Notification as _, PublishDiagnostics};
use tower_lsp_server::ls_types::{
    self as lsp, DocumentDiagnosticReport, DocumentDiagnosticReportResult,
    FullDocumentDiagnosticReport, PreviousResultId, RelatedFullDocumentDiagnosticReport,
    RelatedUnchangedDocumentDiagnosticReport, UnchangedDocumentDiagnosticReport, Uri,
    WorkspaceDiagnosticReport, WorkspaceDiagnosticReportResult, WorkspaceDocumentDiagnosticReport,
    WorkspaceFullDocumentDiagnosticReport, WorkspaceUnchangedDocumentDiagnosticReport,
};
use tracing::{debug, error};

use crate::compare_with;
use crate::file_key::FileKey;
use crate::outbox::Outbox;
use crate::session::Versions;
use crate::snapshot::{Snapshot, Snapshots};
use crate::to_proto;

/// Work for the diagnostics worker.
#[derive(Debug, Default)]
pub struct Job {
    snapshot: Option<Snapshots>,
    /// Open documents (workspace names) to publish.
    documents: Vec<Arc<str>>,
    /// Closed documents whose diagnostics are cleared.
    clear: Vec<Uri>,
    /// Ask a pull client to pull again.
    refresh: bool,
}

impl Job {
    pub fn publish(snapshot: Snapshots, documents: Vec<Arc<str>>, refresh: bool) -> Self {
        Self {
            snapshot: Some(snapshot),
            documents,
            clear: Vec::new(),
            refresh,
        }
    }

    pub fn clear(uri: Uri) -> Self {
        Self {
            clear: vec![uri],
            ..Self::default()
        }
    }

    fn merge(&mut self, newer: Job) {
        if newer.snapshot.is_some() {
            self.snapshot = newer.snapshot;
        }
        self.documents.extend(newer.documents);
        self.clear.extend(newer.clear);
        self.refresh |= newer.refresh;
    }
}

#[derive(Debug, Clone)]
pub struct Sender(mpsc::Sender<Job>);

impl Sender {
    pub fn send(&self, job: Job) {
        let _ = self.0.send(job);
    }
}

/// Where the worker's results go.
struct Out {
    outbox: Outbox,
    client: Client,
    runtime: tokio::runtime::Handle,
}

impl Out {
    fn publish(&self, uri: Uri, diagnostics: Vec<lsp::Diagnostic>, version: Option<i32>) {
        let params = lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.outbox.notify(PublishDiagnostics::METHOD, params);
    }

    fn refresh(&self) {
        // A request to the client: never awaited here, so a client that
        // does not answer blocks nothing.
        let client = self.client.clone();
        self.runtime.spawn(async move {
            let _ = client.workspace_diagnostic_refresh().await;
        });
    }
}

/// Starts the worker thread.
pub fn spawn_worker(
    client: Client,
    runtime: tokio::runtime::Handle,
    versions: Arc<Versions>,
    outbox: Outbox,
) -> Sender {
    let (jobs_tx, jobs_rx) = mpsc::channel::<Job>();
    let out = Out {
        outbox,
        client,
        runtime,
    };
    std::thread::Builder::new()
        .name("newsmark-diagnostics".to_owned())
        .spawn(move || {
            while let Ok(mut job) = jobs_rx.recv() {
                while let Ok(newer) = jobs_rx.try_recv() {
                    job.merge(newer);
                }
                run(job, &versions, &out);
            }
        })
        .expect("spawning the diagnostics thread");
    Sender(jobs_tx)
}

fn run(job: Job, versions: &Versions, out: &Out) {
    for uri in job.clear {
        out.publish(uri, Vec::new(), None);
    }
    if let Some(snaps) = &job.snapshot {
        let mut documents = job.documents;
        documents.sort();
        documents.dedup();
        for key in documents {
            let Some(document) = snaps.open.get(&key) else {
                continue;
            };
            // A newer version is on its way; its own job will publish it.
            if versions.current(&key) != Some(document.version) {
                debug!(%key, version = document.version, "stale diagnostics dropped");
                continue;
            }
            let Some((snap, file)) = snaps.holding(&key) else {
                continue;
            };
            let computed = std::panic::catch_unwind(AssertUnwindSafe(|| compute(snap, file)));
            match computed {
                Ok(diagnostics) => {
                    debug!(%key, version = document.version, count = diagnostics.len(), "publishing diagnostics");
                    out.publish(document.uri.clone(), diagnostics, Some(document.version));
                }
                Err(_) => error!(%key, "a panic while computing diagnostics; nothing published"),
            }
        }
    }
    if job.refresh {
        out.refresh();
    }
}

/// Whether a code can only be trusted once every file has been read.
fn needs_complete_index(code: Code) -> bool {
    matches!(code, Code::UndefinedEntity | Code::UnusedEntity)
}

/// How many findings of one file are sent. Past this, an editor's problem
/// list is of no use and the conversion and JSON cost grow with no end (a
/// file of 100,000 nested claims has 100,000 unsourced ones); one more
/// diagnostic says how many were left out.
pub const MAX_DIAGNOSTICS_PER_FILE: usize = 1_000;

/// The findings of a file as protocol diagnostics.
pub fn compute(snap: &Snapshot, file: FileId) -> Vec<lsp::Diagnostic> {
    let mut found: Vec<_> = newsmark_analysis::diagnostics(&snap.ws, file)
        .into_iter()
        .filter(|found| !(snap.indexing && needs_complete_index(found.code)))
        .collect();
    if snap.open_document(file).is_some() {
        found.extend(compare_with::hints(&snap.ws, file));
    }
    let shown = &found[..found.len().min(MAX_DIAGNOSTICS_PER_FILE)];
    let ranges = to_proto::diagnostic_ranges(snap, file, shown.iter());
    let mut converted = to_proto::diagnostics(snap, shown, ranges);
    if found.len() > MAX_DIAGNOSTICS_PER_FILE {
        converted.push(lsp::Diagnostic {
            severity: Some(lsp::DiagnosticSeverity::INFORMATION),
            source: Some("newsmark".to_owned()),
            message: format!(
                "{} more findings in this file are not shown (the first {MAX_DIAGNOSTICS_PER_FILE} are); `newsmark check` lists them all",
                found.len() - MAX_DIAGNOSTICS_PER_FILE
            ),
            ..lsp::Diagnostic::default()
        });
    }
    converted
}

fn result_id(snap: &Snapshot) -> String {
    snap.revision.to_string()
}

/// `textDocument/diagnostic`.
pub fn document_report(
    snap: &Snapshot,
    file: FileId,
    previous_result_id: Option<String>,
) -> DocumentDiagnosticReportResult {
    let result_id = result_id(snap);
    let report = if previous_result_id.as_deref() == Some(result_id.as_str()) {
        DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
            related_documents: None,
            unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id },
        })
    } else {
        DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: Some(result_id),
                items: compute(snap, file),
            },
        })
    };
    DocumentDiagnosticReportResult::Report(report)
}

/// `workspace/diagnostic`: every file of every workspace that is not open.
pub fn workspace_report(
    snaps: &Snapshots,
    previous: Vec<PreviousResultId>,
) -> WorkspaceDiagnosticReportResult {
    let result_id = snaps.revision.to_string();
    // By document, whichever of its URIs the client used.
    let previous: HashMap<Arc<str>, String> = previous
        .into_iter()
        .map(|previous| (FileKey::from_uri(&previous.uri).into_name(), previous.value))
        .collect();
    let mut items = Vec::new();
    let files = snaps.namespaces.iter().flat_map(|snap| {
        snap.ws
            .files()
            .map(move |(file, entry)| (snap, file, entry))
    });
    for (snap, file, entry) in files {
        if snap.open.contains_key(&entry.path) {
            continue;
        }
        let Some(uri) = snap.uri(file) else {
            continue;
        };
        let report = if previous.get(&entry.path) == Some(&result_id) {
            WorkspaceDocumentDiagnosticReport::Unchanged(
                WorkspaceUnchangedDocumentDiagnosticReport {
                    uri,
                    version: None,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                        result_id: result_id.clone(),
                    },
                },
            )
        } else {
            WorkspaceDocumentDiagnosticReport::Full(WorkspaceFullDocumentDiagnosticReport {
                uri,
                version: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: Some(result_id.clone()),
                    items: compute(snap, file),
                },
            })
        };
        items.push(report);
    }
    WorkspaceDiagnosticReportResult::Report(WorkspaceDiagnosticReport { items })
}
