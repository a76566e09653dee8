//! The single writer: one thread owns the open documents and the
//! workspace, and applies every change in the order it arrived.
//!
//! Document notifications reach it as a synchronous send on an unbounded
//! channel, made while the transport reads them (see `server::Intake`), so
//! their order is the order of the wire. Requests send a `Snapshot` message
//! on the same channel: the answer is the state after every message that
//! came before, and it is immutable, so requests run in parallel with
//! later edits.
//!
//! The actor drains whatever is queued before it reparses and analyses:
//! when a thousand changes arrive at once, the document is parsed once and
//! diagnosed once, after the last of them, with no timer involved.
//! Parsing and index updates happen on this thread, never on the async
//! executor; diagnostics are computed by the `diagnostics` worker.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use newsmark_analysis::CONFIG_FILE;
use newsmark_syntax::Encoding;
use tokio::sync::{mpsc, oneshot};
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::{
    FileChangeType, FileEvent, MessageType, TextDocumentContentChangeEvent, Uri,
};
use tracing::{debug, error, info, warn};

use crate::diagnostics::{self, Job};
use crate::documents::Document;
use crate::file_key::FileKey;
use crate::indexing::{self, IndexedFile, Scan, ScanEvent};
use crate::namespaces::{Namespaces, root_of_file};
use crate::outbox::Outbox;
use crate::session::{Session, Versions};
use crate::snapshot::{OpenDocument, Snapshot, Snapshots};
use newsmark_files::spill::Spill;

#[derive(Debug)]
pub enum Message {
    Initialize(Session),
    /// The client is ready: scan the workspace folders.
    Initialized,
    Open {
        uri: Uri,
        version: i32,
        text: String,
    },
    Change {
        uri: Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    },
    Close {
        uri: Uri,
    },
    WatchedFiles(Vec<FileEvent>),
    /// What scan number `scan` found.
    Scan {
        scan: u64,
        event: ScanEvent,
    },
    Snapshot(oneshot::Sender<Snapshots>),
}

/// The sending side, cloned into the transport and every handler.
#[derive(Debug, Clone)]
pub struct ActorHandle {
    tx: mpsc::UnboundedSender<Message>,
    pub versions: Arc<Versions>,
    /// The generation of the newest scan; older scans stop early.
    pub scan: Arc<AtomicU64>,
}

impl ActorHandle {
    /// Queues a message. Never blocks and never awaits.
    pub fn send(&self, message: Message) {
        if self.tx.send(message).is_err() {
            debug!("the state thread has stopped; message dropped");
        }
    }

    /// The state after every message sent before this call.
    pub async fn snapshot(&self) -> Option<Snapshots> {
        let (tx, rx) = oneshot::channel();
        self.send(Message::Snapshot(tx));
        rx.await.ok()
    }
}

/// Creates the channel; [`spawn`] starts the thread that owns its receiver.
pub fn channel() -> (ActorHandle, mpsc::UnboundedReceiver<Message>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let handle = ActorHandle {
        tx,
        versions: Arc::default(),
        scan: Arc::default(),
    };
    (handle, rx)
}

/// Starts the state thread. It stops when every sender is gone.
pub fn spawn(
    handle: ActorHandle,
    mut rx: mpsc::UnboundedReceiver<Message>,
    client: Client,
    runtime: tokio::runtime::Handle,
    outbox: Outbox,
) {
    let diagnostics = diagnostics::spawn_worker(
        client.clone(),
        runtime.clone(),
        handle.versions.clone(),
        outbox,
    );
    let mut actor = Actor {
        namespaces: Namespaces::default(),
        scan_roots: Vec::new(),
        documents: HashMap::new(),
        session: None,
        revision: 0,
        indexing: false,
        touched_during_scan: HashSet::new(),
        dirty: BTreeSet::new(),
        publish: BTreeSet::new(),
        publish_all: false,
        cross_file_change: false,
        handle,
        diagnostics,
        client,
        runtime,
        debug_panics: std::env::var_os(DEBUG_REQUESTS_ENV).is_some(),
        spill: Arc::default(),
        failed_scans: 0,
    };
    std::thread::Builder::new()
        .name("newsmark-state".to_owned())
        .spawn(move || {
            while let Some(first) = rx.blocking_recv() {
                actor.handle(first);
                while let Ok(next) = rx.try_recv() {
                    actor.handle(next);
                }
                actor.guarded(Actor::flush);
                actor.guarded(Actor::schedule_diagnostics);
            }
            debug!("state thread stopped");
        })
        .expect("spawning the state thread");
}

