//! Syntax errors: what the parser could not read, said in the annotator's
//! words, with the range that needs fixing.
//!
//! Tree-sitter marks broken markup with ERROR nodes (text it skipped) and
//! MISSING nodes (a token it had to assume, such as a `}` at a blank line).
//! This module turns both into messages; it also reports the few mistakes
//! the grammar accepts on purpose, such as a definition without a name.

use std::ops::Range;

use tree_sitter::Node;

use crate::ast::StanceKind;
use crate::id::{ID_RULE, is_id_char};
use crate::kind::{Kind, kind};
use crate::position::first_line_len;

/// A syntax error in a file. Parsing never fails: a tree always comes back,
/// together with these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: Range<usize>,
    pub message: String,
}

const ESCAPE_HINT: &str = "write a backslash before it for the literal character";

pub(crate) fn collect(root: Node<'_>, source: &str) -> Vec<SyntaxError> {
    let mut errors = Vec::new();
    if root.has_error() || root.is_missing() {
        // Visit only the parts of the tree that hold errors.
        let mut cursor = root.walk();
        let mut going_down = true;
        loop {
            let node = cursor.node();
            if going_down {
                if node.is_missing() {
                    errors.push(missing(node, source));
                } else if node.is_error() {
                    errors.push(unexpected(node, source));
                } else if node.has_error() && cursor.goto_first_child() {
                    continue;
                }
                going_down = false;
            } else if cursor.goto_next_sibling() {
                going_down = true;
            } else if !cursor.goto_parent() {
                break;
            }
        }
    }
    errors
}

/// A token that recovery had to assume.
fn missing(node: Node<'_>, source: &str) -> SyntaxError {
    let parent_start = node.parent().map_or(node.start_byte(), |p| p.start_byte());
    let opener = parent_start..(parent_start + 1).min(source.len());
    match kind(node) {
        Kind::CloseBrace => SyntaxError {
            range: opener,
            message: "unclosed `{`: close the claim with `}` before the blank line or the end of the file".into(),
        },
        Kind::CloseBracket => SyntaxError {
            range: opener,
            message: "unclosed `[`: close it with `]` before the blank line or the end of the file".into(),
        },
        Kind::EntityId => {
            let at = node.prev_sibling().map_or(node.byte_range(), |n| n.byte_range());
            SyntaxError { range: at, message: missing_id_message() }
        }
        Kind::LabelName => {
            let at = node.prev_sibling().map_or(node.byte_range(), |n| n.byte_range());
            SyntaxError { range: at, message: missing_label_message() }
        }
        _ => SyntaxError {
            range: node.start_byte()..node.start_byte(),
            message: format!("missing `{}`", node.kind()),
        },
    }
}

fn missing_id_message() -> String {
    format!("`@` must be followed by an entity id ({ID_RULE}); {ESCAPE_HINT} `\\@`")
}

fn missing_label_message() -> String {
    format!("`#` must be followed by a claim label ({ID_RULE}), as in `#munitions`")
}

/// What to say about text after a claim's `|` that is not a source;
/// `after_sources` when a list of sources comes right before it.
fn after_bar_message(text: &str, after_sources: bool) -> String {
    let word = text.split([' ', '\t', '}', ',']).next().unwrap_or("");
    if word == "via" {
        return "`via` must be followed by who carried the words, as in `@jon via @kcna`"
            .to_owned();
    }
    if let Some(stance) = StanceKind::ALL.into_iter().find(|s| s.word() == word) {
        return format!(
            "`{word}` must be followed by the label of a claim of this file, as in `@seoul {word} #munitions`",
            word = stance.word()
        );
    }
    // What follows the first character decides: `@` must start an id, a
    // trailing comma has nothing after it, a second `|` has sources.
    let rest = text.get(1..).unwrap_or("").trim_start();
    match text.chars().next() {
        Some('@') if after_sources && rest.starts_with(is_id_char) => MISSING_COMMA.to_owned(),
        Some('@') => missing_id_message(),
        Some(',') if after_sources && rest.is_empty() => TRAILING_COMMA.to_owned(),
        Some('|') if after_sources && rest.starts_with('@') => SECOND_BAR.to_owned(),
        _ => "`|` must be followed by sources such as `@us, @kcna`; remove the `|` to leave the claim unsourced".to_owned(),
    }
}

