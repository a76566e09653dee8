//! The workspace: every file's text and summary, and the inverted index
//! from entity ids to where they are defined and used.
//!
//! Updating a file replaces only that file's entries in the index; a file
//! being edited (an open document) keeps its uses out of it, read from its
//! summary when asked. The index maps are shared behind `Arc`s so that a
//! snapshot held by a running request costs little when the next update
//! arrives: `Arc::make_mut` copies only the lists the update touches (the
//! file table, and the definition and use lists of the ids the file
//! defines or, unless it is being edited, uses).

use std::any::{Any, TypeId};
use std::borrow::Cow;
use std::ops::Range;
use std::sync::{Arc, LazyLock, Mutex, MutexGuard, OnceLock, PoisonError};

use newsmark_syntax::position::{LineCursor, encoded_len, first_line_len, last_line_start};
use newsmark_syntax::{Encoding, SyntaxTree};
use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet};

use std::hash::{BuildHasher, Hash, Hasher};

use xxhash_rust::xxh3::Xxh3;

use crate::config::Config;
use crate::cross_file;
use crate::file_text::FileText;
use crate::lexicon::WordFinder;
use crate::line_hits::LineHits;
use crate::summary::{Definition, FileSummary, Name, Usage, UsageKind};
use crate::untagged::{Hits, Matcher};

mod path_order;
pub use path_order::PathOrder;

/// A file of the workspace. Ids stay valid until the file is removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A definition: its file and its index in that file's summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DefinitionRef {
    pub file: FileId,
    pub index: u32,
}

#[derive(Debug, Clone)]
pub struct FileEntry {
    /// The name the front end uses for the file (a path or a URI).
    pub path: Arc<str>,
    text: FileText,
    pub summary: Arc<FileSummary>,
    /// The file's untagged-name hits.
    name_hits: Searched<u32>,
    /// The hedging words in the file (`unmarked-hedge`).
    hedge_hits: Searched<()>,
    /// Hash of what other files' findings depend on.
    facts: u64,
    /// Hash of the names and aliases the file defines.
    names: u64,
    /// For an outline (see [`PreparedFile::outline`]), the text of each of
    /// its claims: it has no other text.
    outline: Option<Box<[Box<str>]>>,
}

impl FileEntry {
    /// A file that is not in the workspace, whose findings the linter asks
    /// for ([`crate::rules::diagnostics_of`]) while the workspace holds its
    /// outline.
    pub fn new(path: &str, text: Arc<str>, summary: FileSummary) -> Self {
        FileEntry {
            path: path.into(),
            text: FileText::Held(text),
            summary: Arc::new(summary),
            name_hits: Searched::default(),
            hedge_hits: Searched::default(),
            facts: 0,
            names: 0,
            outline: None,
        }
    }

    /// Whether the entry is an outline: no text, and of its summary only
    /// what other files' findings read (see [`PreparedFile::outline`]).
    pub fn is_outline(&self) -> bool {
        self.outline.is_some()
    }

    /// The file's text (read back when it is parked: see [`FileText`]).
    pub fn text(&self) -> Arc<str> {
        self.text.get()
    }

    /// The words of `finder` (hedging words) on the lines of the file's
    /// claims, found once per version and finder; for a file being edited
    /// on all its lines, so that after an edit only the lines that changed
    /// are searched again. `text` is the file's.
    pub fn hedge_words(&self, text: &str, finder: &WordFinder) -> Arc<LineHits<()>> {
        let id = finder.id();
        let search = |lines: Range<usize>| -> Vec<(Range<usize>, ())> {
            (finder.find(text, lines).into_iter())
                .map(|word| (word, ()))
                .collect()
        };
        self.hedge_hits.get(
            id,
            || {
                let lines = claim_lines(text, &self.summary).into_iter();
                LineHits::partial(id, lines.flat_map(search).collect())
            },
            |earlier| LineHits::of_text(id, text, earlier, search),
        )
    }

    /// The sourced direct quotes of the file (see
    /// [`cross_file::sourced_quotes`]), in a full entry or an outline.
    fn sourced_quotes(&self) -> Vec<cross_file::SourcedQuote> {
        let claims = &self.summary.claims;
        if !claims.iter().any(|claim| claim.is_quote()) {
            return Vec::new();
        }
        match &self.outline {
            Some(texts) => {
                cross_file::sourced_quotes(&self.summary, |claim| &texts[claim as usize])
            }
            None => {
                let text = self.text();
                cross_file::sourced_quotes(&self.summary, |claim| {
                    &text[claims[claim as usize].text_range()]
                })
            }
        }
    }
}

/// One file's hits of one kind: those of its version, found on first use,
/// and for a file being edited, the earlier version they start from.
#[derive(Debug)]
pub(crate) struct Searched<T> {
    now: Cell<T>,
    /// For a file replaced with its text held, not parked (an open
    /// document), the version whose hits the first search of this one
    /// starts from: its text and hits, the cell empty when it has none
    /// (the whole text is searched).
    earlier: Option<(Arc<str>, Cell<T>)>,
}

type Cell<T> = Arc<Mutex<Option<Arc<LineHits<T>>>>>;

// Derived, these would ask `T` for the traits too.
impl<T> Default for Searched<T> {
    fn default() -> Self {
        Searched {
            now: Cell::default(),
            earlier: None,
        }
    }
}

impl<T> Clone for Searched<T> {
    fn clone(&self) -> Self {
        Searched {
            now: self.now.clone(),
            earlier: self.earlier.clone(),
        }
    }
}

impl<T: Clone> Searched<T> {
    /// For the next version of a file being edited, whose version before
    /// had `old` searched in `old_text`: it starts from that version if
    /// its hits were found in its whole text (hits of parts seed
    /// nothing), else from the one that would have; with neither, its
    /// whole text is searched, so that its next edit starts there.
    pub(crate) fn after(old: &Self, old_text: impl FnOnce() -> Arc<str>) -> Self {
        let whole = lock(&old.now)
            .as_ref()
            .is_some_and(|hits| hits.of_whole_text());
        let earlier = if whole {
            (old_text(), old.now.clone())
        } else {
            old.earlier
                .clone()
                .unwrap_or_else(|| (Arc::from(""), Cell::default()))
        };
        Searched {
            now: Cell::default(),
            earlier: Some(earlier),
        }
    }

    /// Whether the hits start from an earlier version (a file being edited).
    #[cfg(test)]
    pub(crate) fn is_edited(&self) -> bool {
        self.earlier.is_some()
    }

    /// The hits of `searcher`, found once per version: for a file read
    /// once by `read_once`, for a file being edited by `search`, given
    /// the earlier version's text and hits when it has some.
    pub(crate) fn get(
        &self,
        searcher: u64,
        read_once: impl FnOnce() -> LineHits<T>,
        search: impl FnOnce(Option<(&str, &LineHits<T>)>) -> LineHits<T>,
    ) -> Arc<LineHits<T>> {
        let mut cell = lock(&self.now);
        if let Some(hits) = cell.as_ref().filter(|hits| hits.found_by(searcher)) {
            return hits.clone();
        }
        let hits = Arc::new(match &self.earlier {
            None => read_once(),
            Some((earlier, hits)) => {
                let hits = lock(hits).clone();
                search(hits.as_deref().map(|hits| (&**earlier, hits)))
            }
        });
        *cell = Some(hits.clone());
        hits
    }
}

/// How often one file uses an entity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UsageCounts {
    pub mentions: u32,
    pub references: u32,
    /// Claims in the file that name the entity as a source.
    pub sourced_claims: u32,
}

impl UsageCounts {
    pub fn total(&self) -> u32 {
        self.mentions + self.references + self.sourced_claims
    }

    fn add(&mut self, use_: CountsAs) {
        *self.count_of(use_) += 1;
    }

    /// Takes off a use that [`UsageCounts::add`] counted.
    fn take(&mut self, use_: CountsAs) {
        *self.count_of(use_) -= 1;
    }

    fn count_of(&mut self, use_: CountsAs) -> &mut u32 {
        match use_ {
            CountsAs::Mention => &mut self.mentions,
            CountsAs::Reference => &mut self.references,
            CountsAs::SourcedClaim => &mut self.sourced_claims,
        }
    }
}

/// One use of an id, as the index keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct UseSite {
    file: FileId,
    /// The byte range of the use (`Usage::range`).
    start: u32,
    end: u32,
    /// Where the use sits (see [`LineSpan`]): its line, its first column
    /// and its width in columns; `line` is [`NO_SPAN`] for a use that
    /// converts on the text. Narrow fields keep the site at 20 bytes, one
    /// per use of the corpus: a use that starts past column 65,535 or is
    /// wider than 255 columns converts on the text too.
    line: u32,
    column: u16,
    width: u8,
    counts_as: CountsAs,
}

const _: () = assert!(size_of::<UseSite>() == 20);

/// [`UseSite::line`] of a use without a span.
const NO_SPAN: u32 = u32::MAX;

/// A use's place as a line and columns in the position encoding its file
/// was prepared with ([`PreparedFile::new`]), for a use on one line: a
/// front end converts it without reading the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineSpan {
    /// Zero-based.
    pub line: u32,
    pub start_column: u32,
    pub end_column: u32,
}

/// Which of [`UsageCounts`] a use adds to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CountsAs {
    Mention,
    Reference,
    SourcedClaim,
}

impl CountsAs {
    fn of(kind: &UsageKind) -> Self {
        match kind {
            UsageKind::Mention { .. } => Self::Mention,
            UsageKind::Source { .. } => Self::SourcedClaim,
            UsageKind::Reference
            | UsageKind::Conduit { .. }
            | UsageKind::Property { .. }
            | UsageKind::FrontMatter { .. } => Self::Reference,
        }
    }
}

/// The sourced direct quotes of the workspace with one text, grouped by
/// their sources. A rule asks how many quotes have other sources than its
/// own, and which come first: with thousands of quotes of the same words
/// in an archive, each by a different speaker, it counts in constant time
/// and looks at a few sites, not at every quote or group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuoteSites {
    /// Each quote's file, claim range and group (an index into `groups`),
    /// sorted by file (a file's quotes lie together, in text order).
    sites: Vec<(FileId, Range<usize>, u32)>,
    /// Each group's sources (ids sorted, each once) and how many quotes it
    /// has; a group left with none keeps its place until the text has no
    /// quote at all.
    groups: Vec<(Box<[Name]>, usize)>,
    group_of: FxHashMap<Box<[Name]>, u32>,
}

