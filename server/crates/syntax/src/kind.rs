//! Node kinds and field ids of the Newsmark grammar, resolved once.
//!
//! This is the only module that spells grammar node names; everything else
//! asks the typed view in [`crate::ast`]. Comparing numeric kind ids is also
//! cheaper than comparing strings on every node of a large corpus.

use std::sync::LazyLock;

use tree_sitter::{Language, Node};

/// What a named node of the tree is, as far as the typed view cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Document,
    FrontMatter,
    Heading,
    HeadingMarker,
    EntityDefinition,
    Name,
    Property,
    Key,
    Value,
    Paragraph,
    Reference,
    Mention,
    Editorial,
    Claim,
    Content,
    SourceList,
    Source,
    /// `via @id` after a source.
    Conduit,
    /// `denies #label` at the end of a source list.
    Stance,
    /// `~[allegedly]` in a claim.
    Hedge,
    /// `#label` after a claim's `}`.
    Label,
    /// The name of a label, in a label or a stance.
    LabelName,
    EntityId,
    Escape,
    Comment,
    Directive,
    /// A git-style conflict block, its versions and its marker lines.
    Conflict,
    Version,
    ConflictStart,
    ConflictSeparator,
    ConflictEnd,
    Error,
    /// `|` before a claim's sources.
    Bar,
    OpenBrace,
    CloseBrace,
    OpenBracket,
    CloseBracket,
    At,
    /// Other anonymous tokens and hidden text runs.
    Token,
}

pub(crate) struct Grammar {
    pub(crate) language: Language,
    kinds: Vec<Kind>,
    pub(crate) field_id: u16,
    pub(crate) field_name: u16,
    pub(crate) field_key: u16,
    pub(crate) field_value: u16,
    pub(crate) field_text: u16,
    pub(crate) field_sources: u16,
    pub(crate) field_marker: u16,
    pub(crate) field_label: u16,
    pub(crate) field_kind: u16,
}

pub(crate) static GRAMMAR: LazyLock<Grammar> = LazyLock::new(|| {
    let language: Language = tree_sitter_newsmark::LANGUAGE.into();
    let mut kinds = vec![Kind::Token; language.node_kind_count()];
    let named = [
        ("document", Kind::Document),
        ("front_matter", Kind::FrontMatter),
        ("heading", Kind::Heading),
        ("heading_marker", Kind::HeadingMarker),
        ("entity_definition", Kind::EntityDefinition),
        ("name", Kind::Name),
        ("property", Kind::Property),
        ("key", Kind::Key),
        ("value", Kind::Value),
        ("paragraph", Kind::Paragraph),
        ("reference", Kind::Reference),
        ("mention", Kind::Mention),
        ("editorial", Kind::Editorial),
        ("claim", Kind::Claim),
        ("content", Kind::Content),
        ("source_list", Kind::SourceList),
        ("source", Kind::Source),
        ("conduit", Kind::Conduit),
        ("stance", Kind::Stance),
        ("hedge", Kind::Hedge),
        ("label", Kind::Label),
        ("label_name", Kind::LabelName),
        ("entity_id", Kind::EntityId),
        ("escape", Kind::Escape),
        ("comment", Kind::Comment),
        ("directive", Kind::Directive),
        ("conflict", Kind::Conflict),
        ("version", Kind::Version),
        ("conflict_start", Kind::ConflictStart),
        ("conflict_separator", Kind::ConflictSeparator),
        ("conflict_end", Kind::ConflictEnd),
    ];
    let anonymous = [
        ("|", Kind::Bar),
        ("{", Kind::OpenBrace),
        ("}", Kind::CloseBrace),
        ("[", Kind::OpenBracket),
        ("]", Kind::CloseBracket),
        ("@", Kind::At),
    ];
    let all = named.iter().map(|&(name, kind)| (name, kind, true));
    let all = all.chain(anonymous.iter().map(|&(name, kind)| (name, kind, false)));
    for (name, kind, is_named) in all {
        let id = language.id_for_node_kind(name, is_named);
        assert_ne!(id, 0, "the grammar has no node kind {name:?}");
        kinds[usize::from(id)] = kind;
    }
    let field = |name: &str| {
        language
            .field_id_for_name(name)
            .unwrap_or_else(|| panic!("the grammar has no field {name:?}"))
            .get()
    };
    Grammar {
        field_id: field("id"),
        field_name: field("name"),
        field_key: field("key"),
        field_value: field("value"),
        field_text: field("text"),
        field_sources: field("sources"),
        field_marker: field("marker"),
        field_label: field("label"),
        field_kind: field("kind"),
        kinds,
        language,
    }
});

/// The kind id of ERROR nodes: tree-sitter reserves the largest one.
/// Comparing it here, rather than asking `is_error`, reads the node's
/// symbol once per node instead of twice.
const ERROR_KIND_ID: u16 = u16::MAX;

pub(crate) fn kind(node: Node<'_>) -> Kind {
    // Aliased nodes (a heading's `content`) report their visible kind id.
    match node.kind_id() {
        ERROR_KIND_ID => Kind::Error,
        id => GRAMMAR
            .kinds
            .get(usize::from(id))
            .copied()
            .unwrap_or(Kind::Token),
    }
}