/// `{Shipped | @lavrov @rubio}`: two sources without a comma.
pub const MISSING_COMMA: &str =
    "sources are separated by commas: add `,` before this one (`| @lavrov, @rubio`)";
/// `{Shipped | @lavrov,}`: a comma with no source after it.
pub const TRAILING_COMMA: &str =
    "a comma must be followed by another source: remove it, or add the source";
/// `{Shipped | @lavrov | @rubio}`: a second list of sources.
pub const SECOND_BAR: &str =
    "a claim has one `|`: list every source after it, separated by commas (`| @lavrov, @rubio`)";

/// Text the parser skipped.
fn unexpected(node: Node<'_>, source: &str) -> SyntaxError {
    let range = first_line(source, node.byte_range());
    let text = &source[range.clone()];
    let first_char = text.chars().next();
    let in_claim_after_bar = node.parent().is_some_and(|parent| {
        kind(parent) == Kind::Claim && (first_char == Some('|') || preceded_by_bar(node))
    });
    let opener = range.start..range.start + first_char.map_or(0, char::len_utf8);
    let (range, message) = match first_char {
        _ if in_claim_after_bar => {
            let after_sources = node
                .prev_sibling()
                .is_some_and(|sibling| kind(sibling) == Kind::SourceList);
            (range, after_bar_message(text, after_sources))
        }
        Some('+') if after_mention(node) => (
            opener.start..opener.end + 1,
            format!(
                "`+@` after a mention must be followed by another entity id, as in `[the two ministers]@lavrov+@rubio`; {ESCAPE_HINT} `\\+`"
            ),
        ),
        Some('}') => (
            opener,
            format!("stray `}}`: no claim is open here; {ESCAPE_HINT} `\\}}`"),
        ),
        Some(']') => (
            opener,
            format!("stray `]`: no bracket is open here; {ESCAPE_HINT} `\\]`"),
        ),
        Some('{') => (
            opener,
            "unclosed `{`: close the claim with `}` before the blank line or the end of the file"
                .to_owned(),
        ),
        Some('[') => (
            opener,
            "unclosed `[`: close it with `]` before the blank line or the end of the file"
                .to_owned(),
        ),
        Some('@') => (range, missing_id_message()),
        _ if starts_front_matter(node, text) => (
            range,
            "front matter is not closed: end it with a line holding only `---`".to_owned(),
        ),
        _ if node
            .parent()
            .is_some_and(|p| kind(p) == Kind::EntityDefinition) =>
        {
            (
                range,
                "expected a property line `key: value` (indented) or the end of the definition"
                    .to_owned(),
            )
        }
        _ => {
            let shown: String = text.chars().take(20).collect();
            (range, format!("unexpected `{shown}`"))
        }
    };
    SyntaxError { range, message }
}

/// Whether `node` comes right after a mention (`[…]@a+@` with no id).
fn after_mention(node: Node<'_>) -> bool {
    node.prev_sibling()
        .is_some_and(|n| kind(n) == Kind::Mention && n.end_byte() == node.start_byte())
}

fn preceded_by_bar(node: Node<'_>) -> bool {
    let mut sibling = node.prev_sibling();
    while let Some(current) = sibling {
        if kind(current) == Kind::Bar {
            return true;
        }
        sibling = current.prev_sibling();
    }
    false
}

fn starts_front_matter(node: Node<'_>, text: &str) -> bool {
    node.start_byte() <= 3 && (text.starts_with("---") || text.starts_with("\u{feff}---"))
}

/// The range trimmed of whitespace and cut at the first line end, so an
/// error that swallowed several lines is shown where it starts.
fn first_line(source: &str, range: Range<usize>) -> Range<usize> {
    let text = &source[range.clone()];
    let lead = text.len() - text.trim_start().len();
    let start = range.start + lead;
    let end = start + first_line_len(&source[start..range.end]);
    let trimmed_end = start + source[start..end].trim_end().len();
    if trimmed_end > start {
        start..trimmed_end
    } else {
        range
    }
}
