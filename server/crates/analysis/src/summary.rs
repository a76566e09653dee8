//! The per-file summary: everything the workspace needs to know about a
//! file, as plain data with byte ranges, built in one walk over its tree.
//!
//! Summaries are what the workspace keeps for every file (trees are kept
//! only for open documents, by the LSP layer), so every cross-file feature
//! (definitions, references, hover counts, rules) reads them and nothing else.

use std::ops::Range;
use std::sync::Arc;

use newsmark_syntax::position::LineIndex;
use newsmark_syntax::{
    ChangedParts, MAX_QUOTE_DEPTH, Quotation, QuoteKind, QuotePart, StanceKind, Syntax,
    SyntaxError, SyntaxTree, TopLevel, WalkEvent,
};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

/// An entity id: inline up to 23 bytes (every id in practice), so a use
/// costs no allocation; longer ids are shared.
pub type Name = smol_str::SmolStr;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSummary {
    /// Entity definitions, in text order.
    pub definitions: Vec<Definition>,
    /// Every use of an entity id, sorted by start: references, mentions,
    /// claim sources and references inside property values. A claim's
    /// sources are found here ([`FileSummary::sources`]), not copied.
    pub usages: Vec<Usage>,
    /// Claims in text order (an outer claim before the claims inside it).
    pub claims: Vec<Claim>,
    /// Claim labels (`}#munitions`), in text order.
    pub labels: Vec<Label>,
    /// The stances claims take (`@seoul denies #munitions`), in text order.
    pub stances: Vec<Stance>,
    /// Hedge cues (`~[allegedly]`), in text order.
    pub hedges: Vec<Hedge>,
    pub headings: Vec<Heading>,
    pub front_matter: Option<FrontMatter>,
    /// Definitions and front matter the parser could not finish (a key
    /// being typed on the last line, front matter not closed yet), which
    /// the lists above leave out: completion still finds their lines.
    pub unfinished: Vec<UnfinishedBlock>,
    pub directives: Vec<Directive>,
    /// Comment ranges (directives excluded), without leading indentation.
    pub comments: Vec<Range<usize>>,
    /// Escapes such as `\[`.
    pub escapes: Vec<Range<usize>>,
    /// Editorial brackets (`[sic]`).
    pub editorials: Vec<Range<usize>>,
    /// Paragraph ranges without their line breaks.
    pub paragraphs: Vec<Span>,
    /// Prose outside marks, where untagged mentions are looked for: the text
    /// of paragraphs, headings, claims and front matter values, without
    /// mentions, references, sources, comments, escapes and definitions.
    pub prose: Vec<Span>,
    /// Git-style conflict blocks, in text order. The blocks of their
    /// versions are summarised like any others (every version's
    /// definitions, claims and uses are in the lists above).
    pub conflicts: Vec<Conflict>,
    #[serde(with = "syntax_errors")]
    pub syntax_errors: Vec<SyntaxError>,
    pub lines: LineIndex,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Definition {
    pub id: Name,
    /// The `@id` at the start of the definition.
    pub id_range: Range<usize>,
    /// The whole definition with its property lines, trimmed.
    pub range: Range<usize>,
    pub name: Option<String>,
    pub name_range: Option<Range<usize>>,
    pub properties: Vec<Property>,
}

impl Definition {
    pub fn property(&self, key: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.key == key)
    }

    /// The display name, or the id when the name is missing.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }

    pub fn kind(&self) -> Option<&str> {
        self.property("kind").map(|p| p.value.as_str())
    }

    /// The comma-separated surface forms of `aliases`, each with whether
    /// it is a stem: `Лавров*` is `Лавров` and any word it begins
    /// ("Лаврова", "Лаврову").
    pub fn alias_forms(&self) -> impl Iterator<Item = (&str, bool)> {
        self.property("aliases")
            .into_iter()
            .flat_map(|p| p.value.split(','))
            .map(str::trim)
            .map(|alias| match alias.strip_suffix('*') {
                Some(stem) => (stem.trim_end(), true),
                None => (alias, false),
            })
            .filter(|(alias, _)| !alias.is_empty())
    }

    /// The aliases, stems without their `*`.
    pub fn aliases(&self) -> impl Iterator<Item = &str> {
        self.alias_forms().map(|(alias, _)| alias)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Property {
    pub key: String,
    pub key_range: Range<usize>,
    /// The value as written, trimmed.
    pub value: String,
    pub value_range: Range<usize>,
}

/// One use of an entity id. A summary holds one for nearly every `@` of
/// its file, so it is kept narrow: 56 bytes instead of 88 with
/// `Range<usize>`s, an `Option<u32>` and the property key inline, which
/// was a third of the language server's memory on a corpus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub id: Name,
    range: Span,
    id_range: Span,
    pub kind: UsageKind,
    /// The innermost claim holding this use, or [`NO_CLAIM`].
    claim: u32,
}

const NO_CLAIM: u32 = u32::MAX;

// The sizes the server's memory was measured with (docs/performance.md),
// on 64-bit targets.
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Usage>() == 56);

impl Usage {
    pub fn new(
        id: Name,
        range: Range<usize>,
        id_range: Range<usize>,
        kind: UsageKind,
        claim: Option<u32>,
    ) -> Self {
        Self {
            id,
            range: range.into(),
            id_range: id_range.into(),
            kind,
            claim: claim.unwrap_or(NO_CLAIM),
        }
    }

    /// The whole construct: `@id`, or `[surface]@id` for a mention.
    pub fn range(&self) -> Range<usize> {
        self.range.range()
    }

    /// The id itself, without `@`: what a rename replaces.
    pub fn id_range(&self) -> Range<usize> {
        self.id_range.range()
    }

    /// The `@id` part (for a mention, what follows the closing bracket).
    pub fn target_range(&self) -> Range<usize> {
        self.id_range.start() - 1..self.id_range.end()
    }

    /// The innermost claim holding this use, as an index into `claims`.
    pub fn claim(&self) -> Option<u32> {
        (self.claim != NO_CLAIM).then_some(self.claim)
    }

    /// The same use with another kind and claim: the claim indices of a
    /// summary built from part of another move.
    pub fn with_claims(&self, kind: UsageKind, claim: Option<u32>) -> Self {
        Self::new(self.id.clone(), self.range(), self.id_range(), kind, claim)
    }

    fn shifted(&self, delta: isize, kind: UsageKind, claim: Option<u32>) -> Self {
        Self {
            id: self.id.clone(),
            range: self.range.shifted(delta),
            id_range: self.id_range.shifted(delta),
            kind,
            claim: claim.unwrap_or(NO_CLAIM),
        }
    }
}

/// A byte range in 8 bytes rather than `Range<usize>`'s 16, for what a
/// summary holds by the million across a corpus. Offsets fit: a file is
/// summarised only when it was parsed, and one over
/// [`newsmark_syntax::MAX_PARSED_BYTES`] (16 MB) is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    start: u32,
    end: u32,
}

impl Span {
    pub fn range(self) -> Range<usize> {
        self.start()..self.end()
    }

    pub fn start(self) -> usize {
        self.start as usize
    }

