//! Semantic tokens: what each stretch of a file is, for editors to colour
//! beyond what the TextMate grammar can see (sourced versus unsourced
//! claims, definitions versus uses).
//!
//! Marks nest (a mention inside a claim inside a claim), but tokens may not
//! overlap or span lines, so the layers are painted innermost-last and the
//! result is cut at line breaks.

use std::collections::BTreeSet;
use std::ops::Range;

use crate::summary::{FileSummary, UsageKind};
use crate::workspace::{FileId, Workspace};

/// The token types, in legend order (the LSP legend lists them so).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TokenType {
    /// An entity id: `@lavrov` in text, in a property value, after a mention,
    /// or at the start of its definition (with the `declaration` modifier).
    Entity,
    /// The surface text of a mention.
    Mention,
    /// A claim (with `sourced` or `unsourced`).
    Claim,
    /// A claim that is a direct quote (with `sourced` or `unsourced`).
    Quote,
    /// A source after the `|` of a claim.
    Source,
    /// A property or front matter key.
    Property,
    Comment,
    /// A `%% ignore:` directive.
    Directive,
}

impl TokenType {
    pub const ALL: [TokenType; 8] = [
        TokenType::Entity,
        TokenType::Mention,
        TokenType::Claim,
        TokenType::Quote,
        TokenType::Source,
        TokenType::Property,
        TokenType::Comment,
        TokenType::Directive,
    ];

    /// The name in the legend.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenType::Entity => "entity",
            TokenType::Mention => "mention",
            TokenType::Claim => "claim",
            TokenType::Quote => "quote",
            TokenType::Source => "source",
            TokenType::Property => "property",
            TokenType::Comment => "comment",
            TokenType::Directive => "directive",
        }
    }
}

