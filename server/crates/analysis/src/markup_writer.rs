//! Writing Newsmark markup from annotations: the inverse of
//! [`export`](crate::export). Given a plain text with mention and claim
//! spans (as [`plain_document`] gives them) and front matter, it writes the
//! article whose export gives back that text and those spans; and it writes
//! a registry of entities. Imports (`newsmark import`) are built on it.
//!
//! Text that would read as markup is escaped (`\[`, `\@`, `\%\%`, a `#` or
//! `-` opening a block...). Annotations that cannot be written (crossing
//! spans, a span over a paragraph break, an id the grammar cannot read) are
//! returned as [`NotWritten`] with the reason, never dropped silently; and
//! the written article is parsed back and compared, so whatever the
//! grammar reads differently is reported too.

use std::cmp::Reverse;
use std::fmt::Write as _;
use std::ops::Range;

use newsmark_syntax::{StanceKind, SyntaxTree, is_valid_id};

use crate::export::{ClaimSpan, MentionSpan, PlainDocument, ResolvedEntity, plain_document};
use crate::summary::FileSummary;

/// Which annotation could not be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mark {
    /// The text itself (not in the layout an export gives).
    Text,
    /// A `(key, value)` pair of the front matter, by index.
    FrontMatter(usize),
    /// A mention, by index into [`PlainDocument::mentions`].
    Mention(usize),
    /// A claim, by index into [`PlainDocument::claims`].
    Claim(usize),
}

/// An annotation left out of the written article, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotWritten {
    pub mark: Mark,
    pub reason: String,
}

/// A written article and what it leaves out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub source: String,
    pub not_written: Vec<NotWritten>,
}

/// The article (front matter, then the text with its marks) whose export
/// gives back `document`'s text, mentions and claims (quoted fragments
/// and quote kinds are read from the text's quotation marks, as always).
pub fn write_article(front_matter: &[(String, String)], document: &PlainDocument) -> Written {
    let mut not_written = Vec::new();
    if let Some(reason) = layout_problem(&document.text) {
        not_written.push(NotWritten {
            mark: Mark::Text,
            reason,
        });
        return Written {
            source: String::new(),
            not_written,
        };
    }
    let mut source = String::new();
    let front: Vec<usize> = (0..front_matter.len())
        .filter(|&i| match front_matter_problem(&front_matter[i]) {
            Some(reason) => {
                not_written.push(NotWritten {
                    mark: Mark::FrontMatter(i),
                    reason,
                });
                false
            }
            None => true,
        })
        .collect();
    if !front.is_empty() {
        source.push_str("---\n");
        for i in front {
            let (key, value) = &front_matter[i];
            let _ = writeln!(source, "{key}: {value}");
        }
        source.push_str("---\n\n");
    }
    let chars: Vec<char> = document.text.chars().collect();
    // Marks the grammar reads back otherwise are left out, and the rest
    // written again, until all that is written reads back as it went in.
    let mut excluded: Vec<NotWritten> = Vec::new();
    loop {
        let mut plan = Plan::new(&chars, document, &excluded);
        plan.settle();
        let mut written = Written {
            source: format!("{source}{}", plan.render()),
            not_written: [not_written.clone(), plan.not_written].concat(),
        };
        let (retry, rest): (Vec<_>, Vec<_>) = verify(&written, front_matter, document)
            .into_iter()
            .partition(|n| matches!(n.mark, Mark::Mention(_) | Mark::Claim(_)));
        if retry.is_empty() {
            written.not_written.extend(rest);
            return written;
        }
        excluded.extend(retry);
    }
}

/// A registry file defining `entities`: name, kind, aliases and Wikidata
/// id (`role` and `member-of` too, when known).
pub fn write_registry(entities: &[ResolvedEntity]) -> String {
    let mut out = String::new();
    for entity in entities {
        if !out.is_empty() {
            out.push('\n');
        }
        let name = entity.name.as_deref().map(one_line).unwrap_or_default();
        let _ = writeln!(out, "@{}: {name}", entity.id);
        let mut property = |key: &str, value: &str| {
            if !value.is_empty() {
                let _ = writeln!(out, "  {key}: {}", one_line(value));
            }
        };
        property("kind", entity.kind.as_deref().unwrap_or_default());
        property("role", entity.role.as_deref().unwrap_or_default());
        let member_of: Vec<String> = entity.member_of.iter().map(|id| format!("@{id}")).collect();
        property("member-of", &member_of.join(", "));
        property("aliases", &entity.aliases.join(", "));
        property("wikidata", entity.wikidata.as_deref().unwrap_or_default());
    }
    out
}