/// A quote of [`QuoteSites`]: its file, claim range and sources.
pub type QuoteSite<'a> = (FileId, &'a Range<usize>, &'a [Name]);

impl QuoteSites {
    /// Where `file`'s quotes lie in `sites`.
    fn run_of(&self, file: FileId) -> Range<usize> {
        let start = self.sites.partition_point(|(f, ..)| *f < file);
        let end = start + self.sites[start..].partition_point(|(f, ..)| *f <= file);
        start..end
    }

    fn add(&mut self, file: FileId, range: Range<usize>, sources: &[Name]) {
        let group = match self.group_of.get(sources) {
            Some(&group) => group,
            None => {
                let group = self.groups.len() as u32;
                let sources: Box<[Name]> = sources.into();
                self.group_of.insert(sources.clone(), group);
                self.groups.push((sources, 0));
                group
            }
        };
        self.groups[group as usize].1 += 1;
        let at = self.run_of(file).end;
        self.sites.insert(at, (file, range, group));
    }

    fn remove_file(&mut self, file: FileId) {
        let run = self.run_of(file);
        for (_, _, group) in self.sites.drain(run) {
            self.groups[group as usize].1 -= 1;
        }
        // Sources typed one keystroke at a time leave a group each.
        let live = self.groups.iter().filter(|(_, count)| *count > 0).count();
        if live * 2 < self.groups.len() {
            self.drop_empty_groups();
        }
    }

    fn drop_empty_groups(&mut self) {
        let mut renumbered = vec![u32::MAX; self.groups.len()];
        let mut kept = 0;
        for (old, (_, count)) in self.groups.iter().enumerate() {
            if *count > 0 {
                renumbered[old] = kept;
                kept += 1;
            }
        }
        self.groups.retain(|(_, count)| *count > 0);
        self.group_of
            .retain(|_, group| renumbered[*group as usize] != u32::MAX);
        for group in self.group_of.values_mut() {
            *group = renumbered[*group as usize];
        }
        for (.., group) in &mut self.sites {
            *group = renumbered[*group as usize];
        }
    }

    /// The quotes outside `file` whose sources are not `sources`: how many,
    /// and the first `limit` of them in file order.
    pub fn others(
        &self,
        file: FileId,
        sources: &[Name],
        limit: usize,
    ) -> (usize, Vec<QuoteSite<'_>>) {
        let own = self.group_of.get(sources).copied();
        let run = self.run_of(file);
        let in_own_group = |group: u32| own == Some(group);
        let own_total = own.map_or(0, |group| self.groups[group as usize].1);
        let own_here = (self.sites[run.clone()].iter())
            .filter(|(.., group)| in_own_group(*group))
            .count();
        let count = (self.sites.len() - run.len()) - (own_total - own_here);
        if count == 0 {
            // No walk over the group's own quotes: a quote always given
            // to the same source has thousands of sites in an archive.
            return (0, Vec::new());
        }
        // Its own group's sites are passed over: a walk as long as the
        // group's quotes before the first others (short but where one
        // source's quotes all come first in file order).
        let first = (self.sites[..run.start].iter().chain(&self.sites[run.end..]))
            .filter(|(.., group)| !in_own_group(*group))
            .take(limit)
            .map(|(file, range, group)| (*file, range, &*self.groups[*group as usize].0))
            .collect();
        (count, first)
    }
}

/// What the workspace keeps of a file being edited.
#[derive(Debug)]
struct EditedFile {
    /// How often it uses each id.
    counts: FxHashMap<Name, UsageCounts>,
    /// Its sourced direct quotes, as they went into `Workspace::quotes`:
    /// its next version takes them out again, and its
    /// `conflicting-attribution` reads them, with no search of its claims.
    quotes: Box<[cross_file::SourcedQuote]>,
}

/// What a file update changed beyond the file itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Update {
    pub file: FileId,
    /// The file's definitions or the set of ids it uses changed, so findings
    /// in other files (undefined, duplicate, unused entities) may change.
    pub affects_other_files: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Workspace {
    config: Arc<Config>,
    /// Prefix of every path that display paths leave out (the root folder).
    root: Arc<str>,
    files: Arc<Vec<Option<FileEntry>>>,
    by_path: Arc<FxHashMap<Arc<str>, FileId>>,
    definitions: FxHashMap<Name, Arc<Vec<DefinitionRef>>>,
    /// Every use of each id in the files not being edited, sorted by
    /// file: a file's uses lie together, in text order. References read
    /// this list, not the summaries of the ~300 files a popular entity is
    /// used in, which lie all over memory. A file added again finds its
    /// uses ([`file_range`]) and replaces them in place: with as many uses
    /// as before, no other file's use moves.
    usages: FxHashMap<Name, Arc<Vec<UseSite>>>,
    /// Files being edited (open documents; see [`Workspace::set_summary`]).
    /// Their uses are not in `usages` but read from their summaries when
    /// asked: a keystroke in a 1 MB article would otherwise rewrite its
    /// ~10,000 places in lists spread over the corpus.
    edited: FxHashMap<FileId, Arc<EditedFile>>,
    /// Every sourced direct quote of the workspace, by its text
    /// ([`cross_file::sourced_quotes`]): kept up to date file by file, so
    /// an edit costs its own quotes, not the workspace's.
    quotes: FxHashMap<Box<str>, Arc<QuoteSites>>,
    /// The ids that outlines use: used, with no place to show.
    outline_uses: FxHashSet<Name>,
    /// Built on first use after the names change; shared with copies
    /// (snapshots) until then, even one made while it is being built.
    matcher: Arc<OnceLock<Arc<Matcher>>>,
    /// See [`Workspace::path_order`]; shared with copies as `matcher` is.
    path_order: Arc<OnceLock<Arc<PathOrder>>>,
    /// See [`Workspace::derived`].
    derived: Derived,
}

/// What layers above build from every file (see [`Workspace::derived`]),
/// one value per type. Snapshots share it until a change affects other
/// files; then the workspace starts a new one, and snapshots keep theirs.
#[derive(Clone, Default)]
struct Derived(Arc<Mutex<FxHashMap<TypeId, Arc<dyn Any + Send + Sync>>>>);

impl std::fmt::Debug for Derived {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Derived({} values)", lock(&self.0).len())
    }
}

