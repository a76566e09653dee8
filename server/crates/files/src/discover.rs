//! Which files a command reads: the workspace root, its `newsmark.toml`,
//! every `.nmk` file of the workspace (for cross-file rules) and, among
//! them, the files the user asked about (the targets).
//!
//! - The root of a path is the folder of the nearest `newsmark.toml` found
//!   upward from it; failing that, the path itself (a file's folder). The
//!   current folder plays no part, as in ruff and other linters: a run
//!   from a folder holding several corpora reads only the ones asked for.
//!   Paths with different roots are separate workspaces, but a root
//!   without a `newsmark.toml` inside another root of the same run is
//!   part of it (`check a.nmk sub/b.nmk` is one workspace).
//! - A folder with its own `newsmark.toml` below a root is a workspace of
//!   its own: walking the outer root skips it, and asking for a folder
//!   that holds it checks it as its own workspace (so `newsmark check` at
//!   the top of a repository with several corpora checks each apart).
//! - Folders are walked with the `ignore` crate: `.gitignore` and
//!   `.ignore` files are respected inside a git repository or not (a
//!   corpus unpacked from an archive reads as its repository does), and
//!   so is `.git/info/exclude`; git's global excludes are not (they are
//!   one user's settings, and the editor and CI must agree). Hidden files
//!   and folders are skipped. Walked files must end in `.nmk` and pass
//!   `include`/`exclude`.
//! - A file named on the command line is always checked, whatever its
//!   extension, `.gitignore` or `exclude` say.
//! - What the walk cannot read is reported, never skipped in silence: a
//!   folder it cannot list, and a folder whose `.gitignore`, `.ignore` or
//!   `newsmark.toml` is a named pipe or another special file (the walk
//!   would open it and wait forever; the folder is skipped) give an `io`
//!   finding on that path.
//!
//! Nothing is read here but folders and `newsmark.toml`. `newsmark check`
//! plans the paths it is given; the language server plans its workspace
//! folders, so both find the same workspaces and files.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::{WalkBuilder, WalkState};
use newsmark_analysis::{CONFIG_FILE, Config};

use crate::paths;
use crate::source::{self, Source};

/// One workspace to check: its root, its configuration and its files.
#[derive(Debug)]
pub struct Plan {
    pub root: PathBuf,
    /// The root's configuration; the defaults when it has none, or when
    /// it is invalid (`config_error` says why).
    pub config: Config,
    pub config_error: Option<ConfigFileError>,
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

/// A `newsmark.toml` that cannot be used: the file (as shown to the user),
/// and the line and key at fault or why it cannot be read.
#[derive(Debug, Clone)]
pub struct ConfigFileError {
    pub path: String,
    pub problem: ConfigProblem,
}

#[derive(Debug, Clone)]
pub enum ConfigProblem {
    Invalid(newsmark_analysis::ConfigError),
    Unreadable(String),
}

/// The problem alone, for a message that names the file itself.
impl std::fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigProblem::Invalid(error) => write!(f, "{error}"),
            ConfigProblem::Unreadable(reason) => write!(f, "cannot read it: {reason}"),
        }
    }
}

impl std::fmt::Display for ConfigFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.problem {
            ConfigProblem::Unreadable(reason) => write!(f, "cannot read {}: {reason}", self.path),
            ConfigProblem::Invalid(error) => {
                write!(f, "invalid configuration in {}", self.path)?;
                if let Some(line) = error.line {
                    write!(f, ", line {line}")?;
                }
                if let Some(key) = &error.key {
                    write!(f, ", key `{key}`")?;
                }
                write!(f, ": {}", error.message)
            }
        }
    }
}

impl std::error::Error for ConfigFileError {}

