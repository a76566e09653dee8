//! Export: an article as plain text with standoff annotations, the form
//! in which annotated data leaves Newsmark (`newsmark export`).
//!
//! The plain text is what a reader sees, built in one walk over the tree:
//!
//! - headings and paragraphs only, one per line, separated by a blank line;
//!   front matter and entity definitions are left out (front matter is
//!   exported as data, definitions as the entities used);
//! - marks removed: a mention becomes its surface text, a claim its text
//!   (the `|` and the sources go), editorial brackets stay as written;
//! - a reference in running text (`said @lavrov`) stays as written, as
//!   the article's reader reads it (`@lavrov`), and counts as a mention of
//!   its entity;
//! - escapes resolved (`\[` is `[`), comments and directives dropped;
//! - the line breaks of a paragraph become single spaces, as a reader
//!   reads them (so LF, CRLF and CR files give the same text).
//!
//! Spans are counted in Unicode characters (scalar values) into that text,
//! end exclusive; slicing the text by a span gives the span's `text`.
//! The CLI turns these into JSON lines or brat standoff files; this module
//! knows nothing of either.

use std::ops::Range;

use serde::Serialize;

use newsmark_syntax::{
    MAX_QUOTE_DEPTH, Quotation, QuoteKind, QuotePart, StanceKind, Syntax, SyntaxTree, WalkEvent,
    continued_quotes, quotation,
};

use crate::summary::FileSummary;
use crate::workspace::{FileId, Workspace};

/// An article as plain text with its mentions and claims.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlainDocument {
    pub text: String,
    /// In text order; an outer mention before the mentions inside it.
    pub mentions: Vec<MentionSpan>,
    /// In text order; an outer claim before the claims inside it.
    pub claims: Vec<ClaimSpan>,
    /// The paragraphs and headings, in characters into `text`, in order.
    pub blocks: Vec<Range<usize>>,
    /// The same blocks, in bytes into the source.
    pub source_blocks: Vec<Range<usize>>,
    /// Where runs of `text` come from: `(character in text, byte in the
    /// source)`, in order; see [`PlainDocument::source_offset`].
    pub anchors: Vec<(usize, usize)>,
}

impl PlainDocument {
    /// The block (paragraph or heading) holding character `at`.
    pub fn block_at(&self, at: usize) -> Option<Range<usize>> {
        let index = self.blocks.partition_point(|block| block.end <= at);
        self.blocks
            .get(index)
            .filter(|block| block.start <= at)
            .cloned()
    }

    /// The byte of `source` (the text this document was built from) that
    /// character `at` of `text` comes from. Text between anchors is copied
    /// character for character; what the export adds (the space of a line
    /// break, the blank line between blocks) maps to where it stands.
    pub fn source_offset(&self, source: &str, at: usize) -> usize {
        let index = self.anchors.partition_point(|&(plain, _)| plain <= at);
        let Some(&(plain, byte)) = index.checked_sub(1).and_then(|i| self.anchors.get(i)) else {
            return 0;
        };
        let limit = self
            .anchors
            .get(index)
            .map_or(source.len(), |&(_, next)| next);
        let run = source.get(byte..limit.max(byte)).unwrap_or_default();
        byte + run
            .char_indices()
            .nth(at - plain)
            .map_or(run.len(), |(offset, _)| offset)
    }
}

impl PlainDocument {
    /// The bytes of `source` that characters `chars` of `text` come from:
    /// up to the end of the last character, not the start of the next
    /// one, so the marks between them (`]@id`) stay out.
    pub fn source_span(&self, source: &str, chars: Range<usize>) -> Range<usize> {
        let from = self.source_offset(source, chars.start);
        let to = match chars.end.checked_sub(1).filter(|&last| last >= chars.start) {
            Some(last) => {
                let at = self.source_offset(source, last);
                at + source[at..].chars().next().map_or(0, char::len_utf8)
            }
            None => from,
        };
        from..to.max(from)
    }
}

/// Where each character of a text starts (and its end), to slice it by
/// characters as spans count them without walking it from the start.
#[derive(Debug, Clone, Default)]
pub struct CharStarts(Vec<usize>);

