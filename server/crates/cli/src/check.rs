//! `newsmark check`: read every file of each workspace in parallel, take
//! what the cache vouches for, parse and check the rest, then filter by
//! the baseline, print the report and choose the exit status.
//!
//! Every finding comes from `newsmark_analysis::diagnostics` (the same
//! function the language server calls); this module only decides which
//! files need it, and turns byte ranges into lines and columns.

use std::io::{IsTerminal as _, Write as _};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use newsmark_analysis::rules::io_error;
use newsmark_analysis::{Diagnostic, FileId, PreparedFile, Workspace, diagnostics};
use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use crate::cache::{self, Cache, CachedFinding, CachedNote, FileRecordRef, FindingsRef};
use crate::discover::{self, Plan};
use crate::output::{self, Options};
use crate::progress::Progress;
use crate::report::{CheckedFile, Finding, LineCol, Note, Report};
use crate::safe_write::Outputs;
use crate::source::Source;
use crate::{CheckArgs, OutputFormat, baseline, paths};

pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let plans = crate::load::plan(&args.paths, &cwd)?;
    let mut report = Report::default();
    for plan in &plans {
        let keep_texts = args.output_format == OutputFormat::Full
            || args.baseline.is_some()
            || args.write_baseline.is_some();
        check_workspace(plan, &cwd, !args.no_cache, keep_texts, &mut report);
    }
    report.sort();

    // A report or a baseline is rewritten at each run: an existing file is
    // replaced, but never one this run read.
    let mut read = discover::files_read(&plans);
    read.extend(args.baseline.iter().map(|path| paths::absolute(&cwd, path)));

    if let Some(path) = &args.write_baseline {
        let path = paths::absolute(&cwd, path);
        let outputs = Outputs::new(&cwd, read.clone(), true);
        let recorded = baseline::write(&outputs, &path, &report).with_context(|| {
            format!("cannot write the baseline {}", paths::display(&cwd, &path))
        })?;
        // Read back below: the report must not replace it.
        read.push(path.clone());
        eprintln!(
            "newsmark: recorded {recorded} finding{} in {}",
            if recorded == 1 { "" } else { "s" },
            output::escape::visible(&paths::display(&cwd, &path))
        );
    }
    if let Some(path) = args.baseline.as_ref().or(args.write_baseline.as_ref()) {
        let path = paths::absolute(&cwd, path);
        let known = baseline::read(&path)
            .with_context(|| format!("cannot read the baseline {}", paths::display(&cwd, &path)))?;
        known.filter(&mut report, &path);
    }

    let options = Options {
        color: args.output_file.is_none() && wants_color(),
        show_hints: args.show_hints,
        statistics: args.statistics,
    };
    let text = output::render(args.output_format, &report, &options);
    match &args.output_file {
        Some(path) => {
            let path = paths::absolute(&cwd, path);
            Outputs::new(&cwd, read, true).write(&path, &text)?;
        }
        None => write_stdout(&text)?,
    }

    let fail_level = args.fail_on.severity();
    let failed = report.findings.iter().any(|f| f.severity <= fail_level);
    std::mem::forget(report);
    Ok(if failed && !args.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Colour on a terminal, unless `NO_COLOR` is set; `CLICOLOR_FORCE` forces it.
fn wants_color() -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    if set("NO_COLOR") {
        return false;
    }
    set("CLICOLOR_FORCE") || std::io::stdout().is_terminal()
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
pub fn write_stdout(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(error).context("cannot write to standard output")
        }
        _ => Ok(()),
    }
}

/// Phase timings on stderr when `NEWSMARK_TIMINGS` is set (for
/// docs/performance.md; not a stable interface).
struct Timings(Option<std::time::Instant>);

impl Timings {
    fn start() -> Timings {
        Timings(std::env::var_os("NEWSMARK_TIMINGS").map(|_| std::time::Instant::now()))
    }

    fn lap(&mut self, phase: &str) {
        if let Some(started) = &mut self.0 {
            eprintln!(
                "newsmark: {phase}: {:.1} ms",
                started.elapsed().as_secs_f64() * 1000.0
            );
            *started = std::time::Instant::now();
        }
    }
}

/// One file of the workspace while it is being checked.
struct Slot {
    source: Source,
    /// The hash of its cross-file facts, once known.
    cross_file: Option<u64>,
    prepared: Option<PreparedFile>,
    /// Whether `prepared` was parsed in this run (the store lacks it).
    fresh: bool,
    /// A fresh summary as the store keeps it (only with a cache).
    encoded: Option<Vec<u8>>,
}

