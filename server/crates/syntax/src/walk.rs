//! A preorder walk over the constructs of a file, with enter and leave
//! events, so callers can keep their own context stack (which claim a
//! mention sits in, which property a reference belongs to).
//!
//! The walk is iterative (a tree cursor and a list of the constructs it is
//! inside, no recursion), so 100,000 nested claims cost heap memory, not
//! call stack.

use std::ops::Range;

use tree_sitter::{Node, TreeCursor};

use crate::ast::{
    Claim, Comment, Conduit, Conflict, Content, Definition, Directive, Editorial, Escape,
    FrontMatter, Heading, Hedge, Label, Mention, Paragraph, Property, Reference, Source, Stance,
    Unfinished,
};
use crate::kind::{Kind, kind};

/// A construct met by the walk.
#[derive(Debug, Clone)]
pub enum Syntax<'a> {
    FrontMatter(FrontMatter<'a>),
    Heading(Heading<'a>),
    Definition(Definition<'a>),
    Property(Property<'a>),
    Paragraph(Paragraph<'a>),
    Reference(Reference<'a>),
    Mention(Mention<'a>),
    Editorial(Editorial<'a>),
    Claim(Claim<'a>),
    /// The inside of a claim, mention, editorial bracket or heading.
    Content(Content<'a>),
    Source(Source<'a>),
    /// `via @id` after a source (see [`Source::conduits`]).
    Conduit(Conduit<'a>),
    /// `denies #label` among a claim's sources.
    Stance(Stance<'a>),
    /// `~[allegedly]` in a claim.
    Hedge(Hedge<'a>),
    /// `#label` after a claim; the walk meets it inside the claim.
    Label(Label<'a>),
    Escape(Escape<'a>),
    Comment(Comment<'a>),
    Directive(Directive<'a>),
    /// A definition or front matter the parser could not finish (an
    /// error too, see [`crate::SyntaxTree::errors`]).
    Unfinished(Unfinished<'a>),
    /// A git-style conflict; the walk then meets the blocks of its
    /// versions, which are analysed like any others.
    Conflict(Conflict<'a>),
    /// Text the parser could not make sense of; see [`crate::SyntaxTree::errors`].
    Error(Range<usize>),
}

impl<'a> Syntax<'a> {
    pub(crate) fn classify(node: Node<'a>, source: &'a str) -> Option<Self> {
        Some(match kind(node) {
            Kind::FrontMatter => Self::FrontMatter(FrontMatter::new(node, source)),
            Kind::Heading => Self::Heading(Heading::new(node, source)),
            Kind::EntityDefinition => Self::Definition(Definition::new(node, source)),
            Kind::Property => Self::Property(Property::new(node, source)),
            Kind::Paragraph => Self::Paragraph(Paragraph::new(node, source)),
            Kind::Reference => Self::Reference(Reference::new(node, source)),
            Kind::Mention => Self::Mention(Mention::new(node, source)),
            Kind::Editorial => Self::Editorial(Editorial::new(node, source)),
            Kind::Claim => Self::Claim(Claim::new(node, source)),
            Kind::Content => Self::Content(Content::new(node, source)),
            Kind::Source => Self::Source(Source::new(node, source)),
            Kind::Conduit => Self::Conduit(Conduit::new(node, source)),
            Kind::Stance => Self::Stance(Stance::new(node, source)),
            Kind::Hedge => Self::Hedge(Hedge::new(node, source)),
            Kind::Label => Self::Label(Label::new(node, source)),
            Kind::Escape => Self::Escape(Escape::new(node, source)),
            Kind::Comment => Self::Comment(Comment::new(node, source)),
            Kind::Directive => Self::Directive(Directive::new(node, source)),
            Kind::Conflict => Self::Conflict(Conflict::new(node, source)),
            Kind::Error => match Unfinished::recognise(node, source) {
                Some(unfinished) => Self::Unfinished(unfinished),
                None => Self::Error(node.byte_range()),
            },
            _ => return None,
        })
    }

    /// Whether constructs can sit inside this one when it is well formed.
    /// The walk skips the tokens inside those that cannot (`@` and the id
    /// of a reference), a good share of all the nodes of a marked-up file.
    fn may_hold_constructs(&self) -> bool {
        !matches!(
            self,
            Self::Reference(_)
                | Self::Source(_)
                | Self::Conduit(_)
                | Self::Stance(_)
                | Self::Label(_)
                | Self::Escape(_)
                | Self::Comment(_)
                | Self::Directive(_)
        )
    }

    pub fn range(&self) -> Range<usize> {
        match self {
            Self::FrontMatter(n) => n.range(),
            Self::Heading(n) => n.range(),
            Self::Definition(n) => n.range(),
            Self::Property(n) => n.range(),
            Self::Paragraph(n) => n.range(),
            Self::Reference(n) => n.range(),
            Self::Mention(n) => n.range(),
            Self::Editorial(n) => n.range(),
            Self::Claim(n) => n.range(),
            Self::Content(n) => n.range(),
            Self::Source(n) => n.range(),
            Self::Conduit(n) => n.range(),
            Self::Stance(n) => n.range(),
            Self::Hedge(n) => n.range(),
            Self::Label(n) => n.range(),
            Self::Escape(n) => n.range(),
            Self::Comment(n) => n.range(),
            Self::Directive(n) => n.range(),
            Self::Unfinished(n) => n.range(),
            Self::Conflict(n) => n.range(),
            Self::Error(range) => range.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub enum WalkEvent<T> {
    Enter(T),
    Leave(T),
}

/// See [`crate::SyntaxTree::walk`].
pub struct Preorder<'a> {
    cursor: TreeCursor<'a>,
    source: &'a str,
    going_down: bool,
    finished: bool,
    /// What each node the cursor is inside of was classified as on the way
    /// down, so leaving it needs no second look at the node.
    open: Vec<Option<Syntax<'a>>>,
    /// The node to leave next.
    leaving: Option<Syntax<'a>>,
}

impl<'a> Preorder<'a> {
    pub(crate) fn new(root: Node<'a>, source: &'a str) -> Self {
        Self {
            cursor: root.walk(),
            source,
            going_down: true,
            finished: false,
            open: Vec::new(),
            leaving: None,
        }
    }
}

impl<'a> Iterator for Preorder<'a> {
    type Item = WalkEvent<Syntax<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.finished {
            if self.going_down {
                let node = self.cursor.node();
                let syntax = Syntax::classify(node, self.source);
                // Error recovery can put a comment or directive inside a
                // broken reference (`@%% ignore: x`): enter those too.
                let may_hold = syntax.as_ref().is_none_or(Syntax::may_hold_constructs);
                if (may_hold || node.has_error()) && self.cursor.goto_first_child() {
                    self.open.push(syntax.clone());
                } else {
                    self.going_down = false;
                    self.leaving = syntax.clone();
                }
                if let Some(syntax) = syntax {
                    return Some(WalkEvent::Enter(syntax));
                }
            } else {
                let leaving = self.leaving.take();
                if self.cursor.goto_next_sibling() {
                    self.going_down = true;
                } else if self.cursor.goto_parent() {
                    self.leaving = self.open.pop().flatten();
                } else {
                    self.finished = true;
                }
                if let Some(syntax) = leaving {
                    return Some(WalkEvent::Leave(syntax));
                }
            }
        }
        None
    }
}

impl std::fmt::Debug for Preorder<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Preorder")
            .field("finished", &self.finished)
            .finish()
    }
}