/// The prefix that display paths leave out: the first folder's name in the
/// workspace and a `/`.
/// The workspace folders; none before `initialize`.
fn folders(session: &Option<Session>) -> &[PathBuf] {
    session.as_ref().map_or(&[], |session| &session.roots)
}

/// Asks the client to request inlay hints and code lenses again, on tasks
/// of their own (requests to the client are never awaited here).
fn refresh_views(client: &Client, runtime: &tokio::runtime::Handle, session: &Session) {
    if session.refresh_inlay_hints {
        let client = client.clone();
        runtime.spawn(async move {
            if let Err(error) = client.inlay_hint_refresh().await {
                debug!("workspace/inlayHint/refresh failed: {error}");
            }
        });
    }
    if session.refresh_code_lenses {
        let client = client.clone();
        runtime.spawn(async move {
            if let Err(error) = client.code_lens_refresh().await {
                debug!("workspace/codeLens/refresh failed: {error}");
            }
        });
    }
}

struct Actor {
    namespaces: Namespaces,
    /// The roots the current scan reported, which its files name by index.
    scan_roots: Vec<PathBuf>,
    documents: HashMap<Arc<str>, Document>,
    session: Option<Session>,
    revision: u64,
    indexing: bool,
    /// Files updated from watcher events while a scan runs: the scan may
    /// have read them before the change, so its copy is not used.
    touched_during_scan: HashSet<Arc<str>>,
    /// Open documents edited since the last reparse.
    dirty: BTreeSet<Arc<str>>,
    /// Open documents whose diagnostics must be published.
    publish: BTreeSet<Arc<str>>,
    publish_all: bool,
    /// Whether findings in files that are not open may have changed.
    cross_file_change: bool,
    /// Scans in a row that a panic ended: a file on disk that makes the
    /// analysis panic would do it again at every rescan, so after two the
    /// rebuild stops rescanning (see [`Actor::guarded_scan`]).
    failed_scans: u32,
    handle: ActorHandle,
    diagnostics: diagnostics::Sender,
    client: Client,
    runtime: tokio::runtime::Handle,
    /// `NEWSMARK_DEBUG_REQUESTS`: a reparse of a text holding
    /// [`DEBUG_PANIC`] panics, and so does indexing such a file from disk,
    /// so tests can check what follows.
    debug_panics: bool,
    /// Where the texts of files that are not open are parked.
    spill: Arc<Spill>,
}

/// The environment variable that enables the `newsmark/debugPanic`
/// request and [`DEBUG_PANIC`] in documents, which the end-to-end tests use
/// to check what follows a panic in a request or an edit.
pub const DEBUG_REQUESTS_ENV: &str = "NEWSMARK_DEBUG_REQUESTS";

/// See [`Actor::debug_panics`].
const DEBUG_PANIC: &str = "newsmark/debugPanic";

impl Actor {
    fn handle(&mut self, message: Message) {
        if matches!(message, Message::Scan { .. }) {
            self.guarded_scan(|actor| actor.apply(message));
        } else {
            self.guarded(|actor| actor.apply(message));
        }
    }

    /// Runs one step of the state thread. A panic in it may leave half an
    /// update in the workspace, so the workspace is then made anew: no
    /// step leaves the state other than fully updated or rebuilt.
    fn guarded(&mut self, step: impl FnOnce(&mut Self)) {
        if std::panic::catch_unwind(AssertUnwindSafe(|| step(self))).is_err() {
            error!("a panic while updating the state; rebuilding the workspace");
            self.rebuild(true);
        }
    }

    /// [`Actor::guarded`] for a step of a scan. The rebuild rescans once;
    /// a second scan in a row that panics ends indexing: the workspace
    /// keeps the open documents, and the user is told.
    fn guarded_scan(&mut self, step: impl FnOnce(&mut Self)) {
        if std::panic::catch_unwind(AssertUnwindSafe(|| step(self))).is_err() {
            self.failed_scans += 1;
            let rescan = self.failed_scans < 2;
            error!(rescan, "a panic while indexing; rebuilding the workspace");
            self.rebuild(rescan);
            if !rescan {
                // The scan stops: its files would join a workspace the
                // user is told is not indexed, and its end would say it was.
                // A scan after a `newsmark.toml` change starts afresh.
                self.handle.scan.fetch_add(1, Ordering::SeqCst);
                self.failed_scans = 0;
                self.touched_during_scan.clear();
                self.indexing = false;
                let client = self.client.clone();
                self.runtime.spawn(async move {
                    let message = "Newsmark stopped indexing the workspace after an internal error (see the log); findings across files are incomplete until the server restarts or a newsmark.toml changes.";
                    client.show_message(MessageType::ERROR, message).await;
                });
            }
        }
    }