impl Workspace {
    pub fn new(config: Config) -> Self {
        Self {
            config: Arc::new(config),
            ..Self::default()
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn set_config(&mut self, config: Config) {
        self.config = Arc::new(config);
    }

    /// Sets the prefix (the workspace root, ending in `/`) that
    /// [`Workspace::display_path`] removes.
    pub fn set_root(&mut self, root: &str) {
        self.root = root.into();
    }

    /// The root set by [`Workspace::set_root`], ending in `/` (empty when none).
    pub fn root(&self) -> &str {
        &self.root
    }

    /// The path of a file named relative to the root (such as the registry
    /// of `newsmark.toml`), in the form the front end uses for paths.
    pub fn path_in_root(&self, relative: &str) -> String {
        format!("{}{relative}", self.root)
    }

    /// A file's path as people read it: relative to the root when inside it.
    pub fn display_path(&self, file: FileId) -> &str {
        let path = self.path(file);
        path.strip_prefix(&*self.root)
            .filter(|_| !self.root.is_empty())
            .unwrap_or(path)
    }

    /// Parses `text` and adds or replaces the file (as read from disk:
    /// its uses join the index).
    pub fn set_file(&mut self, path: &str, text: Arc<str>) -> Update {
        self.add(path, PreparedFile::parse(text))
    }

    /// Adds or replaces a file being edited from its parse (see
    /// [`Workspace::set_summary`]).
    pub fn set_parsed(&mut self, path: &str, tree: &SyntaxTree) -> Update {
        let summary = FileSummary::from_tree(tree);
        self.set_summary(path, tree.shared_text().clone(), summary)
    }

    /// Adds or replaces a file being edited (an open document), whose
    /// summary is already built: its uses stay out of the index until it
    /// is added otherwise ([`Workspace::add`]), and are read from its
    /// summary when asked.
    pub fn set_summary(
        &mut self,
        path: &str,
        text: Arc<str>,
        summary: impl Into<Arc<FileSummary>>,
    ) -> Update {
        let earlier = (self.by_path.get(path)).and_then(|&file| {
            let edited = self.edited.get(&file)?;
            Some((self.summary(file), &edited.counts))
        });
        let prepared = PreparedFile::edited(text, summary, earlier);
        self.add(path, prepared)
    }

    /// Adds or replaces a prepared file.
    pub fn add(&mut self, path: &str, prepared: PreparedFile) -> Update {
        let (update, uses) = self.add_entry(path, prepared);
        self.join_uses(vec![uses]);
        update
    }

    /// Adds or replaces many files, as [`Workspace::add`] would one after
    /// the other, joining their uses to the index all at once.
    pub fn add_all(
        &mut self,
        files: impl IntoIterator<Item = (impl AsRef<str>, PreparedFile)>,
    ) -> Vec<Update> {
        let mut updates = Vec::new();
        let mut pending: Vec<FileUses> = Vec::new();
        let mut in_pending = FxHashSet::default();
        for (path, prepared) in files {
            let path = path.as_ref();
            if self
                .file(path)
                .is_some_and(|file| in_pending.contains(&file))
            {
                // A path met twice: the first version's uses must be in
                // the index before the second replaces them.
                self.join_uses(std::mem::take(&mut pending));
                in_pending.clear();
            }
            let (update, uses) = self.add_entry(path, prepared);
            in_pending.insert(update.file);
            pending.push(uses);
            updates.push(update);
        }
        self.join_uses(pending);
        updates
    }

    /// Joins files' uses to the index. For many files, most of the work of
    /// adding them, so two threads share it: each takes the ids of one
    /// half of the hash space.
    fn join_uses(&mut self, files: Vec<FileUses>) {
        match &files[..] {
            [] => {}
            [one] => {
                // One file (added, or read again): its groups go in as
                // they are, with no gathering.
                for (id, group) in one.groups() {
                    self.merge_uses(id, Cow::Borrowed(group));
                }
            }
            _ => {
                let in_half = |id: &str, half: u64| (FxBuildHasher.hash_one(id) >> 32) & 1 == half;
                let (first, second) = rayon::join(
                    || uses_by_id(&files, |id| in_half(id, 0)),
                    || uses_by_id(&files, |id| in_half(id, 1)),
                );
                for (id, sites) in first.into_iter().chain(second) {
                    self.merge_uses(id, Cow::Owned(sites));
                }
            }
        }
    }

    /// Everything of [`Workspace::add`] but joining the index of uses:
    /// the file's uses, to be joined, come back.
    fn add_entry(&mut self, path: &str, prepared: PreparedFile) -> (Update, FileUses) {
        let existing = self.by_path.get(path).copied();
        let file = existing.unwrap_or_else(|| FileId(self.files.len() as u32));
        let old = existing.and_then(|file| self.unindex(file, Some(&prepared)));
        let PreparedFile {
            text,
            summary,
            facts,
            names,
            mut ids,
            mut sites,
            quotes,
            outline,
            edited,
        } = prepared;
        if outline.is_some() {
            self.outline_uses.extend(ids.drain(..).map(|(id, _)| id));
        }
        let affects_other_files = old.as_ref().is_none_or(|old| old.facts != facts);
        // A file being edited searches again only what changed since the
        // version before; one read once searches anew.
        let (name_hits, hedge_hits) = match (&old, &text) {
            (Some(old), FileText::Held(_)) => (
                Searched::after(&old.name_hits, || old.text()),
                Searched::after(&old.hedge_hits, || old.text()),
            ),
            _ => Default::default(),
        };
        let entry = FileEntry {
            path: path.into(),
            text,
            summary: summary.clone(),
            name_hits,
            hedge_hits,
            facts,
            names,
            outline,
        };
        let files = Arc::make_mut(&mut self.files);
        if existing.is_some() {
            files[file.0 as usize] = Some(entry);
        } else {
            files.push(Some(entry));
            Arc::make_mut(&mut self.by_path).insert(path.into(), file);
            self.path_order = Arc::default();
        }
        self.index_definitions(file, &summary);
        self.index_quotes(file, &quotes);
        if let Some(counts) = edited {
            let quotes = quotes.into();
            self.edited
                .insert(file, Arc::new(EditedFile { counts, quotes }));
        }
        // A new file that defines nothing (most articles) leaves the
        // names as they were.
        let names_changed = match &old {
            Some(old) => old.names != names,
            None => !summary.definitions.is_empty(),
        };
        if names_changed {
            self.matcher = Arc::default();
        }
        if affects_other_files {
            self.derived = Derived::default();
        }
        let update = Update {
            file,
            affects_other_files,
        };
        for site in &mut sites {
            site.file = file;
        }
        (update, FileUses { ids, sites })
    }

    /// Puts uses of `id` (each file's together, in text order) in the
    /// index, each file's in place of its earlier ones.
    fn merge_uses(&mut self, id: &Name, sites: Cow<[UseSite]>) {
        let Some(all) = self.usages.get_mut(id) else {
            let mut sites = sites.into_owned();
            sites.sort_by_key(|site| site.file);
            self.usages.insert(id.clone(), Arc::new(sites));
            return;
        };
        let all = Arc::make_mut(all);
        for run in sites.chunk_by(|a, b| a.file == b.file) {
            let file = run[0].file;
            if all.last().is_none_or(|last| last.file < file) {
                // A new file: after every file that came before it.
                all.extend_from_slice(run);
            } else {
                let range = file_range(all, file);
                all.splice(range, run.iter().copied());
            }
        }
    }

    pub fn remove_file(&mut self, path: &str) -> Option<Update> {
        let file = Arc::make_mut(&mut self.by_path).remove(path)?;
        self.unindex(file, None);
        Arc::make_mut(&mut self.files)[file.0 as usize] = None;
        // An order built before stays right; built after, it would rank
        // the file as gone for the copies that still hold it.
        if self.path_order.get().is_none() {
            self.path_order = Arc::default();
        }
        self.forget_derived();
        Some(Update {
            file,
            affects_other_files: true,
        })
    }

    pub fn file(&self, path: &str) -> Option<FileId> {
        self.by_path.get(path).copied()
    }

    /// The entry of a file. Panics on a removed file: ids come from this
    /// workspace, and a snapshot never loses its own files.
    pub fn entry(&self, file: FileId) -> &FileEntry {
        self.files[file.0 as usize]
            .as_ref()
            .expect("a live file id")
    }

    pub fn path(&self, file: FileId) -> &str {
        &self.entry(file).path
    }

    /// The text of a file (read back when it is parked: see [`FileText`]).
    pub fn text(&self, file: FileId) -> Arc<str> {
        self.entry(file).text()
    }

    pub fn summary(&self, file: FileId) -> &FileSummary {
        &self.entry(file).summary
    }

    /// Every file, in the order they were added.
    pub fn files(&self) -> impl Iterator<Item = (FileId, &FileEntry)> {
        self.files
            .iter()
            .enumerate()
            .filter_map(|(i, entry)| entry.as_ref().map(|entry| (FileId(i as u32), entry)))
    }

    pub fn file_count(&self) -> usize {
        self.by_path.len()
    }

    /// Where `id` is defined, in the order files were added.
    pub fn definitions_of(&self, id: &str) -> &[DefinitionRef] {
        self.definitions.get(id).map_or(&[], |defs| defs.as_slice())
    }

    /// Whether any file defines `id`: no list is kept empty, so this
    /// reads the map alone, not the list (a cache miss per use for
    /// `undefined-entity`, which asks for every use of a file).
    pub fn is_defined(&self, id: &str) -> bool {
        self.definitions.contains_key(id)
    }

    /// The ids that `entry`, the workspace's version of `file`, uses, each
    /// once, when the file is being edited (an open document counts them
    /// at each version); `None` for other files and versions.
    pub fn ids_edited_in(
        &self,
        file: FileId,
        entry: &FileEntry,
    ) -> Option<impl Iterator<Item = &Name>> {
        Some(self.edited_version(file, entry)?.counts.keys())
    }

    /// The sourced direct quotes of `entry`, the workspace's version of
    /// `file`, when the file is being edited (see `EditedFile::quotes`);
    /// `None` for other files and versions.
    pub fn quotes_edited_in(
        &self,
        file: FileId,
        entry: &FileEntry,
    ) -> Option<&[cross_file::SourcedQuote]> {
        Some(&self.edited_version(file, entry)?.quotes)
    }

    /// What is kept of `file` being edited, when `entry` is its current
    /// version.
    fn edited_version(&self, file: FileId, entry: &FileEntry) -> Option<&EditedFile> {
        let current = self.files.get(file.0 as usize)?.as_ref()?;
        let edited = self.edited.get(&file)?;
        Arc::ptr_eq(&current.summary, &entry.summary).then_some(&**edited)
    }

    pub fn definition(&self, reference: DefinitionRef) -> &Definition {
        &self.summary(reference.file).definitions[reference.index as usize]
    }

    /// The definition that answers for `id`: the first of its definitions.
    pub fn entity(&self, id: &str) -> Option<(DefinitionRef, &Definition)> {
        let reference = *self.definitions_of(id).first()?;
        Some((reference, self.definition(reference)))
    }

    /// Every defined id with its answering definition.
    pub fn entities(&self) -> impl Iterator<Item = (&Name, DefinitionRef, &Definition)> {
        self.definitions
            .iter()
            .filter_map(|(id, defs)| defs.first().map(|&r| (id, r, self.definition(r))))
    }

    /// The files that use `id`, with how often, in no set order: for
    /// totals, or a few files picked by count, where sorting thousands of
    /// paths would be most of the work at a popular entity.
    pub fn file_counts(&self, id: &str) -> Vec<(FileId, UsageCounts)> {
        let indexed = self.usages.get(id).map_or(&[][..], |sites| sites);
        let counted = indexed.chunk_by(|a, b| a.file == b.file).map(|uses| {
            let mut counts = UsageCounts::default();
            for site in uses {
                counts.add(site.counts_as);
            }
            (uses[0].file, counts)
        });
        let edited = (self.edited.iter())
            .filter_map(|(&file, edited)| Some((file, *edited.counts.get(id)?)));
        counted.chain(edited).collect()
    }

    /// Every use of `id` (its `Usage::range`, and its line span when
    /// known), files in path order, each file's uses in text order.
    pub fn uses_of(
        &self,
        id: &str,
    ) -> impl Iterator<Item = (FileId, Range<usize>, Option<LineSpan>)> {
        // A `Cow` of a slice has no owning iterator: each list is indexed.
        let sites = (self.uses_by_file(id).into_iter())
            .flat_map(|uses| (0..uses.len()).map(move |at| uses[at]));
        sites.map(|site| {
            let span = (site.line != NO_SPAN).then(|| LineSpan {
                line: site.line,
                start_column: u32::from(site.column),
                end_column: u32::from(site.column) + u32::from(site.width),
            });
            (site.file, site.start as usize..site.end as usize, span)
        })
    }

    /// The uses of `id`, one list per file, in path order.
    fn uses_by_file(&self, id: &str) -> Vec<Cow<'_, [UseSite]>> {
        let indexed = self.usages.get(id).map_or(&[][..], |sites| sites);
        let mut files: Vec<Cow<[UseSite]>> = (indexed.chunk_by(|a, b| a.file == b.file))
            .map(Cow::Borrowed)
            .chain(self.edited_uses(id).into_iter().map(Cow::Owned))
            .collect();
        let order = self.path_order();
        // Each rank read once: they are spread over the list of all files.
        files.sort_by_cached_key(|uses| order.rank(uses[0].file));
        files
    }

    /// [`Workspace::path_order`] if it is built: a few files' paths are
    /// better read from their entries than by sorting every path.
    pub fn built_path_order(&self) -> Option<&PathOrder> {
        self.path_order.get().map(|order| &**order)
    }

    /// Every file's path in byte order (see [`PathOrder`]): sorting
    /// thousands of files by rank reads no path (their entries lie all
    /// over memory, and paths share long prefixes). Built on first use
    /// after a file is added; a removed file's rank is left unused.
    pub fn path_order(&self) -> &PathOrder {
        self.path_order.get_or_init(|| {
            let paths = (self.files.iter()).map(|entry| entry.as_ref().map(|e| &*e.path));
            Arc::new(PathOrder::new(paths))
        })
    }

    /// The uses of `id` in each file being edited that uses it (see
    /// `edited`), with no line spans: their texts are in memory.
    fn edited_uses(&self, id: &str) -> Vec<Vec<UseSite>> {
        (self.edited.iter())
            .filter(|(_, edited)| edited.counts.contains_key(id))
            .map(|(&file, _)| {
                (self.summary(file).usages_of(id))
                    .map(|usage| UseSite {
                        file,
                        start: usage.range().start as u32,
                        end: usage.range().end as u32,
                        line: NO_SPAN,
                        column: 0,
                        width: 0,
                        counts_as: CountsAs::of(&usage.kind),
                    })
                    .collect()
            })
            .collect()
    }

    pub fn is_used(&self, id: &str) -> bool {
        // An id's list goes when its last use does.
        self.usages.contains_key(id)
            || self.outline_uses.contains(id)
            || self
                .edited
                .values()
                .any(|edited| edited.counts.contains_key(id))
    }

    /// The matcher for untagged mentions, built from every display name and alias.
    pub fn matcher(&self) -> Arc<Matcher> {
        self.matcher
            .get_or_init(|| Arc::new(Matcher::new(self.entities().map(|(_, _, d)| d))))
            .clone()
    }

    /// The untagged-name hits of a file, found once per version and
    /// matcher: in its prose alone for a file read once; for a file being
    /// edited in its whole text, so that after the next edit only the
    /// lines that changed are searched again.
    pub fn untagged_hits(&self, entry: &FileEntry) -> (Arc<Matcher>, Arc<Hits>) {
        let matcher = self.matcher();
        let hits = entry.name_hits.get(
            matcher.id(),
            || matcher.prose_hits(&entry.text(), &entry.summary.prose),
            |earlier| matcher.hits(&entry.text(), earlier),
        );
        (matcher, hits)
    }

    /// The value that `build` makes from the whole workspace, built once
    /// until a change affects other files (see [`Update`]): indexes that
    /// features keep of every file's definitions (completion's entity
    /// choices). One value per type: each caller's own type is its key.
    pub fn derived<T: Any + Send + Sync>(&self, build: fn(&Workspace) -> T) -> Arc<T> {
        let key = TypeId::of::<T>();
        let found = lock(&self.derived.0).get(&key).cloned();
        // Built without the lock: `build` may ask for another value.
        let value = found.unwrap_or_else(|| {
            let built: Arc<dyn Any + Send + Sync> = Arc::new(build(self));
            lock(&self.derived.0).entry(key).or_insert(built).clone()
        });
        value
            .downcast()
            .expect("values are kept under their own type")
    }

    /// Drops the indexes built from every file, after a change that affects them.
    fn forget_derived(&mut self) {
        self.matcher = Arc::default();
        self.derived = Derived::default();
    }

    fn index_quotes(&mut self, file: FileId, quotes: &[cross_file::SourcedQuote]) {
        for quote in quotes {
            match self.quotes.get_mut(&quote.key) {
                Some(sites) => Arc::make_mut(sites).add(file, quote.range.clone(), &quote.sources),
                None => {
                    let mut sites = QuoteSites::default();
                    sites.add(file, quote.range.clone(), &quote.sources);
                    self.quotes.insert(quote.key.clone(), Arc::new(sites));
                }
            }
        }
    }

    /// The sourced direct quotes with this text (a key of
    /// [`cross_file::sourced_quotes`]).
    pub fn quotes_with_text(&self, key: &str) -> Option<&QuoteSites> {
        self.quotes.get(key).map(|sites| &**sites)
    }

    fn index_definitions(&mut self, file: FileId, summary: &FileSummary) {
        for (index, definition) in summary.definitions.iter().enumerate() {
            let defs = self.definitions.entry(definition.id.clone()).or_default();
            Arc::make_mut(defs).push(DefinitionRef {
                file,
                index: index as u32,
            });
        }
        // Definitions answer in path order, so the result never depends on
        // which file happened to be indexed first. Each id is sorted once,
        // however often the file defines it.
        let ids: FxHashSet<&Name> = summary.definitions.iter().map(|d| &d.id).collect();
        for id in ids {
            if let Some(defs) = self.definitions.get(id)
                && defs.len() > 1
            {
                let mut sorted = defs.as_ref().clone();
                sorted.sort_by(|a, b| {
                    self.path(a.file)
                        .cmp(self.path(b.file))
                        .then(a.index.cmp(&b.index))
                });
                self.definitions.insert(id.clone(), Arc::new(sorted));
            }
        }
    }

    /// Removes a file's index entries and returns its old entry. `new` is
    /// the version about to replace it: when both are indexed and use the
    /// same ids in the same order (the file read again after a change of
    /// prose), its distinct ids are the old one's.
    fn unindex(&mut self, file: FileId, new: Option<&PreparedFile>) -> Option<FileEntry> {
        let entry = self.files.get(file.0 as usize)?.as_ref()?.clone();
        // Its uses are in `outline_uses`, with no file to take them from.
        debug_assert!(!entry.is_outline(), "an outline is never replaced");
        let summary = entry.summary.clone();
        let ids: FxHashSet<&Name> = summary.definitions.iter().map(|d| &d.id).collect();
        for id in ids {
            if let Some(defs) = self.definitions.get_mut(id) {
                Arc::make_mut(defs).retain(|r| r.file != file);
                if defs.is_empty() {
                    self.definitions.remove(id);
                }
            }
        }
        let edited = self.edited.remove(&file);
        let quotes = match &edited {
            Some(edited) => Cow::Borrowed(&edited.quotes[..]),
            None => Cow::Owned(entry.sourced_quotes()),
        };
        for quote in quotes.iter() {
            if let Some(sites) = self.quotes.get_mut(&quote.key) {
                let sites = Arc::make_mut(sites);
                sites.remove_file(file);
                if sites.sites.is_empty() {
                    self.quotes.remove(&quote.key);
                }
            }
        }
        // A file being edited has no uses in the index, and one about to
        // be edited keeps none. Otherwise the ids the new version uses
        // keep their uses until it replaces them in place (`merge_uses`);
        // the others lose this file's.
        let was_edited = edited.is_some();
        let gone: Vec<&str> = match new {
            _ if was_edited => Vec::new(),
            Some(new) if new.edited.is_some() => summary.distinct_ids(),
            Some(new) if same_ids(&summary, &new.summary) => Vec::new(),
            Some(new) => {
                let kept: FxHashSet<&str> = new.ids.iter().map(|(id, _)| &**id).collect();
                let mut gone = summary.distinct_ids();
                gone.retain(|id| !kept.contains(id));
                gone
            }
            None => summary.distinct_ids(),
        };
        for id in gone {
            if let Some(sites) = self.usages.get_mut(id) {
                let range = file_range(sites, file);
                if !range.is_empty() {
                    Arc::make_mut(sites).drain(range);
                }
                if sites.is_empty() {
                    self.usages.remove(id);
                }
            }
        }
        Some(entry)
    }
}

/// A file ready to join a workspace: what [`Workspace::add`] works out
/// from the file alone, so that the linter does it on every core and only
/// the index itself is built on one.
#[derive(Debug)]
pub struct PreparedFile {
    text: FileText,
    summary: Arc<FileSummary>,
    facts: u64,
    names: u64,
    /// Each id the file uses, in order of first use, with the end of its
    /// group in `sites`.
    ids: Vec<(Name, usize)>,
    /// The file's uses grouped by id, each group in text order; `file` is
    /// set when the file joins.
    sites: Vec<UseSite>,
    /// Its sourced direct quotes, found while its text is at hand.
    quotes: Vec<cross_file::SourcedQuote>,
    /// For an outline, the text of each of its claims.
    outline: Option<Box<[Box<str>]>>,
    /// For a file being edited (see [`PreparedFile::edited`]), how often
    /// it uses each id; its `ids` and `sites` are empty.
    edited: Option<FxHashMap<Name, UsageCounts>>,
}

impl PreparedFile {
    /// Parses and summarises `text`, then prepares it (with no line
    /// spans: see [`PreparedFile::new`]).
    pub fn parse(text: Arc<str>) -> Self {
        let summary = FileSummary::from_tree(&SyntaxTree::parse(text.clone()));
        Self::new(text, summary, None)
    }

