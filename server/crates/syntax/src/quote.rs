//! Quotations in a claim's text: which words are quoted verbatim, and
//! whether the claim is a direct quote, a paraphrase holding quoted
//! fragments, or neither.
//!
//! One function, [`quotation`], reads every quotation-mark style in
//! [`QUOTATION_MARKS`] and the dialogue dash. It works on any text: the
//! summary gives it a claim's text as written, the exporter the text a
//! reader sees (marks hold no quotation marks, so both agree).

use std::collections::HashMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

/// Opening and closing quotation marks in use in news text: English,
/// German, Polish and Czech, French, Russian and Ukrainian, Danish and
/// Swiss, Chinese, Japanese and Korean.
pub const QUOTATION_MARKS: [(char, char); 13] = [
    ('"', '"'),
    ('\'', '\''),
    ('“', '”'),
    ('‘', '’'),
    ('„', '“'),
    ('‚', '‘'),
    ('«', '»'),
    ('»', '«'),
    ('‹', '›'),
    ('「', '」'),
    ('『', '』'),
    ('《', '》'),
    ('〈', '〉'),
];

/// How deep in nested claims quotations are looked for. Each claim's
/// text holds the claims inside it, so searching every level of `{{{…}}}`
/// costs the square of the text; real quotes sit a level or two deep.
/// Claims deeper than this count as not quoted.
pub const MAX_QUOTE_DEPTH: usize = 8;

/// Quotations within quotations that are followed: deeper marks are read
/// as text, so that a run of opening marks costs no more than its length.
const MAX_NESTED_MARKS: usize = 16;

/// Dashes that open a line of dialogue at the start of a paragraph
/// (Russian, Ukrainian, Scandinavian and Spanish typesetting) and separate
/// the speaker's words from the narrator's inside it.
const DIALOGUE_DASHES: [char; 2] = ['—', '–'];

/// Sentence punctuation that may follow a closing mark in a direct quote
/// (British style: `"strategic".`).
const TRAILING_PUNCTUATION: &[char] = &['.', ',', ';', ':', '!', '?', '…'];

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    /// No verbatim words.
    #[default]
    None,
    /// A paraphrase holding verbatim fragments.
    Partial,
    /// A verbatim quotation (speech tags inside it are the narrator's).
    Direct,
}

impl QuoteKind {
    pub const ALL: [QuoteKind; 3] = [QuoteKind::Direct, QuoteKind::Partial, QuoteKind::None];

    pub fn word(self) -> &'static str {
        match self {
            QuoteKind::None => "none",
            QuoteKind::Partial => "partial",
            QuoteKind::Direct => "direct",
        }
    }
}

/// What [`quotation`] finds in a text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quotation {
    pub kind: QuoteKind,
    /// The quoted words without their marks, trimmed, as byte ranges into
    /// the text given, in order.
    pub fragments: Vec<Range<usize>>,
    /// The text begins inside a quotation opened before it: a closing mark
    /// comes first (the second half of a split quote).
    pub continues: bool,
    /// The opening mark of a quotation the text leaves open (the first half
    /// of a split quote; a paragraph of a quote over several).
    pub left_open: Option<char>,
    /// The opening mark the text begins with.
    pub opening: Option<char>,
}

impl Quotation {
    /// Whether `next`, the next claim with the same sources, carries on
    /// this quotation, so that the two are one quotation: the second half
    /// of a split quote (it closes a mark it did not open), or the next
    /// paragraph of a quote over several paragraphs (it opens with the same
    /// mark again, as typesetting repeats it).
    pub fn continued_by(&self, next: &Quotation) -> bool {
        self.left_open
            .is_some_and(|mark| next.continues || next.opening == Some(mark))
    }

    /// Moves the fragments by `offset` bytes (into a larger text).
    pub fn offset(mut self, offset: usize) -> Self {
        for fragment in &mut self.fragments {
            *fragment = fragment.start + offset..fragment.end + offset;
        }
        self
    }
}

