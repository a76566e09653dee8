//! What the client told the server at `initialize`, and the versions of
//! its open documents: the facts about the client that the state thread,
//! the diagnostics worker and the feature handlers share.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use newsmark_syntax::Encoding;

/// What the client told us at `initialize`, as the actor needs it.
#[derive(Debug, Clone)]
pub struct Session {
    pub encoding: Encoding,
    /// Workspace folders, planned as `newsmark check` plans its paths.
    pub roots: Vec<PathBuf>,
    /// Whether diagnostics are pushed (`textDocument/publishDiagnostics`).
    pub push_diagnostics: bool,
    /// Whether the client takes `workspace/diagnostic/refresh`.
    pub refresh_diagnostics: bool,
    /// Whether the client shows `window/workDoneProgress`.
    pub work_done_progress: bool,
    /// Whether the client takes `workspace/inlayHint/refresh`.
    pub refresh_inlay_hints: bool,
    /// Whether the client takes `workspace/codeLens/refresh`.
    pub refresh_code_lenses: bool,
}

/// What the client can do beyond the basics, as the feature handlers need it.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClientFeatures {
    /// `WorkspaceEdit.documentChanges` (versioned edits).
    pub document_changes: bool,
    /// `CreateFile` operations in `documentChanges`.
    pub create_files: bool,
    /// `window/showDocument`.
    pub show_document: bool,
    /// `workspace/configuration`.
    pub configuration: bool,
    /// Dynamic registration of `workspace/didChangeConfiguration`.
    pub configuration_registration: bool,
    /// `workspace/inlayHint/refresh`.
    pub inlay_hint_refresh: bool,
    /// `workspace/codeLens/refresh`.
    pub code_lens_refresh: bool,
    /// The client runs `editor.action.triggerSuggest` (it lists it in
    /// `experimental.commands.commands`, as for rust-analyzer).
    pub trigger_suggest: bool,
}

/// The current version of every open document, readable without asking
/// the actor: answers computed on an older version are dropped.
#[derive(Debug, Default)]
pub struct Versions(Mutex<HashMap<Arc<str>, i32>>);

impl Versions {
    pub fn current(&self, key: &str) -> Option<i32> {
        self.lock().get(key).copied()
    }

    pub(crate) fn set(&self, key: Arc<str>, version: i32) {
        self.lock().insert(key, version);
    }

    pub(crate) fn remove(&self, key: &str) {
        self.lock().remove(key);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Arc<str>, i32>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}