    pub fn end(self) -> usize {
        self.end as usize
    }

    fn shifted(self, delta: isize) -> Span {
        shift(&self.range(), delta).into()
    }
}

impl From<Range<usize>> for Span {
    fn from(range: Range<usize>) -> Self {
        let offset = |at: usize| u32::try_from(at).expect("parsed files are under 16 MB");
        Self {
            start: offset(range.start),
            end: offset(range.end),
        }
    }
}

/// `#munitions` after a claim: the name stances refer to it by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub name: Name,
    /// The name, without `#`: what a rename replaces.
    pub range: Range<usize>,
    pub claim: u32,
}

/// `denies #munitions` among the sources of claim `claim`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stance {
    pub kind: StanceKind,
    /// The label it names.
    pub label: Name,
    /// The label's name, without `#`.
    pub label_range: Range<usize>,
    /// The whole stance, from its word to the label.
    pub range: Range<usize>,
    pub claim: u32,
}

/// `~[allegedly]` in claim `claim`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hedge {
    pub range: Range<usize>,
    /// The hedging words inside the brackets.
    pub words: Range<usize>,
    pub claim: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UsageKind {
    /// `@id` in running text.
    Reference,
    /// `[surface]@id`; the range of the surface text.
    Mention { surface: Span },
    /// `@id` after the `|` of a claim.
    Source { claim: u32 },
    /// `@id` after `via`: who carried the words of the source before it
    /// (the nearest `Source` usage before this one).
    Conduit { claim: u32 },
    /// `@id` in a definition's property value (`member-of: @russia`): the
    /// definition's index and the property's, among its properties.
    Property { definition: u32, property: u32 },
    /// `@id` in a front matter value (`outlet: @kcna`): the property's index.
    FrontMatter { property: u32 },
}

/// A claim. Narrow for the same reason as [`Usage`]: a corpus has one for
/// every other line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    range: Span,
    text_range: Span,
    /// Whether a `|` is present (broken source lists are syntax errors).
    pub has_bar: bool,
    /// See [`Claim::quote`]; boxed, as most claims quote nothing.
    quote: Option<Box<Quotation>>,
    /// The claim this one sits in, or [`NO_CLAIM`].
    parent: u32,
}

/// The quotation of a claim that quotes nothing.
static NO_QUOTE: Quotation = Quotation {
    kind: QuoteKind::None,
    fragments: Vec::new(),
    continues: false,
    left_open: None,
    opening: None,
};

impl Claim {
    pub fn new(
        range: Range<usize>,
        text_range: Range<usize>,
        has_bar: bool,
        quote: Quotation,
        parent: Option<u32>,
    ) -> Self {
        Self {
            range: range.into(),
            text_range: text_range.into(),
            has_bar,
            quote: (quote != NO_QUOTE).then(|| Box::new(quote)),
            parent: parent.unwrap_or(NO_CLAIM),
        }
    }

    /// Its quoted words, in bytes into the file, and its quote kind. Parts
    /// of one quotation are joined by [`FileSummary::quotations`].
    pub fn quote(&self) -> &Quotation {
        self.quote.as_deref().unwrap_or(&NO_QUOTE)
    }

    /// From `{` to `}`.
    pub fn range(&self) -> Range<usize> {
        self.range.range()
    }

    /// The claim text without its sources, trimmed.
    pub fn text_range(&self) -> Range<usize> {
        self.text_range.range()
    }

    /// The claim this one sits in.
    pub fn parent(&self) -> Option<u32> {
        (self.parent != NO_CLAIM).then_some(self.parent)
    }

    /// The same claim in another place of the list: `parent` is where its
    /// parent went.
    pub fn with_parent(&self, parent: Option<u32>) -> Self {
        Self {
            parent: parent.unwrap_or(NO_CLAIM),
            ..self.clone()
        }
    }

    /// The same claim `delta` bytes on, its parent at `parent`.
    fn shifted(&self, delta: isize, parent: Option<u32>) -> Self {
        let at = |range: &Range<usize>| shift(range, delta);
        let quote = self.quote.as_deref().map(|quote| Quotation {
            fragments: quote.fragments.iter().map(at).collect(),
            ..quote.clone()
        });
        Self {
            range: self.range.shifted(delta),
            text_range: self.text_range.shifted(delta),
            has_bar: self.has_bar,
            quote: quote.map(Box::new),
            parent: parent.unwrap_or(NO_CLAIM),
        }
    }

    /// Whether the claim is a direct quote.
    pub fn is_quote(&self) -> bool {
        self.quote().kind == QuoteKind::Direct
    }
}

#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Claim>() == 32);

/// A git-style conflict (`<<<<<<< alice` … `=======` … `>>>>>>> bob`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// From the opening marker to the line end of the closing one; to the
    /// next conflict or the end of the file when it has none.
    pub range: Range<usize>,
    pub versions: Vec<ConflictVersion>,
    /// The closing `>>>>>>>` line; `None` for an unterminated conflict.
    pub closing: Option<Range<usize>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictVersion {
    /// The name its marker gives it (the closing marker's, for the last).
    pub name: Option<String>,
    /// The marker line that opens it, without its line end.
    pub marker: Range<usize>,
    /// Its lines with their line ends; empty for an empty version.
    pub content: Range<usize>,
}

impl Conflict {
    /// The opening marker line.
    pub fn opening(&self) -> Range<usize> {
        (self.versions.first()).map_or(self.range.start..self.range.start, |v| v.marker.clone())
    }

    /// Whether `offset` is on one of its marker lines (at either end too).
    pub fn is_on_marker(&self, offset: usize) -> bool {
        (self.versions.iter().map(|v| &v.marker))
            .chain(&self.closing)
            .any(|marker| marker.start <= offset && offset <= marker.end)
    }

    /// Each version's name, or `version N` when it has none.
    pub fn version_names(&self) -> Vec<String> {
        (self.versions.iter().enumerate())
            .map(|(index, version)| match &version.name {
                Some(name) => name.clone(),
                None => format!("version {}", index + 1),
            })
            .collect()
    }

