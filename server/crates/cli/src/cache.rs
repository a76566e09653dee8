//! The result cache of `newsmark check`, in `.newsmark_cache/` at the
//! workspace root (with a `.gitignore` of `*`, as ruff does, and a
//! `CACHEDIR.TAG`). Two files, under a folder named for the version:
//!
//! - `findings-<key>.bin`: per file of the workspace, the hash of its
//!   content, the hash of its cross-file facts (its definitions and the ids
//!   it uses, see `newsmark_analysis::cross_file`) and, once checked, its
//!   findings together with the workspace signature they were computed
//!   under. The signature hashes every file's path and cross-file facts,
//!   so findings stay valid exactly while no file's facts change: editing
//!   an article's prose keeps every other file's findings; editing a
//!   registry (or adding, removing a file) recomputes them.
//! - `summaries.bin`: every file's summary (`FileSummary`, postcard),
//!   keyed by content hash, so recomputing findings never parses an
//!   unchanged file.
//!
//! What `<key>` covers, the checks that refuse a planted folder and the
//! size limit are `newsmark_files::cache`'s, which the language server
//! reads summaries through too; this module writes both files and keeps
//! the findings. Writes go to a temporary file renamed into place, so
//! concurrent runs never read half a file. A cache that cannot be read is
//! ignored; one that cannot be written is skipped with a warning. Every
//! payload carries a checksum; a cached finding whose range does not fit
//! the file's text is a miss when the text is at hand
//! ([`Cache::forget_unfit`]), and is shown without its snippet otherwise.
//! A bad entry costs a re-check or a snippet, never a crash.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use newsmark_analysis::{Code, Config, Severity};
pub use newsmark_files::cache::{CACHE_DIR, Refused, SummaryStore, decode_summary, encode_summary};
use newsmark_files::cache::{
    INDEX_ENTRY, SUMMARIES_MAGIC, cache_key, check_layout, findings_file, read_bounded, size_limit,
    summaries_in, version_dir,
};
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use crate::report::LineCol;
use crate::safe_write;

const FINDINGS_MAGIC: &[u8; 8] = b"NMKFND04";
/// Magic, key, then a checksum.
const HEADER: usize = 8 + 16 + 8;

/// A finding as the cache keeps it: positions computed, notes pointing at
/// files by their path relative to the workspace root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedFinding {
    pub range: Range<usize>,
    pub start: LineCol,
    pub end: LineCol,
    #[serde(with = "severity_name")]
    pub severity: Severity,
    #[serde(with = "code_name")]
    pub code: Code,
    pub message: Cow<'static, str>,
    pub notes: Vec<CachedNote>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedNote {
    /// Relative to the workspace root.
    pub rel: String,
    pub position: LineCol,
    pub message: String,
}

/// What the cache knows of one file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileRecord {
    pub rel: String,
    pub content: u128,
    pub cross_file: u64,
    pub findings: Option<Findings>,
}

impl FileRecord {
    /// Whether every cached range lies in `text`, on character boundaries
    /// (the report slices the text with them).
    pub fn fits(&self, text: &str) -> bool {
        self.findings.as_ref().is_none_or(|findings| {
            (findings.list.iter()).all(|finding| crate::report::fits(text, &finding.range))
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Findings {
    /// The workspace signature the findings were computed under.
    pub workspace: u128,
    pub list: Vec<CachedFinding>,
}

/// A [`FileRecord`] to save, borrowing its findings (same encoding).
#[derive(Debug, Serialize)]
pub struct FileRecordRef<'a> {
    pub rel: &'a str,
    pub content: u128,
    pub cross_file: u64,
    pub findings: Option<FindingsRef<'a>>,
}

#[derive(Debug, Serialize)]
pub struct FindingsRef<'a> {
    pub workspace: u128,
    pub list: &'a [CachedFinding],
}

/// The cache of one workspace root.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    key: u128,
    /// The largest cache file read.
    limit: u64,
    records: HashMap<String, FileRecord>,
}

impl Cache {
    /// Opens the cache at `root` for this binary and configuration and a
    /// workspace of `files` files; an absent or unreadable cache is an
    /// empty one, a cache holding links is refused.
    pub fn open(root: &Path, config: &Config, files: usize) -> Result<Cache, Refused> {
        let dir = version_dir(root);
        let key = cache_key(config);
        check_layout(&dir, key)?;
        let limit = size_limit(files);
        let records = read_bounded(&dir.join(findings_file(key)), limit)
            .and_then(|bytes| decode_findings(&bytes, key))
            .map(|records| records.into_iter().map(|r| (r.rel.clone(), r)).collect())
            .unwrap_or_default();
        Ok(Cache {
            dir,
            key,
            limit,
            records,
        })
    }