/// The workspaces for `paths` (relative to `cwd`), in root order.
pub fn plan(paths: &[PathBuf], cwd: &Path) -> Vec<Plan> {
    let mut by_root: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for path in paths {
        let path = paths::absolute(cwd, path);
        by_root.entry(root_of(&path)).or_default().push(path);
    }
    // Without a `newsmark.toml` at or above it, a root inside another root
    // of these paths (which has none either) is part of it: `check a.nmk
    // sub/b.nmk`, as a pre-commit hook runs it, is one workspace. Roots
    // come in path order, outer ones first.
    let mut merged: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for (root, asked) in by_root {
        let outer = merged
            .keys()
            .find(|outer| root.starts_with(outer) && !root.join(CONFIG_FILE).is_file())
            .cloned();
        merged
            .entry(outer.unwrap_or(root))
            .or_default()
            .extend(asked);
    }
    let mut by_root = merged;
    let mut plans = Vec::new();
    while let Some((root, asked)) = by_root.pop_first() {
        let (plan, nested) = plan_root(root, &asked, cwd);
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
    plans
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

/// The root of the workspace of `path` (absolute): the folder of the
/// nearest `newsmark.toml` at or above it, else the path itself (its
/// folder, for a file). Never the current folder: checking `corpus-a`
/// from a folder that holds other corpora reads only `corpus-a`.
pub fn root_of(path: &Path) -> PathBuf {
    let folder = if path.is_dir() {
        path
    } else {
        path.parent().unwrap_or(path)
    };
    find_root(folder).unwrap_or_else(|| folder.to_path_buf())
}

/// Reads the configuration of a root: the defaults when it has none.
/// Paths in errors are shown relative to `cwd`.
pub fn load_config(root: &Path, cwd: &Path) -> Result<Config, ConfigFileError> {
    let path = root.join(CONFIG_FILE);
    if !path.is_file() {
        return Ok(Config::default());
    }
    let error = |problem| ConfigFileError {
        path: paths::display(cwd, &path),
        problem,
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|io| error(ConfigProblem::Unreadable(io.to_string())))?;
    Config::parse_for_root(&text, root).map_err(|invalid| error(ConfigProblem::Invalid(invalid)))
}

/// The plan of one root, and the nested workspaces inside the folders asked for.
fn plan_root(root: PathBuf, asked: &[PathBuf], cwd: &Path) -> (Plan, Vec<PathBuf>) {
    let (config, config_error) = match load_config(&root, cwd) {
        Ok(config) => (config, None),
        Err(error) => (Config::default(), Some(error)),
    };
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
        config_error,
        files: files.into_values().collect(),
    };
    nested_asked.sort();
    nested_asked.dedup();
    (plan, nested_asked)
}

/// Whether a walk of `root` with `config` finds the file at `path`: the
/// language server asks it of a file created while it runs, so that it
/// reads only what `newsmark check` reads (`.gitignore`, hidden folders,
/// nested workspaces, `include`/`exclude`). The walk enters only the
/// folders that lead to `path`.
pub fn walk_finds(root: &Path, config: &Config, path: &Path) -> bool {
    let toward: HashSet<PathBuf> = path
        .ancestors()
        .take_while(|folder| folder.starts_with(root))
        .map(Path::to_path_buf)
        .collect();
    let (found, _) = walk_toward(root, root, config, Some(toward));
    found
        .iter()
        .any(|found| found.problem.is_none() && found.path == path)
}

/// Every `.nmk` path under `folder` that the configuration includes, with
/// its path relative to `root`, and what could not be read; and the folders
/// below it with a `newsmark.toml` of their own (not entered).
fn walk(folder: &Path, root: &Path, config: &Config) -> (Vec<Found>, Vec<PathBuf>) {
    walk_toward(folder, root, config, None)
}

/// [`walk`], entering only the paths in `toward` when it is given.
fn walk_toward(
    folder: &Path,
    root: &Path,
    config: &Config,
    toward: Option<HashSet<PathBuf>>,
) -> (Vec<Found>, Vec<PathBuf>) {
    if let Some((path, reason)) = crate::unreadable_ignore_file_above(folder) {
        return (vec![Found::problem(root, &path, reason)], Vec::new());
    }
    let found = Arc::new(Mutex::new(Vec::new()));
    let nested = Arc::new(Mutex::new(Vec::new()));
    let nested_in_filter = nested.clone();
    let enters = crate::folder_filter(root, config, {
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
        .git_global(false)
        .require_git(false)
        // One chain of folders needs no pool of threads.
        .threads(if toward.is_some() { 1 } else { 0 })
        .filter_entry(move |entry| {
            let on_the_way = entry.depth() == 0
                || toward
                    .as_ref()
                    .is_none_or(|toward| toward.contains(entry.path()));
            if !on_the_way || !enters(entry) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walk_respects_gitignore_hidden_folders_and_config() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        for (path, text) in [
            ("a.nmk", ""),
            ("ignored/b.nmk", ""),
            (".hidden/c.nmk", ""),
            ("drafts/d.nmk", ""),
            ("notes.txt", ""),
            // Outside a git repository too.
            (".gitignore", "ignored/\n"),
            ("folder.nmk/e.txt", ""),
            ("corpus/newsmark.toml", ""),
            ("corpus/f.nmk", ""),
        ] {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink("a.nmk", root.join("link.nmk")).unwrap();
            symlink("nowhere.nmk", root.join("dangling.nmk")).unwrap();
            symlink("loop2.nmk", root.join("loop1.nmk")).unwrap();
            symlink("loop1.nmk", root.join("loop2.nmk")).unwrap();
            symlink(".", root.join("self")).unwrap();
            let made = std::process::Command::new("mkfifo")
                .arg(root.join("pipe.nmk"))
                .status()
                .unwrap();
            assert!(made.success());
        }
        std::fs::write(root.join(CONFIG_FILE), "exclude = [\"drafts/**\"]\n").unwrap();
        let plans = plan(std::slice::from_ref(&root), &root);
        let found: Vec<&str> = plans[0].files.iter().map(|f| f.rel.as_str()).collect();
        // A folder with a `newsmark.toml` of its own is a workspace of its own.
        assert_eq!(plans.len(), 2);
        assert_eq!(plans[1].root, root.join("corpus"));
        let nested: Vec<&str> = plans[1].files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(nested, ["f.nmk"]);
        // Every `.nmk` path the rules allow: reading, not walking, skips
        // dangling links, loops, named pipes and folders, with the reasons
        // `newsmark check` gives (tests/lsp/hostile.rs).
        #[cfg(unix)]
        assert_eq!(
            found,
            [
                "a.nmk",
                "dangling.nmk",
                "folder.nmk",
                "link.nmk",
                "loop1.nmk",
                "loop2.nmk",
                "pipe.nmk"
            ]
        );
        #[cfg(not(unix))]
        assert_eq!(found, ["a.nmk", "folder.nmk"]);
        // A single file is found as the whole walk finds it.
        for rel in [
            "a.nmk",
            "ignored/b.nmk",
            ".hidden/c.nmk",
            "drafts/d.nmk",
            "corpus/f.nmk",
            "folder.nmk",
        ] {
            let finds = walk_finds(&root, &plans[0].config, &root.join(rel));
            assert_eq!(finds, found.contains(&rel), "{rel}");
        }
    }
}