/// The text as an export lays it out: blocks on one line each, separated
/// by one blank line, no spaces at their ends, a final line break; with
/// where each character of `text` went (`map[i]` for character `i`, and
/// `map[len]` for the end). Line breaks inside a block become a space,
/// runs of blank lines one, a `\r\n` or lone `\r` counts as a line break.
pub fn plain_layout(text: &str) -> (String, Vec<usize>) {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut count = 0;
    let mut map = Vec::with_capacity(chars.len() + 1);
    let mut i = 0;
    if chars.first() == Some(&'\u{feff}') {
        map.push(0);
        i = 1;
    }
    while i < chars.len() {
        if !matches!(chars[i], ' ' | '\t' | '\n' | '\r') {
            map.push(count);
            out.push(chars[i]);
            count += 1;
            i += 1;
            continue;
        }
        // A run of white space: what it becomes depends on its line breaks.
        let end = (i..chars.len())
            .find(|&j| !matches!(chars[j], ' ' | '\t' | '\n' | '\r'))
            .unwrap_or(chars.len());
        let run = &chars[i..end];
        let breaks = line_breaks(run);
        if count > 0 && end < chars.len() && breaks == 0 {
            // Spaces and tabs inside a line stay as they are.
            for &c in run {
                map.push(count);
                out.push(c);
                count += 1;
            }
        } else {
            let separator = match breaks {
                _ if count == 0 || end == chars.len() => "",
                1 => " ",
                _ => "\n\n",
            };
            map.extend(std::iter::repeat_n(count, run.len()));
            out.push_str(separator);
            count += separator.len();
        }
        i = end;
    }
    if !out.is_empty() {
        out.push('\n');
    }
    map.push(count);
    (out, map)
}

/// How many line breaks a run of white space holds (`\r\n` is one).
fn line_breaks(run: &[char]) -> usize {
    (0..run.len())
        .filter(|&j| run[j] == '\n' || (run[j] == '\r' && run.get(j + 1) != Some(&'\n')))
        .count()
}

/// Why `text` is not laid out as an export lays it out, if it is not.
fn layout_problem(text: &str) -> Option<String> {
    if text.is_empty() {
        return None;
    }
    let Some(body) = text.strip_suffix('\n') else {
        return Some("the text does not end with a line break".into());
    };
    for block in body.split("\n\n") {
        if block.is_empty() {
            return Some("the text has an empty block (more than one blank line)".into());
        }
        if block.contains(['\n', '\r']) || block.starts_with('\u{feff}') {
            return Some("a block holds a line break of its own".into());
        }
        if block.starts_with([' ', '\t']) || block.ends_with([' ', '\t']) {
            return Some("a block starts or ends with white space".into());
        }
    }
    None
}

fn front_matter_problem((key, value): &(String, String)) -> Option<String> {
    let key_ok = key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
    if !key_ok {
        return Some(format!("`{key}` is not a front-matter key"));
    }
    if value.contains(['\n', '\r']) || value.contains("%%") || value.trim() != value {
        return Some("the value holds a line break, `%%` or white space at its ends".into());
    }
    None
}

/// Names and property values stay on their line.
fn one_line(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("%%", "% %")
}

/// What a mark writes around its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rank {
    Claim,
    Mention,
    Reference,
    Hedge,
}

/// One mark to write: a claim (or one part of a split quote), a mention
/// with all the ids of its span, a reference, or a hedge cue.
#[derive(Debug)]
struct Piece {
    span: Range<usize>,
    rank: Rank,
    owner: Mark,
    /// For a hedge, the span of the claim piece it belongs in.
    parent: Option<Range<usize>>,
    close: String,
}

struct Plan<'a> {
    chars: &'a [char],
    /// Each block's characters.
    blocks: Vec<Range<usize>>,
    pieces: Vec<Piece>,
    /// Owners left out.
    rejected: Vec<Mark>,
    not_written: Vec<NotWritten>,
}

impl<'a> Plan<'a> {
    fn new(chars: &'a [char], document: &'a PlainDocument, excluded: &[NotWritten]) -> Self {
        let mut plan = Self {
            chars,
            blocks: blocks(chars),
            pieces: Vec::new(),
            rejected: Vec::new(),
            not_written: Vec::new(),
        };
        for (index, claim) in document.claims.iter().enumerate() {
            if let Err(reason) = plan.add_claim(index, claim) {
                plan.reject(Mark::Claim(index), reason);
            }
        }
        plan.add_mentions(&document.mentions);
        for left_out in excluded {
            plan.reject(left_out.mark, left_out.reason.clone());
        }
        plan
    }

