//! Reading files just ahead of the threads that parse them.
//!
//! A cold disk answers a read of a small file after a wait, and a worker
//! that reads, then parses, keeps one read in flight per core: a cold
//! `newsmark check --no-cache` of 100k articles spent 13 of its 33 s
//! waiting. [`ReadAhead`] reads the next files on threads of its own, so
//! that the device serves many reads at once (as ripgrep's parallel walk
//! does) and the workers find the files in the page cache. Nothing it reads
//! stays in the process: each thread reads into one reused buffer.

use std::fs::File;
use std::io::Read as _;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::Scope;
use std::time::Duration;

/// How many threads read ahead: the reads in flight on a cold disk.
const THREADS: usize = 8;

/// How far ahead of the workers the threads read, in files (~6 MB of
/// articles): far enough that the workers do not catch up, near enough
/// that the pages are still cached when the workers get there.
const LEAD: usize = 1024;

/// How long a thread that is [`LEAD`] files ahead waits before it looks
/// again: the workers take tens to hundreds of articles in that time, far
/// fewer than `LEAD`. Eight threads waking every millisecond cost a cached
/// `check` of 100k articles ~1 s of system time.
const WAIT: Duration = Duration::from_millis(10);

/// After this many files in a row that the page cache held already, only
/// one file in `SAMPLE` is tried, until one is not held: reading a cached
/// corpus again made a `check` of it ~5% slower.
const SAMPLE: usize = 32;

/// Reads ahead while it lives; dropping it stops the threads.
#[derive(Debug)]
#[must_use = "the threads stop when it is dropped"]
pub struct ReadAhead {
    stop: Arc<AtomicBool>,
}

impl ReadAhead {
    /// Reads, on threads of `scope`, the files `path(index)` for `index`
    /// from `taken` (the next index the workers take) to [`LEAD`] files
    /// beyond it, in order, until `count` or until this is dropped. `None`
    /// skips an index (a file known to be unreadable).
    pub fn start<'scope, 'env, F>(
        scope: &'scope Scope<'scope, 'env>,
        count: usize,
        taken: &'env AtomicUsize,
        path: F,
    ) -> ReadAhead
    where
        F: Fn(usize) -> Option<&'env Path> + Send + Sync + 'env,
    {
        let stop = Arc::new(AtomicBool::new(false));
        let path = Arc::new(path);
        let next = Arc::new(AtomicUsize::new(0));
        // Only Linux tells whether the page cache holds a file without
        // waiting for it (`is_cached`); elsewhere, reading a cached corpus
        // again would cost every `check` of it.
        let threads = if cfg!(target_os = "linux") {
            THREADS
        } else {
            0
        };
        for _ in 0..threads.min(count) {
            let (stop, path, next) = (stop.clone(), path.clone(), next.clone());
            let read_ahead = move || {
                let mut buffer = vec![0; 64 * 1024];
                let mut cached_in_a_row = 0;
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= count {
                        return;
                    }
                    while !stop.load(Ordering::Relaxed)
                        && index >= taken.load(Ordering::Relaxed) + LEAD
                    {
                        std::thread::sleep(WAIT);
                    }
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    // A file the workers have already read needs no help,
                    // nor do files the page cache holds: after a run of
                    // those, only every `SAMPLE`th is tried, until one is
                    // not held.
                    let sampled = cached_in_a_row < SAMPLE || index % SAMPLE == 0;
                    if sampled
                        && index >= taken.load(Ordering::Relaxed)
                        && let Some(path) = path(index)
                    {
                        let cached = warm(path, &mut buffer, &stop);
                        cached_in_a_row = if cached { cached_in_a_row + 1 } else { 0 };
                    }
                }
            };
            // Without the thread, the workers only read more slowly.
            let _ = std::thread::Builder::new()
                .name("read-ahead".to_owned())
                .spawn_scoped(scope, read_ahead);
        }
        ReadAhead { stop }
    }
}

