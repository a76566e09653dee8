//! The workspace scan: find the workspaces and `.nmk` files under the
//! workspace folders, read and summarise the files in parallel, and hand
//! them to the state thread in batches, reporting work-done progress when
//! the client shows it.
//!
//! The scan runs on its own threads, started after `initialized`, so the
//! `initialize` answer never waits for it. It finds workspaces and files
//! with `newsmark_files::discover`, as `newsmark check` does for the same
//! folders (nested `newsmark.toml` folders, ignore files, exclusions), and
//! reads them as it does, the next files read ahead while the workers
//! parse (`newsmark_files::read_ahead`). Open documents override what it
//! reads; the state thread takes care of that.
//!
//! A file whose summary `newsmark check` stored in the workspace's cache
//! (`newsmark_files::cache`: same installation, same configuration, same
//! bytes) is not parsed again: a workspace CI or a pre-commit hook has
//! checked is indexed at the speed of reading it. The server only reads
//! the cache, never writes it.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use newsmark_analysis::{CONFIG_FILE, Config, FileSummary, PreparedFile};
use newsmark_files::cache::{SummaryStore, stored_summaries};
use newsmark_files::discover::{self, PlannedFile};
use newsmark_files::read_ahead::ReadAhead;
use newsmark_files::source::Source;
use newsmark_files::spill::Spill;
use newsmark_syntax::Encoding;
use tokio::sync::mpsc as tokio_mpsc;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::notification::Progress as ProgressNotification;
use tower_lsp_server::ls_types::{
    MessageType, NumberOrString, ProgressParams, ProgressParamsValue, WorkDoneProgress,
    WorkDoneProgressBegin, WorkDoneProgressEnd, WorkDoneProgressReport,
};
use tracing::{debug, warn};

use crate::documents;
use crate::file_key::FileKey;

/// How many files travel to the state thread at once.
const BATCH: usize = 64;
/// How often progress is reported.
const REPORT_EVERY: Duration = Duration::from_millis(100);

/// A file read and summarised by a scan, ready for the index.
#[derive(Debug)]
pub struct IndexedFile {
    pub path: Arc<str>,
    /// Its workspace: an index into the scan's [`ScanEvent::Roots`].
    pub root: usize,
    pub file: PreparedFile,
}

/// A workspace root the scan found, with its configuration.
pub type Root = (PathBuf, Config);

/// What a scan reports, in this order.
#[derive(Debug)]
pub enum ScanEvent {
    /// The workspaces it found, each root with its configuration.
    Roots(Vec<Root>),
    /// A batch of files read and summarised.
    Indexed(Vec<IndexedFile>),
    /// The end of the scan. A file it could not read was not sent, so a
    /// file that became unreadable since the last scan leaves the index.
    /// `unchanged`: the files whose summaries came from the cache. The
    /// state thread ends the `progress` once the index is ready.
    Done {
        started: Instant,
        unchanged: usize,
        progress: Option<Progress>,
    },
}

pub struct Scan {
    pub generation: u64,
    pub roots: Vec<PathBuf>,
    /// The number of the newest scan: an older one stops early.
    pub latest: Arc<AtomicU64>,
    /// Where the events of this scan go (the state thread).
    pub report: Box<dyn Fn(ScanEvent) + Send + Sync>,
    pub client: Client,
    pub runtime: tokio::runtime::Handle,
    pub work_done_progress: bool,
    /// The session's, in which the index keeps its places.
    pub encoding: Encoding,
    /// Where the texts it reads are parked.
    pub spill: Arc<Spill>,
}

impl std::fmt::Debug for Scan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scan")
            .field("generation", &self.generation)
            .field("roots", &self.roots)
            .finish_non_exhaustive()
    }
}

/// Starts a scan on its own thread.
pub fn start(scan: Scan) {
    let spawned = std::thread::Builder::new()
        .name("newsmark-index".to_owned())
        .spawn(move || scan.run());
    if let Err(error) = spawned {
        warn!("could not start the workspace scan: {error}");
    }
}

