//! Semantic tokens: what each stretch of a file is, for editors to colour
//! beyond what the TextMate grammar can see (sourced versus unsourced
//! claims, definitions versus uses, labels versus the stances that name
//! them).
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
    /// The `@id` after `via` in a source chain: who carried the words.
    Conduit,
    /// `via` in a source chain, and a stance's word (`denies`, `confirms`,
    /// `disputes`).
    Keyword,
    /// `#label` after a claim (with the `declaration` modifier) or in a
    /// stance (without).
    Label,
    /// A hedge cue in a claim: `~[allegedly]`.
    Hedge,
}

impl TokenType {
    /// New types go at the end: a client's legend indexes them.
    pub const ALL: [TokenType; 12] = [
        TokenType::Entity,
        TokenType::Mention,
        TokenType::Claim,
        TokenType::Quote,
        TokenType::Source,
        TokenType::Property,
        TokenType::Comment,
        TokenType::Directive,
        TokenType::Conduit,
        TokenType::Keyword,
        TokenType::Label,
        TokenType::Hedge,
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
            TokenType::Conduit => "conduit",
            TokenType::Keyword => "keyword",
            TokenType::Label => "label",
            TokenType::Hedge => "hedge",
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
    let text = ws.text(file);
    let painted = flatten(paint_layers(&text, summary));
    let mut tokens = split_lines(&text, summary, painted);
    if let Some(range) = range {
        tokens.retain(|t| t.range.start < range.end && range.start < t.range.end);
    }
    tokens
}

type Style = (TokenType, u32);

/// Every styled range; a later entry paints over earlier ones.
fn paint_layers(text: &str, summary: &FileSummary) -> Vec<(Range<usize>, Style)> {
    let mut layers = Vec::new();
    // Claims in text order: an outer claim comes before the claims inside it.
    for claim in &summary.claims {
        let token_type = if claim.is_quote() {
            TokenType::Quote
        } else {
            TokenType::Claim
        };
        let modifiers = if claim.has_bar { SOURCED } else { UNSOURCED };
        layers.push((claim.range(), (token_type, modifiers)));
    }
    // Hedge cues sit in claim text, under the marks they may hold.
    for hedge in &summary.hedges {
        layers.push((hedge.range.clone(), (TokenType::Hedge, 0)));
    }
    // `#label`: the name's range leaves out the `#` in front of it.
    for label in &summary.labels {
        layers.push((with_hash(&label.range), (TokenType::Label, DECLARATION)));
    }
    for stance in &summary.stances {
        let word = stance.range.start..stance.range.start + stance.kind.word().len();
        layers.push((word, (TokenType::Keyword, 0)));
        layers.push((with_hash(&stance.label_range), (TokenType::Label, 0)));
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
                layers.push((surface.range(), (TokenType::Mention, 0)));
                layers.push((usage.target_range(), (TokenType::Entity, 0)));
            }
            UsageKind::Source { .. } => layers.push((usage.range(), (TokenType::Source, 0))),
            UsageKind::Conduit { .. } => {
                if let Some(via) = via_before(text, &summary.comments, usage.range().start) {
                    layers.push((via, (TokenType::Keyword, 0)));
                }
                layers.push((usage.range(), (TokenType::Conduit, 0)));
            }
            UsageKind::Reference | UsageKind::Property { .. } | UsageKind::FrontMatter { .. } => {
                layers.push((usage.range(), (TokenType::Entity, 0)))
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

/// A label's name with the `#` before it.
fn with_hash(name: &Range<usize>) -> Range<usize> {
    name.start.saturating_sub(1)..name.end
}

/// The `via` before the `@` of a conduit at `at`. The summary keeps only
/// the `@id`; the grammar allows spaces, line breaks and comments between
/// the two (`comments` in text order, as the summary keeps them).
fn via_before(text: &str, comments: &[Range<usize>], at: usize) -> Option<Range<usize>> {
    let mut end = at.min(text.len());
    loop {
        end = text[..end].trim_end_matches([' ', '\t', '\r', '\n']).len();
        let index = comments.partition_point(|c| c.end < end);
        match comments.get(index) {
            Some(comment) if comment.end == end && comment.start < end => end = comment.start,
            _ => break,
        }
    }
    text[..end].ends_with("via").then(|| end - 3..end)
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
    fn chains_colour_via_and_each_conduit() {
        assert_eq!(
            tokens("//- a.nmk\n{It worked | @jon via @kcna %% carried on\n  via\n  @tass, @us}\n"),
            [
                "Claim[\"sourced\"] \"{It worked | \"",
                "Source[] \"@jon\"",
                "Claim[\"sourced\"] \" \"",
                "Keyword[] \"via\"",
                "Claim[\"sourced\"] \" \"",
                "Conduit[] \"@kcna\"",
                "Claim[\"sourced\"] \" \"",
                "Comment[] \"%% carried on\"",
                "Claim[\"sourced\"] \"  \"",
                "Keyword[] \"via\"",
                "Claim[\"sourced\"] \"  \"",
                "Conduit[] \"@tass\"",
                "Claim[\"sourced\"] \", \"",
                "Source[] \"@us\"",
                "Claim[\"sourced\"] \"}\"",
            ]
        );
    }

    #[test]
    fn labels_stances_and_hedges() {
        assert_eq!(
            tokens(
                "//- a.nmk\n{It ~[allegedly] shipped | @us}#shells, and\n\
                 {no | @seoul denies #shells, confirms #x}#y.\n"
            ),
            [
                "Claim[\"sourced\"] \"{It \"",
                "Hedge[] \"~[allegedly]\"",
                "Claim[\"sourced\"] \" shipped | \"",
                "Source[] \"@us\"",
                "Claim[\"sourced\"] \"}\"",
                "Label[\"declaration\"] \"#shells\"",
                "Claim[\"sourced\"] \"{no | \"",
                "Source[] \"@seoul\"",
                "Claim[\"sourced\"] \" \"",
                "Keyword[] \"denies\"",
                "Claim[\"sourced\"] \" \"",
                "Label[] \"#shells\"",
                "Claim[\"sourced\"] \", \"",
                "Keyword[] \"confirms\"",
                "Claim[\"sourced\"] \" \"",
                "Label[] \"#x\"",
                "Claim[\"sourced\"] \"}\"",
                "Label[\"declaration\"] \"#y\"",
            ]
        );
    }

    #[test]
    fn marks_inside_a_hedge_and_several_entities_in_a_mention() {
        assert_eq!(
            tokens("//- a.nmk\n{~[as [the two]@lavrov+@rubio said] x} disputes #x\n"),
            [
                "Claim[\"unsourced\"] \"{\"",
                "Hedge[] \"~[as [\"",
                "Mention[] \"the two\"",
                "Hedge[] \"]\"",
                "Entity[] \"@lavrov\"",
                "Hedge[] \"+\"",
                "Entity[] \"@rubio\"",
                "Hedge[] \" said]\"",
                "Claim[\"unsourced\"] \" x}\"",
            ]
        );
    }

    #[test]
    fn new_marks_after_hangul_cyrillic_and_emoji_on_crlf_lines() {
        assert_eq!(
            tokens(
                "//- a.nmk crlf\n😀 [두 장관]@lavrov+@захарова: {«нет» ~[якобы] | @захарова via @интерфакс\n\
                 denies #공급}#метка\n"
            ),
            [
                "Mention[] \"두 장관\"",
                "Entity[] \"@lavrov\"",
                "Entity[] \"@захарова\"",
                "Claim[\"sourced\"] \"{«нет» \"",
                "Hedge[] \"~[якобы]\"",
                "Claim[\"sourced\"] \" | \"",
                "Source[] \"@захарова\"",
                "Claim[\"sourced\"] \" \"",
                "Keyword[] \"via\"",
                "Claim[\"sourced\"] \" \"",
                "Conduit[] \"@интерфакс\"",
                "Keyword[] \"denies\"",
                "Claim[\"sourced\"] \" \"",
                "Label[] \"#공급\"",
                "Claim[\"sourced\"] \"}\"",
                "Label[\"declaration\"] \"#метка\"",
            ]
        );
    }

    #[test]
    fn via_is_found_across_comments_and_line_breaks_only() {
        let text = "@a via %% x\n  %% y\n @b";
        let comments = [7..11, 14..18];
        assert_eq!(via_before(text, &comments, 20), Some(3..6));
        assert_eq!(via_before("@a via@b", &[], 6), Some(3..6));
        assert_eq!(via_before("@a  @b", &[], 4), None);
        assert_eq!(via_before("", &[], 0), None);
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
