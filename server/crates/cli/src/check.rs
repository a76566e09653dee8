//! `newsmark check`: read every file of each workspace in parallel, take
//! what the cache vouches for, parse and check the rest, then filter by
//! the baseline, print the report and choose the exit status.
//!
//! Every finding comes from `newsmark_analysis::diagnostics_of` (the
//! function behind the language server's `diagnostics`); this module only
//! decides which files need it, and turns byte ranges into lines and
//! columns.
//!
//! A corpus of a million articles must fit in memory, so no file's text or
//! summary is kept in memory from pass to pass: the parse parks each
//! summary, encoded as the cache stores it, in a temporary file
//! ([`Spill`]), the workspace holds only outlines (what other files'
//! findings read), and the findings pass reads each text again and decodes
//! its summary. The page cache makes reading again cheap. The report is
//! written as it is rendered.

use std::io::{BufWriter, IsTerminal as _, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use newsmark_analysis::rules::io_error;
use newsmark_analysis::{
    Diagnostic, FileEntry, FileId, FileSummary, PreparedFile, Workspace, cross_file, diagnostics_of,
};
use newsmark_files::discover::PlannedFile;
use newsmark_files::read_ahead::ReadAhead;
use newsmark_syntax::SyntaxTree;
use newsmark_syntax::position::LineIndex;
use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use crate::cache::{self, Cache, CachedFinding, CachedNote, FileRecordRef, FindingsRef};
use crate::discover::{self, Plan};
use crate::output::{self, Options};
use crate::progress::Progress;
use crate::report::{CheckedFile, Finding, LineCol, Note, Report};
use crate::safe_write::Outputs;
use crate::source::Source;
use crate::{CheckArgs, baseline, paths};
use newsmark_files::spill::{Parked, Spill};

pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let plans = crate::load::plan(&args.paths, &cwd)?;
    let mut report = Report::default();
    for plan in &plans {
        let keep_texts = args.baseline.is_some() || args.write_baseline.is_some();
        check_workspace(plan, &cwd, !args.no_cache, keep_texts, &mut report);
    }
    let mut timings = Timings::start();
    report.sort();
    timings.lap("sort the report");

    // A report or a baseline is rewritten at each run: an existing file is
    // replaced, but never one this run read (listed only then: a corpus's
    // paths take memory).
    let writes = args.output_file.is_some() || args.write_baseline.is_some();
    let mut read = if writes {
        discover::files_read(&plans)
    } else {
        Vec::new()
    };
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
    let render = |out: &mut dyn Write| output::render(args.output_format, &report, &options, out);
    match &args.output_file {
        Some(path) => {
            let path = paths::absolute(&cwd, path);
            Outputs::new(&cwd, read, true).write_with(&path, render)?;
        }
        None => write_stdout_with(render)?,
    }
    timings.lap("write the report");

    let fail_level = args.fail_on.severity();
    let failed = report.findings().any(|f| f.severity <= fail_level);
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
    write_stdout_with(|out| out.write_all(text.as_bytes()))
}