impl Scan {
    fn run(self) {
        let started = Instant::now();
        let (roots, paths) = self.plan();
        let total = paths.len();
        debug!(
            total,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "walked the workspace folders"
        );
        let progress = self
            .work_done_progress
            .then(|| Progress::start(&self.client, &self.runtime, self.generation, total));
        // Read once the progress shows: ~2 KB an article.
        let stores = stores_of(&roots, &paths);
        (self.report)(ScanEvent::Roots(roots));

        let next = AtomicUsize::new(0);
        let done = AtomicUsize::new(0);
        let unchanged = AtomicUsize::new(0);
        let workers = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .min(total.max(1));
        std::thread::scope(|scope| {
            let _ahead = ReadAhead::start(scope, total, &next, |index| Some(&paths[index].1));
            let handles: Vec<_> = (0..workers)
                .map(|_| scope.spawn(|| self.read_files(&paths, &stores, &next, &done, &unchanged)))
                .collect();
            let mut last_report = Instant::now();
            while !handles.iter().all(|handle| handle.is_finished()) {
                std::thread::sleep(Duration::from_millis(5));
                if let Some(progress) = &progress
                    && last_report.elapsed() >= REPORT_EVERY
                {
                    progress.report(done.load(Ordering::Relaxed));
                    last_report = Instant::now();
                }
            }
            // Joined, so that a worker's panic does not end the scan
            // without its `Done`: the files it did not send are not read.
            for handle in handles {
                if handle.join().is_err() {
                    warn!("a worker of the workspace scan panicked");
                }
            }
        });
        if self.is_stale() {
            debug!(
                generation = self.generation,
                "scan superseded by a newer one"
            );
            return;
        }
        (self.report)(ScanEvent::Done {
            started,
            unchanged: unchanged.into_inner(),
            progress,
        });
    }

    fn is_stale(&self) -> bool {
        self.latest.load(Ordering::SeqCst) != self.generation
    }

    /// One worker: takes the next path until none are left.
    fn read_files(
        &self,
        paths: &[(usize, PathBuf)],
        stores: &[SummaryStore],
        next: &AtomicUsize,
        done: &AtomicUsize,
        unchanged: &AtomicUsize,
    ) {
        let mut batch = Vec::with_capacity(BATCH);
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some((root, path)) = paths.get(index) else {
                break;
            };
            if self.is_stale() {
                return;
            }
            if let Some(key) = FileKey::from_path(path).map(FileKey::into_name)
                && let Some((text, hash)) = read_hashed(path)
            {
                let file = match stores[*root].get(hash, &text) {
                    Some(summary) => {
                        unchanged.fetch_add(1, Ordering::Relaxed);
                        let file = PreparedFile::new(text, summary, Some(self.encoding));
                        parked(file, &self.spill)
                    }
                    None => prepare(&key, text, &self.spill, self.encoding),
                };
                batch.push(IndexedFile {
                    file,
                    path: key,
                    root: *root,
                });
            }
            done.fetch_add(1, Ordering::Relaxed);
            if batch.len() == BATCH {
                self.send_batch(&mut batch);
            }
        }
        self.send_batch(&mut batch);
    }

    fn send_batch(&self, batch: &mut Vec<IndexedFile>) {
        if !batch.is_empty() {
            (self.report)(ScanEvent::Indexed(std::mem::take(batch)));
        }
    }

    /// The workspaces of the workspace folders, each root with its
    /// configuration (the defaults when it is invalid, and the user is
    /// told why), and every file to read with the index of its root.
    fn plan(&self) -> (Vec<Root>, Vec<(usize, PathBuf)>) {
        let Some(cwd) = self.roots.first() else {
            return Default::default();
        };
        let mut roots = Vec::new();
        let mut paths = Vec::new();
        for plan in discover::plan(&self.roots, cwd) {
            if let Some(error) = &plan.config_error {
                self.warn_user(format!(
                    "{}: {}; using the default configuration",
                    plan.root.join(CONFIG_FILE).display(),
                    error.problem
                ));
            }
            for PlannedFile { path, problem, .. } in plan.files {
                match problem {
                    Some(reason) => warn!("{}: {reason}; skipped", path.display()),
                    None => paths.push((roots.len(), path)),
                }
            }
            roots.push((plan.root, plan.config));
        }
        (roots, paths)
    }

    fn warn_user(&self, message: String) {
        warn!("{message}");
        let client = self.client.clone();
        self.runtime.spawn(async move {
            client.show_message(MessageType::WARNING, message).await;
        });
    }
}

/// The summaries `newsmark check` stored for each root (empty when
/// there are none, or they are not this installation's and
/// configuration's).
fn stores_of(roots: &[Root], paths: &[(usize, PathBuf)]) -> Vec<SummaryStore> {
    let mut files = vec![0; roots.len()];
    for (root, _) in paths {
        files[*root] += 1;
    }
    roots
        .iter()
        .zip(files)
        .map(|((root, config), files)| {
            stored_summaries(root, config, files).unwrap_or_else(|refused| {
                warn!(
                    "not using the cache: {} {}; every file is parsed",
                    refused.path.display(),
                    refused.reason
                );
                SummaryStore::default()
            })
        })
        .collect()
}