    /// The workspace made anew from the open documents, whose texts are the
    /// client's (every edit is in them before any analysis), and a new scan
    /// of the disk. A document that panics again is left out of the index
    /// until its next edit; it stays open, with its text.
    fn rebuild(&mut self, rescan: bool) {
        let mut namespaces = self.namespaces.emptied();
        let folders = folders(&self.session);
        for (key, document) in &mut self.documents {
            let added = std::panic::catch_unwind(AssertUnwindSafe(|| {
                *document = Document::open(document.uri.clone(), document.version, document.text());
                let (tree, summary) = document.summarize();
                let index = namespaces.for_file(key, folders);
                namespaces
                    .ws_mut(index)
                    .set_summary(key, tree.shared_text().clone(), summary);
            }));
            if added.is_err() {
                error!(%key, "the document cannot be analysed; left out until its next edit");
            }
        }
        self.namespaces = namespaces;
        self.dirty.clear();
        self.publish_all = true;
        self.changed(true);
        if rescan && self.session.is_some() {
            self.start_scan();
        }
    }

    fn apply(&mut self, message: Message) {
        match message {
            Message::Initialize(session) => {
                // Documents may open before `initialized` starts the scan:
                // until it ends, the index is incomplete all the same.
                self.indexing = !session.roots.is_empty();
                self.session = Some(session);
            }
            Message::Initialized => self.start_scan(),
            // The specification drops notifications before `initialize`
            // (tower-lsp does for the others); these come through `Intake`.
            Message::Open { .. }
            | Message::Change { .. }
            | Message::Close { .. }
            | Message::WatchedFiles(_)
                if self.session.is_none() =>
            {
                warn!("a document notification before initialize; dropped");
            }
            Message::Open { uri, version, text } => self.open(uri, version, text),
            Message::Change {
                uri,
                version,
                changes,
            } => self.change(&uri, version, &changes),
            Message::Close { uri } => self.close(&uri),
            Message::WatchedFiles(events) => self.watched_files(events),
            Message::Scan { scan, event } => match event {
                ScanEvent::Roots(roots) => {
                    if self.is_current(scan) {
                        self.set_roots(roots);
                    }
                }
                ScanEvent::Indexed(files) => self.indexed(scan, files),
                ScanEvent::Done {
                    started,
                    unchanged,
                    progress,
                } => self.scan_done(scan, started, unchanged, progress),
            },
            Message::Snapshot(reply) => {
                self.flush();
                let _ = reply.send(self.snapshot());
            }
        }
    }

    fn encoding(&self) -> Encoding {
        self.session
            .as_ref()
            .map_or(Encoding::Utf16, |session| session.encoding)
    }

    fn open(&mut self, uri: Uri, version: i32, text: String) {
        let key = FileKey::from_uri(&uri).into_name();
        debug!(%key, version, "open");
        self.handle.versions.set(key.clone(), version);
        self.documents
            .insert(key.clone(), Document::open(uri, version, text));
        self.dirty.insert(key.clone());
        self.publish.insert(key);
    }

    fn change(&mut self, uri: &Uri, version: i32, changes: &[TextDocumentContentChangeEvent]) {
        let key = FileKey::from_uri(uri).into_name();
        let encoding = self.encoding();
        let Some(document) = self.documents.get_mut(&key) else {
            warn!(
                uri = uri.as_str(),
                "didChange for a document that is not open; ignored"
            );
            return;
        };
        match document.apply_changes(version, changes, encoding) {
            Ok(()) => {
                self.handle.versions.set(key.clone(), version);
                self.dirty.insert(key.clone());
                self.publish.insert(key);
            }
            Err(refused) => warn!(
                uri = uri.as_str(),
                "didChange refused, the document is kept as it was: {refused}; the client should resend the full text"
            ),
        }
    }

