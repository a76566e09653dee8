//! What both front ends read of `.newsmark_cache/` at a workspace root:
//! where it is, the key that says whether it was written by this
//! installation and configuration, the checks that refuse a planted one,
//! and its store of file summaries. `newsmark check` writes the cache
//! (and keeps its findings: `newsmark_cli::cache`); the language server
//! only reads summaries from it, so a workspace `check` has seen is
//! indexed without parsing its unchanged files.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use newsmark_analysis::{Config, FileSummary};
use newsmark_syntax::position::LineIndex;
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

/// The folder, at the workspace root.
pub const CACHE_DIR: &str = ".newsmark_cache";
/// Bumped whenever the layout of the cache's files changes.
const FORMAT: u32 = 5;
pub const SUMMARIES_MAGIC: &[u8; 8] = b"NMKSUM05";
/// An entry of the summary index: content hash, length, checksum.
pub const INDEX_ENTRY: usize = 16 + 8 + 8;

/// The folder of this version's cache files.
pub fn version_dir(root: &Path) -> PathBuf {
    root.join(CACHE_DIR).join(env!("CARGO_PKG_VERSION"))
}

/// The key of this installation and configuration (see [`key_with`]).
pub fn cache_key(config: &Config) -> u128 {
    key_with(config, secret().as_deref())
}

/// The summaries stored in the version folder `dir` under `key`: empty
/// when the file is absent, larger than `limit` or not whole.
pub fn summaries_in(dir: &Path, key: u128, limit: u64) -> SummaryStore {
    read_bounded(&dir.join("summaries.bin"), limit)
        .and_then(|bytes| SummaryStore::parse(bytes, key))
        .unwrap_or_default()
}

/// The summaries `newsmark check` stored for the workspace at `root` (of
/// `files` files) under this installation and configuration: empty when
/// there are none, and why not when the cache folder is refused. Each is
/// read from the file when asked for ([`SummaryStore::open`]).
pub fn stored_summaries(
    root: &Path,
    config: &Config,
    files: usize,
) -> Result<SummaryStore, Refused> {
    let dir = version_dir(root);
    let key = cache_key(config);
    check_layout(&dir, key)?;
    let path = dir.join("summaries.bin");
    Ok(SummaryStore::open(&path, key, size_limit(files)).unwrap_or_default())
}

/// Why a cache folder is not used: one of its paths is not what newsmark
/// writes there.
#[derive(Debug)]
pub struct Refused {
    pub path: PathBuf,
    pub reason: &'static str,
}

/// Refuses a cache folder where a path newsmark reads or writes is a link
/// or not the kind of file it writes there; absent paths are fine.
pub fn check_layout(dir: &Path, key: u128) -> Result<(), Refused> {
    let top = dir.parent().expect("the version folder has a parent");
    let folders = [top.to_path_buf(), dir.to_path_buf()];
    let files = [
        top.join(".gitignore"),
        top.join("CACHEDIR.TAG"),
        dir.join(findings_file(key)),
        dir.join("summaries.bin"),
    ];
    let expected = folders
        .into_iter()
        .map(|path| (path, true))
        .chain(files.into_iter().map(|path| (path, false)));
    for (path, is_folder) in expected {
        let Ok(metadata) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let reason = if metadata.is_symlink() {
            "is a symbolic link"
        } else if is_folder && !metadata.is_dir() {
            "is not a folder"
        } else if !is_folder && !metadata.is_file() {
            "is not a regular file"
        } else {
            continue;
        };
        return Err(Refused { path, reason });
    }
    Ok(())
}

/// The largest cache file read for a workspace of `files` files: far above
/// what its findings and summaries take, far below a file planted to make
/// every run slow.
pub fn size_limit(files: usize) -> u64 {
    const BASE: u64 = 64 << 20;
    const PER_FILE: u64 = 256 << 10;
    BASE.saturating_add(PER_FILE.saturating_mul(files as u64))
}

/// A regular file's bytes, if it is no larger than `limit`.
pub fn read_bounded(path: &Path, limit: u64) -> Option<Vec<u8>> {
    let metadata = std::fs::symlink_metadata(path).ok()?;
    if !metadata.is_file() || metadata.len() > limit {
        return None;
    }
    std::fs::read(path).ok()
}

/// Summaries by content hash, deserialised on demand.
#[derive(Debug, Default)]
pub struct SummaryStore {
    stored: Stored,
    /// Where each summary lies, and its checksum.
    index: HashMap<u128, (Range<usize>, u64)>,
}