    /// Prepares a file, with a line span in `span_encoding` for each use
    /// ([`LineSpan`]): for a file whose text will be parked, so that its
    /// places convert without reading it back. Every file of a workspace
    /// must have its spans in the same encoding. The linter shows no
    /// places from the index and keeps none; an open document's uses are
    /// not in the index (`PreparedFile::edited`).
    pub fn new(
        text: Arc<str>,
        summary: impl Into<Arc<FileSummary>>,
        span_encoding: Option<Encoding>,
    ) -> Self {
        let summary = summary.into();
        let (ids, sites) = use_sites(&summary, &text, span_encoding);
        let used: Vec<&str> = ids.iter().map(|(id, _)| &**id).collect();
        let facts = cross_file::facts(&summary, &used, &text);
        Self::full(text, summary, facts, ids, sites, None)
    }

    /// Prepares a file being edited (an open document): the workspace
    /// reads its uses from its summary instead of indexing them.
    /// `earlier` is the version it replaces, with its counts, when that
    /// was being edited too: the counts then change by the uses that
    /// differ, not the whole file's.
    fn edited(
        text: Arc<str>,
        summary: impl Into<Arc<FileSummary>>,
        earlier: Option<(&FileSummary, &FxHashMap<Name, UsageCounts>)>,
    ) -> Self {
        let summary = summary.into();
        let counts = match earlier {
            Some((old, counts)) => usage_counts_after(old, counts, &summary),
            None => {
                let mut counts = FxHashMap::default();
                count_uses(&mut counts, &summary.usages, UsageCounts::add);
                counts
            }
        };
        let used: Vec<&str> = counts.keys().map(|id| &**id).collect();
        let facts = cross_file::facts(&summary, &used, &text);
        Self::full(text, summary, facts, Vec::new(), Vec::new(), Some(counts))
    }

    /// A file with its whole text and summary, not an outline.
    fn full(
        text: Arc<str>,
        summary: Arc<FileSummary>,
        facts: u64,
        ids: Vec<(Name, usize)>,
        sites: Vec<UseSite>,
        edited: Option<FxHashMap<Name, UsageCounts>>,
    ) -> Self {
        let quotes = cross_file::sourced_quotes(&summary, |claim| {
            &text[summary.claims[claim as usize].text_range()]
        });
        Self {
            facts,
            names: names_hash(&summary),
            ids,
            sites,
            quotes,
            text: FileText::Held(text),
            summary,
            outline: None,
            edited,
        }
    }