    fn close(&mut self, uri: &Uri) {
        let file = FileKey::from_uri(uri);
        let key = file.name();
        if self.documents.remove(key).is_none() {
            warn!(
                uri = uri.as_str(),
                "didClose for a document that is not open; ignored"
            );
            return;
        }
        self.handle.versions.remove(key);
        self.dirty.remove(key);
        self.publish.remove(key);
        // The file on disk (if it belongs to the workspace) answers again.
        // Read during a scan, it is as new as the scan's copy, which the
        // scan may have sent while it was open and so not added.
        if self.indexing {
            self.touched_during_scan.insert(key.clone());
        }
        self.reload_from_disk(&file);
        if self.push() {
            self.diagnostics.send(Job::clear(uri.clone()));
        }
    }

    fn watched_files(&mut self, events: Vec<FileEvent>) {
        for event in events {
            let file = FileKey::from_uri(&event.uri);
            let key = file.name();
            if key.ends_with(CONFIG_FILE) {
                // Any `newsmark.toml` may make or unmake a workspace.
                if file
                    .to_path()
                    .is_some_and(|path| self.in_scanned_folder(&path))
                {
                    info!("{key} changed; reloading the configuration and rescanning");
                    self.start_scan();
                }
                continue;
            }
            if !key.ends_with(".nmk") || self.documents.contains_key(key) {
                // Open documents override the disk.
                continue;
            }
            debug!(%key, kind = ?event.typ, "watched file");
            if self.indexing {
                self.touched_during_scan.insert(key.clone());
            }
            if event.typ == FileChangeType::DELETED {
                self.remove_file(key);
            } else {
                self.reload_from_disk(&file);
            }
        }
    }

    /// Reads a file that is not open from disk into the workspace, or
    /// removes it when it is gone, unreadable or not part of the workspace.
    fn reload_from_disk(&mut self, file: &FileKey) {
        let key = file.name();
        let Some(path) = file.to_path().filter(|path| self.in_scanned_folder(path)) else {
            self.remove_file(key);
            return;
        };
        // Only a file the scan would read: in a workspace folder, or in a
        // root it found above one (not in a corpus nested there).
        let folders = folders(&self.session);
        let planned = self.in_workspace_folder(&path)
            || root_of_file(key, folders).is_some_and(|root| self.scan_roots.contains(&root));
        if !planned {
            self.remove_file(key);
            return;
        }
        let index = self.namespaces.for_file(key, folders);
        if !self.namespaces.get(index).reads(key, &path) {
            self.remove_file(key);
            return;
        };
        match indexing::read_text(&path) {
            Some(text) => {
                let file = indexing::prepare(key, text, &self.spill, self.encoding());
                let update = self.namespaces.ws_mut(index).add(key, file);
                self.changed(update.affects_other_files);
            }
            None => self.remove_file(key),
        }
    }

    fn remove_file(&mut self, key: &str) {
        while let Some(index) = self.namespaces.holding(key) {
            self.namespaces.ws_mut(index).remove_file(key);
            self.changed(true);
        }
    }

    fn changed(&mut self, affects_other_files: bool) {
        self.revision += 1;
        if affects_other_files {
            self.publish_all = true;
            self.cross_file_change = true;
        }
    }

    /// Whether `path` lies in a workspace folder or in a root the scan
    /// found (the root of a folder may lie above it).
    fn in_scanned_folder(&self, path: &Path) -> bool {
        self.scan_roots.iter().any(|root| path.starts_with(root)) || self.in_workspace_folder(path)
    }

    fn in_workspace_folder(&self, path: &Path) -> bool {
        self.session
            .as_ref()
            .is_some_and(|session| session.roots.iter().any(|root| path.starts_with(root)))
    }

