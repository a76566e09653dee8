//! Files in, a `newsmark_analysis::Workspace` out, for `export` and
//! `stats` (which need every summary; `check` has its own path through the
//! cache). Reading and parsing run in parallel.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use newsmark_analysis::summary::FileSummary;
use newsmark_analysis::{FileId, PreparedFile, Workspace};
use newsmark_syntax::SyntaxTree;
use rayon::prelude::*;

use crate::discover::{self, Plan, PlannedFile};
use crate::progress::Progress;
use crate::source::Source;

/// The workspaces of the paths given on the command line; an error when a
/// `newsmark.toml` among them cannot be used (the first, in root order).
pub fn plan(paths: &[PathBuf], cwd: &Path) -> anyhow::Result<Vec<Plan>> {
    let plans = discover::plan(paths, cwd);
    if let Some(error) = plans.iter().find_map(|plan| plan.config_error.clone()) {
        return Err(error.into());
    }
    Ok(plans)
}

/// A workspace with every readable file.
#[derive(Debug)]
pub struct Loaded<T = ()> {
    pub ws: Workspace,
    pub files: Vec<LoadedFile<T>>,
}

#[derive(Debug)]
pub struct LoadedFile<T = ()> {
    pub planned: PlannedFile,
    /// `Err` holds why the file could not be read.
    pub file: Result<FileId, String>,
    /// What `load_with` made of its syntax tree; `None` when unreadable.
    pub from_tree: Option<T>,
}

pub fn load(plan: Plan, what: &str) -> Loaded {
    load_with(plan, what, |_, _, _| ())
}

/// `load`, also making something of each file's syntax tree while it is at
/// hand, so that no file is parsed twice.
pub fn load_with<T: Send>(
    plan: Plan,
    what: &str,
    from_tree: impl Fn(&PlannedFile, &SyntaxTree, &FileSummary) -> T + Sync,
) -> Loaded<T> {
    load_reusing(plan, what, |_, _| None, from_tree)
}

/// `load_with`, taking a file's summary and what was made of its tree from
/// `earlier` when it has them for this text: versions of a corpus share
/// most of their files byte for byte, and those need no parse.
pub fn load_reusing<T: Send>(
    plan: Plan,
    what: &str,
    earlier: impl Fn(&PlannedFile, &Arc<str>) -> Option<(Arc<FileSummary>, T)> + Sync,
    from_tree: impl Fn(&PlannedFile, &SyntaxTree, &FileSummary) -> T + Sync,
) -> Loaded<T> {
    let progress = Progress::new(plan.files.len(), what);
    let parsed: Vec<Result<(PreparedFile, T), String>> = plan
        .files
        .par_iter()
        .map(|file| {
            let result = match file.read(true) {
                Source::Text { text, .. } => match earlier(file, &text) {
                    Some((summary, made)) => Ok((PreparedFile::new(text, summary, None), made)),
                    None => {
                        let tree = SyntaxTree::parse(text.clone());
                        let summary = FileSummary::from_tree(&tree);
                        let made = from_tree(file, &tree, &summary);
                        Ok((PreparedFile::new(text, summary, None), made))
                    }
                },
                Source::Unreadable(reason) => Err(reason),
                Source::Hashed { .. } => unreachable!("texts are kept"),
            };
            progress.tick();
            result
        })
        .collect();
    progress.finish();
    let mut ws = Workspace::new(plan.config);
    let files = plan
        .files
        .into_iter()
        .zip(parsed)
        .map(|(planned, parsed)| match parsed {
            Ok((prepared, made)) => LoadedFile {
                file: Ok(ws.add(&planned.rel, prepared).file),
                planned,
                from_tree: Some(made),
            },
            Err(reason) => LoadedFile {
                planned,
                file: Err(reason),
                from_tree: None,
            },
        })
        .collect();
    Loaded { ws, files }
}