/// One claim as [`continued_quotes`] reads it.
#[derive(Debug)]
pub struct QuotePart<'q, S> {
    /// The claim it sits in, as an index into the same list.
    pub parent: Option<usize>,
    /// Its block (paragraph or heading), counted from the file's first.
    pub block: usize,
    /// Its sources, in any form that compares.
    pub sources: S,
    pub quotation: &'q Quotation,
}

/// For each claim (in text order) that carries on the quotation of an
/// earlier one, the index of the quotation's first claim. A part is the
/// next claim at the same nesting, with the same sources, in the same
/// block or the next, when [`Quotation::continued_by`] says so; the parts
/// are one quotation.
pub fn continued_quotes<S: PartialEq>(claims: &[QuotePart<'_, S>]) -> Vec<Option<usize>> {
    // Each claim's next sibling, in one pass from the end.
    let mut next_sibling = vec![None; claims.len()];
    let mut last_seen: HashMap<Option<usize>, usize> = HashMap::new();
    for (index, claim) in claims.iter().enumerate().rev() {
        next_sibling[index] = last_seen.insert(claim.parent, index);
    }
    let mut first_part = vec![None; claims.len()];
    for (index, claim) in claims.iter().enumerate() {
        if claim.quotation.left_open.is_none() {
            continue;
        }
        if let Some(next) = next_sibling[index]
            && claims[next].block <= claim.block + 1
            && claims[next].sources == claim.sources
            && claim.quotation.continued_by(claims[next].quotation)
        {
            first_part[next] = Some(first_part[index].unwrap_or(index));
        }
    }
    first_part
}

/// The quotation in `text`; `before` is what precedes it in its paragraph
/// (a lone dialogue dash there makes the text a line of dialogue).
pub fn quotation(text: &str, before: &str) -> Quotation {
    let start = text.len() - text.trim_start().len();
    let end = text.trim_end().len();
    if start >= end {
        return Quotation::default();
    }
    let dash_first = before.trim().is_empty() && starts_with_dialogue_dash(&text[start..end]);
    if dash_first || is_lone_dash(before) {
        return dialogue(text, start, end, dash_first);
    }
    let mut quotation = marked(text, start, end);
    quotation.kind = kind(text, &quotation, start, end);
    quotation
}

fn is_lone_dash(before: &str) -> bool {
    let mut chars = before.trim().chars();
    chars.next().is_some_and(|c| DIALOGUE_DASHES.contains(&c)) && chars.next().is_none()
}

fn starts_with_dialogue_dash(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| DIALOGUE_DASHES.contains(&c))
        && chars.next().is_some_and(char::is_whitespace)
}

/// A line of dialogue: the speaker's words and the narrator's alternate,
/// separated by dashes with a space on each side. Direct when it ends in
/// the speaker's words.
fn dialogue(text: &str, start: usize, end: usize, dash_first: bool) -> Quotation {
    let mut segment_start = start;
    if dash_first {
        segment_start += text[start..].chars().next().map_or(0, char::len_utf8);
    }
    let mut quoted = true;
    let mut fragments = Vec::new();
    let mut prev: Option<char> = None;
    let speech_start = segment_start;
    for (i, c) in text[speech_start..end].char_indices() {
        let i = speech_start + i;
        let next = text[i + c.len_utf8()..].chars().next();
        let spaced = prev.is_some_and(char::is_whitespace) && next.is_none_or(char::is_whitespace);
        if DIALOGUE_DASHES.contains(&c) && spaced {
            if quoted {
                fragments.push(trimmed(text, segment_start..i));
            }
            quoted = !quoted;
            segment_start = i + c.len_utf8();
        }
        prev = Some(c);
    }
    if quoted {
        fragments.push(trimmed(text, segment_start..end));
    }
    fragments.retain(|f| f.start < f.end);
    Quotation {
        kind: if fragments.is_empty() {
            QuoteKind::None
        } else if quoted {
            QuoteKind::Direct
        } else {
            QuoteKind::Partial
        },
        fragments,
        ..Quotation::default()
    }
}