    fn shifted(&self, delta: isize) -> Conflict {
        Conflict {
            range: shift(&self.range, delta),
            versions: (self.versions.iter())
                .map(|v| ConflictVersion {
                    name: v.name.clone(),
                    marker: shift(&v.marker, delta),
                    content: shift(&v.content, delta),
                })
                .collect(),
            closing: self.closing.as_ref().map(|c| shift(c, delta)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heading {
    pub level: usize,
    pub title: String,
    pub range: Range<usize>,
    pub title_range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrontMatter {
    pub range: Range<usize>,
    pub properties: Vec<Property>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnfinishedBlock {
    /// From the `@id` or the opening `---` to the last character typed.
    pub range: Range<usize>,
    /// Front matter; else a definition.
    pub front_matter: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directive {
    pub range: Range<usize>,
    pub codes: Vec<(String, Range<usize>)>,
    /// Where the codes list starts, for completion.
    pub codes_start: usize,
    /// The zero-based line whose findings it silences: its own line, or,
    /// when it stands alone, the next line that is neither blank nor a comment.
    pub target_line: u32,
}

/// The last version of one document and its summary, so that the next
/// version's summary re-walks only the top-level parts an edit touched. The
/// language server keeps one per open document; one-shot callers use
/// [`FileSummary::from_tree`], which needs none.
#[derive(Debug, Default)]
pub struct SummaryCache {
    last: Option<(SyntaxTree, Arc<FileSummary>)>,
}

impl FileSummary {
    /// The article's `language:` in its front matter.
    pub fn language(&self) -> Option<&str> {
        let front_matter = self.front_matter.as_ref()?;
        (front_matter.properties.iter())
            .find(|p| p.key == "language")
            .map(|p| p.value.as_str())
    }

    pub fn from_tree(tree: &SyntaxTree) -> Self {
        let mut summary = Self::start(tree);
        for part in tree.top_level() {
            Builder::new(tree.text(), &mut summary).build(part);
        }
        summary.finish(tree.text());
        summary
    }

    /// Like [`FileSummary::from_tree`], keeping what the cached version
    /// says of every part outside the ones that changed
    /// ([`SyntaxTree::changed_parts`]). A part's summary depends only on its
    /// own text and tree, so only the changed parts are walked; the rest is
    /// copied, moved by the change in length.
    pub fn from_tree_cached(tree: &SyntaxTree, cache: &mut SummaryCache) -> Arc<Self> {
        let changed = cache
            .last
            .take()
            .and_then(|(old_tree, old)| Some((tree.changed_parts(&old_tree)?, old)));
        let summary = Arc::new(match changed {
            Some((changed, old)) => Self::spliced(tree, &old, &changed),
            None => Self::from_tree(tree),
        });
        cache.last = Some((tree.clone(), summary.clone()));
        summary
    }

    fn spliced(tree: &SyntaxTree, old: &FileSummary, changed: &ChangedParts) -> Self {
        let mut summary = FileSummary {
            lines: old.lines.spliced(tree.text(), changed),
            ..FileSummary::default()
        };
        summary.reserve_like(old);
        summary.copy(old, 0..changed.old.start, 0);
        for part in tree.top_level_within(changed.new.clone()) {
            Builder::new(tree.text(), &mut summary).build(part);
        }
        summary.copy(old, changed.old.end..usize::MAX, changed.delta());
        summary.finish(tree.text());
        summary
    }

    /// An empty summary with the file's line index (and, for a parse cut
    /// short by its deadline, the error that says so).
    fn start(tree: &SyntaxTree) -> Self {
        let syntax_errors = if tree.was_cut_short() {
            tree.errors()
        } else {
            Vec::new()
        };
        let mut summary = FileSummary {
            lines: LineIndex::new(tree.text()),
            syntax_errors,
            ..FileSummary::default()
        };
        // Room up front for the longest lists spares regrowing them, which
        // showed in profiles of the linter: every use of an id has an `@`,
        // every claim a `{`, and the prose is a stretch per line at most,
        // split once more by each use. Capped, so that a file of `@`s (or
        // one too large to parse) reserves nothing it will not use.
        if !tree.was_cut_short() {
            const MOST: usize = 1 << 16;
            let count = |byte| memchr::memchr_iter(byte, tree.text().as_bytes()).count();
            let ats = count(b'@');
            summary.usages.reserve(ats.min(MOST));
            summary.claims.reserve(count(b'{').min(MOST));
            summary
                .prose
                .reserve((ats + summary.lines.count()).min(MOST));
        }
        summary
    }

    /// Room for as many items as `other` has: a new version of a file
    /// holds about as many as the last.
    fn reserve_like(&mut self, other: &FileSummary) {
        self.definitions.reserve(other.definitions.len());
        self.usages.reserve(other.usages.len());
        self.claims.reserve(other.claims.len());
        self.labels.reserve(other.labels.len());
        self.stances.reserve(other.stances.len());
        self.hedges.reserve(other.hedges.len());
        self.headings.reserve(other.headings.len());
        self.unfinished.reserve(other.unfinished.len());
        self.directives.reserve(other.directives.len());
        self.comments.reserve(other.comments.len());
        self.escapes.reserve(other.escapes.len());
        self.editorials.reserve(other.editorials.len());
        self.paragraphs.reserve(other.paragraphs.len());
        self.prose.reserve(other.prose.len());
        self.conflicts.reserve(other.conflicts.len());
        self.syntax_errors.reserve(other.syntax_errors.len());
    }

    /// Appends the items of `from` that start in `starts`, moved by `delta`
    /// bytes. `starts` holds whole parts, so indices into claims and
    /// definitions point inside it; they move to where those land here.
    fn copy(&mut self, from: &FileSummary, starts: Range<usize>, delta: isize) {
        let claims = slice(&from.claims, &starts, |c| c.range.start());
        let definitions = slice(&from.definitions, &starts, |d| d.range.start);
        // Where the first copied claim and definition land here.
        let (claim_from, claim_to) = (claims.start as u32, self.claims.len() as u32);
        let (definition_from, definition_to) =
            (definitions.start as u32, self.definitions.len() as u32);
        let claim = |index: u32| index - claim_from + claim_to;
        let definition = |index: u32| index - definition_from + definition_to;
        let at = |range: &Range<usize>| shift(range, delta);
        let usages = slice(&from.usages, &starts, |u| u.range.start());
        self.usages.extend(from.usages[usages].iter().map(|u| {
            let kind = match u.kind {
                UsageKind::Mention { surface } => UsageKind::Mention {
                    surface: surface.shifted(delta),
                },
                UsageKind::Source { claim: c } => UsageKind::Source { claim: claim(c) },
                UsageKind::Conduit { claim: c } => UsageKind::Conduit { claim: claim(c) },
                UsageKind::Property {
                    definition: d,
                    property,
                } => UsageKind::Property {
                    definition: definition(d),
                    property,
                },
                kind @ (UsageKind::Reference | UsageKind::FrontMatter { .. }) => kind,
            };
            u.shifted(delta, kind, u.claim().map(claim))
        }));
        (self.claims).extend(
            from.claims[claims]
                .iter()
                .map(|c| c.shifted(delta, c.parent().map(claim))),
        );
        let labels = slice(&from.labels, &starts, |l| l.range.start);
        self.labels
            .extend(from.labels[labels].iter().map(|l| Label {
                name: l.name.clone(),
                range: at(&l.range),
                claim: claim(l.claim),
            }));
        let stances = slice(&from.stances, &starts, |s| s.range.start);
        self.stances
            .extend(from.stances[stances].iter().map(|s| Stance {
                kind: s.kind,
                label: s.label.clone(),
                label_range: at(&s.label_range),
                range: at(&s.range),
                claim: claim(s.claim),
            }));
        let hedges = slice(&from.hedges, &starts, |h| h.range.start);
        self.hedges
            .extend(from.hedges[hedges].iter().map(|h| Hedge {
                range: at(&h.range),
                words: at(&h.words),
                claim: claim(h.claim),
            }));
        self.definitions
            .extend(from.definitions[definitions].iter().map(|d| Definition {
                id: d.id.clone(),
                id_range: at(&d.id_range),
                range: at(&d.range),
                name: d.name.clone(),
                name_range: d.name_range.as_ref().map(at),
                properties: d.properties.iter().map(|p| p.shifted(delta)).collect(),
            }));
        let headings = slice(&from.headings, &starts, |h| h.range.start);
        self.headings
            .extend(from.headings[headings].iter().map(|h| Heading {
                level: h.level,
                title: h.title.clone(),
                range: at(&h.range),
                title_range: at(&h.title_range),
            }));
        if let Some(front_matter) = from
            .front_matter
            .as_ref()
            .filter(|f| starts.contains(&f.range.start))
        {
            self.front_matter = Some(FrontMatter {
                range: at(&front_matter.range),
                properties: front_matter
                    .properties
                    .iter()
                    .map(|p| p.shifted(delta))
                    .collect(),
            });
        }
        let unfinished = slice(&from.unfinished, &starts, |u| u.range.start);
        self.unfinished
            .extend(from.unfinished[unfinished].iter().map(|u| UnfinishedBlock {
                range: at(&u.range),
                front_matter: u.front_matter,
            }));
        let directives = slice(&from.directives, &starts, |d| d.range.start);
        self.directives
            .extend(from.directives[directives].iter().map(|d| {
                Directive {
                    range: at(&d.range),
                    codes: d
                        .codes
                        .iter()
                        .map(|(code, range)| (code.clone(), at(range)))
                        .collect(),
                    codes_start: (d.codes_start as isize + delta) as usize,
                    target_line: d.target_line,
                }
            }));
        for (mine, theirs) in [
            (&mut self.comments, &from.comments),
            (&mut self.escapes, &from.escapes),
            (&mut self.editorials, &from.editorials),
        ] {
            mine.extend(theirs[slice(theirs, &starts, |r| r.start)].iter().map(at));
        }
        for (mine, theirs) in [
            (&mut self.paragraphs, &from.paragraphs),
            (&mut self.prose, &from.prose),
        ] {
            let spans = theirs[slice(theirs, &starts, |s| s.start())].iter();
            mine.extend(spans.map(|s| s.shifted(delta)));
        }
        let conflicts = slice(&from.conflicts, &starts, |c| c.range.start);
        (self.conflicts).extend(from.conflicts[conflicts].iter().map(|c| c.shifted(delta)));
        let errors = slice(&from.syntax_errors, &starts, |e| e.range.start);
        self.syntax_errors
            .extend(from.syntax_errors[errors].iter().map(|e| SyntaxError {
                range: at(&e.range),
                message: e.message.clone(),
            }));
    }

    /// What needs the whole file: the lines directives silence. Then the
    /// room reserved up front, or grown by doubling, is given back: every
    /// file's summary is kept, and the allocator usually shrinks in place.
    fn finish(&mut self, text: &str) {
        self.shrink();
        let targets: Vec<u32> = (self.directives.iter())
            .map(|directive| self.directive_target(text, directive.range.start))
            .collect();
        for (directive, target) in self.directives.iter_mut().zip(targets) {
            directive.target_line = target;
        }
    }

    fn shrink(&mut self) {
        self.definitions.shrink_to_fit();
        self.usages.shrink_to_fit();
        self.claims.shrink_to_fit();
        self.labels.shrink_to_fit();
        self.stances.shrink_to_fit();
        self.hedges.shrink_to_fit();
        self.headings.shrink_to_fit();
        self.unfinished.shrink_to_fit();
        self.directives.shrink_to_fit();
        self.comments.shrink_to_fit();
        self.escapes.shrink_to_fit();
        self.editorials.shrink_to_fit();
        self.paragraphs.shrink_to_fit();
        self.prose.shrink_to_fit();
        self.conflicts.shrink_to_fit();
        self.syntax_errors.shrink_to_fit();
    }

    /// The zero-based line a directive starting at `start` silences.
    fn directive_target(&self, text: &str, start: usize) -> u32 {
        let lines = &self.lines;
        let line = lines.line(start);
        let before = &text[lines.line_start(line)..start];
        if !before.trim().is_empty() {
            return line;
        }
        // Alone on its line: the next line with content that is not a comment.
        let mut next = line + 1;
        while (next as usize) < lines.count() {
            let line_text = lines.line_text(text, next);
            let indent = line_text.len() - line_text.trim_start().len();
            let content = lines.line_start(next) + indent;
            if !line_text.trim().is_empty() && !self.in_comment(content) {
                return next;
            }
            next += 1;
        }
        line
    }

    /// Whether `offset` lies in a comment or a directive.
    pub fn in_comment(&self, offset: usize) -> bool {
        let holds = |range: &Range<usize>| range.start <= offset && offset < range.end;
        // Both lists are in text order and their ranges do not overlap.
        let comment = self.comments.partition_point(|r| r.end <= offset);
        let directive = self.directives.partition_point(|d| d.range.end <= offset);
        self.comments.get(comment).is_some_and(holds)
            || self
                .directives
                .get(directive)
                .is_some_and(|d| holds(&d.range))
    }

    /// The ids the file uses, each once, in no particular order.
    pub fn distinct_ids(&self) -> Vec<&str> {
        let ids: FxHashSet<&str> = self.usages.iter().map(|u| &*u.id).collect();
        ids.into_iter().collect()
    }

    /// The uses of entity `id`, in text order.
    pub fn usages_of<'s>(&'s self, id: &'s str) -> impl Iterator<Item = &'s Usage> + 's {
        self.usages.iter().filter(move |usage| &*usage.id == id)
    }

    /// The uses in the values of definition `definition`'s properties
    /// named `key` (`member-of: @russia, @un`).
    pub fn property_uses<'s>(
        &'s self,
        definition: u32,
        key: &'s str,
    ) -> impl Iterator<Item = &'s Usage> + 's {
        let properties = (self.definitions.get(definition as usize)).map(|d| &d.properties);
        let is_key = move |property: u32| {
            properties
                .and_then(|properties| properties.get(property as usize))
                .is_some_and(|p| p.key == key)
        };
        self.usages.iter().filter(move |u| {
            matches!(u.kind, UsageKind::Property { definition: d, property }
                if d == definition && is_key(property))
        })
    }

    /// The innermost usage whose range holds `offset` (ends inclusive, so a
    /// cursor just after `@lavrov` still finds it).
    /// On a mention of several entities, the one whose `@id` holds it.
    pub fn usage_at(&self, offset: usize) -> Option<(u32, &Usage)> {
        let (index, usage) = innermost(&self.usages, offset, Usage::range)?;
        let same = |u: &&Usage| u.range == usage.range;
        let on_its_id = (self.usages[index as usize..].iter().take_while(same))
            .position(|u| u.target_range().start <= offset && offset <= u.target_range().end);
        match on_its_id {
            Some(step) => Some((index + step as u32, &self.usages[index as usize + step])),
            None => Some((index, usage)),
        }
    }

    pub fn definition_at(&self, offset: usize) -> Option<(u32, &Definition)> {
        let (index, definition) = self
            .definitions
            .iter()
            .enumerate()
            .find(|(_, d)| d.id_range.start <= offset && offset <= d.id_range.end)?;
        Some((index as u32, definition))
    }

    /// The sources of claim `claim` (the ids after its `|`), in text
    /// order: its `Source` usages, which follow its text. Only what follows
    /// the text is looked at, so a claim holding many others costs no more.
    pub fn sources(&self, claim: u32) -> impl Iterator<Item = &Usage> {
        self.after_text(claim)
            .filter(move |u| matches!(u.kind, UsageKind::Source { claim: c } if c == claim))
    }

    /// The usages between the end of claim `claim`'s text and its end:
    /// its sources and conduits, and those of the claims nested there.
    fn after_text(&self, claim: u32) -> impl Iterator<Item = &Usage> {
        let Claim {
            range, text_range, ..
        } = self.claims[claim as usize];
        let first = (self.usages).partition_point(|u| u.range.start < text_range.end);
        self.usages[first..]
            .iter()
            .take_while(move |u| u.range.start < range.end)
    }

    /// The claim label at `offset`, on a `#label` after a claim or in a
    /// stance (ends inclusive): its name and the range of the name.
    pub fn label_at(&self, offset: usize) -> Option<(&Name, Range<usize>)> {
        let holds = |range: &Range<usize>| range.start - 1 <= offset && offset <= range.end;
        let labels = (self.labels.iter()).map(|l| (&l.name, &l.range));
        let stances = (self.stances.iter()).map(|s| (&s.label, &s.label_range));
        labels
            .chain(stances)
            .find(|(_, range)| holds(range))
            .map(|(name, range)| (name, range.clone()))
    }

    /// The claims that no other claim holds, in text order.
    pub fn outermost_claims(&self) -> impl Iterator<Item = &Claim> {
        self.claims.iter().filter(|c| c.parent().is_none())
    }

    /// The claims of each label, built once for the rules that look up
    /// many (a file may hold thousands of labels).
    pub fn claims_by_label(&self) -> FxHashMap<&str, Vec<&Label>> {
        let mut by_label: FxHashMap<&str, Vec<&Label>> = FxHashMap::default();
        for label in &self.labels {
            by_label.entry(&label.name).or_default().push(label);
        }
        by_label
    }

    /// Whether offsets `a` and `b` lie in different versions of one
    /// conflict: alternatives, of which the file will keep one.
    pub fn are_alternatives(&self, a: usize, b: usize) -> bool {
        let version_at = |offset: usize| {
            let at = self.conflicts.partition_point(|c| c.range.end <= offset);
            let conflict = self
                .conflicts
                .get(at)
                .filter(|c| c.range.contains(&offset))?;
            let version = (conflict.versions.iter()).position(|v| v.content.contains(&offset))?;
            Some((at, version))
        };
        match (version_at(a), version_at(b)) {
            (Some((x, i)), Some((y, j))) => x == y && i != j,
            _ => false,
        }
    }

    /// The claims labelled `label` (one, unless `duplicate-label`).
    pub fn labelled<'s>(&'s self, label: &'s str) -> impl Iterator<Item = u32> + 's {
        (self.labels.iter())
            .filter(move |l| *l.name == *label)
            .map(|l| l.claim)
    }

    /// The sources of claim `claim` with the conduits of each, nearest
    /// first: `@jon via @kcna, @us` is `[(jon, [kcna]), (us, [])]`.
    pub fn chains(&self, claim: u32) -> Vec<(&Usage, Vec<&Usage>)> {
        let mut chains: Vec<(&Usage, Vec<&Usage>)> = Vec::new();
        for usage in self.after_text(claim) {
            match usage.kind {
                UsageKind::Source { claim: c } if c == claim => chains.push((usage, Vec::new())),
                UsageKind::Conduit { claim: c } if c == claim => {
                    if let Some((_, conduits)) = chains.last_mut() {
                        conduits.push(usage);
                    }
                }
                _ => {}
            }
        }
        chains
    }

    /// For each claim that carries on the quotation of an earlier one (the
    /// second half of a split quote, a later paragraph of a quote over
    /// several), the first claim of that quotation
    /// ([`newsmark_syntax::continued_quotes`]); the parts count as one quote.
    /// How many paragraphs and headings start at or before `offset`.
    fn block_index(&self, offset: usize) -> usize {
        self.paragraphs.partition_point(|p| p.start() <= offset)
            + self
                .headings
                .partition_point(|h| h.title_range.start <= offset)
    }

    pub fn continued_quotes(&self) -> Vec<Option<u32>> {
        let parts: Vec<_> = (self.claims.iter().enumerate())
            .map(|(index, claim)| QuotePart {
                parent: claim.parent().map(|p| p as usize),
                block: self.block_index(claim.range.start()),
                sources: self
                    .sources(index as u32)
                    .map(|u| &u.id)
                    .collect::<Vec<_>>(),
                quotation: claim.quote(),
            })
            .collect();
        (newsmark_syntax::continued_quotes(&parts).into_iter())
            .map(|first| first.map(|f| f as u32))
            .collect()
    }

    /// The innermost claim holding `offset`.
    pub fn claim_at(&self, offset: usize) -> Option<(u32, &Claim)> {
        innermost(&self.claims, offset, Claim::range)
    }
}

fn innermost<T>(
    items: &[T],
    offset: usize,
    range: impl Fn(&T) -> Range<usize>,
) -> Option<(u32, &T)> {
    items
        .iter()
        .enumerate()
        .filter(|(_, item)| range(item).start <= offset && offset <= range(item).end)
        .min_by_key(|(_, item)| range(item).len())
        .map(|(index, item)| (index as u32, item))
}

/// Walks one top-level part, keeping the context the walk cannot give:
/// which definition or property we are in, the open claims, and where the
/// current stretch of prose started. Offsets are the file's; indices into
/// claims and definitions count from the part's first.
struct Builder<'a, 's> {
    text: &'a str,
    /// Where the part goes: the file's summary, or a summary of its own
    /// (to be cached). Indices count from what it already holds.
    summary: &'s mut FileSummary,
    definition: Option<u32>,
    /// The property being walked, as an index into its definition's
    /// properties (or the front matter's).
    property: Option<u32>,
    /// In a `url` value, which is literal text: no references, no prose.
    in_literal_value: bool,
    in_front_matter: bool,
    claims: Vec<u32>,
    /// Start of the prose being collected, while inside a prose container.
    prose_start: Option<usize>,
    /// Start of the paragraph or heading being walked.
    block_start: usize,
    /// How many excluded constructs (marks, comments) we are inside.
    excluded: u32,
}

impl<'a, 's> Builder<'a, 's> {
    fn new(text: &'a str, summary: &'s mut FileSummary) -> Self {
        Self {
            text,
            summary,
            definition: None,
            property: None,
            in_literal_value: false,
            in_front_matter: false,
            claims: Vec::new(),
            prose_start: None,
            block_start: 0,
            excluded: 0,
        }
    }

    /// Adds one top-level part to the summary.
    fn build(mut self, part: TopLevel<'_>) {
        let first_usage = self.summary.usages.len();
        for event in part.walk() {
            match event {
                WalkEvent::Enter(node) => self.enter(node),
                WalkEvent::Leave(node) => self.leave(node),
            }
        }
        self.summary.syntax_errors.extend(part.errors());
        self.summary.usages[first_usage..]
            .sort_by_key(|u| (u.range.start, std::cmp::Reverse(u.range.end)));
    }

    fn enter(&mut self, node: Syntax<'_>) {
        match node {
            Syntax::FrontMatter(front_matter) => {
                self.in_front_matter = true;
                self.summary.front_matter = Some(FrontMatter {
                    range: front_matter.range(),
                    properties: Vec::new(),
                });
            }
            Syntax::Definition(definition) => {
                let index = self.summary.definitions.len() as u32;
                self.definition = Some(index);
                if let Some(id) = definition.id() {
                    self.summary.definitions.push(Definition {
                        id: name(id.as_str()),
                        id_range: definition.header_id_range(),
                        range: definition.trimmed_range(),
                        name: definition.name().map(str::to_owned),
                        name_range: definition.name_range(),
                        properties: Vec::new(),
                    });
                }
            }
            Syntax::Property(property) => {
                let summarized = Property {
                    key: property.key().to_owned(),
                    key_range: property.key_range(),
                    value: property.value().to_owned(),
                    value_range: property.value_range(),
                };
                self.in_literal_value = summarized.key == LITERAL_KEY;
                if self.in_front_matter && !self.in_literal_value {
                    self.prose_start = Some(summarized.value_range.start);
                }
                let properties = match (self.in_front_matter, &mut self.summary.front_matter) {
                    (true, Some(front_matter)) => Some(&mut front_matter.properties),
                    (true, None) => None,
                    (false, _) => self.current_definition().map(|d| &mut d.properties),
                };
                self.property = properties.map(|properties| {
                    properties.push(summarized);
                    properties.len() as u32 - 1
                });
            }
            Syntax::Heading(heading) => {
                self.prose_start = Some(heading.title_range().start);
                self.block_start = heading.title_range().start;
                self.summary.headings.push(Heading {
                    level: heading.level(),
                    title: heading.title().to_owned(),
                    range: heading.line_range(),
                    title_range: heading.title_range(),
                });
            }
            Syntax::Paragraph(paragraph) => {
                self.prose_start = Some(paragraph.range().start);
                self.block_start = paragraph.range().start;
                self.summary
                    .paragraphs
                    .push(paragraph.trimmed_range().into());
            }
            Syntax::Claim(claim) => {
                let index = self.summary.claims.len() as u32;
                let text_range = trim_range(self.text, claim.text_range());
                let quote = if self.claims.len() < MAX_QUOTE_DEPTH {
                    claim.quotation(&self.text[self.block_start..claim.range().start])
                } else {
                    Quotation::default()
                };
                let parent = self.claims.last().copied();
                self.summary.claims.push(Claim::new(
                    claim.range(),
                    text_range,
                    claim.has_source_bar(),
                    quote,
                    parent,
                ));
                self.claims.push(index);
            }
            Syntax::Reference(reference) => {
                if let Some(id) = reference.id().filter(|_| !self.in_literal_value) {
                    let kind = self.reference_kind();
                    self.add_usage(name(id.as_str()), reference.range(), id.range(), kind);
                }
                self.exclude(node.range());
            }
            Syntax::Mention(mention) => {
                let surface = mention.surface_range();
                for id in mention.ids() {
                    let kind = UsageKind::Mention {
                        surface: surface.clone().into(),
                    };
                    self.add_usage(name(id.as_str()), mention.range(), id.range(), kind);
                }
                self.exclude(node.range());
            }
            Syntax::Source(source) => {
                if let (Some(id), Some(&claim)) = (source.id(), self.claims.last()) {
                    self.add_usage(
                        name(id.as_str()),
                        source.range(),
                        id.range(),
                        UsageKind::Source { claim },
                    );
                }
                self.exclude(node.range());
            }
            Syntax::Conduit(conduit) => {
                if let (Some(id), Some(&claim)) = (conduit.id(), self.claims.last()) {
                    let at = id.range().start - 1..id.range().end;
                    self.add_usage(
                        name(id.as_str()),
                        at,
                        id.range(),
                        UsageKind::Conduit { claim },
                    );
                }
                self.exclude(node.range());
            }
            Syntax::Stance(stance) => {
                if let (Some(label), Some(&claim)) = (stance.label(), self.claims.last()) {
                    self.summary.stances.push(Stance {
                        kind: stance.kind(),
                        label: name(label.as_str()),
                        label_range: label.range(),
                        range: stance.range(),
                        claim,
                    });
                }
                self.exclude(node.range());
            }
            Syntax::Label(label) => {
                if let (Some(label), Some(&claim)) = (label.name(), self.claims.last()) {
                    self.summary.labels.push(Label {
                        name: name(label.as_str()),
                        range: label.range(),
                        claim,
                    });
                }
                self.exclude(node.range());
            }
            Syntax::Hedge(hedge) => {
                if let Some(&claim) = self.claims.last() {
                    self.summary.hedges.push(Hedge {
                        range: hedge.range(),
                        words: hedge.words_range(),
                        claim,
                    });
                }
            }
            Syntax::Directive(directive) => {
                let codes = directive
                    .codes()
                    .into_iter()
                    .map(|(code, range)| (code.to_owned(), range))
                    .collect();
                self.summary.directives.push(Directive {
                    range: directive.range(),
                    codes,
                    codes_start: directive.codes_start(),
                    // Needs the whole file: set by `FileSummary::finish`.
                    target_line: 0,
                });
                self.exclude(node.range());
            }
            Syntax::Comment(comment) => {
                self.summary.comments.push(comment.trimmed_range());
                self.exclude(node.range());
            }
            Syntax::Escape(escape) => {
                self.summary.escapes.push(escape.range());
                self.exclude(node.range());
            }
            Syntax::Editorial(editorial) => self.summary.editorials.push(editorial.range()),
            Syntax::Unfinished(unfinished) => {
                self.summary.unfinished.push(UnfinishedBlock {
                    range: unfinished.trimmed_range(),
                    front_matter: !unfinished.is_definition(),
                });
                self.exclude(node.range());
            }
            Syntax::Error(range) => self.exclude(range),
            Syntax::Conflict(conflict) => self.summary.conflicts.push(Conflict {
                range: conflict.block_range(),
                versions: (conflict.versions().into_iter())
                    .map(|v| ConflictVersion {
                        name: v.name.map(str::to_owned),
                        marker: v.marker,
                        content: v.content,
                    })
                    .collect(),
                closing: conflict.closing_marker(),
            }),
            Syntax::Content(_) => {}
        }
    }

    fn leave(&mut self, node: Syntax<'_>) {
        match node {
            Syntax::FrontMatter(_) => self.in_front_matter = false,
            Syntax::Definition(_) => self.definition = None,
            Syntax::Property(property) => {
                if self.in_front_matter {
                    self.end_prose(property.value_range().end);
                }
                self.property = None;
                self.in_literal_value = false;
            }
            Syntax::Heading(heading) => self.end_prose(heading.title_range().end),
            Syntax::Paragraph(paragraph) => self.end_prose(paragraph.trimmed_range().end),
            Syntax::Claim(_) => {
                self.claims.pop();
            }
            Syntax::Reference(_)
            | Syntax::Mention(_)
            | Syntax::Source(_)
            | Syntax::Conduit(_)
            | Syntax::Stance(_)
            | Syntax::Label(_)
            | Syntax::Directive(_)
            | Syntax::Comment(_)
            | Syntax::Escape(_)
            | Syntax::Unfinished(_)
            | Syntax::Error(_) => {
                self.excluded -= 1;
                if self.excluded == 0 && self.prose_start.is_some() {
                    self.prose_start = Some(node.range().end);
                }
            }
            Syntax::Editorial(_) | Syntax::Content(_) | Syntax::Hedge(_) | Syntax::Conflict(_) => {}
        }
    }

    fn current_definition(&mut self) -> Option<&mut Definition> {
        let index = self.definition?;
        self.summary.definitions.get_mut(index as usize)
    }

    fn reference_kind(&self) -> UsageKind {
        match (self.property, self.definition) {
            (Some(property), _) if self.in_front_matter => UsageKind::FrontMatter { property },
            (Some(property), Some(definition)) => UsageKind::Property {
                definition,
                property,
            },
            _ => UsageKind::Reference,
        }
    }

    fn add_usage(
        &mut self,
        id: Name,
        range: Range<usize>,
        id_range: Range<usize>,
        kind: UsageKind,
    ) {
        let claim = self.claims.last().copied();
        (self.summary.usages).push(Usage::new(id, range, id_range, kind, claim));
    }

    /// Marks the start of a construct whose text is not prose.
    fn exclude(&mut self, range: Range<usize>) {
        if self.excluded == 0
            && let Some(start) = self.prose_start
            && start < range.start
        {
            self.summary.prose.push((start..range.start).into());
        }
        self.excluded += 1;
    }

    fn end_prose(&mut self, end: usize) {
        if let Some(start) = self.prose_start.take()
            && start < end
        {
            self.summary.prose.push((start..end).into());
        }
    }
}

/// The key whose values are literal text: `url: https://x.com/@MFARussia`
/// holds no reference.
pub const LITERAL_KEY: &str = "url";

/// An id as the index keeps it: in NFC, so `@josé` typed either way is one
/// entity.
fn name(id: &str) -> Name {
    newsmark_syntax::normalized_id(id).as_ref().into()
}

/// Where the items of `items` (in text order) that start in `starts` are.
fn slice<T>(items: &[T], starts: &Range<usize>, start: impl Fn(&T) -> usize) -> Range<usize> {
    items.partition_point(|item| start(item) < starts.start)
        ..items.partition_point(|item| start(item) < starts.end)
}

pub(crate) fn shift(range: &Range<usize>, delta: isize) -> Range<usize> {
    (range.start as isize + delta) as usize..(range.end as isize + delta) as usize
}

impl Property {
    fn shifted(&self, delta: isize) -> Property {
        Property {
            key: self.key.clone(),
            key_range: shift(&self.key_range, delta),
            value: self.value.clone(),
            value_range: shift(&self.value_range, delta),
        }
    }
}

/// `SyntaxError` lives in the syntax crate, which knows nothing of serde;
/// summaries are serialised (for the linter's cache) with this adapter.
mod syntax_errors {
    use std::ops::Range;

    use newsmark_syntax::SyntaxError;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(
        errors: &[SyntaxError],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let pairs: Vec<(&Range<usize>, &str)> = errors
            .iter()
            .map(|e| (&e.range, e.message.as_str()))
            .collect();
        pairs.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<SyntaxError>, D::Error> {
        let pairs: Vec<(Range<usize>, String)> = Vec::deserialize(deserializer)?;
        Ok(pairs
            .into_iter()
            .map(|(range, message)| SyntaxError { range, message })
            .collect())
    }
}

fn trim_range(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = (range.end - (slice.len() - slice.trim_end().len())).max(start);
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summarize(text: &str) -> FileSummary {
        FileSummary::from_tree(&SyntaxTree::parse(text))
    }

    #[test]
    fn usages_know_their_kind_and_claim() {
        let text = "@a: A\n  member-of: @b\n  url: https://x.com/@mfa\n\n{[B]@b+@f said {x | @c via @g} | @d} @e\n";
        let summary = summarize(text);
        let usages: Vec<(&str, &str, Option<u32>)> = summary
            .usages
            .iter()
            .map(|u| {
                let kind = match u.kind {
                    UsageKind::Reference => "reference",
                    UsageKind::Mention { .. } => "mention",
                    UsageKind::Source { .. } => "source",
                    UsageKind::Conduit { .. } => "conduit",
                    UsageKind::Property { .. } => "property",
                    UsageKind::FrontMatter { .. } => "front matter",
                };
                (&*u.id, kind, u.claim())
            })
            .collect();
        assert_eq!(
            usages,
            [
                ("b", "property", None),
                ("b", "mention", Some(0)),
                ("f", "mention", Some(0)),
                ("c", "source", Some(1)),
                ("g", "conduit", Some(1)),
                ("d", "source", Some(0)),
                ("e", "reference", None),
            ]
        );
        assert_eq!(summary.claims[1].parent(), Some(0));
        let sources = |claim| summary.sources(claim).map(|u| &*u.id).collect::<Vec<_>>();
        assert_eq!((sources(0), sources(1)), (vec!["d"], vec!["c"]));
        assert_eq!(&text[summary.usages[1].target_range()], "@b");
        assert_eq!(&text[summary.usages[2].target_range()], "@f");
    }

    #[test]
    fn uses_in_property_values_point_at_their_property() {
        let text = "---\ntitle: T\noutlet: @kcna\n---\n\n@a: A\n  kind: person\n  member-of: @b, @c\n  see: @d\n";
        let summary = summarize(text);
        let ids = |key| (summary.property_uses(0, key).map(|u| &*u.id)).collect::<Vec<_>>();
        assert_eq!(
            (ids("member-of"), ids("see"), ids("kind")),
            (vec!["b", "c"], vec!["d"], vec![])
        );
        let outlet = summary.usages.iter().find(|u| &*u.id == "kcna").unwrap();
        let UsageKind::FrontMatter { property } = outlet.kind else {
            panic!("{outlet:?}");
        };
        let front_matter = summary.front_matter.as_ref().unwrap();
        assert_eq!(front_matter.properties[property as usize].key, "outlet");
    }

    #[test]
    fn labels_stances_and_hedges_belong_to_their_claims() {
        let text = "{Shipped ~[allegedly] | @kcna}#munitions {No | @seoul denies #munitions, confirms #x}\n";
        let summary = summarize(text);
        let at = |range: &Range<usize>| &text[range.clone()];
        let labels: Vec<(&str, &str, u32)> = (summary.labels.iter())
            .map(|l| (&*l.name, at(&l.range), l.claim))
            .collect();
        assert_eq!(labels, [("munitions", "munitions", 0)]);
        let stances: Vec<(StanceKind, &str, &str, u32)> = (summary.stances.iter())
            .map(|s| (s.kind, &*s.label, at(&s.range), s.claim))
            .collect();
        assert_eq!(
            stances,
            [
                (StanceKind::Denies, "munitions", "denies #munitions", 1),
                (StanceKind::Confirms, "x", "confirms #x", 1),
            ]
        );
        let hedges: Vec<(&str, &str, u32)> = (summary.hedges.iter())
            .map(|h| (at(&h.range), at(&h.words), h.claim))
            .collect();
        assert_eq!(hedges, [("~[allegedly]", "allegedly", 0)]);
        assert_eq!(summary.labelled("munitions").collect::<Vec<_>>(), [0]);
    }

    #[test]
    fn ids_are_kept_in_nfc() {
        let summary = summarize("[José]@jose\u{301} and @josé\n");
        let ids: Vec<&str> = summary.usages.iter().map(|u| &*u.id).collect();
        assert_eq!(ids, ["josé", "josé"]);
    }

    #[test]
    fn sources_are_every_source_usage_of_the_claim() {
        for text in [
            "{a {b | @x} | @y, @z}",
            "{a | @x",
            "{| @x}",
            "{a | @x @y} {b | [M]@m, @n}",
            "{a | @x, }\r\n{\"q\" {c | @d",
            "{{{x | @a} | @b} | @c}",
        ] {
            let summary = summarize(text);
            for claim in 0..summary.claims.len() as u32 {
                let all: Vec<&Usage> = (summary.usages.iter())
                    .filter(|u| u.kind == UsageKind::Source { claim })
                    .collect();
                assert_eq!(summary.sources(claim).collect::<Vec<_>>(), all, "{text:?}");
            }
        }
    }

    #[test]
    fn prose_excludes_marks_comments_and_definitions() {
        let text = "---\ntitle: North Korea talks\noutlet: @kcna\n---\n\n@a: Alpha\n  kind: person\n\nNorth Korea [Alpha]@a said {Russia won | @b} %% Russia\n";
        let summary = summarize(text);
        let prose: Vec<&str> = summary.prose.iter().map(|p| &text[p.range()]).collect();
        assert_eq!(
            prose,
            [
                "North Korea talks",
                "North Korea ",
                " said {Russia won | ",
                "}"
            ]
        );
    }

    #[test]
    fn directives_target_their_line_or_the_next_content_line() {
        let text = "a %% ignore: x\n%% ignore: y, z\n\n%% plain comment\nb\n";
        let summary = summarize(text);
        let targets: Vec<(Vec<&str>, u32)> = summary
            .directives
            .iter()
            .map(|d| {
                (
                    d.codes.iter().map(|(c, _)| c.as_str()).collect(),
                    d.target_line,
                )
            })
            .collect();
        assert_eq!(targets, [(vec!["x"], 0), (vec!["y", "z"], 4)]);
    }

    #[test]
    fn comment_lines_are_the_parser_s() {
        // An indented comment line is skipped; an escaped `%` starts none.
        let text = "%% ignore: x\n  %% a note\n\\%% 5\n";
        let summary = summarize(text);
        assert_eq!(summary.directives[0].target_line, 2);
        assert!(summary.in_comment(text.find("a note").unwrap()));
        assert!(!summary.in_comment(text.find("% 5").unwrap()));
    }

    #[test]
    fn unfinished_definitions_and_front_matter_are_kept() {
        fn unfinished(text: &str) -> Vec<(&str, bool)> {
            let summary = summarize(text);
            (summary.unfinished.iter())
                .map(|u| (&text[u.range.clone()], u.front_matter))
                .collect()
        }
        assert_eq!(unfinished("@a: Alpha\r  ki"), [("@a: Alpha\r  ki", false)]);
        assert_eq!(
            unfinished("---\r\ntitle: T\r\nda\r\n\r\nProse\r\n"),
            [("---\r\ntitle: T\r\nda", true)]
        );
        assert!(unfinished("@a: Alpha\n  kind: person\n").is_empty());
        assert!(unfinished("Prose {x\n").is_empty());
    }

    #[test]
    fn a_front_matter_moved_off_the_first_line_is_not_reused() {
        let mut cache = SummaryCache::default();
        let before = "---\ntitle: T\n---\n\n[A]@a\n";
        FileSummary::from_tree_cached(&SyntaxTree::parse(before), &mut cache);
        let after = "x\n\n---\ntitle: T\n---\n\n[A]@a\n";
        let reused = FileSummary::from_tree_cached(&SyntaxTree::parse(after), &mut cache);
        assert_eq!(*reused, summarize(after));
        assert!(reused.front_matter.is_none());
    }

    #[test]
    fn cached_summary_of_an_edited_text_equals_a_fresh_one() {
        let before = "---\ntitle: T\n---\n\n@a: A\n  member-of: @b\n\n%% ignore: unsourced-claim\n{x [A]@a} {y | @a}\n\n{z}\n\n# H\n";
        let after = "---\ntitle: T\n---\n\n@a: A\n  member-of: @b\n\nNew {para | @a}.\n\n%% ignore: unsourced-claim\n{x [A]@a} {y | @a}\n\n{z}\n\n# H\n";
        let mut cache = SummaryCache::default();
        let first = FileSummary::from_tree_cached(&SyntaxTree::parse(before), &mut cache);
        assert_eq!(*first, summarize(before));
        let reused = FileSummary::from_tree_cached(&SyntaxTree::parse(after), &mut cache);
        assert_eq!(*reused, summarize(after));
        assert_eq!(reused.directives[0].target_line, 10);
    }

    #[test]
    fn cached_summaries_follow_edits_to_line_breaks() {
        let versions = [
            "가 {a | @x}\r\n\r\n😀 [B]@b\rnext\n\nlast\r\n",
            "가 {a | @x}\r\n\r\n😀 [B]@b\r\nnext\n\nlast\r\n",
            "가 {a | @x}\r\n\r\n😀 [B]@b\nnext\r\rlast\r\n",
            "가 {a | @x}\r\n\r\n😀 [B]@b\nnext\r\rlast\r",
            "\n가 {a | @x}\r\n\r\n😀 [B]@b\nnext\r\rlast\r",
        ];
        let mut cache = SummaryCache::default();
        for text in versions {
            let cached = FileSummary::from_tree_cached(&SyntaxTree::parse(text), &mut cache);
            assert_eq!(*cached, summarize(text), "{text:?}");
        }
    }

    #[test]
    fn a_file_of_at_signs_reserves_a_bounded_room() {
        // 70,000 `@`s, none of them a use (`a@b` is text).
        let summary = FileSummary::from_tree(&SyntaxTree::parse("a@b ".repeat(70_000)));
        assert!(summary.usages.is_empty());
        assert!(summary.usages.capacity() <= 1 << 16);
        assert!(summary.prose.capacity() <= 1 << 16);
    }

    #[test]
    fn usage_at_finds_the_innermost_mention() {
        let text = "[[Russia]@russia's ministry]@mfa";
        let summary = summarize(text);
        assert_eq!(&*summary.usage_at(3).unwrap().1.id, "russia");
        assert_eq!(&*summary.usage_at(20).unwrap().1.id, "mfa");
        assert_eq!(&*summary.usage_at(text.len()).unwrap().1.id, "mfa");
    }
}