    /// Whether a cache for this binary and configuration exists at `root`.
    pub fn exists(root: &Path, config: &Config) -> bool {
        let path = version_dir(root).join(findings_file(cache_key(config)));
        std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
    }

    /// The record of a file, if its content is unchanged.
    pub fn record(&self, rel: &str, content: u128) -> Option<&FileRecord> {
        self.records.get(rel).filter(|r| r.content == content)
    }

    /// Forgets the record of a file (of this content) whose findings do
    /// not fit its text: the file is checked again.
    pub fn forget_unfit(&mut self, rel: &str, content: u128, text: &str) {
        if self
            .record(rel, content)
            .is_some_and(|record| !record.fits(text))
        {
            self.records.remove(rel);
        }
    }

    /// The previous run's summaries (read on demand: only needed when
    /// findings must be recomputed).
    pub fn summaries(&self) -> SummaryStore {
        summaries_in(&self.dir, self.key, self.limit)
    }

    /// Moves out the findings of a file, if its content is unchanged and
    /// they were computed under `workspace`.
    pub fn take_findings(
        &mut self,
        rel: &str,
        content: u128,
        workspace: u128,
    ) -> Option<Vec<CachedFinding>> {
        let record = self.records.get_mut(rel).filter(|r| r.content == content)?;
        let findings = record
            .findings
            .as_mut()
            .filter(|f| f.workspace == workspace)?;
        Some(std::mem::take(&mut findings.list))
    }