/// Quotation marks: outermost quotations become fragments; a closing mark
/// with nothing open begins the text inside a quotation, an opening mark
/// never closed leaves it open.
fn marked(text: &str, start: usize, end: usize) -> Quotation {
    let mut quotation = Quotation::default();
    // (closing mark, where the quoted words start, opening mark)
    let mut open: Vec<(char, usize, char)> = Vec::new();
    let mut seen_mark = false;
    let mut prev: Option<char> = None;
    for (i, c) in text[..end].char_indices().skip_while(|&(i, _)| i < start) {
        let after = i + c.len_utf8();
        let next = text[after..end].chars().next();
        if let Some(depth) = closing(&open, c, next) {
            let (_, from, _) = open[depth];
            open.truncate(depth);
            if open.is_empty() {
                quotation.fragments.push(trimmed(text, from..i));
            }
        } else if let Some(close) = opening(c, prev, next) {
            if open.is_empty() && i == start {
                quotation.opening = Some(c);
            }
            if open.len() < MAX_NESTED_MARKS {
                open.push((close, after, c));
            }
            seen_mark = true;
        } else if !seen_mark && open.is_empty() && is_unambiguous_closer(c) {
            quotation.continues = true;
            quotation.fragments.push(trimmed(text, start..i));
        }
        seen_mark |= is_mark(c) && !is_apostrophe(c);
        prev = Some(c);
    }
    if let Some(&(_, from, mark)) = open.first() {
        quotation.left_open = Some(mark);
        quotation.fragments.push(trimmed(text, from..end));
    }
    quotation.fragments.retain(|f| f.start < f.end);
    quotation
}

/// The depth of the open quotation `c` closes, if any.
fn closing(open: &[(char, usize, char)], c: char, next: Option<char>) -> Option<usize> {
    if is_apostrophe(c) && next.is_some_and(char::is_alphanumeric) {
        return None; // Korea's, Korea’s
    }
    open.iter().rposition(|&(close, _, _)| close == c)
}

/// The closing mark for `c` when `c` opens a quotation here.
fn opening(c: char, prev: Option<char>, next: Option<char>) -> Option<char> {
    let close = QUOTATION_MARKS
        .iter()
        .find(|&&(open, _)| open == c)
        .map(|&(_, close)| close)?;
    // A mark before a space or sentence punctuation (`»,`, `“.`) ends a
    // quotation: it opens none.
    let word_follows = next.is_some_and(|n| {
        !n.is_whitespace() && !matches!(n, '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '}')
    });
    let word_before = prev.is_some_and(char::is_alphanumeric);
    let opens = match c {
        // An apostrophe inside a word (don't) opens nothing.
        '\'' => word_follows && !word_before,
        // French spacing: « Bonjour ».
        '«' | '‹' => true,
        _ => word_follows,
    };
    opens.then_some(close)
}

fn is_mark(c: char) -> bool {
    QUOTATION_MARKS
        .iter()
        .any(|&(open, close)| c == open || c == close)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘')
}

/// A closing mark that cannot be an apostrophe.
fn is_unambiguous_closer(c: char) -> bool {
    !is_apostrophe(c) && QUOTATION_MARKS.iter().any(|&(_, close)| close == c)
}

fn trimmed(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = range.start + slice.trim_end().len();
    start..end.max(start)
}

/// Direct when the text is quoted from its first word to its last (speech
/// tags between quoted stretches allowed, sentence punctuation after the
/// last mark allowed); partial when it holds quoted words otherwise.
fn kind(text: &str, quotation: &Quotation, start: usize, end: usize) -> QuoteKind {
    if quotation.fragments.is_empty() {
        return QuoteKind::None;
    }
    let starts_quoted = quotation.continues || quotation.opening.is_some();
    let core = text[start..end].trim_end_matches(TRAILING_PUNCTUATION);
    let ends_quoted = quotation.left_open.is_some()
        || core.chars().next_back().is_some_and(|c| {
            // The last fragment ends at this mark.
            QUOTATION_MARKS.iter().any(|&(_, close)| close == c)
                && quotation.fragments.last().is_some_and(|f| {
                    text.get(f.end..start + core.len())
                        .is_some_and(|rest| rest.trim().chars().count() == 1)
                })
        });
    if starts_quoted && ends_quoted {
        QuoteKind::Direct
    } else {
        QuoteKind::Partial
    }
}

#[cfg(test)]
mod tests;