    fn reject(&mut self, mark: Mark, reason: String) {
        if !self.rejected.contains(&mark) {
            self.rejected.push(mark);
            self.not_written.push(NotWritten { mark, reason });
        }
        self.pieces.retain(|piece| piece.owner != mark);
    }

    fn add_claim(&mut self, index: usize, claim: &ClaimSpan) -> Result<(), String> {
        let owner = Mark::Claim(index);
        let close = claim_close(claim)?;
        let spans = std::iter::once(claim.start..claim.end)
            .chain(claim.parts.iter().map(|p| p.start..p.end));
        let mut pieces = Vec::new();
        for (n, span) in spans.enumerate() {
            self.check_span(&span, true)?;
            // Later parts of a quotation carry the sources, not the label.
            let close = if n == 0 {
                close.clone()
            } else {
                claim_close(&ClaimSpan {
                    sources: claim.sources.clone(),
                    via: claim.via.clone(),
                    ..ClaimSpan::default()
                })?
            };
            pieces.push(Piece {
                span,
                rank: Rank::Claim,
                owner,
                parent: None,
                close,
            });
        }
        for hedge in &claim.hedges {
            let span = hedge.start..hedge.end;
            self.check_span(&span, true)?;
            let parent = (pieces.iter())
                .map(|p| p.span.clone())
                .find(|p| p.start <= span.start && span.end <= p.end)
                .ok_or("a hedge cue lies outside its claim")?;
            pieces.push(Piece {
                span,
                rank: Rank::Hedge,
                owner,
                parent: Some(parent),
                close: "]".into(),
            });
        }
        self.pieces.extend(pieces);
        Ok(())
    }

    /// Mentions of one span become one mark with all their ids.
    fn add_mentions(&mut self, mentions: &[MentionSpan]) {
        let mut index = 0;
        while index < mentions.len() {
            let mention = &mentions[index];
            let group: Vec<usize> = (index..mentions.len())
                .take_while(|&j| {
                    (mentions[j].start, mentions[j].end) == (mention.start, mention.end)
                        && !mentions[j].is_reference
                        && !mention.is_reference
                })
                .collect();
            let group = if group.is_empty() { vec![index] } else { group };
            index = group[group.len() - 1] + 1;
            let mut ids = Vec::new();
            let mut owner = None;
            for &j in &group {
                let span = mentions[j].start..mentions[j].end;
                let problem = self.check_span(&span, false).err().or_else(|| {
                    (!is_valid_id(&mentions[j].id))
                        .then(|| format!("`{}` is not an entity id", mentions[j].id))
                });
                match problem {
                    Some(reason) => self.reject(Mark::Mention(j), reason),
                    None => {
                        ids.push(format!("@{}", mentions[j].id));
                        owner.get_or_insert(Mark::Mention(j));
                    }
                }
            }
            let Some(owner) = owner else { continue };
            let rank = if mention.is_reference {
                let as_written = self.chars[mention.start..mention.end]
                    .iter()
                    .collect::<String>();
                if as_written != ids[0] {
                    self.reject(owner, "a reference's text is not `@` and its id".into());
                    continue;
                }
                Rank::Reference
            } else {
                Rank::Mention
            };
            self.pieces.push(Piece {
                span: mention.start..mention.end,
                rank,
                owner,
                parent: None,
                close: format!("]{}", ids.join("+")),
            });
        }
    }

    /// A mark's span must hold text of one block; a claim's may not start
    /// or end with white space (the export trims it).
    fn check_span(&self, span: &Range<usize>, trimmed: bool) -> Result<(), String> {
        if span.start >= span.end || span.end > self.chars.len() {
            return Err(format!(
                "the span {}–{} is empty or beyond the text",
                span.start, span.end
            ));
        }
        if !self
            .blocks
            .iter()
            .any(|b| b.start <= span.start && span.end <= b.end)
        {
            return Err(format!(
                "the span {}–{} runs over a paragraph break",
                span.start, span.end
            ));
        }
        let edge = |at: usize| self.chars[at].is_whitespace();
        if trimmed && (edge(span.start) || edge(span.end - 1)) {
            return Err(format!(
                "the span {}–{} starts or ends with white space",
                span.start, span.end
            ));
        }
        Ok(())
    }

    /// Leaves out marks that cross others or would run into the text after
    /// them, until what is left nests.
    fn settle(&mut self) {
        loop {
            self.pieces
                .sort_by_key(|p| (p.span.start, Reverse(p.span.end), p.rank as u8));
            let Some((owner, reason)) = self.first_problem() else {
                return;
            };
            self.reject(owner, reason);
        }
    }

