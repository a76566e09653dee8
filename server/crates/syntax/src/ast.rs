//! The typed view: one small `Copy` wrapper per construct of the language.
//!
//! Each wrapper pairs a tree-sitter node with the source text, so `text()`
//! and `range()` need nothing else. Ranges are byte offsets into the file.
//! The view is lossless in the sense that every construct keeps its exact
//! range; prose between marks is simply the text between those ranges.

use std::ops::Range;

use tree_sitter::Node;

use crate::kind::{GRAMMAR, Kind, kind};
use crate::position::{first_line_len, first_line_with_break_len};
use crate::quote::{Quotation, quotation};

macro_rules! syntax_node {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy)]
        pub struct $name<'a> {
            node: Node<'a>,
            source: &'a str,
        }

        impl<'a> $name<'a> {
            pub(crate) fn new(node: Node<'a>, source: &'a str) -> Self {
                Self { node, source }
            }

            /// Byte range in the file.
            pub fn range(&self) -> Range<usize> {
                self.node.byte_range()
            }

            /// The source text of the whole construct.
            pub fn text(&self) -> &'a str {
                &self.source[self.node.byte_range()]
            }
        }

        impl std::fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}({:?}, {:?})", stringify!($name), self.range(), self.text())
            }
        }
    };
}

syntax_node!(
    /// The whole file.
    Document
);
syntax_node!(
    /// `---` lines with `key: value` properties at the very start.
    FrontMatter
);
syntax_node!(
    /// `# Title`.
    Heading
);
syntax_node!(
    /// `@id: Display Name` with its property lines.
    Definition
);
syntax_node!(
    /// `key: value` in a definition or in front matter.
    Property
);
syntax_node!(
    /// A run of non-blank lines of prose and marks.
    Paragraph
);
syntax_node!(
    /// `@id` in running text or in a property value.
    Reference
);
syntax_node!(
    /// `[surface text]@id`.
    Mention
);
syntax_node!(
    /// `[text]` not followed by `@`: plain text for the reader.
    Editorial
);
syntax_node!(
    /// `{claim text | @source, …}`.
    Claim
);
syntax_node!(
    /// `@id` after the `|` of a claim.
    Source
);
syntax_node!(
    /// `via @id` after a source: who carried the source's words.
    Conduit
);
syntax_node!(
    /// `denies #label` at the end of a claim's sources.
    Stance
);
syntax_node!(
    /// `~[allegedly]` in a claim's text.
    Hedge
);
syntax_node!(
    /// `#label` right after a claim's `}`.
    Label
);
syntax_node!(
    /// The name of a label, without `#`, in a label or a stance.
    LabelName
);
syntax_node!(
    /// The inside of a claim, mention, editorial bracket or heading.
    Content
);
syntax_node!(
    /// `\[` and the like.
    Escape
);
syntax_node!(
    /// `%% …` to the end of the line.
    Comment
);
syntax_node!(
    /// `%% ignore: code, code`.
    Directive
);
syntax_node!(
    /// An entity id, without the `@`.
    EntityId
);
syntax_node!(
    /// A definition or front matter the parser could not finish: a key
    /// typed on the last line of a file (`  ki`, no `:` yet), or front
    /// matter without its closing `---`. The tree has an ERROR node at the
    /// top level there, holding the property lines it recognised.
    Unfinished
);

syntax_node!(
    /// A git-style conflict: `<<<<<<< alice`, the versions of a passage
    /// separated by `=======` lines, `>>>>>>> bob`. The blocks of its
    /// versions are ordinary blocks: the walk and [`Document::blocks`]
    /// meet them as they meet any other.
    Conflict
);

/// One version of a [`Conflict`]: who wrote it and where its lines are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConflictVersion<'a> {
    /// The name on its marker line (`<<<<<<< alice`, `======= bob`) or,
    /// for the last version, on the closing `>>>>>>> bob`; `None` when
    /// neither names it.
    pub name: Option<&'a str>,
    /// The marker line that opens it, without its line end.
    pub marker: Range<usize>,
    /// Its lines, from the line after its marker to the next marker line:
    /// each with its line end, empty when the version is.
    pub content: Range<usize>,
}

/// A block of the document.
#[derive(Debug, Clone, Copy)]
pub enum Block<'a> {
    Heading(Heading<'a>),
    Definition(Definition<'a>),
    Paragraph(Paragraph<'a>),
}

fn field<'a>(node: Node<'a>, field_id: u16) -> Option<Node<'a>> {
    node.child_by_field_id(field_id)
}