impl CharStarts {
    pub fn new(text: &str) -> Self {
        CharStarts(
            text.char_indices()
                .map(|(at, _)| at)
                .chain([text.len()])
                .collect(),
        )
    }

    /// Characters `start..end` of `text` (the text this was made from).
    pub fn slice<'t>(&self, text: &'t str, start: usize, end: usize) -> &'t str {
        let byte = |at: usize| self.0[at.min(self.0.len() - 1)];
        &text[byte(start)..byte(end).max(byte(start))]
    }
}

/// A mention, or a reference in running text (as written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionSpan {
    /// Unicode characters into [`PlainDocument::text`], end exclusive.
    pub start: usize,
    pub end: usize,
    pub id: String,
    pub text: String,
    /// `@id` in running text rather than `[surface]@id`.
    pub is_reference: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClaimSpan {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// The ids after `|`, in order.
    pub sources: Vec<String>,
    /// The conduits of each source, nearest first, aligned with `sources`
    /// (`@jon via @kcna` gives `["kcna"]` for `jon`).
    pub via: Vec<Vec<String>>,
    /// Its `#label`.
    pub label: Option<String>,
    /// The stances it takes on labelled claims of the article.
    pub stances: Vec<(StanceKind, String)>,
    /// The hedging words of its `~[…]` cues.
    pub hedges: Vec<Span>,
    pub quote: QuoteKind,
    /// The quoted words, without their marks.
    pub fragments: Vec<Span>,
    /// The later parts of its quotation (a split quote, a quote over
    /// several paragraphs), which are folded into this claim.
    pub parts: Vec<Span>,
}

/// A stretch of the plain text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    /// Unicode characters into [`PlainDocument::text`], end exclusive.
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// An entity used by a file, resolved through the workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedEntity {
    pub id: String,
    pub name: Option<String>,
    pub kind: Option<String>,
    pub role: Option<String>,
    /// The ids referenced by `member-of`.
    pub member_of: Vec<String>,
    pub aliases: Vec<String>,
    pub wikidata: Option<String>,
    /// Its `url:`, as written.
    pub url: Option<String>,
}

/// Whether a file is an article: it has a heading, a paragraph or front
/// matter. A registry (definitions and comments only) is not.
pub fn is_article(summary: &FileSummary) -> bool {
    summary.front_matter.is_some() || !summary.paragraphs.is_empty() || !summary.headings.is_empty()
}

/// The plain text of a parsed file, with its spans.
pub fn plain_document(tree: &SyntaxTree) -> PlainDocument {
    let mut builder = Builder::new(tree.text());
    for event in tree.walk() {
        match event {
            WalkEvent::Enter(node) => builder.enter(node),
            WalkEvent::Leave(node) => builder.leave(node),
        }
    }
    builder.finish()
}

/// The front matter as `(key, value)` pairs, values as written.
pub fn front_matter(summary: &FileSummary) -> Vec<(String, String)> {
    summary
        .front_matter
        .iter()
        .flat_map(|front_matter| &front_matter.properties)
        .map(|p| (p.key.clone(), p.value.clone()))
        .collect()
}

/// Every defined entity the file uses (in text, as a source, in front
/// matter or property values), sorted by id. Undefined ids are left out:
/// `newsmark check` reports them.
pub fn entities_used(ws: &Workspace, file: FileId) -> Vec<ResolvedEntity> {
    (used_ids(ws.summary(file)).into_iter())
        .filter_map(|id| resolve(ws, id))
        .collect()
}