    fn first_problem(&self) -> Option<(Mark, String)> {
        let mut stack: Vec<usize> = Vec::new();
        for (i, piece) in self.pieces.iter().enumerate() {
            while stack
                .last()
                .is_some_and(|&top| self.pieces[top].span.end <= piece.span.start)
            {
                stack.pop();
            }
            if let Some(&top) = stack.last() {
                let outer = &self.pieces[top];
                if outer.span.end < piece.span.end {
                    return Some((
                        piece.owner,
                        format!(
                            "its span {}–{} crosses {} at {}–{}",
                            piece.span.start,
                            piece.span.end,
                            describe(outer),
                            outer.span.start,
                            outer.span.end
                        ),
                    ));
                }
                if matches!(outer.rank, Rank::Reference | Rank::Hedge) {
                    return Some((
                        piece.owner,
                        format!("it lies inside {}, which holds only text", describe(outer)),
                    ));
                }
            }
            if let Some(parent) = &piece.parent {
                let innermost_claim = (stack.iter().rev())
                    .map(|&s| &self.pieces[s])
                    .find(|p| p.rank == Rank::Claim);
                if !innermost_claim.is_some_and(|c| c.owner == piece.owner && c.span == *parent) {
                    return Some((
                        piece.owner,
                        "a hedge cue lies inside a claim nested in its own".into(),
                    ));
                }
            }
            if matches!(piece.rank, Rank::Mention | Rank::Reference)
                && let Some(reason) = self.runs_on(i)
            {
                return Some((piece.owner, reason));
            }
            stack.push(i);
        }
        None
    }

    /// Why the last id of mention `i` would take in the text after it.
    fn runs_on(&self, i: usize) -> Option<String> {
        let piece = &self.pieces[i];
        let end = piece.span.end;
        let next = *self.chars.get(end)?;
        // A mark closing or opening there ends the id, and so does an
        // escaped punctuation character.
        let marked = (self.pieces.iter().enumerate())
            .any(|(j, p)| j != i && (p.span.start == end || p.span.end == end));
        if marked || next.is_ascii_punctuation() {
            return None;
        }
        let id = piece.close.rsplit('@').next().unwrap_or_default();
        is_valid_id(&format!("{id}{next}")).then(|| {
            format!("the id `@{id}` would run into the `{next}` after it: choose an id in another script")
        })
    }

    fn render(&self) -> String {
        let mut out = String::new();
        let mut stack: Vec<usize> = Vec::new();
        let mut next = 0;
        let mut after_id = false;
        let mut block_start = true;
        for at in 0..=self.chars.len() {
            while let Some(&top) = stack.last() {
                if self.pieces[top].span.end != at {
                    break;
                }
                stack.pop();
                let piece = &self.pieces[top];
                out.push_str(&piece.close);
                after_id = matches!(piece.rank, Rank::Mention);
            }
            while let Some(piece) = self.pieces.get(next).filter(|p| p.span.start == at) {
                out.push_str(match piece.rank {
                    Rank::Claim => "{",
                    Rank::Mention => "[",
                    Rank::Hedge => "~[",
                    Rank::Reference => "",
                });
                if piece.rank == Rank::Reference {
                    // Written as it stands, unescaped.
                    out.extend(&self.chars[piece.span.clone()]);
                    after_id = true;
                } else {
                    stack.push(next);
                    after_id = false;
                }
                block_start = false;
                next += 1;
            }
            let Some(&c) = self.chars.get(at) else { break };
            if self.in_reference(at) {
                continue;
            }
            if self.escapes(at, after_id || block_start) {
                out.push('\\');
            }
            out.push(c);
            after_id = false;
            block_start = c == '\n';
        }
        out
    }

    fn in_reference(&self, at: usize) -> bool {
        self.pieces
            .iter()
            .any(|p| p.rank == Rank::Reference && p.span.start <= at && at < p.span.end)
    }

    /// Whether character `at` needs a backslash: it would otherwise read as
    /// markup. `edge`: it follows an id or opens a block, where any ASCII
    /// punctuation may read as markup (`+@`, `.x` in an id, `---`, `<<<`).
    fn escapes(&self, at: usize, edge: bool) -> bool {
        let c = self.chars[at];
        let percent_pair = c == '%'
            && (self.chars.get(at + 1) == Some(&'%')
                || at.checked_sub(1).map(|p| self.chars[p]) == Some('%'));
        matches!(c, '\\' | '[' | ']' | '{' | '}' | '@' | '|' | '#' | '~')
            || percent_pair
            || (edge && c.is_ascii_punctuation())
    }
}

/// What a piece is, for messages.
fn describe(piece: &Piece) -> &'static str {
    match piece.rank {
        Rank::Claim => "a claim",
        Rank::Mention => "a mention",
        Rank::Reference => "a reference",
        Rank::Hedge => "a hedge cue",
    }
}

