//! The session's workspaces, as `newsmark check` sees them
//! (`newsmark_files::discover`): each root, a folder with its own
//! `newsmark.toml` or the outermost workspace folder without one, is a
//! namespace with its own configuration and index. Entity ids of one never resolve in
//! another, so a repository holding several corpora (or test fixtures
//! that define the same ids) gives the findings `newsmark check` gives at
//! its top. Every file belongs to exactly one namespace; documents that
//! are not files (`untitled:`) join the first workspace folder's, or,
//! without workspace folders, one without a root.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use newsmark_analysis::{Config, FileId, Workspace};
use newsmark_files::discover;
use tracing::warn;

use crate::file_key::FileKey;

#[derive(Debug, Clone)]
pub struct Namespace {
    /// `None` for documents that are not files, when the session has no
    /// workspace folder.
    pub root: Option<PathBuf>,
    pub ws: Arc<Workspace>,
    /// The number of the scan that last read each file, by `FileId` (ids
    /// are never reused): the end of a scan finds the files it did not
    /// read in this list, without hashing every path.
    scanned: Vec<u64>,
}

impl Namespace {
    pub fn new(root: Option<PathBuf>, config: Config) -> Self {
        let mut ws = Workspace::new(config);
        // Files are named by their keys: the root's key is their prefix.
        if let Some(key) = root.as_deref().and_then(FileKey::from_path) {
            ws.set_root(&format!("{}/", key.name()));
        }
        Namespace {
            root,
            ws: Arc::new(ws),
            scanned: Vec::new(),
        }
    }

    /// The paths of the files that scan number `scan` did not read.
    pub fn not_scanned(&self, scan: u64) -> impl Iterator<Item = &Arc<str>> {
        self.ws
            .files()
            .filter(move |(file, _)| self.last_scan(*file) != scan)
            .map(|(_, entry)| &entry.path)
    }

    /// The number of the scan that last read `file`; 0 for none.
    fn last_scan(&self, file: FileId) -> u64 {
        self.scanned.get(file.0 as usize).copied().unwrap_or(0)
    }

    /// Whether a scan of the root reads the file `key` at `path`, as
    /// `newsmark check` would. A file a scan read may since be refused by
    /// `include`/`exclude`; any other (created on disk, or a document
    /// being closed) is looked for as the scan looks (`.gitignore`, hidden
    /// folders, nested workspaces too).
    pub fn reads(&self, key: &str, path: &Path) -> bool {
        self.root.as_ref().is_some_and(|root| {
            let scanned = self
                .ws
                .file(key)
                .is_some_and(|file| self.last_scan(file) > 0);
            if !scanned {
                return discover::walk_finds(root, self.ws.config(), path);
            }
            path.strip_prefix(root).is_ok_and(|relative| {
                let relative = newsmark_files::paths::slashed(relative);
                self.ws.config().includes(&relative)
            })
        })
    }
}

#[derive(Debug, Clone, Default)]
pub struct Namespaces {
    /// Sorted by root, the one without a root first.
    list: Vec<Namespace>,
}

impl Namespaces {
    pub fn iter(&self) -> impl Iterator<Item = &Namespace> {
        self.list.iter()
    }

    /// The namespace that holds the file `key`.
    pub fn holding(&self, key: &str) -> Option<usize> {
        self.list.iter().position(|ns| ns.ws.file(key).is_some())
    }

    pub fn ws_mut(&mut self, index: usize) -> &mut Workspace {
        Arc::make_mut(&mut self.list[index].ws)
    }

    /// Notes that scan number `scan` read `files` of the namespace `index`.
    pub fn mark_scanned(
        &mut self,
        index: usize,
        scan: u64,
        files: impl IntoIterator<Item = FileId>,
    ) {
        let scanned = &mut self.list[index].scanned;
        for file in files {
            let at = file.0 as usize;
            if at >= scanned.len() {
                scanned.resize(at + 1, 0);
            }
            scanned[at] = scan;
        }
    }