/// Writes what `write` writes to stdout, as [`write_stdout`] does.
pub fn write_stdout_with(
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let mut stdout = BufWriter::new(std::io::stdout().lock());
    match write(&mut stdout).and_then(|()| stdout.flush()) {
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
    /// Its summary when parsed in this run (the store lacks it), encoded
    /// as the store keeps it.
    fresh: Option<Parked>,
}

/// A file's slot, from its first reading (`None`: not read yet) or the
/// cache's record; a file the cache lacks is parsed, and only its summary,
/// encoded, is parked.
fn parse_unless_cached(
    file: &PlannedFile,
    source: Option<Source>,
    cache: Option<&Cache>,
    spill: &Spill,
    keep_text: bool,
) -> Slot {
    let mut slot = Slot {
        cross_file: None,
        fresh: None,
        source: source.unwrap_or_else(|| file.read(true)),
    };
    let hash = slot.source.hash();
    if let Some(record) = hash.and_then(|hash| cache?.record(&file.rel, hash)) {
        slot.cross_file = Some(record.cross_file);
        return slot;
    }
    if let Source::Hashed { .. } = slot.source {
        slot.source = file.read(true);
    }
    if let Source::Text { text, hash } = &slot.source {
        let (text, hash) = (text.clone(), *hash);
        slot.parse(&text, spill);
        if !keep_text {
            slot.source = Source::Hashed { hash };
        }
    }
    slot
}

impl Slot {
    /// Parses `text`, the slot's, and parks its summary, encoded.
    fn parse(&mut self, text: &Arc<str>, spill: &Spill) {
        let summary = parse(text);
        self.fresh = Some(spill.park(cache::encode_summary(&summary)));
        let used = summary.distinct_ids();
        self.cross_file = Some(cross_file::facts(&summary, &used, text));
    }
}

fn parse(text: &Arc<str>) -> FileSummary {
    FileSummary::from_tree(&SyntaxTree::parse(text.clone()))
}

/// How many outlines wait together to join the workspace, with every id
/// each uses: enough to keep both cores busy.
const OUTLINE_CHUNK: usize = 4096;

/// `keep_texts`: baselines match findings by the text they mark, so every
/// target's text is kept (the `full` format reads its snippets' texts
/// again as it prints them).
fn check_workspace(
    plan: &Plan,
    cwd: &Path,
    use_cache: bool,
    keep_texts: bool,
    report: &mut Report,
) {
    let mut timings = Timings::start();
    let progress = Progress::new(plan.files.len(), "checking");

    // With a cache in place, hash every file while it loads (texts only
    // when the report shows them): those the cache lacks are read again
    // below. Without one, each file is read where it is parsed, so that
    // texts never pile up.
    let hash_first = use_cache && Cache::exists(&plan.root, &plan.config);
    let (mut cache, sources) = rayon::join(
        || use_cache.then(|| open_cache(plan, cwd)).flatten(),
        || {
            if hash_first {
                let none = vec![(); plan.files.len()];
                in_order(&plan.files, none, true, |file, ()| {
                    Some(file.read(keep_texts && file.target))
                })
            } else {
                vec![None; plan.files.len()]
            }
        },
    );
    if let Some(cache) = &mut cache {
        for (file, source) in plan.files.iter().zip(&sources) {
            if let Some(Source::Text { text, hash }) = source {
                cache.forget_unfit(&file.rel, *hash, text);
            }
        }
    }
    timings.lap("read the files and the cache");
    let spill = Spill::default();

    // Parse only the files the cache knows nothing about. (Indexing the
    // workspace on another thread while the pool parses was tried: on two
    // cores it made cold runs slower, not faster.)
    // Read already when hashed first: the files the cache lacks are read
    // again from the page cache.
    let mut slots: Vec<Slot> = in_order(&plan.files, sources, !hash_first, |file, source| {
        let slot = parse_unless_cached(
            file,
            source,
            cache.as_ref(),
            &spill,
            keep_texts && file.target,
        );
        progress.tick();
        slot
    });
    progress.finish();
    timings.lap("parse the files the cache lacks");
    if spill.kept_any() {
        eprintln!(
            "newsmark: warning: cannot create a temporary file (set TMPDIR to a writable folder): what is parsed is kept in memory"
        );
    }

    let signature = workspace_signature(plan, &slots);
    let todo: Vec<bool> = (0..slots.len())
        .map(|i| match slots[i].source.hash() {
            Some(hash) if plan.files[i].target => {
                cached_findings(cache.as_ref(), plan, i, hash, signature).is_none()
            }
            _ => false,
        })
        .collect();
    let any_todo = todo.contains(&true);

    // Files whose texts or summaries are read again in what follows: one
    // that changed meanwhile makes the findings unfit for the cache.
    let changed = AtomicBool::new(false);
    // With findings to compute, every readable file needs its summary:
    // those the store has lost are parsed again, and join it below.
    let mut store = None;
    if any_todo {
        let summaries = store.insert(cache.as_ref().map(Cache::summaries).unwrap_or_default());
        (slots.par_iter_mut().zip(&plan.files)).for_each(|(slot, file)| {
            let hash = slot.source.hash();
            if slot.fresh.is_none() && hash.is_some_and(|hash| summaries.bytes(hash).is_none()) {
                match file.read(true) {
                    Source::Text { text, hash: now } if Some(now) == hash => {
                        slot.parse(&text, &spill)
                    }
                    _ => changed.store(true, Ordering::Relaxed),
                }
            }
        });
    }

    // The summaries parsed in this run join the store first: the findings
    // pass then frees each one as it is done with it.
    let mut saved = Ok(());
    let any_fresh = slots.iter().any(|slot| slot.fresh.is_some());
    if let Some(cache) = &cache
        && any_fresh
    {
        let old = store.get_or_insert_with(|| cache.summaries());
        let entries = (slots.iter()).filter_map(|slot| {
            let hash = slot.source.hash()?;
            let bytes = match &slot.fresh {
                Some(parked) => spill.get(parked)?,
                None => old.bytes(hash)?,
            };
            Some((hash, bytes))
        });
        saved = cache.save_summaries(entries);
        timings.lap("write the summaries");
    }

    // Findings to compute need the whole workspace: every file's outline,
    // from the store's summary or this run's.
    let mut computed: Vec<Option<Vec<CachedFinding>>> = vec![None; slots.len()];
    if any_todo {
        let summaries = Summaries {
            spill: &spill,
            store: store
                .get_or_insert_with(|| cache.as_ref().map(Cache::summaries).unwrap_or_default()),
        };
        let (ws, ids) = outline_workspace(plan, &slots, &summaries, &changed);
        for (slot, _) in slots.iter_mut().zip(&todo).filter(|(_, todo)| !**todo) {
            slot.fresh = None;
        }
        timings.lap("index the workspace");
        let notes = NoteTexts::new(&plan.root);
        let results: Vec<(usize, Vec<CachedFinding>)> = (slots.par_iter_mut().enumerate())
            .filter(|(index, _)| todo[*index])
            .map(|(index, slot)| {
                let file = ids[index].expect("a readable file is in the workspace");
                let (text, summary) = read_again(&plan.files[index], slot, &summaries, &changed)
                    .expect("a file to check is readable");
                slot.fresh = None;
                let entry = FileEntry::new(&plan.files[index].rel, text, summary);
                let found = diagnostics_of(&ws, file, &entry)
                    .iter()
                    .map(|d| cached_finding(&ws, &notes, file, &entry, d))
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
    if let Some(cache) = &cache
        && (any_fresh || any_todo)
    {
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
        if changed.into_inner() {
            eprintln!(
                "newsmark: warning: files changed while they were checked: findings not cached"
            );
        } else if saved.is_ok() {
            saved = cache.save_findings(&records);
        }
        timings.lap("write the findings");
        if let Err(error) = saved {
            let shown = paths::display(cwd, &plan.root.join(cache::CACHE_DIR));
            eprintln!(
                "newsmark: warning: {}",
                output::escape::visible(&format!("cannot write the cache in {shown}: {error}"))
            );
        }
    }

    // The report: every target, with its findings, moved out of their
    // lists, then converted on the pool's threads, whose allocator holds
    // the memory those lists free (converted on this thread, a corpus's
    // findings would take twice their size).
    let lists: Vec<(usize, Vec<CachedFinding>)> = (plan.files.iter().enumerate())
        .filter(|(_, file)| file.target)
        .map(|(index, file)| {
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
            (index, list)
        })
        .collect();
    // Outside git, the current folder: two workspaces checked together
    // must not both print `articles/x.nmk`.
    let repo_root = git_root(&plan.root).unwrap_or_else(|| cwd.to_path_buf());
    let no_files = Workspace::new(plan.config.clone());
    let first = report.files.len();
    report.files.par_extend(
        lists
            .into_par_iter()
            .enumerate()
            .map(|(at, (index, list))| {
                let file = &plan.files[index];
                let kept = match &slots[index].source {
                    Source::Text { text, .. } => Some(text.clone()),
                    Source::Hashed { .. } | Source::Unreadable(_) => None,
                };
                let mut findings: Vec<Finding> = (list.into_iter())
                    .map(|found| Finding {
                        file: first + at,
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
                    })
                    .collect();
                if let Source::Unreadable(reason) = &slots[index].source
                    && let Some(diagnostic) = io_error(&no_files, reason.clone())
                {
                    findings.push(Finding {
                        file: first + at,
                        range: 0..0,
                        start: LineCol::START,
                        end: LineCol::START,
                        severity: diagnostic.severity,
                        code: diagnostic.code,
                        message: diagnostic.message,
                        notes: Vec::new(),
                    });
                }
                CheckedFile {
                    display: paths::display(cwd, &file.path),
                    repo_path: paths::slashed(&paths::relative(&repo_root, &file.path)),
                    path: file.path.clone(),
                    hash: slots[index].source.hash(),
                    kept,
                    findings,
                }
            }),
    );
    timings.lap("assemble the report");
    std::mem::forget(slots);
    std::mem::forget(cache);
}

/// `each` of every file with its item, on the pool, the files taken in
/// order while, with `read_ahead`, the next ones are read ahead (on a
/// cold disk, reading one file at a time per core leaves the cores
/// waiting); in order.
fn in_order<T: Send, R: Send>(
    files: &[PlannedFile],
    items: Vec<T>,
    read_ahead: bool,
    each: impl Fn(&PlannedFile, T) -> R + Sync,
) -> Vec<R> {
    debug_assert_eq!(files.len(), items.len(), "an item for each file");
    let taken = AtomicUsize::new(0);
    let count = if read_ahead { files.len() } else { 0 };
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let _ahead = ReadAhead::start(scope, count, &taken, |index| {
            let file = &files[index];
            file.problem.is_none().then_some(file.path.as_path())
        });
        (files.iter().zip(items).enumerate())
            .inspect(|(index, _)| taken.store(index + 1, Ordering::Relaxed))
            .par_bridge()
            .map(|(index, (file, item))| (index, each(file, item)))
            .collect()
    });
    done.sort_unstable_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
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

/// Every readable file's outline, in a new workspace; returns it with the
/// id of each readable file.
fn outline_workspace(
    plan: &Plan,
    slots: &[Slot],
    summaries: &Summaries,
    changed: &AtomicBool,
) -> (Workspace, Vec<Option<FileId>>) {
    let mut ws = Workspace::new(plan.config.clone());
    let mut ids: Vec<Option<FileId>> = vec![None; slots.len()];
    for (chunk, part) in slots.chunks(OUTLINE_CHUNK).enumerate() {
        let first = chunk * OUTLINE_CHUNK;
        let (indices, outlines): (Vec<usize>, Vec<PreparedFile>) = (part.par_iter().enumerate())
            .filter_map(|(offset, slot)| {
                let index = first + offset;
                let (text, summary) = read_again(&plan.files[index], slot, summaries, changed)?;
                Some((index, PreparedFile::outline(&text, summary)))
            })
            .unzip();
        let paths = indices.iter().map(|&index| plan.files[index].rel.as_str());
        for (index, update) in indices.iter().zip(ws.add_all(paths.zip(outlines))) {
            ids[*index] = Some(update.file);
        }
    }
    (ws, ids)
}

/// A readable file's text (kept, or read again) and its summary (this
/// run's, or the store's). A file changed since its first reading is
/// parsed again, and one that can no longer be read counts as empty: its
/// findings describe the text they point into, and `changed` is set.
fn read_again(
    file: &PlannedFile,
    slot: &Slot,
    summaries: &Summaries,
    changed: &AtomicBool,
) -> Option<(Arc<str>, FileSummary)> {
    let hash = slot.source.hash()?;
    let text = match &slot.source {
        Source::Text { text, .. } => text.clone(),
        _ => match file.read(true) {
            Source::Text { text, hash: now } if now == hash => text,
            other => {
                changed.store(true, Ordering::Relaxed);
                let text: Arc<str> = match other {
                    Source::Text { text, .. } => text,
                    Source::Hashed { .. } | Source::Unreadable(_) => "".into(),
                };
                return Some((text.clone(), parse(&text)));
            }
        },
    };
    let summary = summaries
        .of(slot, hash, &text)
        .unwrap_or_else(|| parse(&text));
    Some((text, summary))
}

/// Where a run's summaries are: parked by the run, or in the store.
struct Summaries<'a> {
    spill: &'a Spill,
    store: &'a cache::SummaryStore,
}

impl Summaries<'_> {
    fn of(&self, slot: &Slot, hash: u128, text: &str) -> Option<FileSummary> {
        match &slot.fresh {
            Some(parked) => cache::decode_summary(&self.spill.get(parked)?),
            None => self.store.get(hash, text),
        }
    }
}

/// The texts of the files that notes point into, read again: the
/// workspace holds only their outlines. Notes are few (duplicate
/// definitions, conflicting quotes), so each file is read once.
struct NoteTexts<'a> {
    root: &'a Path,
    read: Mutex<HashMap<FileId, Arc<TextLines>>>,
}

