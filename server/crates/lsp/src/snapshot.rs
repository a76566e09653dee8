//! The immutable state a request reads: the workspaces and the open
//! documents as they were after every notification that arrived before the
//! request. Taking one costs a few reference counts.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use newsmark_analysis::{FileId, Workspace};
use newsmark_syntax::position::{self, Position};
use newsmark_syntax::{Encoding, Rope};
use tower_lsp_server::ls_types::Uri;

use crate::file_key::{FileKey, UriText};

/// An open document as a request sees it.
#[derive(Debug, Clone)]
pub struct OpenDocument {
    pub uri: Uri,
    pub version: i32,
    pub rope: Rope,
}

/// Every namespace of the session (`crate::namespaces`); a request about
/// one document reads the [`Snapshot`] of the namespace holding it.
#[derive(Debug, Clone)]
pub struct Snapshots {
    pub namespaces: Vec<Snapshot>,
    pub open: Arc<HashMap<Arc<str>, OpenDocument>>,
    pub encoding: Encoding,
    pub revision: u64,
    pub indexing: bool,
}

impl Snapshots {
    /// The namespace holding a document, open or not, and its file there.
    pub fn document(&self, uri: &Uri) -> Option<(&Snapshot, FileId)> {
        self.holding(FileKey::from_uri(uri).name())
    }

    /// The namespace holding the file `key`.
    pub fn holding(&self, key: &str) -> Option<(&Snapshot, FileId)> {
        self.namespaces
            .iter()
            .find_map(|snap| Some((snap, snap.ws.file(key)?)))
    }

    pub fn file_count(&self) -> usize {
        self.namespaces
            .iter()
            .map(|snap| snap.ws.file_count())
            .sum()
    }
}

/// One namespace as a request sees it.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub ws: Arc<Workspace>,
    /// Open documents by workspace name (`FileKey::name`). Their text
    /// equals the workspace's.
    pub open: Arc<HashMap<Arc<str>, OpenDocument>>,
    pub encoding: Encoding,
    /// Increases with every change to any file or to the configuration;
    /// pull diagnostics use it as their result id.
    pub revision: u64,
    /// Whether the first scan of the workspace folders is still running, so
    /// that findings which need every file (undefined or unused entities)
    /// are not yet trustworthy.
    pub indexing: bool,
    /// The files of `open` in this namespace: a list of answers asks about
    /// thousands of files, most of them closed, and this says so without
    /// hashing their paths.
    open_files: Vec<FileId>,
    /// Ropes of files that are not open, built on first use.
    ropes: Arc<Mutex<HashMap<FileId, Rope>>>,
}

impl Snapshot {
    pub fn new(
        ws: Arc<Workspace>,
        open: Arc<HashMap<Arc<str>, OpenDocument>>,
        encoding: Encoding,
        revision: u64,
        indexing: bool,
    ) -> Self {
        let mut open_files: Vec<FileId> = open.keys().filter_map(|name| ws.file(name)).collect();
        open_files.sort_unstable();
        Self {
            ws,
            open,
            open_files,
            encoding,
            revision,
            indexing,
            ropes: Arc::default(),
        }
    }

    /// The workspace file of a document, open or not.
    pub fn file(&self, uri: &Uri) -> Option<FileId> {
        self.ws.file(FileKey::from_uri(uri).name())
    }

    pub fn open_document(&self, file: FileId) -> Option<&OpenDocument> {
        if self.open_files.binary_search(&file).is_err() {
            return None;
        }
        self.open.get(self.ws.path(file))
    }

    /// The URI to send for a file: the client's own for open documents.
    /// Every other file of the workspace was read from disk (the scan and
    /// watched files add only those), so its name is a path.
    pub fn uri(&self, file: FileId) -> Option<Uri> {
        match self.open_document(file) {
            Some(document) => Some(document.uri.clone()),
            None => (self.uri_text(file, self.ws.path(file)))
                .to_string()
                .parse()
                .ok(),
        }
    }

    /// [`Snapshot::uri`] of many files, as text. Their paths are read from
    /// [`newsmark_analysis::workspace::PathOrder`] when it is built (the
    /// references that name thousands of files build it to sort them),
    /// where they lie in one block, not from entries spread over memory.
    pub fn uri_texts(&self, files: &[FileId]) -> Vec<UriText<'_>> {
        let paths = match self.ws.built_path_order() {
            Some(order) => order.paths(files),
            None => files.iter().map(|&file| self.ws.path(file)).collect(),
        };
        (files.iter().zip(paths))
            .map(|(&file, path)| self.uri_text(file, path))
            .collect()
    }

    fn uri_text<'a>(&'a self, file: FileId, path: &'a str) -> UriText<'a> {
        match self.open_document(file) {
            Some(document) => UriText::Whole(document.uri.as_str().into()),
            None => {
                // In normal form already: the scan and the watcher name
                // files by `FileKey::from_path`.
                debug_assert!(Path::new(path).is_absolute(), "{path}");
                UriText::of_path(path)
            }
        }
    }

    /// The protocol position of a byte offset in any file: on an open
    /// document's rope, or on the line index of a file's summary (which
    /// breaks at LF, CR and CRLF, as ropes do), so that no rope is built.
    pub fn position(&self, file: FileId, offset: usize) -> Position {
        match self.open_document(file) {
            Some(document) => position::offset_to_position(&document.rope, offset, self.encoding),
            None => {
                (self.ws.summary(file).lines).position(&self.ws.text(file), offset, self.encoding)
            }
        }
    }

    /// The file's text as a rope, for position conversions.
    pub fn rope(&self, file: FileId) -> Rope {
        if let Some(document) = self.open_document(file) {
            return document.rope.clone();
        }
        let mut ropes = self.ropes.lock().unwrap_or_else(|e| e.into_inner());
        ropes
            .entry(file)
            .or_insert_with(|| Rope::from_str(&self.ws.text(file)))
            .clone()
    }

    pub fn version(&self, file: FileId) -> Option<i32> {
        self.open_document(file).map(|document| document.version)
    }
}
