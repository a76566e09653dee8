//! Files in, a `newsmark_analysis::Workspace` out, for `export` and
//! `stats` (which need every summary; `check` has its own path through the
//! cache). Reading and parsing run in parallel.

use std::path::{Path, PathBuf};

use newsmark_analysis::{FileId, PreparedFile, Workspace};
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
pub struct Loaded {
    pub ws: Workspace,
    pub files: Vec<LoadedFile>,
}

#[derive(Debug)]
pub struct LoadedFile {
    pub planned: PlannedFile,
    /// `Err` holds why the file could not be read.
    pub file: Result<FileId, String>,
}

pub fn load(plan: Plan, what: &str) -> Loaded {
    let progress = Progress::new(plan.files.len(), what);
    let parsed: Vec<Result<PreparedFile, String>> = plan
        .files
        .par_iter()
        .map(|file| {
            let result = match file.read(true) {
                Source::Text { text, .. } => Ok(PreparedFile::parse(text)),
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
        .map(|(planned, parsed)| {
            let file = parsed.map(|prepared| ws.add(&planned.rel, prepared).file);
            LoadedFile { planned, file }
        })
        .collect();
    Loaded { ws, files }
}