/// A text with its line index.
type TextLines = (Arc<str>, LineIndex);

impl<'a> NoteTexts<'a> {
    fn new(root: &'a Path) -> Self {
        NoteTexts {
            root,
            read: Mutex::default(),
        }
    }

    /// The position of `offset` in `file`, read now; a file that can no
    /// longer be read puts every note at its start.
    fn position(&self, ws: &Workspace, file: FileId, offset: usize) -> LineCol {
        let lock = || {
            self.read
                .lock()
                .unwrap_or_else(|poison| poison.into_inner())
        };
        let known = lock().get(&file).cloned();
        let read = known.unwrap_or_else(|| {
            let text = match crate::source::read(&self.root.join(ws.path(file)), true) {
                Source::Text { text, .. } => text,
                Source::Hashed { .. } | Source::Unreadable(_) => "".into(),
            };
            let lines = LineIndex::new(&text);
            lock()
                .entry(file)
                .or_insert(Arc::new((text, lines)))
                .clone()
        });
        LineCol::of(&read.0, &read.1, offset)
    }
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

/// A finding of `file`, whose full entry is `entry`, with its positions.
fn cached_finding(
    ws: &Workspace,
    notes: &NoteTexts,
    file: FileId,
    entry: &FileEntry,
    diagnostic: &Diagnostic,
) -> CachedFinding {
    let at = |offset| LineCol::of(&entry.text(), &entry.summary.lines, offset);
    CachedFinding {
        range: diagnostic.range.clone(),
        start: at(diagnostic.range.start),
        end: at(diagnostic.range.end),
        severity: diagnostic.severity,
        code: diagnostic.code,
        message: diagnostic.message.clone(),
        notes: {
            let mut notes: Vec<CachedNote> = diagnostic
                .related
                .iter()
                .map(|related| CachedNote {
                    rel: ws.path(related.file).to_owned(),
                    position: match related.file == file {
                        true => at(related.range.start),
                        false => notes.position(ws, related.file, related.range.start),
                    },
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
    use crate::OutputFormat;

    /// The `full` report of a workspace, with or without its cache.
    fn full_report(root: &Path, use_cache: bool) -> String {
        report_keeping_texts(root, use_cache, false)
    }

    /// The `full` report, keeping the texts or reading them again.
    fn report_keeping_texts(root: &Path, use_cache: bool, keep_texts: bool) -> String {
        let plans = crate::load::plan(&[root.to_path_buf()], root).unwrap();
        let mut report = Report::default();
        check_workspace(&plans[0], root, use_cache, keep_texts, &mut report);
        report.sort();
        let options = Options {
            color: false,
            show_hints: true,
            statistics: false,
        };
        let mut out = Vec::new();
        output::render(OutputFormat::Full, &report, &options, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// Taken in order on the pool, the results come back in the files'
    /// order, each with its own file and item, with or without reading
    /// ahead, and whether the files exist or not.
    #[test]
    fn in_order_keeps_each_result_with_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let files: Vec<PlannedFile> = (0..3000)
            .map(|index| {
                let rel = format!("{index}.nmk");
                let path = dir.path().join(&rel);
                if index % 2 == 0 {
                    std::fs::write(&path, format!("{index}\n")).unwrap();
                }
                PlannedFile {
                    rel,
                    path,
                    target: true,
                    problem: (index % 7 == 0).then(|| "unreadable".to_owned()),
                }
            })
            .collect();
        let expected: Vec<String> = (0..files.len())
            .map(|index| format!("{index}.nmk {index}"))
            .collect();
        for read_ahead in [true, false] {
            let items: Vec<usize> = (0..files.len()).collect();
            let found = in_order(&files, items, read_ahead, |file, item| {
                // Long enough that both threads of a two-core pool take files.
                std::thread::sleep(std::time::Duration::from_micros(100));
                format!("{} {item}", file.rel)
            });
            assert_eq!(found, expected);
        }
    }

    #[test]
    fn a_cached_range_that_does_not_fit_the_text_is_a_miss_or_shown_without_a_snippet() {
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
            // Read again, the text shows no snippet for the unfit range.
            let shown = full_report(root, true);
            assert!(!shown.contains("1 | "), "{shown}");
            assert!(shown.contains("a.nmk:1:4"), "{shown}");
            // Kept, it makes the record a miss: the file is checked again.
            assert_eq!(
                report_keeping_texts(root, true, true),
                expected,
                "{range:?}"
            );
        }
    }

    #[test]
    fn summaries_the_store_lost_are_parsed_again_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("registry.nmk"), "@kim: Kim\n  kind: person\n").unwrap();
        for name in ["a", "b", "c"] {
            std::fs::write(root.join(format!("{name}.nmk")), "[Kim]@kim spoke.\n").unwrap();
        }
        std::fs::write(root.join("d.nmk"), "[Kim]@kim left.\n").unwrap();
        let stored = || {
            let plan = &crate::load::plan(&[root.to_path_buf()], root).unwrap()[0];
            let cache = Cache::open(root, &plan.config, 5).unwrap();
            cache.summaries().hashes().count()
        };
        full_report(root, true);
        // a, b and c share one text, so one summary.
        assert_eq!(stored(), 3);
        let summaries = std::fs::read_dir(root.join(cache::CACHE_DIR))
            .unwrap()
            .flatten()
            .filter(|entry| entry.path().is_dir())
            .map(|entry| entry.path().join("summaries.bin"))
            .find(|path| path.exists())
            .expect("a summary store");
        std::fs::remove_file(summaries).unwrap();
        // A new definition: every file's findings are computed again.
        std::fs::write(
            root.join("registry.nmk"),
            "@kim: Kim Jong Un\n  kind: person\n",
        )
        .unwrap();
        let report = full_report(root, true);
        assert_eq!(report, full_report(root, false));
        assert_eq!(stored(), 3, "the store is whole again");
    }

    #[test]
    fn a_file_that_changed_since_its_first_reading_is_parsed_as_it_is_now() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.nmk");
        std::fs::write(&path, "{first | @kim}\n").unwrap();
        let file = PlannedFile {
            rel: "a.nmk".into(),
            path: path.clone(),
            target: true,
            problem: None,
        };
        let spill = Spill::default();
        let mut slot = parse_unless_cached(&file, None, None, &spill, false);
        let changed = AtomicBool::new(false);
        let store = Summaries {
            spill: &spill,
            store: &cache::SummaryStore::default(),
        };
        let (text, _) = read_again(&file, &slot, &store, &changed).unwrap();
        assert_eq!(
            (&*text, changed.load(Ordering::Relaxed)),
            ("{first | @kim}\n", false)
        );

        std::fs::write(&path, "{second}\n").unwrap();
        let (text, summary) = read_again(&file, &slot, &store, &changed).unwrap();
        assert_eq!(&*text, "{second}\n");
        assert_eq!(summary, parse(&text), "the summary is the new text's");
        assert!(changed.load(Ordering::Relaxed));

        std::fs::remove_file(&path).unwrap();
        slot.fresh = None;
        let (text, _) = read_again(&file, &slot, &store, &changed).unwrap();
        assert_eq!(&*text, "", "a file gone counts as empty");
    }
}