impl Slot {
    /// Parses `text`, the slot's, which the summary store lacks.
    fn parse(&mut self, text: Arc<str>, cache: Option<&Cache>) {
        let prepared = PreparedFile::parse(text);
        self.cross_file = Some(prepared.facts());
        self.encoded = cache.map(|_| cache::encode_summary(prepared.summary()));
        self.prepared = Some(prepared);
        self.fresh = true;
    }
}

/// `keep_texts`: the report shows sources (the `full` format) or marked
/// text (baselines), so every target's text is needed.
fn check_workspace(
    plan: &Plan,
    cwd: &Path,
    use_cache: bool,
    keep_texts: bool,
    report: &mut Report,
) {
    let mut timings = Timings::start();
    let progress = Progress::new(plan.files.len(), "checking");

    // Read every file while the cache loads. With a cache in place, texts
    // are only hashed: those the cache lacks are read again below.
    let keep = keep_texts || !use_cache || !Cache::exists(&plan.root, &plan.config);
    let (mut cache, sources) = rayon::join(
        || use_cache.then(|| open_cache(plan, cwd)).flatten(),
        || {
            plan.files
                .par_iter()
                .map(|file| file.read(keep))
                .collect::<Vec<Source>>()
        },
    );
    if let Some(cache) = &mut cache {
        for (file, source) in plan.files.iter().zip(&sources) {
            if let Source::Text { text, hash } = source {
                cache.forget_unfit(&file.rel, *hash, text);
            }
        }
    }
    timings.lap("read the files and the cache");

    // Parse only the files the cache knows nothing about. (Indexing the
    // workspace on another thread while the pool parses was tried: on two
    // cores it made cold runs slower, not faster.)
    let mut slots: Vec<Slot> = plan
        .files
        .par_iter()
        .zip(sources)
        .map(|(file, source)| {
            let mut slot = Slot {
                cross_file: None,
                prepared: None,
                fresh: false,
                encoded: None,
                source,
            };
            if let Some(record) = slot
                .source
                .hash()
                .and_then(|hash| cache.as_ref()?.record(&file.rel, hash))
            {
                slot.cross_file = Some(record.cross_file);
            } else {
                if let Source::Hashed { .. } = slot.source {
                    slot.source = file.read(true);
                }
                if let Source::Text { text, .. } = &slot.source {
                    let text = text.clone();
                    slot.parse(text, cache.as_ref());
                }
            }
            progress.tick();
            slot
        })
        .collect();
    progress.finish();
    timings.lap("parse the files the cache lacks");

    let signature = workspace_signature(plan, &slots);
    let todo: Vec<usize> = (0..slots.len())
        .filter(|&i| plan.files[i].target)
        .filter(|&i| match slots[i].source.hash() {
            Some(hash) => cached_findings(cache.as_ref(), plan, i, hash, signature).is_none(),
            None => false,
        })
        .collect();

    // Findings to compute need the whole workspace: every summary, from the
    // store or from a parse.
    let mut computed: Vec<Option<Vec<CachedFinding>>> = vec![None; slots.len()];
    let mut store = None;
    if !todo.is_empty() {
        let (ws, ids) = complete_workspace(plan, &mut slots, cache.as_ref(), &mut store);
        timings.lap("index the workspace");
        let results: Vec<(usize, Vec<CachedFinding>)> = todo
            .par_iter()
            .map(|&index| {
                let file = ids[index].expect("a readable file is in the workspace");
                let found = diagnostics(&ws, file)
                    .iter()
                    .map(|d| cached_finding(&ws, file, d))
                    .collect();
                (index, found)
            })
            .collect();
        for (index, found) in results {
            computed[index] = Some(found);
        }
        timings.lap("diagnostics");
        // Freeing a large workspace takes a noticeable time and the process
        // is about to end: leave it to the operating system.
        std::mem::forget(ws);
    }

    // Save first (borrowing every list), then move the lists into the report.
    if let Some(cache) = &cache {
        let any_fresh = slots.iter().any(|slot| slot.fresh);
        if any_fresh || !todo.is_empty() {
            let records: Vec<FileRecordRef> = slots
                .iter()
                .enumerate()
                .filter_map(|(index, slot)| {
                    let hash = slot.source.hash()?;
                    let list = computed[index]
                        .as_deref()
                        .or_else(|| cached_findings(Some(cache), plan, index, hash, signature));
                    Some(FileRecordRef {
                        rel: &plan.files[index].rel,
                        content: hash,
                        cross_file: slot.cross_file?,
                        findings: list.map(|list| FindingsRef {
                            workspace: signature,
                            list,
                        }),
                    })
                })
                .collect();
            let mut saved = cache.save_findings(&records);
            if any_fresh && saved.is_ok() {
                let old = store.take().unwrap_or_else(|| cache.summaries());
                let entries: Vec<(u128, &[u8])> = slots
                    .iter()
                    .filter_map(|slot| {
                        let hash = slot.source.hash()?;
                        Some((hash, slot.encoded.as_deref().or_else(|| old.bytes(hash))?))
                    })
                    .collect();
                saved = cache.save_summaries(entries.into_iter());
            }
            timings.lap("write the cache");
            if let Err(error) = saved {
                let shown = paths::display(cwd, &plan.root.join(cache::CACHE_DIR));
                eprintln!(
                    "newsmark: warning: {}",
                    output::escape::visible(&format!("cannot write the cache in {shown}: {error}"))
                );
            }
        }
    }

    // The report: every target, with its findings (moved, not copied).
    let repo_root = git_root(&plan.root).unwrap_or_else(|| plan.root.clone());
    let no_files = Workspace::new(plan.config.clone());
    for (index, file) in plan.files.iter().enumerate().filter(|(_, f)| f.target) {
        let report_index = report.files.len();
        let text = match &slots[index].source {
            Source::Text { text, .. } => Some(text.clone()),
            Source::Hashed { .. } | Source::Unreadable(_) => None,
        };
        let list = match (
            computed[index].take(),
            slots[index].source.hash(),
            &mut cache,
        ) {
            (Some(list), _, _) => list,
            (None, Some(hash), Some(cache)) => cache
                .take_findings(&file.rel, hash, signature)
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        report.files.push(CheckedFile {
            display: paths::display(cwd, &file.path),
            repo_path: paths::slashed(&paths::relative(&repo_root, &file.path)),
            path: file.path.clone(),
            text,
        });
        report.findings.extend(list.into_iter().map(|found| {
            Finding {
                file: report_index,
                range: found.range,
                start: found.start,
                end: found.end,
                severity: found.severity,
                code: found.code,
                message: found.message,
                notes: found
                    .notes
                    .into_iter()
                    .map(|note| Note {
                        path: paths::display(cwd, &plan.root.join(&note.rel)),
                        position: note.position,
                        message: note.message,
                    })
                    .collect(),
            }
        }));
        if let Source::Unreadable(reason) = &slots[index].source
            && let Some(diagnostic) = io_error(&no_files, reason.clone())
        {
            report.findings.push(Finding {
                file: report_index,
                range: 0..0,
                start: LineCol::START,
                end: LineCol::START,
                severity: diagnostic.severity,
                code: diagnostic.code,
                message: diagnostic.message,
                notes: Vec::new(),
            });
        }
    }
    timings.lap("assemble the report");
    std::mem::forget(slots);
    std::mem::forget(cache);
}

/// The cache of a workspace, unless its folder holds links (then the
/// workspace is checked without it, and the user told why).
fn open_cache(plan: &Plan, cwd: &Path) -> Option<Cache> {
    Cache::open(&plan.root, &plan.config, plan.files.len())
        .map_err(|refused| {
            eprintln!(
                "newsmark: warning: not using the cache: {} {}; newsmark never reads or writes through links (delete the folder to start a new cache)",
                output::escape::visible(&paths::display(cwd, &refused.path)),
                refused.reason
            );
        })
        .ok()
}

/// Every summary (from the store, else from a parse), indexed into a new
/// workspace; returns it with the id of each readable file.
fn complete_workspace(
    plan: &Plan,
    slots: &mut [Slot],
    cache: Option<&Cache>,
    store: &mut Option<cache::SummaryStore>,
) -> (Workspace, Vec<Option<FileId>>) {
    let summaries = store.get_or_insert_with(|| cache.map(Cache::summaries).unwrap_or_default());
    slots
        .par_iter_mut()
        .zip(&plan.files)
        .for_each(|(slot, file)| {
            if let Source::Hashed { .. } = slot.source {
                slot.source = file.read(true);
            }
            if slot.prepared.is_some() {
                return;
            }
            if let Source::Text { text, hash } = &slot.source {
                let text = text.clone();
                match summaries.get(*hash) {
                    Some(summary) => slot.prepared = Some(PreparedFile::new(text, summary)),
                    None => slot.parse(text, cache),
                }
            }
        });
    let (indices, prepared): (Vec<usize>, Vec<PreparedFile>) = slots
        .iter_mut()
        .enumerate()
        .filter_map(|(index, slot)| Some((index, slot.prepared.take()?)))
        .unzip();
    let mut ws = Workspace::new(plan.config.clone());
    let paths = indices.iter().map(|&index| plan.files[index].rel.as_str());
    let updates = ws.add_all(paths.zip(prepared));
    let mut ids: Vec<Option<FileId>> = vec![None; slots.len()];
    for (index, update) in indices.into_iter().zip(updates) {
        ids[index] = Some(update.file);
    }
    (ws, ids)
}

/// The findings the cache holds for a file, if still valid under `signature`.
fn cached_findings<'a>(
    cache: Option<&'a Cache>,
    plan: &Plan,
    index: usize,
    hash: u128,
    signature: u128,
) -> Option<&'a [CachedFinding]> {
    let findings = cache?
        .record(&plan.files[index].rel, hash)?
        .findings
        .as_ref()?;
    (findings.workspace == signature).then_some(findings.list.as_slice())
}