/// A claim's closing: ` | sources with chains and stances}` and its label.
fn claim_close(claim: &ClaimSpan) -> Result<String, String> {
    let check = |id: &str| {
        if is_valid_id(id) {
            Ok(())
        } else {
            Err(format!("`{id}` is not an entity id or label"))
        }
    };
    if claim.via.len() != claim.sources.len() {
        return Err("its conduits do not match its sources".into());
    }
    if claim.sources.is_empty() && !claim.stances.is_empty() {
        return Err("a stance is written after a source, and the claim has none".into());
    }
    let mut sources = Vec::new();
    for (source, via) in claim.sources.iter().zip(&claim.via) {
        check(source)?;
        let mut written = format!("@{source}");
        for conduit in via {
            check(conduit)?;
            let _ = write!(written, " via @{conduit}");
        }
        sources.push(written);
    }
    let mut close = String::new();
    if !sources.is_empty() {
        let _ = write!(close, " | {}", sources.join(", "));
    }
    let stances: Vec<String> = (claim.stances.iter())
        .map(|(kind, label)| {
            check(label)?;
            Ok(format!("{} #{label}", stance_word(*kind)))
        })
        .collect::<Result<_, String>>()?;
    if !stances.is_empty() {
        let _ = write!(close, " {}", stances.join(", "));
    }
    close.push('}');
    if let Some(label) = &claim.label {
        check(label)?;
        let _ = write!(close, "#{label}");
    }
    Ok(close)
}

fn stance_word(kind: StanceKind) -> &'static str {
    match kind {
        StanceKind::Denies => "denies",
        StanceKind::Confirms => "confirms",
        StanceKind::Disputes => "disputes",
    }
}

/// The blocks of a laid-out text, in characters.
fn blocks(chars: &[char]) -> Vec<Range<usize>> {
    let mut blocks = Vec::new();
    let mut start = 0;
    for (at, &c) in chars.iter().enumerate() {
        if c == '\n' {
            if start < at {
                blocks.push(start..at);
            }
            start = at + 1;
        }
    }
    blocks
}

/// Parses the written article back and reports every annotation that
/// does not come back as it went in (what the checks above did not foresee).
fn verify(
    written: &Written,
    front_matter: &[(String, String)],
    document: &PlainDocument,
) -> Vec<NotWritten> {
    let tree = SyntaxTree::parse(written.source.as_str());
    let back = plain_document(&tree);
    let left_out = |mark: Mark| written.not_written.iter().any(|n| n.mark == mark);
    let mut problems = Vec::new();
    if back.text != document.text {
        problems.push(NotWritten {
            mark: Mark::Text,
            reason: "the written article does not read back as the same text".into(),
        });
    }
    let summary = FileSummary::from_tree(&tree);
    let front_back = crate::export::front_matter(&summary);
    let expected_front: Vec<&(String, String)> = (front_matter.iter().enumerate())
        .filter(|(i, _)| !left_out(Mark::FrontMatter(*i)))
        .map(|(_, pair)| pair)
        .collect();
    if front_back.iter().collect::<Vec<_>>() != expected_front {
        problems.push(NotWritten {
            mark: Mark::FrontMatter(0),
            reason: "the front matter does not read back as written".into(),
        });
    }
    for (index, mention) in document.mentions.iter().enumerate() {
        if !left_out(Mark::Mention(index)) && !back.mentions.contains(mention) {
            problems.push(NotWritten {
                mark: Mark::Mention(index),
                reason: "the grammar reads the written mention differently".into(),
            });
        }
    }
    for (index, claim) in document.claims.iter().enumerate() {
        if !left_out(Mark::Claim(index)) && !back.claims.contains(claim) {
            problems.push(NotWritten {
                mark: Mark::Claim(index),
                reason: claim_difference(claim, &back.claims),
            });
        }
    }
    problems
}

/// Why a claim does not come back, as far as can be told.
fn claim_difference(claim: &ClaimSpan, back: &[ClaimSpan]) -> String {
    match back
        .iter()
        .find(|c| (c.start, c.end) == (claim.start, claim.end))
    {
        Some(found) if found.quote != claim.quote || found.fragments != claim.fragments => {
            "its quote kind and quoted words are read from the quotation marks of its text, which say otherwise".into()
        }
        Some(found) if found.parts != claim.parts => {
            "its parts are joined into one quotation only when their quotation marks say so".into()
        }
        _ => "the grammar reads the written claim differently".into(),
    }
}

#[cfg(test)]
mod tests;