    /// Keeps the file's text where `park` puts it (see [`FileText`]); the
    /// text stays in memory when `park` gives nothing back.
    pub fn park_text(&mut self, park: impl FnOnce(&Arc<str>) -> Option<FileText>) {
        if let FileText::Held(text) = &self.text
            && let Some(parked) = park(text)
        {
            self.text = parked;
        }
    }

    /// The file's outline: for a workspace built once and never changed
    /// (the linter's), where a large corpus would not fit with every text
    /// and summary. It keeps what other files' findings read (see
    /// [`crate::cross_file::outline`]); the ids it uses count as used
    /// ([`Workspace::is_used`]) but have no places (references, usage
    /// counts). The file's own findings come from its full entry
    /// ([`FileEntry::new`], [`crate::rules::diagnostics_of`]).
    pub fn outline(text: &str, summary: FileSummary) -> Self {
        let ids: Vec<(Name, usize)> = (summary.distinct_ids().into_iter())
            .map(|id| (Name::from(id), 0))
            .collect();
        let used: Vec<&str> = ids.iter().map(|(id, _)| &**id).collect();
        let facts = cross_file::facts(&summary, &used, text);
        let names = names_hash(&summary);
        let (outline, texts) = cross_file::outline(summary, text);
        let quotes = cross_file::sourced_quotes(&outline, |claim| &texts[claim as usize]);
        // Most articles define nothing and quote no one: they share one
        // empty summary, and every outline the empty text.
        static EMPTY: LazyLock<(Arc<str>, Arc<FileSummary>)> =
            LazyLock::new(|| (Arc::from(""), Arc::default()));
        let summary = if outline == FileSummary::default() {
            EMPTY.1.clone()
        } else {
            Arc::new(outline)
        };
        Self {
            text: FileText::Held(EMPTY.0.clone()),
            summary,
            facts,
            names,
            ids,
            sites: Vec::new(),
            quotes,
            outline: Some(texts),
            edited: None,
        }
    }

    pub fn summary(&self) -> &FileSummary {
        &self.summary
    }

    /// The hash of what other files' findings depend on (see `cross_file`).
    pub fn facts(&self) -> u64 {
        self.facts
    }
}

/// A file's uses on their way into the index (see [`PreparedFile`]),
/// each site's `file` set.
struct FileUses {
    ids: Vec<(Name, usize)>,
    sites: Vec<UseSite>,
}

impl FileUses {
    /// Each id with its uses.
    fn groups(&self) -> impl Iterator<Item = (&Name, &[UseSite])> {
        let starts = std::iter::once(0).chain(self.ids.iter().map(|(_, end)| *end));
        (self.ids.iter().zip(starts)).map(|((id, end), start)| (id, &self.sites[start..*end]))
    }
}

/// The uses of `files` of the ids that `take` accepts, by id; each id's
/// uses in the order of `files`, each file's in text order.
fn uses_by_id(files: &[FileUses], take: impl Fn(&str) -> bool) -> FxHashMap<&Name, Vec<UseSite>> {
    let mut by_id: FxHashMap<&Name, Vec<UseSite>> = FxHashMap::default();
    for uses in files {
        for (id, group) in uses.groups().filter(|(id, _)| take(id)) {
            by_id.entry(id).or_default().extend_from_slice(group);
        }
    }
    by_id
}

/// Where `file`'s uses lie in a list of uses sorted by file. A list that
/// spans a corpus is mostly out of the cache, so each probe waits on
/// memory, once per id of the file added again: one of the file's uses is
/// found by [`find_file`], then the ends of its run from there, in steps
/// that double (a 1 MB article's run of one id can be long).
fn file_range(sites: &[UseSite], file: FileId) -> Range<usize> {
    let at = match find_file(sites, file) {
        Ok(at) => at,
        Err(at) => return at..at,
    };
    let mut step = 1;
    while step <= at && sites[at - step].file == file {
        step *= 2;
    }
    let from = at.saturating_sub(step);
    let start = from + sites[from..at].partition_point(|site| site.file < file);
    let after = &sites[at..];
    let mut step = 1;
    while step < after.len() && after[step - 1].file == file {
        step *= 2;
    }
    let window = &after[..step.min(after.len())];
    start..at + window.partition_point(|site| site.file == file)
}

/// The index of one of `file`'s uses in a list sorted by file, or where
/// they would go. The files that use an id are spread over the corpus,
/// so the index is first guessed from where `file` falls between the
/// files at the ends of what is left: a few probes, where a binary search
/// takes one per halving.
fn find_file(sites: &[UseSite], file: FileId) -> Result<usize, usize> {
    // Files before `low` come before `file`; from `high` on, after it.
    let (mut low, mut high) = (0, sites.len());
    for _ in 0..8 {
        let Some(last) = high.checked_sub(1).filter(|&last| low <= last) else {
            return Err(low);
        };
        let (first_file, last_file) = (sites[low].file, sites[last].file);
        if file < first_file {
            return Err(low);
        }
        if last_file < file {
            return Err(high);
        }
        if file == first_file {
            return Ok(low);
        }
        if file == last_file {
            return Ok(last);
        }
        let share = u64::from(file.0 - first_file.0) * (last - low) as u64;
        let guess = low + (share / u64::from(last_file.0 - first_file.0)) as usize;
        match sites[guess].file.cmp(&file) {
            std::cmp::Ordering::Less => low = guess + 1,
            std::cmp::Ordering::Greater => high = guess,
            std::cmp::Ordering::Equal => return Ok(guess),
        }
    }
    let at = low + sites[low..high].partition_point(|site| site.file < file);
    match sites.get(at) {
        Some(site) if site.file == file => Ok(at),
        _ => Err(at),
    }
}

/// The uses of a file grouped by id (see [`PreparedFile`]), each with its
/// line span in `span_encoding` when it has one (see [`LineSpan`]).
fn use_sites(
    summary: &FileSummary,
    text: &str,
    span_encoding: Option<Encoding>,
) -> (Vec<(Name, usize)>, Vec<UseSite>) {
    let mut ids: Vec<(Name, usize)> = Vec::with_capacity(summary.usages.len());
    let mut group_of: FxHashMap<&str, usize> =
        FxHashMap::with_capacity_and_hasher(summary.usages.len(), FxBuildHasher);
    let mut in_order: Vec<(usize, UseSite)> = Vec::with_capacity(summary.usages.len());
    // Uses come in text order of their starts: each start is counted on
    // from the one before, and each width over the use alone, so that
    // nested uses (`[[A]@a]@b`) cost no more than others.
    let mut cursor = LineCursor::default();
    for usage in &summary.usages {
        let range = usage.range();
        let (line, column, width) = span_encoding
            .and_then(|encoding| {
                let start =
                    (summary.lines).position_after(text, range.start, encoding, &mut cursor);
                // Over 1,020 bytes, a use is wider than 255 columns in
                // every encoding (a column is at most 4 bytes).
                let inside = (text.get(range.clone())).filter(|inside| {
                    inside.len() <= 4 * 255 && first_line_len(inside) == inside.len()
                })?;
                Some((
                    start.line,
                    u16::try_from(start.column).ok()?,
                    u8::try_from(encoded_len(inside, encoding)).ok()?,
                ))
            })
            .unwrap_or((NO_SPAN, 0, 0));
        let site = UseSite {
            file: FileId(u32::MAX),
            start: range.start as u32,
            end: range.end as u32,
            line,
            column,
            width,
            counts_as: CountsAs::of(&usage.kind),
        };
        let group = *group_of.entry(&usage.id).or_insert_with(|| {
            ids.push((usage.id.clone(), 0));
            ids.len() - 1
        });
        ids[group].1 += 1;
        in_order.push((group, site));
    }
    // A counting sort by group keeps each group in text order; each id's
    // count becomes the end of its group.
    let mut next: Vec<usize> = Vec::with_capacity(ids.len());
    let mut end = 0;
    for (_, count) in &mut ids {
        next.push(end);
        end += *count;
        *count = end;
    }
    let Some(&(_, first)) = in_order.first() else {
        return (ids, Vec::new());
    };
    let mut sites = vec![first; end];
    for (group, site) in in_order {
        sites[next[group]] = site;
        next[group] += 1;
    }
    (ids, sites)
}

/// `counts` (those of `old`) changed to those of `new`: the uses between
/// the runs that both versions start and end with, with the same ids
/// counted the same way, are taken off and added. An edit changes a few
/// uses of a file that may have ten thousand.
fn usage_counts_after(
    old: &FileSummary,
    counts: &FxHashMap<Name, UsageCounts>,
    new: &FileSummary,
) -> FxHashMap<Name, UsageCounts> {
    let same =
        |(a, b): (&Usage, &Usage)| a.id == b.id && CountsAs::of(&a.kind) == CountsAs::of(&b.kind);
    let (old, new) = (&old.usages[..], &new.usages[..]);
    let start = old.iter().zip(new).take_while(|&pair| same(pair)).count();
    let (old, new) = (&old[start..], &new[start..]);
    let end = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take_while(|&pair| same(pair))
        .count();
    let (gone, came) = (&old[..old.len() - end], &new[..new.len() - end]);
    let mut counts = counts.clone();
    count_uses(&mut counts, gone, UsageCounts::take);
    counts.retain(|_, counts| counts.total() > 0);
    count_uses(&mut counts, came, UsageCounts::add);
    counts
}

/// Applies `change` (count a use, or take it off) for each of `usages`.
fn count_uses(
    counts: &mut FxHashMap<Name, UsageCounts>,
    usages: &[Usage],
    change: fn(&mut UsageCounts, CountsAs),
) {
    for usage in usages {
        change(
            counts.entry(usage.id.clone()).or_default(),
            CountsAs::of(&usage.kind),
        );
    }
}

/// Whether two summaries use the same ids in the same order.
fn same_ids(old: &FileSummary, new: &FileSummary) -> bool {
    old.usages.len() == new.usages.len()
        && old
            .usages
            .iter()
            .zip(&new.usages)
            .all(|(a, b)| a.id == b.id)
}

/// The lines that hold the text of a file's claims: ranges of whole
/// lines, in text order, joined where they share a line.
fn claim_lines(text: &str, summary: &FileSummary) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut lines: Vec<Range<usize>> = Vec::new();
    for claim in summary.outermost_claims() {
        let range = claim.text_range();
        // A claim on lines already taken costs nothing: ten thousand
        // claims on one long line must not each look for its ends.
        let line_end = |at: usize| at + first_line_len(&bytes[at..]);
        match lines.last_mut() {
            Some(last) if range.end <= last.end => {}
            Some(last) if range.start <= last.end => last.end = line_end(range.end),
            _ => lines.push(last_line_start(&bytes[..range.start])..line_end(range.end)),
        }
    }
    lines
}