/// Every readable file's path and cross-file facts: findings computed under
/// one signature stay valid while it is unchanged.
fn workspace_signature(plan: &Plan, slots: &[Slot]) -> u128 {
    let mut hasher = Xxh3::new();
    for (file, slot) in plan.files.iter().zip(slots) {
        if let Some(cross_file) = slot.cross_file {
            hasher.update(file.rel.as_bytes());
            hasher.update(&[0]);
            hasher.update(&cross_file.to_le_bytes());
        }
    }
    hasher.digest128()
}

fn cached_finding(ws: &Workspace, file: FileId, diagnostic: &Diagnostic) -> CachedFinding {
    CachedFinding {
        range: diagnostic.range.clone(),
        start: LineCol::of(ws, file, diagnostic.range.start),
        end: LineCol::of(ws, file, diagnostic.range.end),
        severity: diagnostic.severity,
        code: diagnostic.code,
        message: diagnostic.message.clone(),
        notes: {
            let mut notes: Vec<CachedNote> = diagnostic
                .related
                .iter()
                .map(|related| CachedNote {
                    rel: ws.path(related.file).to_owned(),
                    position: LineCol::of(ws, related.file, related.range.start),
                    message: related.message.clone(),
                })
                .collect();
            // Some notes come in the order files joined the workspace.
            notes.sort_by(|a, b| (&a.rel, a.position).cmp(&(&b.rel, b.position)));
            notes
        },
    }
}

