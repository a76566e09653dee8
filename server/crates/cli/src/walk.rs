//! Which files a command reads: the workspace root, its `newsmark.toml`,
//! every `.nmk` file of the workspace (for cross-file rules) and, among
//! them, the files the user asked about (the targets).
//!
//! - The root of a path is the folder of the nearest `newsmark.toml` found
//!   upward from it; failing that, the nearest one upward from the current
//!   folder (when the path is inside it); failing that, the current folder
//!   (or the path's own folder, for a path outside the current folder).
//!   Paths with different roots are separate workspaces.
//! - A folder with its own `newsmark.toml` below a root is a workspace of
//!   its own: walking the outer root skips it, and asking for a folder
//!   that holds it checks it as its own workspace (so `newsmark check` at
//!   the top of a repository with several corpora checks each apart).
//! - Folders are walked with the `ignore` crate: `.gitignore`, `.ignore`
//!   and git's excludes are respected, hidden files and folders skipped.
//!   Walked files must end in `.nmk` and pass `include`/`exclude`.
//! - A file named on the command line is always checked, whatever its
//!   extension, `.gitignore` or `exclude` say.
//! - What the walk cannot read is reported, never skipped in silence: a
//!   folder it cannot list, and a folder whose `.gitignore`, `.ignore` or
//!   `newsmark.toml` is a named pipe or another special file (the walk
//!   would open it and wait forever; the folder is skipped) give an `io`
//!   finding on that path.
//!
//! Nothing is read here but folders and `newsmark.toml`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::Context as _;
use ignore::{WalkBuilder, WalkState};
use newsmark_analysis::{CONFIG_FILE, Config};

use crate::paths;
use crate::source::{self, Source};

/// One workspace to check: its root, its configuration and its files.
#[derive(Debug)]
pub struct Plan {
    pub root: PathBuf,
    pub config: Config,
    /// Every file of the workspace, sorted by `rel`.
    pub files: Vec<PlannedFile>,
}

#[derive(Debug, Clone)]
pub struct PlannedFile {
    /// Relative to the root, with `/`.
    pub rel: String,
    pub path: PathBuf,
    /// Asked about: its findings are reported.
    pub target: bool,
    /// Why the walk could not read it: its `io` finding.
    pub problem: Option<String>,
}

impl PlannedFile {
    /// The file's text, or why it cannot be checked.
    pub fn read(&self, keep: bool) -> Source {
        match &self.problem {
            Some(problem) => Source::Unreadable(problem.clone()),
            None => source::read(&self.path, keep),
        }
    }
}

/// A path the walk found: a `.nmk` file, or what it could not read.
struct Found {
    path: PathBuf,
    rel: String,
    problem: Option<String>,
}

impl Found {
    fn problem(root: &Path, path: &Path, reason: String) -> Self {
        Found {
            rel: paths::slashed(&paths::relative(root, path)),
            path: path.to_path_buf(),
            problem: Some(reason),
        }
    }
}

/// An invalid `newsmark.toml`: the file, line and key at fault.
#[derive(Debug)]
pub struct ConfigFileError {
    pub path: String,
    pub error: newsmark_analysis::ConfigError,
}

impl std::fmt::Display for ConfigFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid configuration in {}", self.path)?;
        if let Some(line) = self.error.line {
            write!(f, ", line {line}")?;
        }
        if let Some(key) = &self.error.key {
            write!(f, ", key `{key}`")?;
        }
        write!(f, ": {}", self.error.message)
    }
}

impl std::error::Error for ConfigFileError {}

/// The workspaces for the paths given on the command line, in root order.
pub fn plan(paths: &[PathBuf], cwd: &Path) -> anyhow::Result<Vec<Plan>> {
    let mut by_root: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for path in paths {
        let path = paths::absolute(cwd, path);
        by_root.entry(root_of(&path, cwd)).or_default().push(path);
    }
    let mut plans = Vec::new();
    while let Some((root, asked)) = by_root.pop_first() {
        let (plan, nested) = plan_root(root, &asked, cwd)?;
        plans.push(plan);
        for nested_root in nested {
            if !plans.iter().any(|p: &Plan| p.root == nested_root) {
                by_root
                    .entry(nested_root.clone())
                    .or_default()
                    .push(nested_root);
            }
        }
    }
    plans.sort_by(|a, b| a.root.cmp(&b.root));
    Ok(plans)
}

/// Every file the plans read: their files and `newsmark.toml`s (what an
/// output must never replace).
pub fn files_read(plans: &[Plan]) -> Vec<PathBuf> {
    plans
        .iter()
        .flat_map(|plan| {
            let config = plan.root.join(CONFIG_FILE);
            plan.files.iter().map(|f| f.path.clone()).chain([config])
        })
        .collect()
}

/// The folder of the nearest `newsmark.toml` at or above `start`.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|folder| folder.join(CONFIG_FILE).is_file())
        .map(Path::to_path_buf)
}

fn root_of(path: &Path, cwd: &Path) -> PathBuf {
    let folder = if path.is_dir() {
        path
    } else {
        path.parent().unwrap_or(path)
    };
    find_root(folder)
        .or_else(|| find_root(cwd).filter(|root| path.starts_with(root)))
        .unwrap_or_else(|| {
            if path.starts_with(cwd) {
                cwd.to_path_buf()
            } else {
                folder.to_path_buf()
            }
        })
}