/// The ids a file uses (in text, as a source, in front matter or property
/// values), sorted, each once.
pub fn used_ids(summary: &FileSummary) -> Vec<&str> {
    let mut ids: Vec<&str> = summary.usages.iter().map(|u| &*u.id).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// An entity's card: its answering definition, with `member-of` as ids.
pub fn resolve(ws: &Workspace, id: &str) -> Option<ResolvedEntity> {
    let (reference, definition) = ws.entity(id)?;
    let value = |key: &str| definition.property(key).map(|p| p.value.clone());
    let member_of = (ws.summary(reference.file))
        .property_uses(reference.index, "member-of")
        .map(|u| u.id.to_string())
        .collect();
    Some(ResolvedEntity {
        id: id.to_owned(),
        name: definition.name.clone(),
        kind: value("kind"),
        role: value("role"),
        member_of,
        // As written: a stem keeps its `*`.
        aliases: (definition.alias_forms())
            .map(|(alias, stem)| {
                if stem {
                    format!("{alias}*")
                } else {
                    alias.to_owned()
                }
            })
            .collect(),
        wikidata: value("wikidata"),
        url: value("url"),
    })
}

/// An id as the workspace keys it (NFC).
fn name(id: &str) -> String {
    newsmark_syntax::normalized_id(id).into_owned()
}

/// An open mark, innermost last.
enum Frame {
    Mention {
        start: (usize, usize),
        /// Every entity it names (`[the two]@lavrov+@rubio` names two).
        ids: Vec<String>,
        surface_end: usize,
        end: usize,
    },
    Claim {
        start: (usize, usize),
        /// Where the claim's own content node starts (not that of an
        /// editorial bracket inside it).
        content_start: usize,
        /// The end of the trimmed claim text in the source.
        text_end: usize,
        end: usize,
        /// Where the claim goes in `claims`, so outer claims come first.
        slot: usize,
        /// What its sources, label and cues say, filled in as they come.
        span: Box<ClaimSpan>,
    },
}

struct Builder<'a> {
    source: &'a str,
    out: String,
    /// Characters in `out`.
    chars: usize,
    /// Source bytes before this offset are done with.
    pos: usize,
    /// Inside front matter or a definition: nothing is exported.
    skipped: u32,
    frames: Vec<Frame>,
    /// How many claims are open.
    claim_depth: usize,
    /// Bytes of `out` that trimming must keep (the end of the last span).
    kept: usize,
    mentions: Vec<MentionSpan>,
    claims: Vec<Option<ClaimSpan>>,
    /// The slot of the claim each claim sits in.
    parents: Vec<Option<usize>>,
    /// The block (paragraph or heading) of each claim, counted from 0.
    claim_blocks: Vec<usize>,
    /// The blocks started so far.
    block_count: usize,
    /// What each claim quotes, to join the parts of a quotation.
    quotations: Vec<Quotation>,
    /// Where the current block starts, in characters into `out`.
    block_start: usize,
    /// The same, in bytes.
    block_start_byte: usize,
    /// Where the current block starts in the source.
    block_source_start: usize,
    blocks: Vec<Range<usize>>,
    source_blocks: Vec<Range<usize>>,
    anchors: Vec<(usize, usize)>,
}

impl<'a> Builder<'a> {
    fn new(source: &'a str) -> Self {
        Self {
            source,
            // The plain text is the source less its marks: this holds it
            // without growing.
            out: String::with_capacity(source.len()),
            chars: 0,
            pos: 0,
            skipped: 0,
            frames: Vec::new(),
            claim_depth: 0,
            kept: 0,
            mentions: Vec::new(),
            claims: Vec::new(),
            parents: Vec::new(),
            claim_blocks: Vec::new(),
            block_count: 0,
            quotations: Vec::new(),
            block_start: 0,
            block_start_byte: 0,
            block_source_start: 0,
            blocks: Vec::new(),
            source_blocks: Vec::new(),
            anchors: Vec::new(),
        }
    }