    /// The workspaces a scan found. When they are the ones already known,
    /// each takes its new configuration and keeps its files until the scan
    /// reads them again; otherwise every namespace inside the workspace
    /// folders starts empty, and open documents join their new ones.
    fn set_roots(&mut self, roots: Vec<indexing::Root>) {
        // In the scan's order: its files name their root by index.
        let found: Vec<PathBuf> = roots.iter().map(|(root, _)| root.clone()).collect();
        let same = found.len() == self.scan_roots.len()
            && found.iter().all(|root| self.scan_roots.contains(root));
        if !same {
            // The namespaces of the folders and of the roots scanned before
            // or now start anew; those of documents elsewhere stay.
            let scanned: Vec<PathBuf> = self
                .namespaces
                .iter()
                .filter_map(|ns| ns.root.clone())
                .filter(|root| self.in_scanned_folder(root) || found.contains(root))
                .collect();
            self.namespaces
                .retain(|ns| !ns.root.as_ref().is_some_and(|root| scanned.contains(root)));
        }
        self.scan_roots = found;
        for (root, config) in roots {
            self.namespaces.set_root(root, config);
        }
        if !same {
            let open: Vec<Arc<str>> = self
                .documents
                .keys()
                .filter(|key| self.namespaces.holding(key).is_none())
                .cloned()
                .collect();
            for key in open {
                let document = self.documents.get_mut(&key).expect("listed above");
                let (tree, summary) = document.summarize();
                let index = self.namespaces.for_file(&key, folders(&self.session));
                self.namespaces.ws_mut(index).set_summary(
                    &key,
                    tree.shared_text().clone(),
                    summary,
                );
            }
            // Files the watcher updated since the scan started: it will
            // not add them (it may have read them before the change).
            let touched: Vec<Arc<str>> = self.touched_during_scan.iter().cloned().collect();
            for key in touched {
                if !self.documents.contains_key(&key) {
                    self.reload_from_disk(&FileKey::Path(key));
                }
            }
        }
        self.changed(true);
    }

    fn is_current(&self, scan: u64) -> bool {
        scan == self.handle.scan.load(Ordering::SeqCst)
    }

    fn start_scan(&mut self) {
        let Some(session) = self.session.clone() else {
            warn!("scan requested before initialize; ignored");
            return;
        };
        let generation = self.handle.scan.fetch_add(1, Ordering::SeqCst) + 1;
        // A new file for the texts it parks: the old one goes (it is
        // unnamed) once no entry, snapshot or older scan holds it, so a
        // rescan does not leave a copy of the corpus behind.
        self.spill = Arc::default();
        self.indexing = true;
        self.touched_during_scan.clear();
        self.revision += 1;
        let handle = self.handle.clone();
        indexing::start(Scan {
            generation,
            roots: session.roots.clone(),
            latest: self.handle.scan.clone(),
            report: Box::new(move |event| {
                handle.send(Message::Scan {
                    scan: generation,
                    event,
                })
            }),
            client: self.client.clone(),
            runtime: self.runtime.clone(),
            work_done_progress: session.work_done_progress,
            encoding: session.encoding,
            spill: self.spill.clone(),
        });
    }

    fn indexed(&mut self, scan: u64, files: Vec<IndexedFile>) {
        if !self.is_current(scan) {
            return;
        }
        let roots = self.scan_roots.clone();
        let mut by_root: Vec<Vec<_>> = roots.iter().map(|_| Vec::new()).collect();
        for file in files {
            if !self.documents.contains_key(&file.path)
                && !self.touched_during_scan.contains(&file.path)
            {
                by_root[file.root].push((file.path, file.file));
            }
        }
        for (root, fresh) in roots.iter().zip(by_root) {
            if !fresh.is_empty() {
                let index = self.namespaces.for_root(Some(root.clone()));
                let updates = self.namespaces.ws_mut(index).add_all(fresh);
                if self.debug_panics {
                    let ws = &self.namespaces.get(index).ws;
                    if let Some(update) =
                        (updates.iter()).find(|u| ws.text(u.file).contains(DEBUG_PANIC))
                    {
                        panic!("{DEBUG_PANIC} in {}", ws.path(update.file));
                    }
                }
                let files = updates.into_iter().map(|update| update.file);
                self.namespaces.mark_scanned(index, scan, files);
            }
        }
        self.revision += 1;
    }

