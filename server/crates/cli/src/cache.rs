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
//! `<key>` hashes the newsmark version, the binary (size and modification
//! time, so a rebuilt binary never trusts old results) and the severities
//! of `newsmark.toml`. Writes go to a temporary file renamed into place,
//! so concurrent runs never read half a file. A cache that cannot be read
//! is ignored; one that cannot be written is skipped with a warning.

use std::collections::HashMap;
use std::io::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use newsmark_analysis::{Code, Config, FileSummary, Severity};
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use crate::report::LineCol;

/// The folder, at the workspace root.
pub const CACHE_DIR: &str = ".newsmark_cache";
/// Bumped whenever the layout of these files changes.
const FORMAT: u32 = 1;
const SUMMARIES_MAGIC: &[u8; 8] = b"NMKSUM01";

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
    pub message: String,
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

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Findings {
    /// The workspace signature the findings were computed under.
    pub workspace: u128,
    pub list: Vec<CachedFinding>,
}

#[derive(Serialize, Deserialize)]
struct FindingsFile {
    key: u128,
    files: Vec<FileRecord>,
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

#[derive(Serialize)]
struct FindingsFileRef<'a> {
    key: u128,
    files: &'a [FileRecordRef<'a>],
}

/// The cache of one workspace root.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    key: u128,
    records: HashMap<String, FileRecord>,
}

impl Cache {
    /// Opens the cache at `root` for this binary and configuration; an
    /// absent or unreadable cache is an empty one.
    pub fn open(root: &Path, config: &Config) -> Cache {
        let dir = root.join(CACHE_DIR).join(env!("CARGO_PKG_VERSION"));
        let key = cache_key(config);
        let records = std::fs::read(dir.join(findings_file(key)))
            .ok()
            .and_then(|bytes| postcard::from_bytes::<FindingsFile>(&bytes).ok())
            .filter(|file| file.key == key)
            .map(|file| file.files.into_iter().map(|r| (r.rel.clone(), r)).collect())
            .unwrap_or_default();
        Cache { dir, key, records }
    }

    /// Whether a cache for this binary and configuration exists at `root`.
    pub fn exists(root: &Path, config: &Config) -> bool {
        root.join(CACHE_DIR)
            .join(env!("CARGO_PKG_VERSION"))
            .join(findings_file(cache_key(config)))
            .is_file()
    }

    /// The record of a file, if its content is unchanged.
    pub fn record(&self, rel: &str, content: u128) -> Option<&FileRecord> {
        self.records.get(rel).filter(|r| r.content == content)
    }