fn named_children<'a>(node: Node<'a>) -> impl Iterator<Item = Node<'a>> {
    let mut cursor = node.walk();
    let mut children = Vec::with_capacity(node.named_child_count());
    for child in node.named_children(&mut cursor) {
        children.push(child);
    }
    children.into_iter()
}

/// Trims ASCII and Unicode whitespace off a range of `source`.
fn trimmed(source: &str, range: Range<usize>) -> Range<usize> {
    let text = &source[range.clone()];
    let start = range.start + (text.len() - text.trim_start().len());
    let end = range.end - (text.len() - text.trim_end().len());
    start..end.max(start)
}

impl<'a> Document<'a> {
    pub fn front_matter(&self) -> Option<FrontMatter<'a>> {
        named_children(self.node)
            .find(|n| kind(*n) == Kind::FrontMatter)
            .map(|n| FrontMatter::new(n, self.source))
    }

    /// The blocks in text order, those of conflicts' versions included.
    pub fn blocks(&self) -> impl Iterator<Item = Block<'a>> {
        let source = self.source;
        named_children(self.node)
            .flat_map(|n| match kind(n) {
                Kind::Conflict => named_children(n)
                    .filter(|v| kind(*v) == Kind::Version)
                    .flat_map(named_children)
                    .collect(),
                _ => vec![n],
            })
            .filter_map(move |n| match kind(n) {
                Kind::Heading => Some(Block::Heading(Heading::new(n, source))),
                Kind::EntityDefinition => Some(Block::Definition(Definition::new(n, source))),
                Kind::Paragraph => Some(Block::Paragraph(Paragraph::new(n, source))),
                _ => None,
            })
    }

    pub fn conflicts(&self) -> impl Iterator<Item = Conflict<'a>> {
        let source = self.source;
        named_children(self.node)
            .filter(|n| kind(*n) == Kind::Conflict)
            .map(move |n| Conflict::new(n, source))
    }

    pub fn definitions(&self) -> impl Iterator<Item = Definition<'a>> {
        self.blocks().filter_map(|block| match block {
            Block::Definition(definition) => Some(definition),
            _ => None,
        })
    }
}

impl<'a> FrontMatter<'a> {
    pub fn properties(&self) -> impl Iterator<Item = Property<'a>> {
        let source = self.source;
        named_children(self.node)
            .filter(|n| kind(*n) == Kind::Property)
            .map(move |n| Property::new(n, source))
    }

    /// Whether the closing `---` line is there.
    pub fn is_closed(&self) -> bool {
        !self.node.has_error()
    }
}

impl<'a> Heading<'a> {
    /// 1 for `#`, up to 6 for `######`.
    pub fn level(&self) -> usize {
        field(self.node, GRAMMAR.field_marker)
            .map(|marker| self.source[marker.byte_range()].trim_end().len())
            .unwrap_or(1)
    }

    /// The heading text without the `#` marker, trimmed.
    pub fn title_range(&self) -> Range<usize> {
        match field(self.node, GRAMMAR.field_text) {
            Some(content) => trimmed(self.source, content.byte_range()),
            None => self.range().end..self.range().end,
        }
    }

    pub fn title(&self) -> &'a str {
        &self.source[self.title_range()]
    }

    /// The heading line, without its line break.
    pub fn line_range(&self) -> Range<usize> {
        trimmed(self.source, self.range())
    }
}

impl<'a> Definition<'a> {
    pub fn id(&self) -> Option<EntityId<'a>> {
        field(self.node, GRAMMAR.field_id)
            .filter(|n| !n.is_missing())
            .map(|n| EntityId::new(n, self.source))
    }

    /// The `@id` at the start of the definition.
    pub fn header_id_range(&self) -> Range<usize> {
        let start = self.range().start;
        self.id()
            .map_or(start..start + 1, |id| start..id.range().end)
    }

    /// The display name, trimmed; `None` when the line has nothing after `:`.
    pub fn name_range(&self) -> Option<Range<usize>> {
        field(self.node, GRAMMAR.field_name)
            .map(|n| trimmed(self.source, n.byte_range()))
            .filter(|range| !range.is_empty())
    }

    pub fn name(&self) -> Option<&'a str> {
        self.name_range().map(|range| &self.source[range])
    }

    pub fn properties(&self) -> impl Iterator<Item = Property<'a>> {
        let source = self.source;
        named_children(self.node)
            .filter(|n| kind(*n) == Kind::Property)
            .map(move |n| Property::new(n, source))
    }

    /// The definition without the line break and blank lines that end it.
    pub fn trimmed_range(&self) -> Range<usize> {
        trimmed(self.source, self.range())
    }
}