    pub fn get(&self, index: usize) -> &Namespace {
        &self.list[index]
    }

    /// The namespace the file `key` belongs to: the one holding it, else
    /// the one of its root ([`root_of_file`]), made with the root's
    /// configuration when the session has none for it yet.
    pub fn for_file(&mut self, key: &str, folders: &[PathBuf]) -> usize {
        match self.holding(key) {
            Some(index) => index,
            None => self.for_root(root_of_file(key, folders)),
        }
    }

    /// The namespace of `root`, made when missing.
    pub fn for_root(&mut self, root: Option<PathBuf>) -> usize {
        match self.list.binary_search_by(|ns| ns.root.cmp(&root)) {
            Ok(index) => index,
            Err(index) => {
                let config = root.as_deref().map(root_config).unwrap_or_default();
                self.list.insert(index, Namespace::new(root, config));
                index
            }
        }
    }

    /// The namespace of `root` with `config`: kept (with the new
    /// configuration) when it exists, made otherwise.
    pub fn set_root(&mut self, root: PathBuf, config: Config) -> usize {
        let index = self.for_root(Some(root));
        self.ws_mut(index).set_config(config);
        index
    }

    /// Removes the namespaces whose roots `keep` refuses; returns them.
    pub fn retain(&mut self, keep: impl Fn(&Namespace) -> bool) -> Vec<Namespace> {
        let (kept, removed) = std::mem::take(&mut self.list).into_iter().partition(keep);
        self.list = kept;
        removed
    }

    /// Every namespace made anew, empty, with its configuration.
    pub fn emptied(&self) -> Namespaces {
        let list = self
            .list
            .iter()
            .map(|ns| Namespace::new(ns.root.clone(), ns.ws.config().clone()))
            .collect();
        Namespaces { list }
    }

    pub fn file_count(&self) -> usize {
        self.list.iter().map(|ns| ns.ws.file_count()).sum()
    }
}

/// The root of the file `key` as the scan of `folders` (the workspace
/// folders) finds it: the nearest `newsmark.toml` above it, else the
/// outermost workspace folder holding it (`discover::plan` merges the
/// folders without one inside it), else the file's own root
/// (`discover::root_of`). A document that is not a file (`untitled:`)
/// belongs to the first workspace folder's workspace, whose entities the
/// annotator is writing about; without workspace folders, to none.
pub fn root_of_file(key: &str, folders: &[PathBuf]) -> Option<PathBuf> {
    let path = Path::new(key);
    let folder = if path.is_absolute() {
        path.parent().unwrap_or(path)
    } else {
        folders.first()?
    };
    let root = discover::find_root(folder)
        .or_else(|| {
            let holding = folders.iter().filter(|f| folder.starts_with(f));
            holding.min_by_key(|f| f.as_os_str().len()).cloned()
        })
        .unwrap_or_else(|| discover::root_of(folder));
    Some(root)
}

/// The configuration of a root found outside a scan (a document opened
/// before the scan reports, or outside the workspace folders); the
/// defaults when it is invalid, with a warning (the scan shows it to the
/// user).
fn root_config(root: &Path) -> Config {
    discover::load_config(root, root).unwrap_or_else(|error| {
        warn!(
            "{}: {error}; using the default configuration",
            root.display()
        );
        Config::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_a_scan_did_not_read_are_those_it_did_not_mark() {
        let mut namespaces = Namespaces::default();
        let index = namespaces.for_root(None);
        let ws = namespaces.ws_mut(index);
        let a = ws.set_file("/a.nmk", "A.".into()).file;
        let b = ws.set_file("/b.nmk", "B.".into()).file;
        namespaces.mark_scanned(index, 1, [a, b]);
        namespaces.mark_scanned(index, 2, [b]);
        let ns = namespaces.get(index);
        let unread = |scan| {
            ns.not_scanned(scan)
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(unread(2), ["/a.nmk"]);
        assert_eq!(unread(1), ["/b.nmk"]);
        assert_eq!(unread(3), ["/a.nmk", "/b.nmk"]);
    }
}