    fn enter(&mut self, node: Syntax<'_>) {
        if self.skipped > 0 {
            if matches!(node, Syntax::FrontMatter(_) | Syntax::Definition(_)) {
                self.skipped += 1;
            }
            return;
        }
        match node {
            Syntax::FrontMatter(_) | Syntax::Definition(_) => self.skipped += 1,
            Syntax::Paragraph(paragraph) => self.start_block(paragraph.range().start),
            Syntax::Heading(heading) => self.start_block(heading.title_range().start),
            Syntax::Mention(mention) => {
                self.copy_to(mention.range().start);
                self.pos = mention.surface_range().start;
                self.frames.push(Frame::Mention {
                    start: self.here(),
                    ids: (mention.ids().iter()).map(|id| name(id.as_str())).collect(),
                    surface_end: mention.surface_range().end,
                    end: mention.range().end,
                });
            }
            Syntax::Reference(reference) => {
                self.copy_to(reference.range().start);
                self.jump(reference.range().end);
                if let Some(id) = reference.id() {
                    let start = self.here();
                    self.push(&self.source[reference.range()], reference.range().start);
                    self.add_mention(start, name(id.as_str()), true);
                }
            }
            Syntax::Claim(claim) => {
                self.copy_to(claim.range().start);
                let text = trimmed(self.source, claim.text_range());
                self.pos = text.start;
                self.parents.push(self.claim_slot());
                self.claim_blocks.push(self.block_count);
                self.quotations.push(Quotation::default());
                self.claims.push(None);
                self.frames.push(Frame::Claim {
                    start: self.here(),
                    content_start: claim.text_range().start,
                    text_end: text.end,
                    end: claim.range().end,
                    slot: self.claims.len() - 1,
                    span: Box::default(),
                });
                self.claim_depth += 1;
            }
            Syntax::Source(_) | Syntax::Conduit(_) | Syntax::Stance(_) => {
                self.finish_claim_text();
                self.jump(node.range().end);
                if let Some(span) = self.open_claim() {
                    match node {
                        Syntax::Source(source) => {
                            if let Some(id) = source.id() {
                                span.sources.push(name(id.as_str()));
                                span.via.push(Vec::new());
                            }
                        }
                        Syntax::Conduit(conduit) => {
                            if let (Some(id), Some(via)) = (conduit.id(), span.via.last_mut()) {
                                via.push(name(id.as_str()));
                            }
                        }
                        Syntax::Stance(stance) => {
                            if let Some(label) = stance.label() {
                                span.stances.push((stance.kind(), name(label.as_str())));
                            }
                        }
                        _ => {}
                    }
                }
            }
            Syntax::Label(label) => {
                self.jump(label.range().end);
                if let (Some(name_node), Some(span)) = (label.name(), self.open_claim()) {
                    span.label = Some(name(name_node.as_str()));
                }
            }
            // A reader sees the hedging words, not the `~[` and `]` around them.
            Syntax::Hedge(hedge) => {
                self.copy_to(hedge.range().start);
                self.jump(hedge.words_range().start);
                let (byte, char) = self.here();
                if let Some(span) = self.open_claim() {
                    // Its end and text are set when the words are copied.
                    span.hedges.push(Span {
                        start: char,
                        end: byte,
                        text: String::new(),
                    });
                }
            }
            Syntax::Escape(escape) => {
                self.copy_to(escape.range().start);
                if escape.range().end <= self.limit() {
                    self.push(&escape.text()[1..], escape.range().start);
                }
                self.jump(escape.range().end);
            }
            Syntax::Comment(comment) => {
                self.copy_to(comment.range().start);
                self.jump(comment.range().end);
            }
            Syntax::Directive(directive) => {
                self.copy_to(directive.range().start);
                self.jump(directive.range().end);
            }
            // Editorial brackets, contents, properties and unreadable text
            // (unfinished blocks included) are copied as they stand, and so
            // are conflicts, markers and every version (`unresolved-conflict`
            // is an error: a corpus is exported once resolved).
            Syntax::Conflict(_)
            | Syntax::Editorial(_)
            | Syntax::Content(_)
            | Syntax::Property(_)
            | Syntax::Unfinished(_)
            | Syntax::Error(_) => {}
        }
    }