/// Reads the configuration of a root: the defaults when it has none.
pub fn load_config(root: &Path, cwd: &Path) -> anyhow::Result<Config> {
    let path = root.join(CONFIG_FILE);
    if !path.is_file() {
        return Ok(Config::default());
    }
    let shown = paths::display(cwd, &path);
    let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {shown}"))?;
    Config::parse_for_root(&text, root)
        .map_err(|error| ConfigFileError { path: shown, error }.into())
}

/// The plan of one root, and the nested workspaces inside the folders asked for.
fn plan_root(root: PathBuf, asked: &[PathBuf], cwd: &Path) -> anyhow::Result<(Plan, Vec<PathBuf>)> {
    let config = load_config(&root, cwd)?;
    let mut files: BTreeMap<String, PlannedFile> = BTreeMap::new();
    let mut add = |path: PathBuf, rel: String, target: bool, problem: Option<String>| {
        let entry = files.entry(rel.clone()).or_insert(PlannedFile {
            rel,
            path,
            target: false,
            problem,
        });
        entry.target |= target;
    };
    let whole_root = asked.contains(&root);
    let mut nested_asked = Vec::new();
    let (found, nested) = walk(&root, &root, &config);
    for found in found {
        add(found.path, found.rel, whole_root, found.problem);
    }
    if whole_root {
        nested_asked.extend(nested);
    }
    for path in asked.iter().filter(|path| **path != root) {
        if path.is_dir() {
            let (found, nested) = walk(path, &root, &config);
            for found in found {
                add(found.path, found.rel, true, found.problem);
            }
            nested_asked.extend(nested);
        } else {
            // Named on the command line: checked even if it is missing
            // (an `io` finding says so), excluded or not a .nmk file.
            let rel = paths::slashed(&paths::relative(&root, path));
            add(path.clone(), rel, true, None);
        }
    }
    let plan = Plan {
        root,
        config,
        files: files.into_values().collect(),
    };
    nested_asked.sort();
    nested_asked.dedup();
    Ok((plan, nested_asked))
}

/// Every `.nmk` path under `folder` that the configuration includes, with
/// its path relative to `root`, and what could not be read; and the folders
/// below it with a `newsmark.toml` of their own (not entered).
fn walk(folder: &Path, root: &Path, config: &Config) -> (Vec<Found>, Vec<PathBuf>) {
    if let Some((path, reason)) = newsmark_files::unreadable_ignore_file_above(folder) {
        return (vec![Found::problem(root, &path, reason)], Vec::new());
    }
    let found = Arc::new(Mutex::new(Vec::new()));
    let nested = Arc::new(Mutex::new(Vec::new()));
    let nested_in_filter = nested.clone();
    let enters = newsmark_files::folder_filter(root, config, {
        let found = found.clone();
        let root = root.to_path_buf();
        move |path, reason| {
            found
                .lock()
                .expect("no panic while holding the lock")
                .push(Found::problem(&root, &path, reason));
        }
    });
    WalkBuilder::new(folder)
        .standard_filters(true)
        .filter_entry(move |entry| {
            if !enters(entry) {
                return false;
            }
            let is_nested_root = entry.depth() > 0
                && entry.file_type().is_some_and(|t| t.is_dir())
                && entry.path().join(CONFIG_FILE).is_file();
            if is_nested_root {
                nested_in_filter
                    .lock()
                    .expect("no panic while holding the lock")
                    .push(entry.path().to_path_buf());
            }
            !is_nested_root
        })
        .build_parallel()
        .run(|| {
            let found = &found;
            Box::new(move |entry| {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(error) => {
                        if let Some(found_problem) = walk_error(&error, folder, root) {
                            found
                                .lock()
                                .expect("no panic while holding the lock")
                                .push(found_problem);
                        }
                        return WalkState::Continue;
                    }
                };
                // A folder named `x.nmk` is kept too: reading it fails
                // with an `io` finding, which is what the user needs.
                let is_nmk =
                    entry.depth() > 0 && entry.path().extension().is_some_and(|ext| ext == "nmk");
                if is_nmk {
                    let rel = paths::slashed(&paths::relative(root, entry.path()));
                    if config.includes(&rel) {
                        found
                            .lock()
                            .expect("no panic while holding the lock")
                            .push(Found {
                                path: entry.into_path(),
                                rel,
                                problem: None,
                            });
                    }
                }
                WalkState::Continue
            })
        });
    let mut found = std::mem::take(&mut *found.lock().expect("the walk is over"));
    found.sort_by(|a, b| a.rel.cmp(&b.rel));
    let nested = nested.lock().expect("the walk is over").clone();
    (found, nested)
}

/// The `io` finding for an error of the walk: on the path it names (a
/// folder it could not list, a path too long to open), or on `folder` when
/// it names none. Errors in ignore files' patterns are not about reading.
fn walk_error(error: &ignore::Error, folder: &Path, root: &Path) -> Option<Found> {
    match error {
        ignore::Error::WithPath { path, err } => walk_error(err, path, root),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error(err, folder, root)
        }
        ignore::Error::Io(io) => Some(Found::problem(
            root,
            folder,
            format!("cannot read the folder: {io}"),
        )),
        _ => None,
    }
}
