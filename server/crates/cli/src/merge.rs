//! `newsmark merge A B [C …] --out DIR`: annotators' versions of the same
//! files merged into one version each (`newsmark_analysis::merge`), every
//! disagreement a conflict block for a curator to settle in the editor.
//! Files pair by their path inside each folder, as in `agree`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use newsmark_analysis::CONFIG_FILE;
use newsmark_analysis::export::{entities_used, plain_document};
use newsmark_analysis::merge::{Chunked, marker_line, merge};
use rayon::prelude::*;

use crate::discover::PlannedFile;
use crate::load::load_with;
use crate::output::escape::visible;
use crate::safe_write::Outputs;
use crate::{MergeArgs, discover, paths};

/// One annotator's files, cut into chunks, by path inside their folder.
struct Annotator {
    name: String,
    root: PathBuf,
    files: BTreeMap<String, Chunked>,
}

pub fn run(args: &MergeArgs) -> anyhow::Result<ExitCode> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let out = paths::absolute(&cwd, &args.out);
    let mut annotators = Vec::new();
    let mut inputs = Vec::new();
    let mut unreadable = 0;
    // Files someone's version of cannot be merged: left out for all.
    let mut refused = BTreeSet::new();
    for folder in &args.folders {
        let root = paths::absolute(&cwd, folder);
        if !root.is_dir() {
            anyhow::bail!("{} is not a folder", visible(&paths::display(&cwd, &root)));
        }
        if out.starts_with(&root) {
            anyhow::bail!(
                "--out {} is inside {}: the merge would become part of that annotator's version",
                visible(&paths::display(&cwd, &out)),
                visible(&paths::display(&cwd, &root))
            );
        }
        let plans = crate::load::plan(std::slice::from_ref(folder), &cwd)?;
        inputs.extend(discover::files_read(&plans));
        let (files, failed, with_markers) = read(plans, &root, &cwd);
        unreadable += failed + with_markers.len();
        refused.extend(with_markers);
        annotators.push(Annotator {
            name: paths::display(&cwd, &root),
            root,
            files,
        });
    }
    let names = names(&annotators);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let all: BTreeSet<&String> = (annotators.iter())
        .flat_map(|a| a.files.keys())
        .filter(|path| !refused.contains(*path))
        .collect();
    let (mut conflicts, mut conflicted_files, mut agreed) = (0, 0, 0);
    let mut written: Vec<(PathBuf, String)> = Vec::new();
    for path in all {
        let versions: Vec<Option<&Chunked>> =
            annotators.iter().map(|a| a.files.get(path)).collect();
        let merged = merge(&names, &versions);
        if !merged.front_matter_differs.is_empty() {
            let base = versions
                .iter()
                .position(Option::is_some)
                .expect("a version");
            let others: Vec<&str> = merged
                .front_matter_differs
                .iter()
                .map(|&i| names[i])
                .collect();
            eprintln!(
                "newsmark: warning: {}: the front matter differs in {}; {}'s is written",
                visible(path),
                visible(&others.join(", ")),
                visible(names[base])
            );
        }
        conflicts += merged.conflicts;
        conflicted_files += usize::from(merged.conflicts > 0);
        agreed += merged.agreed;
        written.push((out.join(path), merged.text));
    }
    // The workspace's settings come with it, from the first folder that has them.
    if let Some(config) = annotators
        .iter()
        .map(|a| a.root.join(CONFIG_FILE))
        .find(|c| c.is_file())
    {
        let text = std::fs::read_to_string(&config)
            .with_context(|| format!("cannot read {}", visible(&paths::display(&cwd, &config))))?;
        written.push((out.join(CONFIG_FILE), text));
    }
    let outputs = Outputs::new(&cwd, inputs, args.force);
    outputs.write_all(&out, &written)?;
    eprintln!(
        "newsmark: merged {} from {} into {}: {} agreed, {} in {}",
        crate::output::plural(written.len(), "file"),
        visible(&names.join(", ")),
        visible(&paths::display(&cwd, &out)),
        crate::output::plural(agreed, "block"),
        crate::output::plural(conflicts, "conflict"),
        crate::output::plural(conflicted_files, "file"),
    );
    Ok(if conflicts > 0 || unreadable > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A file cut into chunks with its count of syntax errors, or the line in
/// it that reads as a conflict marker; `Err` when it could not be read.
type Read = Result<Result<(Chunked, usize), u32>, String>;

/// Every file of the folders' workspaces that lies in `root`, cut into
/// chunks; how many could not be read; and the files that hold a line
/// that reads as a conflict marker (each said on stderr).
fn read(
    plans: Vec<discover::Plan>,
    root: &Path,
    cwd: &Path,
) -> (BTreeMap<String, Chunked>, usize, Vec<String>) {
    let mut files = BTreeMap::new();
    let mut unreadable = 0;
    let mut with_markers = Vec::new();
    for plan in plans {
        let merged = |file: &PlannedFile| file.target && file.path.starts_with(root);
        // Each file's plain text is made from the tree its summary is.
        let loaded = load_with(plan, "reading", |file, tree, _| {
            merged(file).then(|| plain_document(tree))
        });
        let ws = &loaded.ws;
        let chunked: Vec<(String, Read)> = (loaded.files.par_iter())
            .filter(|f| merged(&f.planned))
            .map(|file| {
                let key = paths::display(root, &file.planned.path);
                let result = file.file.clone().map(|id| {
                    let (text, summary) = (&*ws.text(id), ws.summary(id));
                    if let Some(line) = marker_line(text, &summary.lines) {
                        return Err(line);
                    }
                    let document = file.from_tree.as_ref().and_then(Option::as_ref);
                    let document = document.expect("made for every merged file");
                    let chunked = Chunked::new(text, summary, document, &entities_used(ws, id));
                    Ok((chunked, summary.syntax_errors.len()))
                });
                (key, result)
            })
            .collect();
        for (key, result) in chunked {
            match result {
                Ok(Ok((chunked, syntax_errors))) => {
                    if syntax_errors > 0 {
                        let shown = paths::display(cwd, &root.join(&key));
                        eprintln!(
                            "newsmark: warning: {} has {syntax_errors} syntax error(s); marks around them may be missing from the merge",
                            visible(&shown)
                        );
                    }
                    files.insert(key, chunked);
                }
                Ok(Err(line)) => {
                    let shown = paths::display(cwd, &root.join(&key));
                    eprintln!(
                        "newsmark: error: {}:{}: this line reads as a conflict marker; resolve the file's conflicts (or change the line) before merging; the file is not merged",
                        visible(&shown),
                        line + 1
                    );
                    with_markers.push(key);
                }
                Err(reason) => {
                    let shown = paths::display(cwd, &root.join(&key));
                    eprintln!("newsmark: error: {}: {}", visible(&shown), visible(&reason));
                    unreadable += 1;
                }
            }
        }
    }
    (files, unreadable, with_markers)
}

/// The annotators' names on conflict markers: their folders' names, or
/// the folders as given when two share a name.
fn names(annotators: &[Annotator]) -> Vec<String> {
    let short: Vec<String> = (annotators.iter())
        .map(|a| {
            a.root
                .file_name()
                .map_or_else(|| a.name.clone(), |n| n.to_string_lossy().into_owned())
        })
        .collect();
    let unique = short.iter().collect::<BTreeSet<_>>().len() == short.len();
    if unique {
        short
    } else {
        annotators.iter().map(|a| a.name.clone()).collect()
    }
}