/// Where a store's summaries are read from.
#[derive(Debug)]
enum Stored {
    /// The whole file, read at once: `check` writes most of it back.
    Bytes(Vec<u8>),
    /// The file, read a summary at a time: the language server's scan
    /// would otherwise hold all of it while the summaries it decodes pile
    /// up (239 MB at 100,000 articles). A `check` meanwhile still replaces
    /// it (on Windows too: std opens files sharing their deletion); this
    /// handle reads the old one, or fails its checksums.
    File(Mutex<File>),
}

impl Default for Stored {
    fn default() -> Self {
        Stored::Bytes(Vec::new())
    }
}

/// The header of the summary file: magic, key, count, index checksum.
const HEADER: usize = 8 + 16 + 8 + 8;

impl SummaryStore {
    /// The store in `bytes`, if its header and index are whole and for `key`.
    pub fn parse(bytes: Vec<u8>, key: u128) -> Option<SummaryStore> {
        let index = read_index(&bytes, bytes.len(), key)?;
        Some(SummaryStore {
            stored: Stored::Bytes(bytes),
            index,
        })
    }

    /// The store in the file at `path`, if it is a regular file no larger
    /// than `limit` whose header and index are whole and for `key`. Only
    /// the header and index are read now; each summary when asked for.
    pub fn open(path: &Path, key: u128, limit: u64) -> Option<SummaryStore> {
        let mut file = File::open(path).ok()?;
        let metadata = file.metadata().ok()?;
        if !metadata.is_file() || metadata.len() > limit {
            return None;
        }
        let len = usize::try_from(metadata.len()).ok()?;
        let mut header = [0; HEADER];
        file.read_exact(&mut header).ok()?;
        // Another key's file is left before its index is read, and the
        // index's length is checked against the file's before anything is
        // allocated for it.
        let (index_len, _) = read_header(&header, key)?;
        let mut head = vec![0; HEADER.checked_add(index_len).filter(|&end| end <= len)?];
        head[..HEADER].copy_from_slice(&header);
        file.read_exact(&mut head[HEADER..]).ok()?;
        let index = read_index(&head, len, key)?;
        Some(SummaryStore {
            stored: Stored::File(Mutex::new(file)),
            index,
        })
    }

    /// The stored bytes of a summary, if their checksum holds.
    pub fn bytes(&self, hash: u128) -> Option<Cow<'_, [u8]>> {
        let (range, checksum) = self.index.get(&hash)?;
        let bytes = match &self.stored {
            Stored::Bytes(bytes) => Cow::Borrowed(&bytes[range.clone()]),
            Stored::File(file) => {
                let mut bytes = vec![0; range.len()];
                let mut file = file.lock().unwrap_or_else(PoisonError::into_inner);
                file.seek(SeekFrom::Start(range.start as u64)).ok()?;
                file.read_exact(&mut bytes).ok()?;
                Cow::Owned(bytes)
            }
        };
        (xxh3_64(&bytes) == *checksum).then_some(bytes)
    }

    /// The summary stored for `text`, whose content hash is `hash`; `None`
    /// when its lines are not the text's. A content hash is not a proof:
    /// a repository could make two versions of a file collide, and a
    /// summary of one would slice the other's text out of bounds.
    pub fn get(&self, hash: u128, text: &str) -> Option<FileSummary> {
        decode_summary(&self.bytes(hash)?).filter(|summary| summary.lines == LineIndex::new(text))
    }

    /// The content hashes the store holds.
    pub fn hashes(&self) -> impl Iterator<Item = u128> + '_ {
        self.index.keys().copied()
    }
}

/// The length of the index a summary file's header announces and the
/// index's checksum, if `head` begins with a whole header for `key`.
fn read_header(head: &[u8], key: u128) -> Option<(usize, u64)> {
    if head.get(..8)? != SUMMARIES_MAGIC
        || u128::from_le_bytes(head.get(8..24)?.try_into().ok()?) != key
    {
        return None;
    }
    let count = u64::from_le_bytes(head.get(24..32)?.try_into().ok()?);
    let checksum = u64::from_le_bytes(head.get(32..HEADER)?.try_into().ok()?);
    Some((
        usize::try_from(count).ok()?.checked_mul(INDEX_ENTRY)?,
        checksum,
    ))
}