impl<'a> Property<'a> {
    pub fn key(&self) -> &'a str {
        &self.source[self.key_range()]
    }

    pub fn key_range(&self) -> Range<usize> {
        field(self.node, GRAMMAR.field_key).map_or(self.range(), |n| n.byte_range())
    }

    /// The value, trimmed; empty (at the end of the line) when there is none.
    pub fn value_range(&self) -> Range<usize> {
        match field(self.node, GRAMMAR.field_value) {
            Some(value) => trimmed(self.source, value.byte_range()),
            None => self.range().end..self.range().end,
        }
    }

    pub fn value(&self) -> &'a str {
        &self.source[self.value_range()]
    }
}

impl<'a> Paragraph<'a> {
    /// The paragraph without the line break that ends it.
    pub fn trimmed_range(&self) -> Range<usize> {
        trimmed(self.source, self.range())
    }
}

impl<'a> Conflict<'a> {
    /// The marker lines in text order, each without its line end: the
    /// opening one, each `=======`, and the closing one when it is there.
    pub fn markers(&self) -> impl Iterator<Item = Range<usize>> + 'a {
        let source = self.source;
        named_children(self.node)
            .filter(|n| is_marker(*n))
            .map(move |n| line_without_end(source, n.byte_range()))
    }

    /// The versions in text order, each with its name.
    pub fn versions(&self) -> Vec<ConflictVersion<'a>> {
        let markers: Vec<Node<'a>> = named_children(self.node)
            .filter(|n| is_marker(*n))
            .collect();
        let closing = self.closing_marker();
        let mut versions = Vec::with_capacity(markers.len());
        for (index, marker) in markers.iter().enumerate() {
            if kind(*marker) == Kind::ConflictEnd {
                break;
            }
            let line = line_without_end(self.source, marker.byte_range());
            let end = markers
                .get(index + 1)
                .map_or(self.range().end, |next| next.start_byte());
            let is_last = markers
                .get(index + 1)
                .is_none_or(|next| kind(*next) == Kind::ConflictEnd);
            let name = marker_name(&self.source[line.clone()]).or_else(|| {
                is_last
                    .then_some(closing.clone())
                    .flatten()
                    .and_then(|closing| marker_name(&self.source[closing]))
            });
            versions.push(ConflictVersion {
                name,
                marker: line,
                content: marker.end_byte().min(end)..end,
            });
        }
        versions
    }

    /// The closing `>>>>>>>` line without its line end; `None` when the
    /// conflict runs on to the next conflict or the end of the file.
    pub fn closing_marker(&self) -> Option<Range<usize>> {
        // The scanner ends an unterminated conflict with an empty marker.
        named_children(self.node)
            .find(|n| kind(*n) == Kind::ConflictEnd && n.start_byte() < n.end_byte())
            .map(|n| line_without_end(self.source, n.byte_range()))
    }

    /// The whole conflict up to the line end of its last line (the blank
    /// lines after the closing marker excluded): what accepting a version
    /// replaces.
    pub fn block_range(&self) -> Range<usize> {
        let start = self.range().start;
        match named_children(self.node).find(|n| kind(*n) == Kind::ConflictEnd) {
            Some(end) => start..line_with_end(self.source, end.byte_range()).end,
            None => self.range(),
        }
    }
}

fn is_marker(node: Node<'_>) -> bool {
    matches!(
        kind(node),
        Kind::ConflictStart | Kind::ConflictSeparator | Kind::ConflictEnd
    )
}

/// The name after a marker's seven characters, trimmed; `None` if blank.
fn marker_name(line: &str) -> Option<&str> {
    let name = line.get(7..)?.trim();
    (!name.is_empty()).then_some(name)
}

/// The first line of `range`, with its line end (LF, CRLF or a lone CR).
fn line_with_end(source: &str, range: Range<usize>) -> Range<usize> {
    range.start..range.start + first_line_with_break_len(&source[range])
}

/// The first line of `range`, without its line end.
fn line_without_end(source: &str, range: Range<usize>) -> Range<usize> {
    range.start..range.start + first_line_len(&source[range])
}

impl<'a> Reference<'a> {
    pub fn id(&self) -> Option<EntityId<'a>> {
        id_field(self.node, self.source)
    }
}