    fn leave(&mut self, node: Syntax<'_>) {
        if self.skipped > 0 {
            if matches!(node, Syntax::FrontMatter(_) | Syntax::Definition(_)) {
                self.skipped -= 1;
            }
            return;
        }
        match node {
            Syntax::Hedge(hedge) => {
                self.copy_to(hedge.words_range().end);
                self.jump(hedge.range().end);
                let (end_byte, end_char) = self.here();
                let out = &self.out;
                if let Some(Frame::Claim { span, .. }) = self.frames.last_mut()
                    && let Some(cue) = span.hedges.last_mut()
                {
                    cue.text = out[cue.end..end_byte].to_owned();
                    cue.end = end_char;
                }
            }
            Syntax::Paragraph(paragraph) => self.end_block(paragraph.trimmed_range().end),
            Syntax::Heading(heading) => self.end_block(heading.title_range().end),
            Syntax::Content(content) => {
                if let Some(Frame::Claim { content_start, .. }) = self.frames.last()
                    && *content_start == content.range().start
                {
                    self.finish_claim_text();
                }
            }
            Syntax::Mention(_) => {
                if let Some(Frame::Mention {
                    start,
                    ids,
                    surface_end,
                    end,
                }) = self.frames.pop()
                {
                    self.copy_to(surface_end);
                    self.jump(end);
                    for id in ids {
                        self.add_mention(start, id, false);
                    }
                }
            }
            Syntax::Claim(_) => {
                self.finish_claim_text();
                if let Some(Frame::Claim {
                    start, slot, span, ..
                }) = self.frames.pop()
                {
                    self.claim_depth = self.claim_depth.saturating_sub(1);
                    self.trim_end(start.0);
                    let (start_byte, start_char) = start;
                    let (end_byte, end_char) = self.here();
                    self.kept = self.kept.max(end_byte);
                    let text = &self.out[start_byte..end_byte];
                    let quotation = if self.claim_depth < MAX_QUOTE_DEPTH {
                        quotation(text, &self.out[self.block_start_byte..start_byte])
                    } else {
                        Quotation::default()
                    };
                    // Characters counted once along the text: fragments are in order.
                    let (mut byte, mut char) = (0, start_char);
                    let mut char_at = |to: usize| {
                        char += text[byte..to].chars().count();
                        byte = to;
                        char
                    };
                    let fragments = (quotation.fragments.iter())
                        .map(|f| Span {
                            start: char_at(f.start),
                            end: char_at(f.end),
                            text: text[f.clone()].to_owned(),
                        })
                        .collect();
                    self.claims[slot] = Some(ClaimSpan {
                        start: start_char,
                        end: end_char,
                        text: text.to_owned(),
                        quote: quotation.kind,
                        fragments,
                        ..*span
                    });
                    self.quotations[slot] = quotation;
                }
            }
            _ => {}
        }
    }

    fn finish(mut self) -> PlainDocument {
        self.trim_end(0);
        self.join_quotations();
        if !self.out.is_empty() {
            self.push("\n", self.source.len());
        }
        let mut mentions = self.mentions;
        mentions.retain(|m| m.start < m.end);
        mentions.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
        PlainDocument {
            text: self.out,
            mentions,
            claims: self
                .claims
                .into_iter()
                .flatten()
                .filter(|c| c.start < c.end)
                .collect(),
            blocks: self.blocks,
            source_blocks: self.source_blocks,
            anchors: self.anchors,
        }
    }

    /// Folds each later part of a quotation into its first claim, so that
    /// a split quote or a quote over paragraphs is one claim.
    fn join_quotations(&mut self) {
        let parts: Vec<_> = (self.claims.iter().enumerate())
            .map(|(slot, claim)| QuotePart {
                parent: self.parents[slot],
                block: self.claim_blocks[slot],
                sources: claim.as_ref().map(|c| &c.sources),
                quotation: &self.quotations[slot],
            })
            .collect();
        let continued = continued_quotes(&parts);
        for (slot, first) in continued.into_iter().enumerate() {
            let Some(first) = first else { continue };
            let Some(part) = self.claims[slot].take() else {
                continue;
            };
            let Some(claim) = &mut self.claims[first] else {
                continue;
            };
            claim.parts.push(Span {
                start: part.start,
                end: part.end,
                text: part.text,
            });
            claim.fragments.extend(part.fragments);
            claim.hedges.extend(part.hedges);
            claim.stances.extend(part.stances);
            claim.label = claim.label.take().or(part.label);
        }
    }

    /// The innermost open claim's slot.
    fn claim_slot(&self) -> Option<usize> {
        self.frames.iter().rev().find_map(|frame| match frame {
            Frame::Claim { slot, .. } => Some(*slot),
            Frame::Mention { .. } => None,
        })
    }

    /// What the innermost open claim says so far.
    fn open_claim(&mut self) -> Option<&mut ClaimSpan> {
        self.frames.iter_mut().rev().find_map(|frame| match frame {
            Frame::Claim { span, .. } => Some(&mut **span),
            Frame::Mention { .. } => None,
        })
    }

    /// The current end of the output, in bytes and characters.
    fn here(&self) -> (usize, usize) {
        (self.out.len(), self.chars)
    }