    fn scan_done(
        &mut self,
        scan: u64,
        started: Instant,
        unchanged: usize,
        progress: Option<indexing::Progress>,
    ) {
        if !self.is_current(scan) {
            return;
        }
        // Files that the scan no longer finds (deleted, excluded,
        // unreadable) leave, unless they are open (every file not read
        // from disk is) or were read from disk during the scan.
        let gone: Vec<(usize, Arc<str>)> = self
            .namespaces
            .iter()
            .enumerate()
            .flat_map(|(index, ns)| ns.not_scanned(scan).map(move |path| (index, path)))
            .filter(|(_, path)| {
                !self.documents.contains_key(*path) && !self.touched_during_scan.contains(*path)
            })
            .map(|(index, path)| (index, path.clone()))
            .collect();
        // `changed` below counts these removals too.
        for (index, path) in gone {
            self.namespaces.ws_mut(index).remove_file(&path);
        }
        // Namespaces left with no file (a `newsmark.toml` removed) go.
        self.namespaces.retain(|ns| ns.ws.file_count() > 0);
        self.indexing = false;
        self.touched_during_scan.clear();
        info!(
            "indexed {} files in {} ms ({unchanged} unchanged since `newsmark check`)",
            self.namespaces.file_count(),
            started.elapsed().as_millis()
        );
        self.failed_scans = 0;
        self.changed(true);
        // What features read of every file is built on the blocking pool
        // before the progress ends, as part of indexing: a first request
        // that ran beside it would wait for a core (up to a scheduler
        // tick, 4 ms, on two cores).
        let workspaces: Vec<_> = self.namespaces.iter().map(|ns| ns.ws.clone()).collect();
        self.runtime.spawn_blocking(move || {
            for ws in &workspaces {
                ws.matcher();
                ws.path_order();
                newsmark_analysis::completion::prepare(ws);
            }
            if let Some(progress) = progress {
                progress.end(unchanged, started.elapsed());
            }
        });
    }

    /// Reparses edited documents and updates their workspace entries.
    fn flush(&mut self) {
        for key in std::mem::take(&mut self.dirty) {
            let Some(document) = self.documents.get_mut(&key) else {
                continue;
            };
            let started = Instant::now();
            let (tree, summary) = document.summarize();
            if self.debug_panics && tree.shared_text().contains(DEBUG_PANIC) {
                panic!("{DEBUG_PANIC} in {key}");
            }
            if tree.was_cut_short() {
                warn!(%key, "parsing stopped at its deadline; the file is reported as one syntax error");
            }
            let text = tree.shared_text().clone();
            let index = self.namespaces.for_file(&key, folders(&self.session));
            let update = self
                .namespaces
                .ws_mut(index)
                .set_summary(&key, text, summary);
            debug!(%key, elapsed_us = started.elapsed().as_micros() as u64, "reparsed");
            self.changed(update.affects_other_files);
        }
    }

    fn push(&self) -> bool {
        self.session
            .as_ref()
            .is_some_and(|session| session.push_diagnostics)
    }

    fn schedule_diagnostics(&mut self) {
        let publish_all = std::mem::take(&mut self.publish_all);
        let publish = std::mem::take(&mut self.publish);
        let cross_file_change = std::mem::take(&mut self.cross_file_change);
        let Some(session) = &self.session else {
            return;
        };
        // While a scan fills the index, republishing every open document
        // after each batch of files would only repeat provisional findings;
        // the end of the scan republishes them all.
        let documents: Vec<Arc<str>> = if publish_all && !self.indexing {
            self.documents.keys().cloned().collect()
        } else {
            publish.into_iter().collect()
        };
        if cross_file_change && !self.indexing {
            // Inlay hints (display names) and code lens counts of every
            // file may have changed with a definition or a use elsewhere.
            refresh_views(&self.client, &self.runtime, session);
        }
        let refresh = cross_file_change && session.refresh_diagnostics && !self.indexing;
        if (documents.is_empty() || !session.push_diagnostics) && !refresh {
            return;
        }
        let documents = if session.push_diagnostics {
            documents
        } else {
            Vec::new()
        };
        self.diagnostics
            .send(Job::publish(self.snapshot(), documents, refresh));
    }

    fn snapshot(&self) -> Snapshots {
        let open: Arc<HashMap<_, _>> = Arc::new(
            self.documents
                .iter()
                .map(|(key, document)| {
                    (
                        key.clone(),
                        OpenDocument {
                            uri: document.uri.clone(),
                            version: document.version,
                            rope: document.rope.clone(),
                        },
                    )
                })
                .collect(),
        );
        let namespaces = self
            .namespaces
            .iter()
            .map(|ns| {
                Snapshot::new(
                    ns.ws.clone(),
                    open.clone(),
                    self.encoding(),
                    self.revision,
                    self.indexing,
                )
            })
            .collect();
        Snapshots {
            namespaces,
            open,
            encoding: self.encoding(),
            revision: self.revision,
            indexing: self.indexing,
        }
    }
}