/// A lock that a panic elsewhere does not poison: what it guards (hits,
/// derived values) is either found or not.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The hash of the names and aliases a file defines: what the untagged
/// mention matcher is built from.
fn names_hash(summary: &FileSummary) -> u64 {
    let mut hasher = Xxh3::default();
    for definition in &summary.definitions {
        definition.id.hash(&mut hasher);
        definition.name.hash(&mut hasher);
        definition
            .property("aliases")
            .map(|p| &p.value)
            .hash(&mut hasher);
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn a_files_range_is_found_in_lists_of_every_shape() {
        let list = |files: &[u32]| -> Vec<UseSite> {
            (files.iter())
                .map(|&file| UseSite {
                    file: FileId(file),
                    start: 0,
                    end: 0,
                    line: 0,
                    column: 0,
                    width: 0,
                    counts_as: CountsAs::Mention,
                })
                .collect()
        };
        let even: Vec<u32> = (0..300).map(|i| i / 3 * 7).collect();
        let clustered: Vec<u32> = (0..300)
            .map(|i| if i < 290 { i / 10 } else { 9_000 + i })
            .collect();
        let mut long_run = vec![2; 1_000];
        long_run.extend([1, 3]);
        long_run.sort();
        let mut shapes = vec![vec![], vec![5], vec![5; 40], even, clustered, long_run];
        shapes.push((0..200).map(|i| i * i).collect());
        for files in shapes {
            let sites = list(&files);
            for file in (0..files.last().map_or(3, |f| f + 3)).map(FileId) {
                let start = sites
                    .iter()
                    .position(|s| s.file >= file)
                    .unwrap_or(sites.len());
                let end = start + sites[start..].iter().take_while(|s| s.file == file).count();
                assert_eq!(
                    file_range(&sites, file),
                    start..end,
                    "{file:?} in {files:?}"
                );
            }
        }
    }

    #[test]
    fn a_version_starts_from_the_last_one_searched_whole() {
        let searched = std::cell::RefCell::new(Vec::new());
        let search = |text: &'static str, seed: Option<(&str, &LineHits<()>)>| {
            LineHits::of_text(1, text, seed, |range: Range<usize>| {
                searched.borrow_mut().push((range.start, range.end));
                (text[range.clone()].match_indices("allegedly"))
                    .map(|(at, word)| (range.start + at..range.start + at + word.len(), ()))
                    .collect()
            })
        };
        let texts = ["allegedly\n", "allegedly,\n", "allegedly, \n"];
        let first = Searched::default();
        first.get(1, || LineHits::partial(1, Vec::new()), |_| unreachable!());
        // The first edit has nothing whole to start from: it searches
        // all; the second, skipped, leaves the third to start from it.
        let second = Searched::after(&first, || texts[0].into());
        let hits = second.get(1, || unreachable!(), |seed| search(texts[1], seed));
        assert!(hits.of_whole_text());
        assert_eq!(searched.take(), [(0, texts[1].len())]);
        let skipped = Searched::after(&second, || texts[1].into());
        let third = Searched::after(&skipped, || texts[2].into());
        let hits = third.get(
            1,
            || unreachable!(),
            |seed| {
                assert_eq!(seed.map(|(text, _)| text), Some(texts[1]));
                search(texts[2], seed)
            },
        );
        // Only its changed line (the break after it is no part of it).
        assert_eq!(searched.take(), [(0, texts[2].len() - 1)]);
        assert_eq!(hits.hits(), [(0..9, ())]);
        // Found once per version and searcher.
        let again = third.get(1, || unreachable!(), |_| unreachable!());
        assert!(Arc::ptr_eq(&hits, &again));
    }

    #[test]
    fn claim_lines_are_whole_lines_joined_where_claims_share_one() {
        let text = "a {b} {c}\r\nd\n{e\rf} g\n{h} {i\nj} k\n\n{l}";
        let summary = FileSummary::from_tree(&SyntaxTree::parse(text));
        let lines: Vec<&str> = (claim_lines(text, &summary).into_iter())
            .map(|lines| &text[lines])
            .collect();
        assert_eq!(lines, ["a {b} {c}", "{e\rf} g", "{h} {i\nj} k", "{l}"]);
    }

    #[test]
    fn a_file_being_edited_is_searched_whole_so_that_its_next_edit_starts_from_its_hits() {
        let mut ws = Workspace::default();
        ws.set_file("r.nmk", "@x: Xavier\n".into());
        let hits = |ws: &Workspace| ws.untagged_hits(ws.entry(ws.file("a.nmk").unwrap())).1;
        ws.set_file("a.nmk", "Xavier met [Xavier]@x.\n".into());
        assert!(!hits(&ws).of_whole_text(), "a file read once: its prose");
        for text in ["Xavier met [Xavier]@x!\n", "Xavier, [Xavier]@x!\n"] {
            ws.set_parsed("a.nmk", &SyntaxTree::parse(text));
            assert_eq!(*hits(&ws), ws.matcher().hits(text, None), "{text}");
            assert!(hits(&ws).of_whole_text(), "{text}");
        }
        // Closed, its text parked: a file read once again.
        #[derive(Debug)]
        struct Parked(Arc<str>);
        impl crate::ParkedText for Parked {
            fn read(&self) -> Arc<str> {
                self.0.clone()
            }
        }
        let mut closed = PreparedFile::parse("Xavier met [Xavier]@x.\n".into());
        closed.park_text(|text| Some(FileText::Parked(Arc::new(Parked(text.clone())))));
        ws.add("a.nmk", closed);
        assert!(!hits(&ws).of_whole_text());
        assert!(!ws.entry(ws.file("a.nmk").unwrap()).name_hits.is_edited());
    }

    #[test]
    fn the_hedging_words_of_a_file_being_edited_are_found_on_all_its_lines() {
        let mut ws = Workspace::default();
        let lexicon = crate::lexicon::Lexicon::default();
        let finder = lexicon.finder(None, crate::lexicon::List::Hedges);
        let words = |ws: &Workspace| {
            let entry = ws.entry(ws.file("a.nmk").unwrap());
            let words = entry.hedge_words(&entry.text(), finder);
            let found = words.hits().iter().map(|(word, ())| word.start).collect();
            (words.of_whole_text(), found)
        };
        let text = "Allegedly so.\n\n{It allegedly was | @x}.\n";
        ws.set_file("a.nmk", text.into());
        assert_eq!(
            words(&ws),
            (false, vec![19]),
            "a file read once: its claims' lines"
        );
        for text in [text, "Allegedly so.\n\n{It allegedly was}.\n"] {
            ws.set_parsed("a.nmk", &SyntaxTree::parse(text));
            assert_eq!(words(&ws), (true, vec![0, 19]), "{text}");
        }
    }

    #[test]
    fn the_quote_index_follows_edits_and_removals() {
        let mut ws = Workspace::default();
        ws.set_file("b.nmk", "{“a  quote” | @y, @x}\n".into());
        ws.set_file(
            "a.nmk",
            "Before {\"a quote\" | @x} and {\"a quote\" | @x}\n".into(),
        );
        let sites = |ws: &Workspace| -> Vec<(String, Range<usize>, Vec<String>)> {
            let Some(quotes) = ws.quotes_with_text("a quote") else {
                return Vec::new();
            };
            (quotes.sites.iter())
                .map(|(file, range, group)| {
                    let sources = quotes.groups[*group as usize].0.iter();
                    let sources = sources.map(|id| id.to_string()).collect();
                    (ws.path(*file).to_owned(), range.clone(), sources)
                })
                .collect()
        };
        let x = || vec!["x".to_owned()];
        assert_eq!(
            sites(&ws),
            [
                (
                    "b.nmk".to_owned(),
                    0..25,
                    vec!["x".to_owned(), "y".to_owned()]
                ),
                ("a.nmk".to_owned(), 7..23, x()),
                ("a.nmk".to_owned(), 28..44, x()),
            ]
        );
        ws.set_file(
            "a.nmk",
            "{\"a quote\" | @x} and {\"another\" | @x}\n".into(),
        );
        assert_eq!(sites(&ws)[1..], [("a.nmk".to_owned(), 0..16, x())]);
        ws.remove_file("b.nmk");
        assert_eq!(sites(&ws), [("a.nmk".to_owned(), 0..16, x())]);
        // Sources typed a keystroke at a time leave no groups behind.
        for sources in ["@x", "@xy", "@xyz", "@x"] {
            ws.set_file("c.nmk", format!("{{\"a quote\" | {sources}}}\n").into());
        }
        let quotes = ws.quotes_with_text("a quote").unwrap();
        assert_eq!(quotes.groups.len(), quotes.group_of.len());
        assert!(quotes.groups.len() <= 2, "{:?}", quotes.groups);
        assert_eq!(
            quotes.others(ws.file("a.nmk").unwrap(), &["y".into()], 5).0,
            1
        );
        ws.remove_file("c.nmk");
        ws.set_file("a.nmk", "No quotes.\n".into());
        assert!(sites(&ws).is_empty());
        assert!(ws.quotes.is_empty(), "no empty lists are kept");
    }

    #[test]
    fn an_edited_files_kept_quotes_are_those_of_its_version() {
        let other = "{\"a quote\" | @y} {\"b quote\" | @x}\n";
        let versions = [
            (true, "{\"a quote\" | @x}\n"),
            (true, "{\"a quote\" | @x} {\"b quote\" | @z}\n"),
            (false, "{\"b quote\" | @z}\n"),
            (true, "No quote.\n"),
            (true, "{\"b quote\" | @z} {\"a quote\" | @y}\n"),
            (false, "{\"a quote\" | @z}\n"),
        ];
        let findings = |ws: &Workspace| -> Vec<(Range<usize>, String)> {
            (crate::rules::diagnostics(ws, ws.file("f.nmk").unwrap()).into_iter())
                .filter(|d| d.code == crate::Code::ConflictingAttribution)
                .map(|d| (d.range, d.message.into_owned()))
                .collect()
        };
        let sites = |ws: &Workspace, key: &str| -> Vec<(String, Range<usize>)> {
            (ws.quotes_with_text(key).into_iter())
                .flat_map(|quotes| &quotes.sites)
                .map(|(file, range, _)| (ws.path(*file).to_owned(), range.clone()))
                .collect()
        };
        let mut ws = Workspace::default();
        ws.set_file("other.nmk", other.into());
        for (edited, text) in versions {
            if edited {
                ws.set_parsed("f.nmk", &SyntaxTree::parse(text));
            } else {
                ws.set_file("f.nmk", text.into());
            }
            // The file read from disk: its quotes found from its claims.
            let mut fresh = Workspace::default();
            fresh.set_file("other.nmk", other.into());
            fresh.set_file("f.nmk", text.into());
            assert_eq!(findings(&ws), findings(&fresh), "{text:?}");
            for key in ["a quote", "b quote"] {
                assert_eq!(
                    sites(&ws, key),
                    sites(&fresh, key),
                    "{key:?} after {text:?}"
                );
            }
        }
        assert!(!findings(&ws).is_empty());
        // Removed while being edited.
        ws.set_parsed("f.nmk", &SyntaxTree::parse(versions[1].1));
        assert_eq!(findings(&ws).len(), 2);
        ws.remove_file("f.nmk");
        assert_eq!(sites(&ws, "a quote"), [("other.nmk".to_owned(), 0..16)]);
    }

    #[test]
    fn other_quotes_are_counted_without_the_files_own_and_its_groups() {
        let mut ws = Workspace::default();
        for n in 0..10 {
            ws.set_file(&format!("x{n}.nmk"), "{\"q\" | @x}\n".into());
        }
        ws.set_file(
            "mixed.nmk",
            "{\"q\" | @y} {\"q\" | @x} {\"q\" | @z}\n".into(),
        );
        ws.set_file("y.nmk", "{\"q\" | @y}\n".into());
        let quotes = ws.quotes_with_text("q").unwrap();
        let x: &[Name] = &["x".into()];
        let y: &[Name] = &["y".into()];
        let names = |(count, sites): (usize, Vec<QuoteSite<'_>>)| {
            let sites: Vec<String> = (sites.iter())
                .map(|(file, range, sources)| {
                    format!("{}@{}:{}", ws.path(*file), range.start, sources[0])
                })
                .collect();
            (count, sites)
        };
        // From x0: every quote but its own group's (x1..x9 and mixed's @x).
        assert_eq!(
            names(quotes.others(ws.file("x0.nmk").unwrap(), x, 5)),
            (
                3,
                vec![
                    "mixed.nmk@0:y".to_owned(),
                    "mixed.nmk@22:z".to_owned(),
                    "y.nmk@0:y".to_owned()
                ]
            )
        );
        // From mixed: its own quotes are not counted, whatever their sources.
        assert_eq!(
            names(quotes.others(ws.file("mixed.nmk").unwrap(), y, 2)),
            (10, vec!["x0.nmk@0:x".to_owned(), "x1.nmk@0:x".to_owned()])
        );
        // Sources that no quote has: every quote of the other files.
        assert_eq!(
            quotes.others(ws.file("y.nmk").unwrap(), &["w".into()], 0).0,
            13
        );
    }

    #[test]
    fn derived_values_follow_changes_that_affect_other_files() {
        fn names(ws: &Workspace) -> Vec<String> {
            let mut names: Vec<String> = ws
                .entities()
                .map(|(_, _, d)| d.display_name().to_owned())
                .collect();
            names.sort();
            names
        }
        let mut ws = Workspace::default();
        ws.set_file("people.nmk", "@a: Ann\n".into());
        assert_eq!(*ws.derived(names), ["Ann"]);
        let snapshot = ws.clone();
        ws.set_file("people.nmk", "@a: Anna\n".into());
        assert_eq!(*ws.derived(names), ["Anna"]);
        assert_eq!(*snapshot.derived(names), ["Ann"]);
        ws.set_file("article.nmk", "Prose\n".into());
        ws.remove_file("people.nmk");
        assert!(ws.derived(names).is_empty());
    }

    #[test]
    fn updating_a_file_replaces_only_its_index_entries() {
        let mut ws = Workspace::default();
        ws.set_file("people.nmk", "@a: A\n  kind: person\n\n@b: B\n".into());
        let article = ws
            .set_file("article.nmk", "[A]@a said {x | @a} @b\n".into())
            .file;
        assert_eq!(
            ws.file_counts("a"),
            [(
                article,
                UsageCounts {
                    mentions: 1,
                    references: 0,
                    sourced_claims: 1
                }
            )]
        );
        let update = ws.set_file("article.nmk", "@b only\n".into());
        assert_eq!(update.file, article);
        assert!(update.affects_other_files);
        assert!(!ws.is_used("a"));
        assert!(ws.is_used("b"));
        let update = ws.set_file("article.nmk", "@b only, more prose\n".into());
        assert!(!update.affects_other_files);
        // Opened in an editor (its uses leave the index), then closed: the
        // same facts either way.
        for _ in 0..2 {
            let text = "@b and @a, more prose\n";
            ws.set_file("article.nmk", text.into());
            let opened = ws.set_parsed("article.nmk", &SyntaxTree::parse(text));
            assert!(!opened.affects_other_files);
            assert!(!ws.set_file("article.nmk", text.into()).affects_other_files);
        }
        ws.remove_file("people.nmk");
        assert!(ws.entity("a").is_none());
        assert_eq!(ws.file_count(), 1);
    }

    #[test]
    fn uses_know_their_line_span_in_the_encoding_they_were_prepared_in() {
        let far = format!("{} @a\n{} @a\n", "x".repeat(65_534), "x".repeat(65_535));
        let wide = format!("[{}]@a [{}]@a\n", "я".repeat(251), "я".repeat(252));
        let files = [
            ("a.nmk", "한국 @a\n"),
            ("b.nmk", "Intro\r\n[A]@a and @a\r\n"),
            ("c.nmk", "[Ann\nB]@a\n"),
            ("d.nmk", "Лавров\r@a 🇰🇷 [Б]@a\n"),
            ("e.nmk", &far),
            ("f.nmk", "🇰🇷 [Сергей Лавров]@a, [서울]@a\n"),
            ("g.nmk", &wide),
        ];
        let span = |line, start_column, end_column| {
            Some(LineSpan {
                line,
                start_column,
                end_column,
            })
        };
        // Each use's span in UTF-8, UTF-16 and UTF-32: Hangul, Cyrillic
        // and emoji before a use and inside it count as each encoding
        // counts them; a use over two lines, one past column 65,535 and
        // one wider than 255 columns have no span.
        let spans = [
            [span(0, 7, 9), span(0, 3, 5), span(0, 3, 5)],
            [span(1, 0, 5); 3],
            [span(1, 10, 12); 3],
            [None; 3],
            [span(1, 0, 2); 3],
            [span(1, 12, 18), span(1, 8, 13), span(1, 6, 11)],
            [span(0, 65_535, 65_537); 3],
            [None; 3],
            [span(0, 9, 38), span(0, 5, 22), span(0, 3, 20)],
            [span(0, 40, 50), span(0, 24, 30), span(0, 22, 28)],
            [None, span(0, 0, 255), span(0, 0, 255)],
            [None; 3],
        ];
        let encodings = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32];
        for (column, encoding) in encodings.into_iter().enumerate() {
            let mut ws = Workspace::default();
            for (path, text) in files {
                ws.add(path, prepared_with_spans(text, encoding));
            }
            let uses: Vec<_> = ws.uses_of("a").collect();
            let found: Vec<_> = uses.iter().map(|(_, _, span)| *span).collect();
            let expected = spans.map(|by_encoding| by_encoding[column]);
            assert_eq!(found, expected, "{encoding:?}");
            // Each span is where the one conversion puts the use.
            for (file, range, span) in uses {
                let Some(span) = span else { continue };
                let (start, end) = (ws.summary(file).lines).range(&ws.text(file), range, encoding);
                assert_eq!(
                    (start.line, start.column, end.column),
                    (span.line, span.start_column, span.end_column)
                );
            }
        }
        // A file prepared without an encoding (the linter's files) keeps
        // no spans, nor does an open document (its uses are read from its
        // summary).
        let mut ws = Workspace::default();
        ws.set_file("a.nmk", "@a\n".into());
        ws.set_summary(
            "b.nmk",
            "@a\n".into(),
            FileSummary::from_tree(&SyntaxTree::parse("@a\n")),
        );
        let spans: Vec<_> = ws.uses_of("a").map(|(_, _, span)| span).collect();
        assert_eq!(spans, [None, None]);
    }

    /// A file prepared as the language server's scan prepares it: with
    /// its uses' line spans in `encoding`.
    fn prepared_with_spans(text: &str, encoding: Encoding) -> PreparedFile {
        let text: Arc<str> = text.into();
        let summary = FileSummary::from_tree(&SyntaxTree::parse(text.clone()));
        PreparedFile::new(text, summary, Some(encoding))
    }

    #[test]
    fn uses_come_in_path_order_whatever_order_files_came_in() {
        let mut ws = Workspace::default();
        let paths_of_uses = |ws: &Workspace| -> Vec<String> {
            (ws.uses_of("a"))
                .map(|(file, _, _)| ws.path(file).to_owned())
                .collect()
        };
        // `-` sorts before `/`: paths compare as bytes, not as components.
        for path in ["c.nmk", "a/b.nmk", "a-c.nmk"] {
            ws.set_file(path, "@a @a\n".into());
        }
        let edited = FileSummary::from_tree(&SyntaxTree::parse("@a\n"));
        ws.set_summary("b.nmk", "@a\n".into(), edited);
        assert_eq!(
            paths_of_uses(&ws),
            [
                "a-c.nmk", "a-c.nmk", "a/b.nmk", "a/b.nmk", "b.nmk", "c.nmk", "c.nmk"
            ]
        );
        // Files added after the order was found, and one removed.
        ws.set_file("0.nmk", "@a\n".into());
        ws.set_file("bb.nmk", "@a\n".into());
        ws.remove_file("c.nmk");
        let all = [
            "0.nmk", "a-c.nmk", "a-c.nmk", "a/b.nmk", "a/b.nmk", "b.nmk", "bb.nmk",
        ];
        assert_eq!(paths_of_uses(&ws), all);
        // A copy taken before a removal (and after an addition, so that
        // the order is still to be found) keeps its order, whichever of the
        // two finds it first.
        ws.set_file("z.nmk", "@a\n".into());
        let copy = ws.clone();
        ws.remove_file("bb.nmk");
        ws.path_order();
        assert_eq!(paths_of_uses(&copy), [&all[..], &["z.nmk"]].concat());
        assert_eq!(paths_of_uses(&ws), [&all[..6], &["z.nmk"]].concat());
    }

    #[test]
    fn an_edit_of_prose_moves_the_uses_after_it() {
        let mut ws = Workspace::default();
        let edit = |text| prepared_with_spans(text, Encoding::Utf16);
        let file = ws.add("a.nmk", edit("x @a and @b @a\n")).file;
        // The same ids in the same order, as after most edits of prose.
        ws.add("a.nmk", edit("xyz @a and @b @a\n"));
        let span = |start_column, end_column| {
            Some(LineSpan {
                line: 0,
                start_column,
                end_column,
            })
        };
        assert_eq!(
            ws.uses_of("a").collect::<Vec<_>>(),
            [(file, 4..6, span(4, 6)), (file, 14..16, span(14, 16))]
        );
        assert_eq!(ws.file_counts("b")[0].1.references, 1);
    }

    #[test]
    fn uses_after_many_edits_equal_a_fresh_index() {
        // Deterministic pseudo-random edits: ids added, dropped, moved,
        // used as references, mentions and sources, files removed and
        // added back, one by one as files being edited (uses read from
        // their summaries) or read again (indexed), and in batches
        // (indexed), so that files go from one to the other.
        let mut state = 7u64;
        let mut next = move |n: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % n
        };
        let mut ws = Workspace::default();
        let mut texts: BTreeMap<String, String> = BTreeMap::new();
        for round in 0..400 {
            let path = format!("{}.nmk", next(12));
            if next(9) == 0 {
                ws.remove_file(&path);
                texts.remove(&path);
                continue;
            }
            let text: String = (0..next(8))
                .map(|_| match next(3) {
                    0 => format!("x{} @e{} ", next(3), next(6)),
                    1 => format!("[x{}]@e{} ", next(3), next(6)),
                    _ => format!("{{x{} | @e{}}} ", next(3), next(6)),
                })
                .collect();
            if round % 7 == 0 {
                let other = format!("{}.nmk", next(12));
                let other_text = format!("@e{} @e{}\n", next(6), next(6));
                ws.add_all([
                    (path.as_str(), PreparedFile::parse(text.clone().into())),
                    (
                        other.as_str(),
                        PreparedFile::parse(other_text.clone().into()),
                    ),
                ]);
                texts.insert(other, other_text);
            } else if next(3) == 0 {
                ws.set_file(&path, text.clone().into());
            } else {
                ws.set_parsed(&path, &SyntaxTree::parse(text.as_str()));
            }
            texts.insert(path, text);
        }
        let mut fresh = Workspace::default();
        fresh.add_all(
            (texts.iter()).map(|(path, text)| (path, PreparedFile::parse(text.clone().into()))),
        );
        let uses = |ws: &Workspace, id: &str| -> Vec<(String, Range<usize>)> {
            ws.uses_of(id)
                .map(|(file, range, _)| (ws.path(file).to_owned(), range))
                .collect()
        };
        let counts = |ws: &Workspace, id: &str| -> Vec<(String, UsageCounts)> {
            let mut counts: Vec<_> = (ws.file_counts(id).into_iter())
                .map(|(file, counts)| (ws.path(file).to_owned(), counts))
                .collect();
            counts.sort_by(|a, b| a.0.cmp(&b.0));
            counts
        };
        for id in (0..6).map(|id| format!("e{id}")) {
            assert_eq!(uses(&ws, &id), uses(&fresh, &id), "@{id}");
            assert_eq!(counts(&ws, &id), counts(&fresh, &id), "@{id}");
            assert_eq!(ws.is_used(&id), fresh.is_used(&id), "@{id}");
        }
    }

    #[test]
    fn an_edited_files_counts_change_by_the_uses_that_differ() {
        // Each version differs from the one before in the middle, at the
        // ends, in an id, in how an id is used (mention, reference,
        // source), or by a use that is the id's last or first.
        let versions = [
            "[A]@a @b {c | @c} @a\n",
            "[A]@a @b @d {c | @c} @a\n",
            "[A]@a [B]@b @d {c | @c} @a\n",
            "[A]@a [B]@b {c | @c} @a\n",
            "@e [A]@a [B]@b {c | @a} @a\n",
            "@e [A]@a [B]@b {c | @a} @a @c\n",
            "@e @a\n",
            "\n",
            "@a @a @a\n",
            "@a @b @a\n",
            "@a @a\n",
            "@a @a @a\n",
            "@a\n",
        ];
        let mut ws = Workspace::default();
        for text in versions {
            ws.set_parsed("f.nmk", &SyntaxTree::parse(text));
            let mut fresh = Workspace::default();
            fresh.set_parsed("f.nmk", &SyntaxTree::parse(text));
            for id in ["a", "b", "c", "d", "e"] {
                let counts = |ws: &Workspace| -> Vec<UsageCounts> {
                    (ws.file_counts(id).into_iter())
                        .map(|(_, counts)| counts)
                        .collect()
                };
                assert_eq!(counts(&ws), counts(&fresh), "@{id} in {text:?}");
                assert_eq!(ws.is_used(id), fresh.is_used(id), "@{id} in {text:?}");
            }
            let file = ws.file("f.nmk").unwrap();
            let mut ids: Vec<&Name> = ws.ids_edited_in(file, ws.entry(file)).unwrap().collect();
            ids.sort();
            let file = fresh.file("f.nmk").unwrap();
            let mut fresh_ids: Vec<&Name> =
                (fresh.ids_edited_in(file, fresh.entry(file)).unwrap()).collect();
            fresh_ids.sort();
            assert_eq!(ids, fresh_ids, "{text:?}");
        }
    }

    #[test]
    fn adding_many_files_at_once_indexes_as_adding_them_one_by_one() {
        // Enough ids that both halves of the hash space get some.
        let file = |n: usize| -> (String, Arc<str>) {
            let uses: String = (0..40).map(|id| format!("@e{} ", (id * n) % 97)).collect();
            (format!("{n}.nmk"), format!("{uses}[E]@e{n}\n").into())
        };
        let mut files: Vec<(String, Arc<str>)> = (0..30).map(file).collect();
        // A path met twice in one batch: the second version wins.
        files.push(("3.nmk".into(), "@e3 again\n".into()));
        files.push(("registry.nmk".into(), "@e1: One\n@e2: Two\n".into()));
        let mut one_by_one = Workspace::default();
        for (path, text) in &files {
            one_by_one.set_file(path, text.clone());
        }
        let mut at_once = Workspace::default();
        let updates = at_once.add_all(
            files
                .iter()
                .map(|(path, text)| (path.as_str(), PreparedFile::parse(text.clone()))),
        );
        assert_eq!(updates.len(), files.len());
        assert_eq!(updates[3].file, updates[30].file);
        assert_eq!(at_once.file_count(), one_by_one.file_count());
        for id in (0..97).map(|id| format!("e{id}")) {
            assert_eq!(
                at_once.uses_of(&id).collect::<Vec<_>>(),
                one_by_one.uses_of(&id).collect::<Vec<_>>(),
                "uses of {id}"
            );
            assert_eq!(at_once.definitions_of(&id), one_by_one.definitions_of(&id));
        }
        assert!(at_once.is_used("e3"));
        let counts = |ws: &Workspace| {
            let mut counts: Vec<_> = (ws.file_counts("e90").into_iter())
                .map(|(file, counts)| (ws.path(file).to_owned(), counts))
                .collect();
            counts.sort_by(|a, b| a.0.cmp(&b.0));
            counts
        };
        assert_eq!(counts(&at_once), counts(&one_by_one));
    }

    /// The language server builds the matcher on a copy of the
    /// workspace (a snapshot) while the state thread may change the
    /// original: it is built once for both, until the names change (not
    /// with prose, nor with a new article that defines nothing).
    #[test]
    fn a_copy_and_its_original_share_one_matcher() {
        let mut ws = Workspace::default();
        ws.set_file("registry.nmk", "@a: Ann\n".into());
        let copy = ws.clone();
        let built = copy.matcher();
        assert!(Arc::ptr_eq(&built, &ws.matcher()));
        ws.set_file("registry.nmk", "@a: Ann\n\nSee also.\n".into());
        ws.set_file("article.nmk", "Ann said so.\n".into());
        assert!(Arc::ptr_eq(&built, &ws.matcher()));
        ws.set_file("people.nmk", "@b: Bob\n".into());
        let with_bob = ws.matcher();
        assert!(!Arc::ptr_eq(&built, &with_bob));
        // Built by the original this time, and read by a copy.
        ws.set_file("registry.nmk", "@a: Anna\n".into());
        let copy = ws.clone();
        let built = ws.matcher();
        assert!(!Arc::ptr_eq(&built, &with_bob));
        assert!(Arc::ptr_eq(&built, &copy.matcher()));
    }

    #[test]
    fn duplicate_definitions_answer_in_path_order() {
        let mut ws = Workspace::default();
        ws.set_file("z.nmk", "@a: From Z\n".into());
        ws.set_file("m.nmk", "@a: From M\n".into());
        assert_eq!(ws.definitions_of("a").len(), 2);
        assert_eq!(ws.entity("a").unwrap().1.name.as_deref(), Some("From M"));
    }

    #[test]
    fn an_id_is_defined_while_some_file_defines_it() {
        let mut ws = Workspace::default();
        ws.set_file("z.nmk", "@a: From Z\n".into());
        ws.set_file("m.nmk", "@a: From M\n".into());
        ws.set_file("z.nmk", "@b: Bob\n".into());
        assert!(ws.is_defined("a") && ws.is_defined("b"));
        ws.set_file("m.nmk", "Nothing here.\n".into());
        assert!(!ws.is_defined("a"));
        assert_eq!(ws.definitions_of("a"), &[]);
    }
}