impl<'a> Source<'a> {
    pub fn id(&self) -> Option<EntityId<'a>> {
        id_field(self.node, self.source)
    }
}

impl<'a> Conduit<'a> {
    pub fn id(&self) -> Option<EntityId<'a>> {
        id_field(self.node, self.source)
    }
}

/// How a claim's source relates to a labelled claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StanceKind {
    Denies,
    Confirms,
    Disputes,
}

impl StanceKind {
    pub const ALL: [StanceKind; 3] = [Self::Denies, Self::Confirms, Self::Disputes];

    /// The word that marks it.
    pub fn word(self) -> &'static str {
        match self {
            Self::Denies => "denies",
            Self::Confirms => "confirms",
            Self::Disputes => "disputes",
        }
    }
}

impl<'a> Stance<'a> {
    pub fn kind(&self) -> StanceKind {
        let word = field(self.node, GRAMMAR.field_kind).map(|n| &self.source[n.byte_range()]);
        (StanceKind::ALL.into_iter())
            .find(|kind| Some(kind.word()) == word)
            .unwrap_or(StanceKind::Disputes)
    }

    /// The label it names, when typed.
    pub fn label(&self) -> Option<LabelName<'a>> {
        label_name(self.node, self.source)
    }
}

impl<'a> Label<'a> {
    /// The name after `#`, when typed.
    pub fn name(&self) -> Option<LabelName<'a>> {
        let name = field(self.node, GRAMMAR.field_name)?;
        (!name.is_missing()).then(|| LabelName::new(name, self.source))
    }
}

fn label_name<'a>(node: Node<'a>, source: &'a str) -> Option<LabelName<'a>> {
    field(node, GRAMMAR.field_label)
        .filter(|n| !n.is_missing())
        .map(|n| LabelName::new(n, source))
}

impl<'a> LabelName<'a> {
    pub fn as_str(&self) -> &'a str {
        self.text()
    }
}

impl<'a> Hedge<'a> {
    /// The hedging words between `~[` and `]`.
    pub fn words_range(&self) -> Range<usize> {
        content_or_empty(self.node, self.range().start + 2)
    }
}

fn id_field<'a>(node: Node<'a>, source: &'a str) -> Option<EntityId<'a>> {
    field(node, GRAMMAR.field_id)
        .filter(|n| !n.is_missing())
        .map(|n| EntityId::new(n, source))
}

impl<'a> Mention<'a> {
    /// The first entity it names.
    pub fn id(&self) -> Option<EntityId<'a>> {
        id_field(self.node, self.source)
    }

    /// Every entity it names: `[the two ministers]@lavrov+@rubio` names two.
    pub fn ids(&self) -> Vec<EntityId<'a>> {
        let mut cursor = self.node.walk();
        let ids: Vec<EntityId<'a>> = (self.node)
            .children_by_field_id(
                std::num::NonZeroU16::new(GRAMMAR.field_id).expect("field ids start at 1"),
                &mut cursor,
            )
            .filter(|n| !n.is_missing())
            .map(|n| EntityId::new(n, self.source))
            .collect();
        ids
    }

    /// The surface text between the brackets (empty for `[]@x`).
    pub fn surface_range(&self) -> Range<usize> {
        content_or_empty(self.node, self.range().start + 1)
    }

    pub fn surface(&self) -> &'a str {
        &self.source[self.surface_range()]
    }

    /// The `@id` after the closing bracket.
    pub fn target_range(&self) -> Range<usize> {
        match self.id() {
            Some(id) => id.range().start - 1..id.range().end,
            None => self.range().end..self.range().end,
        }
    }
}

fn content_or_empty(node: Node<'_>, empty_at: usize) -> Range<usize> {
    field(node, GRAMMAR.field_text).map_or(empty_at..empty_at, |n| n.byte_range())
}

impl<'a> Editorial<'a> {
    pub fn inner_range(&self) -> Range<usize> {
        content_or_empty(self.node, self.range().start + 1)
    }
}

impl<'a> Claim<'a> {
    /// The claim text before `|` (or before `}`), untrimmed.
    pub fn text_range(&self) -> Range<usize> {
        content_or_empty(self.node, self.range().start + 1)
    }