/// A file read from disk, ready for the index (its places kept in
/// `encoding`), with its text parked: only open documents keep theirs in
/// memory.
pub fn prepare(key: &str, text: Arc<str>, spill: &Arc<Spill>, encoding: Encoding) -> PreparedFile {
    let tree = documents::parse(key, text, None);
    let summary = FileSummary::from_tree(&tree);
    parked(
        PreparedFile::new(tree.shared_text().clone(), summary, Some(encoding)),
        spill,
    )
}

fn parked(mut file: PreparedFile, spill: &Arc<Spill>) -> PreparedFile {
    file.park_text(|text| spill.park_text(text));
    file
}

/// A file's text, or `None` (with a warning) when it cannot be read, is
/// binary or is not UTF-8: read as `newsmark check` reads it.
pub fn read_text(path: &std::path::Path) -> Option<Arc<str>> {
    read_hashed(path).map(|(text, _)| text)
}

/// [`read_text`], with the hash of the file's bytes.
fn read_hashed(path: &std::path::Path) -> Option<(Arc<str>, u128)> {
    match newsmark_files::source::read(path, true) {
        Source::Text { text, hash } => Some((text, hash)),
        Source::Unreadable(reason) => {
            warn!("{}: {reason}; skipped", path.display());
            None
        }
        Source::Hashed { .. } => unreachable!("the text is kept"),
    }
}

/// Work-done progress for one scan. Creating the token is a request to
/// the client; it is awaited on its own task, so a client that never
/// answers delays nothing but the progress bar. A scan that stops early
/// (a newer one took over, or the server gave up indexing) ends its
/// progress when it drops it, so that no bar is left open.
#[derive(Debug)]
pub struct Progress {
    tx: tokio_mpsc::UnboundedSender<WorkDoneProgress>,
    total: usize,
    ended: bool,
}

impl Progress {
    fn start(
        client: &Client,
        runtime: &tokio::runtime::Handle,
        generation: u64,
        total: usize,
    ) -> Self {
        let (tx, mut rx) = tokio_mpsc::unbounded_channel::<WorkDoneProgress>();
        let token = NumberOrString::String(format!("newsmark/indexing/{generation}"));
        let client = client.clone();
        runtime.spawn(async move {
            if let Err(error) = client.create_work_done_progress(token.clone()).await {
                debug!("the client refused a progress token: {error}");
                return;
            }
            while let Some(value) = rx.recv().await {
                client
                    .send_notification::<ProgressNotification>(ProgressParams {
                        token: token.clone(),
                        value: ProgressParamsValue::WorkDone(value),
                    })
                    .await;
            }
        });
        let _ = tx.send(WorkDoneProgress::Begin(WorkDoneProgressBegin {
            title: "Indexing".to_owned(),
            cancellable: Some(false),
            message: Some(files_message(0, total)),
            percentage: Some(0),
        }));
        Self {
            tx,
            total,
            ended: false,
        }
    }

    fn report(&self, done: usize) {
        let _ = self
            .tx
            .send(WorkDoneProgress::Report(WorkDoneProgressReport {
                cancellable: Some(false),
                message: Some(files_message(done, self.total)),
                percentage: Some(percentage(done, self.total)),
            }));
    }

    /// Ends the progress with the files indexed and the time it took.
    pub fn end(mut self, unchanged: usize, elapsed: Duration) {
        self.send_end(end_message(self.total, unchanged, elapsed));
    }

    fn send_end(&mut self, message: String) {
        self.ended = true;
        let _ = self.tx.send(WorkDoneProgress::End(WorkDoneProgressEnd {
            message: Some(message),
        }));
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if !self.ended {
            self.send_end("stopped".to_owned());
        }
    }
}

fn end_message(total: usize, unchanged: usize, elapsed: Duration) -> String {
    let seconds = elapsed.as_secs_f64();
    match unchanged {
        0 => format!("{} files in {seconds:.1} s", thousands(total)),
        _ => format!(
            "{} files in {seconds:.1} s ({} unchanged since `newsmark check`)",
            thousands(total),
            thousands(unchanged)
        ),
    }
}

fn files_message(done: usize, total: usize) -> String {
    format!("{}/{} files", thousands(done), thousands(total))
}

fn percentage(done: usize, total: usize) -> u32 {
    (done * 100).checked_div(total).unwrap_or(100) as u32
}

/// `4000` → `4,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_like_an_editor_status_bar() {
        assert_eq!(files_message(4000, 10_000), "4,000/10,000 files");
        let second = Duration::from_secs(1);
        assert_eq!(end_message(5, 0, second), "5 files in 1.0 s");
        assert_eq!(
            end_message(10_000, 9_998, second),
            "10,000 files in 1.0 s (9,998 unchanged since `newsmark check`)"
        );
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(percentage(0, 0), 100);
        assert_eq!(percentage(1, 3), 33);
    }
}