    /// Replaces the findings file with `records`, serialised twice (for
    /// the checksum that heads it, then into the file): a corpus's findings
    /// are never whole in memory as bytes.
    pub fn save_findings(&self, records: &[FileRecordRef]) -> std::io::Result<()> {
        let mut checksum = BufWriter::new(Checksum(Xxh3::new()));
        postcard::to_io(records, &mut checksum).map_err(std::io::Error::other)?;
        let checksum = checksum
            .into_inner()
            .map_err(|e| e.into_error())?
            .0
            .digest();
        let name = findings_file(self.key);
        self.write_with(&name, |out| {
            out.write_all(FINDINGS_MAGIC)?;
            out.write_all(&self.key.to_le_bytes())?;
            out.write_all(&checksum.to_le_bytes())?;
            // postcard reports every write error as a full buffer: keep
            // the real one.
            let mut payload = Recorded { out, error: None };
            if let Err(error) = postcard::to_io(records, &mut payload) {
                return Err((payload.error.take()).unwrap_or_else(|| std::io::Error::other(error)));
            }
            Ok(())
        })?;
        // Findings of other binaries or configurations are never read
        // again by this one; keep the folder from growing with each build.
        // Only regular files are removed (a link is left alone).
        if let Ok(entries) = std::fs::read_dir(&self.dir) {
            for entry in entries.flatten() {
                let other = entry.file_name();
                let other = other.to_string_lossy();
                if other.starts_with("findings-")
                    && other.ends_with(".bin")
                    && other != name
                    && entry.file_type().is_ok_and(|kind| kind.is_file())
                {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        Ok(())
    }

    /// Replaces the summary store with `entries` (content hash, postcard
    /// bytes), which are gone through twice (for the index, then written
    /// one by one: a corpus's summaries need not all be in memory). If
    /// the second pass differs from the first, nothing is replaced.
    pub fn save_summaries<'a>(
        &self,
        entries: impl Iterator<Item = (u128, Cow<'a, [u8]>)> + Clone,
    ) -> std::io::Result<()> {
        let mut index = Vec::new();
        for (hash, summary) in entries.clone() {
            index.extend_from_slice(&hash.to_le_bytes());
            index.extend_from_slice(&(summary.len() as u64).to_le_bytes());
            index.extend_from_slice(&xxh3_64(&summary).to_le_bytes());
        }
        let count = (index.len() / INDEX_ENTRY) as u64;
        self.write_with("summaries.bin", |out| {
            out.write_all(SUMMARIES_MAGIC)?;
            out.write_all(&self.key.to_le_bytes())?;
            out.write_all(&count.to_le_bytes())?;
            out.write_all(&xxh3_64(&index).to_le_bytes())?;
            out.write_all(&index)?;
            let mut listed = index.chunks_exact(INDEX_ENTRY);
            for (hash, summary) in entries {
                let entry = listed.next().ok_or_else(changed_meanwhile)?;
                if entry[..16] != hash.to_le_bytes()
                    || entry[16..24] != (summary.len() as u64).to_le_bytes()
                {
                    return Err(changed_meanwhile());
                }
                out.write_all(&summary)?;
            }
            match listed.next() {
                Some(_) => Err(changed_meanwhile()),
                None => Ok(()),
            }
        })
    }

    /// Writes a file of the version folder with what `write` writes (and
    /// the folder's `.gitignore` and `CACHEDIR.TAG` the first time), each
    /// through a temporary file: [`Cache::open`] has refused links, and a
    /// rename never follows one.
    fn write_with(
        &self,
        name: &str,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let top = self.dir.parent().expect("the version folder has a parent");
        std::fs::create_dir_all(&self.dir)?;
        let gitignore = top.join(".gitignore");
        if std::fs::symlink_metadata(&gitignore).is_err() {
            safe_write::replace(&gitignore, b"# Automatically created by newsmark.\n*\n")?;
            safe_write::replace(
                &top.join("CACHEDIR.TAG"),
                b"Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by newsmark.\n",
            )?;
        }
        safe_write::replace_with(&self.dir.join(name), write)
    }
}

fn changed_meanwhile() -> std::io::Error {
    std::io::Error::other("the summaries changed while they were written")
}

/// The xxh3 of what is written to it.
struct Checksum(Xxh3);

/// A writer that keeps its first error.
struct Recorded<'a> {
    out: &'a mut dyn Write,
    error: Option<std::io::Error>,
}

impl Write for Recorded<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.out.write(bytes).inspect_err(|error| {
            if error.kind() != std::io::ErrorKind::Interrupted {
                self.error = Some(std::io::Error::new(error.kind(), error.to_string()));
            }
        })
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

impl Write for Checksum {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The records of a findings file, if it is whole and for `key`.
pub fn decode_findings(bytes: &[u8], key: u128) -> Option<Vec<FileRecord>> {
    if bytes.get(..8)? != FINDINGS_MAGIC
        || u128::from_le_bytes(bytes.get(8..24)?.try_into().ok()?) != key
    {
        return None;
    }
    let checksum = u64::from_le_bytes(bytes.get(24..HEADER)?.try_into().ok()?);
    let payload = &bytes[HEADER..];
    if xxh3_64(payload) != checksum {
        return None;
    }
    decode_records(payload)
}

/// The records of a findings payload. Postcard checks every length against
/// the bytes left before taking a string, and serde caps what a sequence
/// preallocates, so a crafted length fails instead of allocating.
pub fn decode_records(payload: &[u8]) -> Option<Vec<FileRecord>> {
    postcard::from_bytes(payload).ok()
}

mod severity_name {
    use newsmark_analysis::Severity;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(severity: &Severity, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(severity.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Severity, D::Error> {
        let name = <&str>::deserialize(deserializer)?;
        Severity::from_name(name).ok_or_else(|| D::Error::custom("unknown severity"))
    }
}

mod code_name {
    use newsmark_analysis::Code;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(code: &Code, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(code.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Code, D::Error> {
        let name = <&str>::deserialize(deserializer)?;
        Code::from_name(name).ok_or_else(|| D::Error::custom("unknown code"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsmark_analysis::FileSummary;

    #[test]
    fn summaries_round_trip_through_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), &Config::default(), 1).unwrap();
        let text = "@a: A\n  kind: person\n\n{x | @a} [A]@a {broken\n";
        let summary = FileSummary::from_tree(&newsmark_syntax::SyntaxTree::parse(text));
        let bytes = encode_summary(&summary);
        cache
            .save_summaries([(7u128, Cow::Borrowed(&*bytes))].into_iter())
            .unwrap();
        let store = cache.summaries();
        assert_eq!(store.get(7, text).as_ref(), Some(&summary));
        assert!(store.get(8, text).is_none());
        // Another text under the same hash (a collision a repository
        // crafted): its lines differ, so the summary is not its.
        assert!(store.get(7, "{x | @a}\n").is_none());
        assert!(dir.path().join(".newsmark_cache/.gitignore").is_file());
    }

    #[test]
    fn the_language_servers_store_reads_each_summary_from_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), &Config::default(), 1).unwrap();
        let texts = ["@a: A\n  kind: person\n", "{x | @a} [A]@a {broken\n"];
        let summaries =
            texts.map(|text| FileSummary::from_tree(&newsmark_syntax::SyntaxTree::parse(text)));
        let encoded = summaries.each_ref().map(encode_summary);
        let entries = (0u128..).zip(encoded.iter().map(|bytes| Cow::Borrowed(&**bytes)));
        cache.save_summaries(entries).unwrap();
        let path = cache.dir.join("summaries.bin");
        let open = |limit| SummaryStore::open(&path, cache.key, limit);
        let store = open(cache.limit).expect("the file written above");
        for (hash, (text, summary)) in (0u128..).zip(texts.iter().zip(&summaries)) {
            assert_eq!(store.get(hash, text).as_ref(), Some(summary));
            assert_eq!(store.bytes(hash).as_deref(), Some(&*encoded[hash as usize]));
        }
        assert!(store.get(2, texts[0]).is_none());
        let len = std::fs::metadata(&path).unwrap().len();
        assert!(open(len - 1).is_none(), "over the limit");
        assert!(
            SummaryStore::open(&path, cache.key ^ 1, len).is_none(),
            "another key"
        );
        // A count of summaries the file cannot hold, and a file shorter
        // than the header: refused before anything is allocated for them.
        let mut inflated = std::fs::read(&path).unwrap();
        inflated[24..32].copy_from_slice(&(1u64 << 40).to_le_bytes());
        let crafted = dir.path().join("crafted.bin");
        std::fs::write(&crafted, &inflated).unwrap();
        assert!(
            SummaryStore::open(&crafted, cache.key, len).is_none(),
            "an inflated count"
        );
        std::fs::write(&crafted, &inflated[..20]).unwrap();
        assert!(
            SummaryStore::open(&crafted, cache.key, len).is_none(),
            "a short file"
        );
        // Cut in its last summary: the index no longer fits the file.
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
        assert!(open(len).is_none(), "a cut file");
        // Changed after it was opened: the summary's checksum fails.
        let store = {
            std::fs::write(&path, &bytes).unwrap();
            open(len).unwrap()
        };
        let mut flipped = bytes.clone();
        *flipped.last_mut().unwrap() ^= 1;
        std::fs::write(&path, &flipped).unwrap();
        assert!(store.bytes(1).is_none());
        assert_eq!(store.get(0, texts[0]).as_ref(), Some(&summaries[0]));
    }

    #[test]
    fn summaries_that_change_while_written_replace_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), &Config::default(), 1).unwrap();
        let kept = vec![1u8, 2, 3];
        cache
            .save_summaries([(7u128, Cow::Borrowed(kept.as_slice()))].into_iter())
            .unwrap();
        // Each pass through the entries sees one byte more.
        let passes = std::cell::Cell::new(0);
        let growing = std::iter::once(()).map(|()| {
            passes.set(passes.get() + 1);
            (8u128, Cow::Owned(vec![0u8; passes.get()]))
        });
        assert!(cache.save_summaries(growing).is_err());
        let store = cache.summaries();
        assert_eq!(
            store.bytes(7).as_deref(),
            Some(kept.as_slice()),
            "the old store stays"
        );
        assert_eq!(store.bytes(8), None);
    }

    #[test]
    fn findings_are_kept_per_configuration() {
        let dir = tempfile::tempdir().unwrap();
        let record = FileRecord {
            rel: "a.nmk".into(),
            content: 1,
            cross_file: 2,
            findings: Some(Findings {
                workspace: 3,
                list: vec![CachedFinding {
                    range: 0..3,
                    start: LineCol::START,
                    end: LineCol { line: 1, column: 4 },
                    severity: Severity::Warning,
                    code: Code::UnsourcedClaim,
                    message: "m".into(),
                    notes: Vec::new(),
                }],
            }),
        };
        let findings = record.findings.as_ref().unwrap();
        let saved = FileRecordRef {
            rel: &record.rel,
            content: record.content,
            cross_file: record.cross_file,
            findings: Some(FindingsRef {
                workspace: findings.workspace,
                list: &findings.list,
            }),
        };
        Cache::open(dir.path(), &Config::default(), 1)
            .unwrap()
            .save_findings(&[saved])
            .unwrap();
        let cache = Cache::open(dir.path(), &Config::default(), 1).unwrap();
        let strict = Config::parse("[severity]\nunsourced-claim = \"error\"\n").unwrap();
        Cache::open(dir.path(), &strict, 1)
            .unwrap()
            .save_findings(&[])
            .unwrap();
        // Saving under another configuration replaced the file.
        assert!(
            Cache::open(dir.path(), &Config::default(), 1)
                .unwrap()
                .record("a.nmk", 1)
                .is_none()
        );
        assert_eq!(
            cache
                .record("a.nmk", 1)
                .unwrap()
                .findings
                .as_ref()
                .unwrap()
                .list[0]
                .code,
            Code::UnsourcedClaim
        );
        assert!(cache.record("a.nmk", 9).is_none());
        assert!(
            Cache::open(dir.path(), &strict, 1)
                .unwrap()
                .record("a.nmk", 1)
                .is_none()
        );
    }
}