impl Drop for ReadAhead {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Reads a regular file to its end (or until `stop`), into `buffer` over
/// and over, so that its pages are cached, unless the page cache holds it
/// already; returns whether it held it. What could hang is never opened (see
/// [`crate::special_file`]), and the file is opened without waiting, in
/// case it became a named pipe since.
fn warm(path: &Path, buffer: &mut [u8], stop: &AtomicBool) -> bool {
    if crate::special_file(path).is_some() {
        return false;
    }
    let Ok(mut file) = open_without_waiting(path) else {
        return false;
    };
    let Ok(Some(size)) = file
        .metadata()
        .map(|meta| meta.is_file().then_some(meta.len()))
    else {
        return false;
    };
    if is_cached(&file, buffer) {
        return true;
    }
    let mut left = size;
    while left > 0 && !stop.load(Ordering::Relaxed) {
        match file.read(buffer) {
            Ok(0) | Err(_) => break,
            Ok(read) => left = left.saturating_sub(read as u64),
        }
    }
    false
}

/// Whether the page cache holds the start of `file`: a read that must not
/// wait for the disk succeeds.
#[cfg(target_os = "linux")]
fn is_cached(file: &File, buffer: &mut [u8]) -> bool {
    use rustix::io::{ReadWriteFlags, preadv2};
    use std::io::IoSliceMut;
    let page = buffer.len().min(4096);
    let first_page = &mut buffer[..page];
    preadv2(
        file,
        &mut [IoSliceMut::new(first_page)],
        0,
        ReadWriteFlags::NOWAIT,
    )
    .is_ok()
}

/// Elsewhere nothing tells without waiting (and nothing reads ahead).
#[cfg(not(target_os = "linux"))]
fn is_cached(_: &File, _: &mut [u8]) -> bool {
    false
}

#[cfg(unix)]
fn open_without_waiting(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)
}

#[cfg(not(unix))]
fn open_without_waiting(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `test` on a thread of its own and fails if it takes longer than
    /// `seconds`: a hang must fail the test, not stall the suite.
    #[cfg(unix)]
    fn within(seconds: u64, test: impl FnOnce() + Send + 'static) {
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            test();
            let _ = done.send(());
        });
        finished
            .recv_timeout(Duration::from_secs(seconds))
            .expect("finished in time (and without a panic)");
    }

    /// Files are read no more than `LEAD` files ahead of the workers,
    /// files the workers have taken are left alone, and the threads end
    /// when the guard is dropped with files left to read (or the test
    /// times out).
    #[cfg(target_os = "linux")]
    #[test]
    fn reads_ahead_of_the_workers_and_stops_when_dropped() {
        within(20, || {
            let dir = tempfile::tempdir().unwrap();
            let paths: Vec<_> = (0..4 * LEAD)
                .map(|index| {
                    let path = dir.path().join(format!("{index}.nmk"));
                    std::fs::write(&path, "[Lavrov]@lavrov said.\n").unwrap();
                    path
                })
                .collect();
            let taken = AtomicUsize::new(0);
            // Each index asked for, with how far the workers were then.
            let asked = std::sync::Mutex::new(Vec::new());
            let wait_for = |what: &str, seen: &dyn Fn(usize) -> bool| {
                for _ in 0..500 {
                    if asked.lock().unwrap().iter().any(|&(index, _)| seen(index)) {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
                panic!("{what}");
            };
            std::thread::scope(|scope| {
                let _ahead = ReadAhead::start(scope, paths.len(), &taken, |index| {
                    let workers_at = taken.load(Ordering::Relaxed);
                    asked.lock().unwrap().push((index, workers_at));
                    Some(paths[index].as_path())
                });
                wait_for("nothing read ahead", &|_| true);
                taken.store(2 * LEAD, Ordering::Relaxed);
                wait_for("nothing read after the jump", &|index| index >= 2 * LEAD);
            });
            for &(index, workers_at) in asked.into_inner().unwrap().iter() {
                assert!(
                    index < workers_at + LEAD,
                    "read {index}, too far ahead of {workers_at}"
                );
                // Taken by the workers (who jumped there) before any thread got to it.
                assert!(
                    !(LEAD..2 * LEAD).contains(&index),
                    "read {index}, already taken"
                );
            }
        });
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_skipped_not_waited_on() {
        within(20, || {
            let dir = tempfile::tempdir().unwrap();
            let fifo = dir.path().join("pipe.nmk");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            assert!(made.is_ok_and(|status| status.success()), "mkfifo failed");
            let mut buffer = [0; 16];
            assert!(!warm(&fifo, &mut buffer, &AtomicBool::new(false)));
            // Had it become a pipe after the check, opening it the usual
            // way would wait for a writer forever.
            assert!(open_without_waiting(&fifo).is_ok());
        });
    }
}