    fn start_block(&mut self, start: usize) {
        self.trim_end(0);
        if !self.out.is_empty() {
            self.push("\n\n", start);
        }
        self.frames.clear();
        self.claim_depth = 0;
        self.block_count += 1;
        self.pos = start;
        self.block_start = self.chars;
        self.block_start_byte = self.out.len();
        self.block_source_start = start;
    }

    fn end_block(&mut self, end: usize) {
        self.copy_to(end);
        self.trim_end(0);
        if self.block_start < self.chars {
            self.blocks.push(self.block_start..self.chars);
            self.source_blocks.push(self.block_source_start..end);
        }
    }

    /// Where copying must stop: the end of the innermost open mark's text,
    /// so the `]@id` of a mention and the sources of a claim never leak in.
    fn limit(&self) -> usize {
        match self.frames.last() {
            Some(Frame::Mention { surface_end, .. }) => *surface_end,
            Some(Frame::Claim { text_end, .. }) => *text_end,
            None => usize::MAX,
        }
    }

    /// Copies source text up to `end` (within the limit).
    fn copy_to(&mut self, end: usize) {
        let end = end.min(self.limit()).min(self.source.len());
        if end > self.pos {
            let source = self.source;
            self.push_source(&source[self.pos..end]);
            self.pos = end;
        }
    }

    /// Skips source text up to `end`.
    fn jump(&mut self, end: usize) {
        self.pos = self.pos.max(end);
    }

    fn finish_claim_text(&mut self) {
        if let Some(&Frame::Claim { text_end, end, .. }) = self.frames.last() {
            self.copy_to(text_end);
            self.jump(end);
        }
    }

    fn add_mention(&mut self, start: (usize, usize), id: String, is_reference: bool) {
        let (end_byte, end_char) = self.here();
        self.kept = self.kept.max(end_byte);
        self.mentions.push(MentionSpan {
            start: start.1,
            end: end_char,
            id,
            text: self.out[start.0..end_byte].to_owned(),
            is_reference,
        });
    }

    /// Appends source text, turning each line break (with the spaces and
    /// tabs around it) into one space, and dropping a byte-order mark.
    fn push_source(&mut self, text: &str) {
        let mut rest = text;
        while !rest.is_empty() {
            match rest.find(['\r', '\n']) {
                None => {
                    let run = rest.trim_start_matches('\u{feff}');
                    self.push(run, self.offset_of(run));
                    break;
                }
                Some(at) => {
                    let line = rest[..at].trim_start_matches('\u{feff}');
                    self.push(line, self.offset_of(line));
                    self.trim_end(0);
                    let line_break = self.offset_of(&rest[at..]);
                    rest = rest[at..].trim_start_matches(['\r', '\n', ' ', '\t']);
                    if !self.out.is_empty() && !self.out.ends_with([' ', '\n']) {
                        self.push(" ", line_break);
                    }
                }
            }
        }
    }

    /// Appends `text`, which stands for the source from byte `at` on.
    fn push(&mut self, text: &str, at: usize) {
        if text.is_empty() {
            return;
        }
        if self
            .anchors
            .last()
            .is_some_and(|&(plain, _)| plain == self.chars)
        {
            self.anchors.pop();
        }
        self.anchors.push((self.chars, at));
        self.out.push_str(text);
        self.chars += text.chars().count();
    }

    /// Where `part`, a slice of the source, starts in it.
    fn offset_of(&self, part: &str) -> usize {
        part.as_ptr() as usize - self.source.as_ptr() as usize
    }

    /// Drops trailing spaces and tabs, never below `floor` or a span's end.
    fn trim_end(&mut self, floor: usize) {
        let floor = floor.max(self.kept);
        while self.out.len() > floor && self.out.ends_with([' ', '\t']) {
            self.out.pop();
            self.chars -= 1;
        }
        while self
            .anchors
            .last()
            .is_some_and(|&(plain, _)| plain >= self.chars)
        {
            self.anchors.pop();
        }
    }
}

fn trimmed(source: &str, range: Range<usize>) -> Range<usize> {
    let text = &source[range.clone()];
    let start = range.start + (text.len() - text.trim_start().len());
    let end = (range.end - (text.len() - text.trim_end().len())).max(start);
    start..end
}

#[cfg(test)]
mod tests;