    /// The previous run's summaries (read on demand: only needed when
    /// findings must be recomputed).
    pub fn summaries(&self) -> SummaryStore {
        SummaryStore::read(&self.dir.join("summaries.bin"), self.key)
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

    /// Replaces the findings file with `records`.
    pub fn save_findings(&self, records: &[FileRecordRef]) -> std::io::Result<()> {
        let bytes = postcard::to_stdvec(&FindingsFileRef {
            key: self.key,
            files: records,
        })
        .map_err(std::io::Error::other)?;
        let name = findings_file(self.key);
        self.write(&name, &bytes)?;
        // Findings of other binaries or configurations are never read
        // again by this one; keep the folder from growing with each build.
        if let Ok(entries) = std::fs::read_dir(&self.dir) {
            for entry in entries.flatten() {
                let other = entry.file_name();
                let other = other.to_string_lossy();
                if other.starts_with("findings-") && other.ends_with(".bin") && other != name {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        Ok(())
    }

    /// Replaces the summary store with `entries` (content hash, postcard bytes).
    pub fn save_summaries<'a>(
        &self,
        entries: impl ExactSizeIterator<Item = (u128, &'a [u8])> + Clone,
    ) -> std::io::Result<()> {
        let mut bytes = Vec::new();
        bytes.extend_from_slice(SUMMARIES_MAGIC);
        bytes.extend_from_slice(&self.key.to_le_bytes());
        bytes.extend_from_slice(&(entries.len() as u64).to_le_bytes());
        for (hash, summary) in entries.clone() {
            bytes.extend_from_slice(&hash.to_le_bytes());
            bytes.extend_from_slice(&(summary.len() as u64).to_le_bytes());
        }
        for (_, summary) in entries {
            bytes.extend_from_slice(summary);
        }
        self.write("summaries.bin", &bytes)
    }

    fn write(&self, name: &str, bytes: &[u8]) -> std::io::Result<()> {
        let top = self.dir.parent().expect("the version folder has a parent");
        std::fs::create_dir_all(&self.dir)?;
        let gitignore = top.join(".gitignore");
        if !gitignore.exists() {
            std::fs::write(&gitignore, "# Automatically created by newsmark.\n*\n")?;
            std::fs::write(
                top.join("CACHEDIR.TAG"),
                "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by newsmark.\n",
            )?;
        }
        let temporary = self.dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        drop(file);
        std::fs::rename(&temporary, self.dir.join(name))
    }
}

/// Summaries by content hash, deserialised on demand.
#[derive(Debug, Default)]
pub struct SummaryStore {
    bytes: Vec<u8>,
    index: HashMap<u128, Range<usize>>,
}

impl SummaryStore {
    fn read(path: &Path, key: u128) -> SummaryStore {
        std::fs::read(path)
            .ok()
            .and_then(|bytes| SummaryStore::parse(bytes, key))
            .unwrap_or_default()
    }

    fn parse(bytes: Vec<u8>, key: u128) -> Option<SummaryStore> {
        let header = SUMMARIES_MAGIC.len() + 16 + 8;
        if bytes.get(..8)? != SUMMARIES_MAGIC
            || u128::from_le_bytes(bytes.get(8..24)?.try_into().ok()?) != key
        {
            return None;
        }
        let count = u64::from_le_bytes(bytes.get(24..32)?.try_into().ok()?) as usize;
        let mut index = HashMap::with_capacity(count);
        let mut offset = header.checked_add(count.checked_mul(24)?)?;
        for entry in 0..count {
            let at = header + entry * 24;
            let hash = u128::from_le_bytes(bytes.get(at..at + 16)?.try_into().ok()?);
            let len = u64::from_le_bytes(bytes.get(at + 16..at + 24)?.try_into().ok()?) as usize;
            let end = offset.checked_add(len)?;
            if end > bytes.len() {
                return None;
            }
            index.insert(hash, offset..end);
            offset = end;
        }
        Some(SummaryStore { bytes, index })
    }

    /// The stored bytes of a summary.
    pub fn bytes(&self, hash: u128) -> Option<&[u8]> {
        self.index
            .get(&hash)
            .map(|range| &self.bytes[range.clone()])
    }

    pub fn get(&self, hash: u128) -> Option<FileSummary> {
        postcard::from_bytes(self.bytes(hash)?).ok()
    }
}

/// A summary as the store keeps it.
pub fn encode_summary(summary: &FileSummary) -> Vec<u8> {
    postcard::to_stdvec(summary).expect("summaries serialise")
}

fn findings_file(key: u128) -> String {
    format!("findings-{:016x}.bin", key as u64)
}

/// The newsmark version, this binary and the severities in force.
fn cache_key(config: &Config) -> u128 {
    let mut hasher = Xxh3::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(&FORMAT.to_le_bytes());
    if let Some(metadata) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.metadata().ok())
    {
        hasher.update(&metadata.len().to_le_bytes());
        if let Ok(modified) = metadata.modified()
            && let Ok(since) = modified.duration_since(std::time::UNIX_EPOCH)
        {
            hasher.update(&since.as_nanos().to_le_bytes());
        }
    }
    hasher.update(config.fingerprint().as_bytes());
    hasher.digest128()
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

    #[test]
    fn summaries_round_trip_through_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), &Config::default());
        let summary = FileSummary::from_tree(&newsmark_syntax::SyntaxTree::parse(
            "@a: A\n  kind: person\n\n{x | @a} [A]@a {broken\n",
        ));
        let bytes = encode_summary(&summary);
        cache
            .save_summaries([(7u128, bytes.as_slice())].into_iter())
            .unwrap();
        let store = cache.summaries();
        assert_eq!(store.get(7).as_ref(), Some(&summary));
        assert!(store.get(8).is_none());
        assert!(dir.path().join(".newsmark_cache/.gitignore").is_file());
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
        Cache::open(dir.path(), &Config::default())
            .save_findings(&[saved])
            .unwrap();
        let cache = Cache::open(dir.path(), &Config::default());
        let strict = Config::parse("[severity]\nunsourced-claim = \"error\"\n").unwrap();
        Cache::open(dir.path(), &strict).save_findings(&[]).unwrap();
        // Saving under another configuration replaced the file.
        assert!(
            Cache::open(dir.path(), &Config::default())
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
            Cache::open(dir.path(), &strict)
                .record("a.nmk", 1)
                .is_none()
        );
    }
}