/// Modifier bits, in legend order.
pub const DECLARATION: u32 = 1;
pub const SOURCED: u32 = 1 << 1;
pub const UNSOURCED: u32 = 1 << 2;
pub const MODIFIERS: [&str; 3] = ["declaration", "sourced", "unsourced"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SemanticToken {
    /// Never spans a line break.
    pub range: Range<usize>,
    pub token_type: TokenType,
    pub modifiers: u32,
}

/// Tokens of the whole file, or of those overlapping `range`, in text order.
pub fn semantic_tokens(
    ws: &Workspace,
    file: FileId,
    range: Option<Range<usize>>,
) -> Vec<SemanticToken> {
    let summary = ws.summary(file);
    let painted = flatten(paint_layers(summary));
    let mut tokens = split_lines(ws.text(file), summary, painted);
    if let Some(range) = range {
        tokens.retain(|t| t.range.start < range.end && range.start < t.range.end);
    }
    tokens
}

type Style = (TokenType, u32);

/// Every styled range; a later entry paints over earlier ones.
fn paint_layers(summary: &FileSummary) -> Vec<(Range<usize>, Style)> {
    let mut layers = Vec::new();
    // Claims in text order: an outer claim comes before the claims inside it.
    for claim in &summary.claims {
        let token_type = if claim.is_quote {
            TokenType::Quote
        } else {
            TokenType::Claim
        };
        let modifiers = if claim.has_bar { SOURCED } else { UNSOURCED };
        layers.push((claim.range.clone(), (token_type, modifiers)));
    }
    for definition in &summary.definitions {
        layers.push((
            definition.id_range.clone(),
            (TokenType::Entity, DECLARATION),
        ));
    }
    let properties = summary
        .definitions
        .iter()
        .flat_map(|d| &d.properties)
        .chain(summary.front_matter.iter().flat_map(|f| &f.properties));
    for property in properties {
        layers.push((property.key_range.clone(), (TokenType::Property, 0)));
    }
    for usage in &summary.usages {
        match &usage.kind {
            UsageKind::Mention { surface } => {
                layers.push((surface.clone(), (TokenType::Mention, 0)));
                layers.push((usage.target_range(), (TokenType::Entity, 0)));
            }
            UsageKind::Source { .. } | UsageKind::Conduit { .. } => {
                layers.push((usage.range.clone(), (TokenType::Source, 0)))
            }
            UsageKind::Reference | UsageKind::Property { .. } | UsageKind::FrontMatter { .. } => {
                layers.push((usage.range.clone(), (TokenType::Entity, 0)))
            }
        }
    }
    for comment in &summary.comments {
        layers.push((comment.clone(), (TokenType::Comment, 0)));
    }
    for directive in &summary.directives {
        layers.push((directive.range.clone(), (TokenType::Directive, 0)));
    }
    layers
}

/// Non-overlapping ranges where the latest layer covering each point wins
/// (a sweep over the boundaries, O(n log n)).
fn flatten(layers: Vec<(Range<usize>, Style)>) -> Vec<(Range<usize>, Style)> {
    let mut events: Vec<(usize, bool, usize)> = Vec::with_capacity(layers.len() * 2);
    for (index, (range, _)) in layers.iter().enumerate() {
        if !range.is_empty() {
            events.push((range.start, true, index));
            events.push((range.end, false, index));
        }
    }
    events.sort_unstable();
    let mut active: BTreeSet<usize> = BTreeSet::new();
    let mut result: Vec<(Range<usize>, Style)> = Vec::new();
    let mut position = 0;
    for (at, is_start, index) in events {
        if at > position
            && let Some(&top) = active.last()
        {
            let style = layers[top].1;
            match result.last_mut() {
                Some((last, last_style)) if last.end == position && *last_style == style => {
                    last.end = at
                }
                _ => result.push((position..at, style)),
            }
        }
        position = at;
        if is_start {
            active.insert(index);
        } else {
            active.remove(&index);
        }
    }
    result
}

/// Cuts tokens at line breaks and leaves the breaks themselves out.
fn split_lines(
    text: &str,
    summary: &FileSummary,
    painted: Vec<(Range<usize>, Style)>,
) -> Vec<SemanticToken> {
    let mut tokens = Vec::with_capacity(painted.len());
    for (range, (token_type, modifiers)) in painted {
        let mut start = range.start;
        let mut line = summary.lines.line(start);
        while start < range.end {
            let end = summary.lines.line_end(text, line).min(range.end);
            let next_line_start = summary.lines.line_start(line + 1).min(range.end);
            if end > start {
                tokens.push(SemanticToken {
                    range: start..end,
                    token_type,
                    modifiers,
                });
            }
            start = next_line_start;
            line += 1;
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    fn tokens(text: &str) -> Vec<String> {
        let fixture = fixture::parse(text);
        let file = fixture.file("a.nmk");
        let source = fixture.ws.text(file);
        semantic_tokens(&fixture.ws, file, None)
            .into_iter()
            .map(|t| {
                let modifiers: Vec<&str> = MODIFIERS
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| t.modifiers & (1 << i) != 0)
                    .map(|(_, m)| *m)
                    .collect();
                format!("{:?}{modifiers:?} {:?}", t.token_type, &source[t.range])
            })
            .collect()
    }

    #[test]
    fn nested_marks_paint_over_their_claim() {
        assert_eq!(
            tokens("//- a.nmk\n{[Kim]@kim said {\"no\" | @a} | @kcna} {x}\n"),
            [
                "Claim[\"sourced\"] \"{[\"",
                "Mention[] \"Kim\"",
                "Claim[\"sourced\"] \"]\"",
                "Entity[] \"@kim\"",
                "Claim[\"sourced\"] \" said \"",
                "Quote[\"sourced\"] \"{\\\"no\\\" | \"",
                "Source[] \"@a\"",
                "Quote[\"sourced\"] \"}\"",
                "Claim[\"sourced\"] \" | \"",
                "Source[] \"@kcna\"",
                "Claim[\"sourced\"] \"}\"",
                "Claim[\"unsourced\"] \"{x}\"",
            ]
        );
    }

    #[test]
    fn definitions_keys_comments_and_directives() {
        assert_eq!(
            tokens("//- a.nmk\n@kim: Kim\n  member-of: @nk %% note\n%% ignore: unused-entity\n"),
            [
                "Entity[\"declaration\"] \"@kim\"",
                "Property[] \"member-of\"",
                "Entity[] \"@nk\"",
                "Comment[] \"%% note\"",
                "Directive[] \"%% ignore: unused-entity\"",
            ]
        );
    }

    #[test]
    fn tokens_never_span_lines() {
        let lines = tokens("//- a.nmk crlf\n{first 😀 line\nsecond line}\n");
        assert_eq!(
            lines,
            [
                "Claim[\"unsourced\"] \"{first 😀 line\"",
                "Claim[\"unsourced\"] \"second line}\""
            ]
        );
    }
}