/// The index of a summary file of `len` bytes that begins with `head`
/// (at least its header and index), if both are whole and for `key`.
fn read_index(head: &[u8], len: usize, key: u128) -> Option<HashMap<u128, (Range<usize>, u64)>> {
    let (index_len, checksum) = read_header(head, key)?;
    // The index's length is checked against the bytes before anything is
    // allocated for it.
    let index_bytes = head.get(HEADER..HEADER.checked_add(index_len)?)?;
    if xxh3_64(index_bytes) != checksum {
        return None;
    }
    let mut index = HashMap::with_capacity(index_bytes.len() / INDEX_ENTRY);
    let mut offset = HEADER + index_len;
    for entry in index_bytes.chunks_exact(INDEX_ENTRY) {
        let hash = u128::from_le_bytes(entry[..16].try_into().ok()?);
        let size = usize::try_from(u64::from_le_bytes(entry[16..24].try_into().ok()?)).ok()?;
        let sum = u64::from_le_bytes(entry[24..].try_into().ok()?);
        let end = offset.checked_add(size)?;
        if end > len {
            return None;
        }
        index.insert(hash, (offset..end, sum));
        offset = end;
    }
    Some(index)
}

/// A summary from the bytes the store keeps: postcard reads no length
/// it has not checked against the bytes, so a damaged entry is `None`,
/// never a huge allocation.
pub fn decode_summary(bytes: &[u8]) -> Option<FileSummary> {
    postcard::from_bytes(bytes).ok()
}

/// A summary as the store keeps it.
/// Encoded in a buffer that each thread reuses, then copied once at its
/// exact size: `check` may keep one per file (when it cannot park them on
/// disk), and growing and shrinking each would leave holes around it.
pub fn encode_summary(summary: &FileSummary) -> Box<[u8]> {
    thread_local! {
        static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }
    BUFFER.with_borrow_mut(|buffer| {
        buffer.clear();
        let encoded = postcard::to_extend(summary, std::mem::take(buffer));
        *buffer = encoded.expect("summaries serialise");
        Box::from(buffer.as_slice())
    })
}

pub fn findings_file(key: u128) -> String {
    format!("findings-{:016x}.bin", key as u64)
}

/// `NEWSMARK_CACHE_KEY`: a secret of the user's (a CI secret) that stands
/// for this installation of the binary, so that a cache restored on
/// another machine is used while one shipped in a repository is not.
fn secret() -> Option<String> {
    std::env::var("NEWSMARK_CACHE_KEY")
        .ok()
        .filter(|key| !key.is_empty())
}

/// The newsmark version, this installation of the binary and the
/// severities in force. A repository can ship a `.newsmark_cache`, crafted
/// to hide findings: what stands for the installation must be something it
/// cannot know. Without a `secret`, that is the binary's inode and change
/// time (set when it was installed here; a released binary's size and
/// time are public); with one, the secret, so that a cache restored on
/// another machine matches.
fn key_with(config: &Config, secret: Option<&str>) -> u128 {
    let mut hasher = Xxh3::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(&FORMAT.to_le_bytes());
    let exe = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.metadata().ok());
    if let Some(metadata) = &exe {
        hasher.update(&metadata.len().to_le_bytes());
    }
    match (secret, &exe) {
        (Some(secret), _) => hasher.update(secret.as_bytes()),
        (None, Some(metadata)) => {
            if let Ok(modified) = metadata.modified()
                && let Ok(since) = modified.duration_since(std::time::UNIX_EPOCH)
            {
                hasher.update(&since.as_nanos().to_le_bytes());
            }
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt as _;
                hasher.update(&metadata.ino().to_le_bytes());
                hasher.update(&metadata.ctime().to_le_bytes());
                hasher.update(&metadata.ctime_nsec().to_le_bytes());
            }
        }
        (None, None) => {}
    }
    hasher.update(config.fingerprint().as_bytes());
    hasher.digest128()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_stands_for_this_installation_or_the_users_secret() {
        let config = Config::default();
        assert_eq!(key_with(&config, None), key_with(&config, None));
        assert_eq!(key_with(&config, Some("s")), key_with(&config, Some("s")));
        // A cache made with another secret, or none, is not this one's.
        assert_ne!(key_with(&config, Some("s")), key_with(&config, Some("t")));
        assert_ne!(key_with(&config, Some("s")), key_with(&config, None));
    }
}