    /// The claim text with surrounding whitespace removed.
    pub fn trimmed_text(&self) -> &'a str {
        self.source[self.text_range()].trim()
    }

    /// Whether the claim has a `|`, even if what follows is broken.
    pub fn has_source_bar(&self) -> bool {
        (0..self.node.child_count())
            .filter_map(|i| self.node.child(i))
            .any(|child| !child.is_missing() && kind(child) == Kind::Bar)
    }

    pub fn sources(&self) -> impl Iterator<Item = Source<'a>> {
        let source = self.source;
        field(self.node, GRAMMAR.field_sources)
            .into_iter()
            .flat_map(named_children)
            .filter(|n| kind(*n) == Kind::Source)
            .map(move |n| Source::new(n, source))
    }

    /// The `|` and the sources after it, up to the closing brace.
    pub fn sources_range(&self) -> Option<Range<usize>> {
        let list = field(self.node, GRAMMAR.field_sources)?;
        Some(trimmed(self.source, list.byte_range()))
    }

    /// The quotation in the claim's text ([`crate::quotation`]), its
    /// fragments in bytes into the file; `before` is the text of the
    /// paragraph before the claim.
    pub fn quotation(&self, before: &str) -> Quotation {
        let range = self.text_range();
        quotation(&self.source[range.clone()], before).offset(range.start)
    }

    /// Whether the closing `}` is really there (not inserted by recovery).
    pub fn is_closed(&self) -> bool {
        // The last child, or the one before a label.
        let count = self.node.child_count();
        let last = (count.saturating_sub(2)..count)
            .rev()
            .filter_map(|i| self.node.child(i))
            .find(|n| kind(*n) != Kind::Label);
        last.is_some_and(|n| !n.is_missing() && kind(n) == Kind::CloseBrace)
    }
}

impl<'a> EntityId<'a> {
    pub fn as_str(&self) -> &'a str {
        self.text()
    }
}

impl<'a> Directive<'a> {
    /// The codes listed after `ignore:`, each with its byte range.
    pub fn codes(&self) -> Vec<(&'a str, Range<usize>)> {
        let text = self.text();
        let Some(colon) = text.find(':') else {
            return Vec::new();
        };
        let base = self.range().start;
        let mut codes = Vec::new();
        let mut offset = colon + 1;
        for part in text[colon + 1..].split(',') {
            let trimmed_part = part.trim();
            if !trimmed_part.is_empty() {
                let start = offset + (part.len() - part.trim_start().len());
                codes.push((
                    trimmed_part,
                    base + start..base + start + trimmed_part.len(),
                ));
            }
            offset += part.len() + 1;
        }
        codes
    }

    /// Where the codes list starts (after `ignore:` and spaces), for completion.
    pub fn codes_start(&self) -> usize {
        let text = self.text();
        let colon = text.find(':').map_or(text.len(), |c| c + 1);
        let spaces = text[colon..].len() - text[colon..].trim_start().len();
        self.range().start + colon + spaces
    }
}

impl<'a> Unfinished<'a> {
    /// `node` as an unfinished block, when it is one: an ERROR node at the
    /// top level that opens like a definition (`@id: Name`) or, first in
    /// the file, like front matter (`---`).
    pub(crate) fn recognise(node: Node<'a>, source: &'a str) -> Option<Self> {
        let parent = node.parent()?;
        if kind(node) != Kind::Error || kind(parent) != Kind::Document {
            return None;
        }
        let unfinished = Self::new(node, source);
        let first_in_file = node.prev_sibling().is_none();
        (unfinished.is_definition() || first_in_file && opens_front_matter(unfinished.text()))
            .then_some(unfinished)
    }

    /// Whether it opens like a definition: `@`, an id, and a name.
    pub fn is_definition(&self) -> bool {
        let mut children = named_children(self.node);
        let opens_with_id = self.node.child(0).is_some_and(|n| kind(n) == Kind::At)
            && children.next().is_some_and(|n| kind(n) == Kind::EntityId);
        opens_with_id && children.any(|n| kind(n) == Kind::Name)
    }

    /// The block without the line breaks and blank lines that end it.
    pub fn trimmed_range(&self) -> Range<usize> {
        trimmed(self.source, self.range())
    }
}

/// Whether `text` starts with the line that opens front matter: `---`,
/// maybe spaces or tabs, and a line break (the grammar's hidden
/// `_front_matter_delimiter`, which the tree does not show).
fn opens_front_matter(text: &str) -> bool {
    text.strip_prefix("---").is_some_and(|rest| {
        let rest = rest.trim_start_matches([' ', '\t']);
        rest.starts_with(['\n', '\r'])
    })
}

impl<'a> Comment<'a> {
    /// The comment without leading indentation.
    pub fn trimmed_range(&self) -> Range<usize> {
        trimmed(self.source, self.range())
    }
}