/// The folder holding `.git` at or above the workspace root.
fn git_root(root: &Path) -> Option<std::path::PathBuf> {
    root.ancestors()
        .find(|folder| folder.join(".git").exists())
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `full` report of a workspace, with or without its cache.
    fn full_report(root: &Path, use_cache: bool) -> String {
        let plans = crate::load::plan(&[root.to_path_buf()], root).unwrap();
        let mut report = Report::default();
        check_workspace(&plans[0], root, use_cache, true, &mut report);
        report.sort();
        let options = Options {
            color: false,
            show_hints: true,
            statistics: false,
        };
        output::render(OutputFormat::Full, &report, &options)
    }

    #[test]
    fn a_cached_range_that_does_not_fit_the_text_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("a.nmk"), "한국 {두 나라가 준비한다}.\n").unwrap();
        let expected = full_report(root, false);
        full_report(root, true);
        let plan = &crate::load::plan(&[root.to_path_buf()], root).unwrap()[0];
        let cache = Cache::open(root, &plan.config, 1).unwrap();
        let Source::Text { hash, .. } = crate::source::read(&root.join("a.nmk"), true) else {
            panic!("a.nmk reads");
        };
        let record = cache.record("a.nmk", hash).unwrap().clone();
        // Inside `한` (bytes 0..3), then past the end of the text.
        for range in [1..2, 0..1000] {
            let mut findings = record.findings.clone().unwrap();
            findings.list[0].range = range.clone();
            cache
                .save_findings(&[FileRecordRef {
                    rel: &record.rel,
                    content: record.content,
                    cross_file: record.cross_file,
                    findings: Some(FindingsRef {
                        workspace: findings.workspace,
                        list: &findings.list,
                    }),
                }])
                .unwrap();
            assert_eq!(full_report(root, true), expected, "{range:?}");
        }
    }
}
