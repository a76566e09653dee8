//! Finding untagged mentions: prose that matches an entity's display name
//! or one of its aliases, with one Aho-Corasick automaton over every
//! surface form of the workspace (rebuilt when definitions change).
//!
//! Matching keeps case (names are proper nouns), with two exceptions: a
//! name also matches in capitals ("ЛАВРОВ" in a headline), and a name
//! written in lower case ("the North") also matches capitalised where it
//! starts a sentence or a line ("The North's media"). The longest name
//! wins, so "Kim Jong Un" beats "Kim", and a name inside a longer
//! capitalised one is not a mention: a lower-case alias followed by a
//! capitalised word, or a name between two ("the South" and "China" in
//! "the South China Sea"). A match must be a whole word: the
//! characters around it may not be letters or digits of any script. The
//! exceptions: an alias written as a stem (`Лавров*`) matches any word it
//! begins, for languages that inflect names ("Лаврову"); and the right
//! edge of Hangul and CJK text is not checked: Korean attaches particles
//! to names (`최선희는`), and Chinese and Japanese do not put spaces
//! between words (nor is the left edge of Chinese and Japanese names).
//!
//! Since a name starts a word, the automaton runs only where a word starts
//! with a byte that some name starts with, anchored there: in prose that is
//! a small share of the positions, and scanning for them is several times
//! cheaper than running the automaton over every byte. Each attempt reads
//! at most the longest name, so names are capped at [`MAX_NAME_BYTES`]:
//! a crafted registry cannot make the search quadratic.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};

use crate::lexicon::{capitalised, ends_sentence};
use crate::line_hits::LineHits;
use crate::summary::{Definition, Name, Span};

#[derive(Debug)]
pub struct Matcher {
    /// Tells matchers apart, so that hits found with an older one are
    /// never reused.
    id: u64,
    automaton: Option<AhoCorasick>,
    /// The bytes that some name starts with.
    first_bytes: [bool; 256],
    /// Per pattern: what it matches and the ids it names.
    patterns: Vec<Pattern>,
}

/// One form of a name or alias, as the automaton looks for it.
#[derive(Debug, Default)]
struct Pattern {
    form: String,
    /// The ids it names (sorted; more than one when entities share a name
    /// or alias).
    ids: Vec<Name>,
    /// A stem: the hit runs on to the end of the word.
    stem: bool,
    /// Whether it matches anywhere, or only where a sentence or line
    /// starts (a lower-case name capitalised).
    anywhere: bool,
    /// Written in lower case ("the South"): a common phrase as much as a
    /// name, so not one where a capitalised word continues it ("the South
    /// China Sea").
    common: bool,
}

/// Finds nothing: a workspace without definitions.
impl Default for Matcher {
    fn default() -> Self {
        Self {
            id: 0,
            automaton: None,
            first_bytes: [false; 256],
            patterns: Vec::new(),
        }
    }
}

/// Prose that names one or more entities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<'m> {
    pub range: Range<usize>,
    pub ids: &'m [Name],
}

/// Whole-word matches of names and aliases in one version of a file's
/// text, each with its pattern, found with one matcher: in its prose only
/// ([`Matcher::prose_hits`], for a file read once), or anywhere, marks
/// included ([`Matcher::hits`], for a file being edited: the next
/// version's hits come from these, searching again only the lines that
/// changed, which stays right wherever an edit turns marks into prose).
pub type Hits = LineHits<u32>;

/// Names and aliases longer than this are not looked for.
pub const MAX_NAME_BYTES: usize = 128;

/// The fewest characters a stem (`Лавров*`) may have: shorter ones would
/// match too many words.
pub const MIN_STEM_CHARS: usize = 3;

impl Matcher {
    /// A matcher for the names and aliases of `entities` (the definition
    /// that answers for each id).
    pub fn new<'d>(entities: impl IntoIterator<Item = &'d Definition>) -> Self {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        let mut by_form: BTreeMap<String, Pattern> = BTreeMap::new();
        for definition in entities {
            let id = &definition.id;
            let names = (definition
                .name
                .as_deref()
                .map(|name| (name, false))
                .into_iter())
            .chain(definition.alias_forms());
            for (surface, stem) in names {
                let long_enough = surface.chars().count() >= if stem { MIN_STEM_CHARS } else { 2 };
                if !long_enough || surface.len() > MAX_NAME_BYTES {
                    continue;
                }
                let common = surface.starts_with(char::is_lowercase);
                let capitalised = capitalised(surface);
                let forms = [
                    (surface.to_owned(), true),
                    (surface.to_uppercase(), true),
                    (capitalised, false),
                ];
                for (form, anywhere) in forms {
                    if form.len() > MAX_NAME_BYTES {
                        continue;
                    }
                    let pattern = by_form.entry(form).or_default();
                    pattern.stem |= stem;
                    pattern.anywhere |= anywhere;
                    pattern.common |= common;
                    if !pattern.ids.contains(id) {
                        pattern.ids.push(id.clone());
                    }
                }
            }
        }
        let patterns: Vec<Pattern> = by_form
            .into_iter()
            .map(|(form, mut pattern)| {
                pattern.ids.sort();
                pattern.form = form;
                pattern
            })
            .collect();
        let mut first_bytes = [false; 256];
        for pattern in &patterns {
            first_bytes[usize::from(pattern.form.as_bytes()[0])] = true;
        }
        let automaton = (!patterns.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .start_kind(StartKind::Anchored)
                // The library's own choice: a full DFA for a few names, a
                // contiguous NFA for many. A DFA over 200,000 names took
                // 576 MB and seconds to build, for searches that run only
                // where a word starts.
                .build(patterns.iter().map(|pattern| &pattern.form))
                .expect("surface forms build an automaton")
        });
        Self {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            automaton,
            first_bytes,
            patterns,
        }
    }

    /// Every hit in `text`, from the hits of an earlier version of the
    /// same file when there are some (see [`LineHits::of_text`]): names
    /// never hold a line break.
    pub fn hits(&self, text: &str, earlier: Option<(&str, &Hits)>) -> Hits {
        LineHits::of_text(self.id, text, earlier, |span| self.search(text, span))
    }

    /// The hits inside `prose` (sorted ranges of `text`): all that
    /// [`Matcher::found_in`] keeps of `prose`, found without searching
    /// the marks, where a generated or well-tagged corpus has all its
    /// names. They do not seed the next version's hits.
    pub fn prose_hits(&self, text: &str, prose: &[Span]) -> Hits {
        let hits = prose
            .iter()
            .flat_map(|span| self.search(text, span.range()))
            .collect();
        LineHits::partial(self.id, hits)
    }

    /// Whole-word hits inside `span` of `text`, from left to right; after
    /// a hit the search goes on at its end.
    fn search(&self, text: &str, span: Range<usize>) -> Vec<(Range<usize>, u32)> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let bytes = text.as_bytes();
        let mut hits = Vec::new();
        let mut at = span.start;
        while at < span.end {
            // An ASCII letter or digit right before an ASCII start means the
            // middle of a word; a non-ASCII start is left to `left_edge_ok`.
            // Names start on a character boundary, so `at` is one here.
            let byte = bytes[at];
            let may_start = self.first_bytes[usize::from(byte)]
                && (!byte.is_ascii() || !text[..at].ends_with(char::is_alphanumeric));
            if may_start {
                let input = Input::new(text).span(at..span.end).anchored(Anchored::Yes);
                if let Some(hit) = automaton.find(input)
                    && let Some(range) = self.accepted(text, hit.range(), hit.pattern().as_usize())
                {
                    at = range.end;
                    hits.push((range, hit.pattern().as_u32()));
                    continue;
                }
            }
            at += 1;
        }
        hits
    }

    /// The hit that `pattern` found at `range` makes, if its edges allow:
    /// whole words, a stem up to the end of its word, a capitalised form
    /// only where a sentence or line starts, and no name inside a longer
    /// capitalised one: a lower-case name that a capitalised word follows
    /// ("the South" in "the South China Sea"), or a name between two
    /// capitalised words ("China" there). Reads only `range`'s line.
    fn accepted(&self, text: &str, range: Range<usize>, pattern: usize) -> Option<Range<usize>> {
        let pattern = &self.patterns[pattern];
        if !pattern.anywhere && !starts_sentence(text, range.start) {
            return None;
        }
        // The left edge first: a stem inside a long word is refused before
        // the word's end is looked for (else each would read to it).
        if !left_edge_ok(text, range.start) {
            return None;
        }
        // Chinese and Japanese have no word end to run on to.
        let range = if !pattern.stem || pattern.form.chars().next_back().is_some_and(is_cjk) {
            range
        } else {
            let word_end = (text[range.end..].char_indices())
                .find(|(_, c)| !c.is_alphanumeric())
                .map_or(text.len(), |(i, _)| range.end + i);
            range.start..word_end
        };
        let continued = continues_capitalised(text, range.end)
            && (pattern.common || follows_capitalised(text, range.start));
        (right_edge_ok(text, range.end) && !continued).then_some(range)
    }

    /// Tells this matcher's hits from those of others.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The hits lying inside one of `ranges` (sorted, not overlapping).
    pub fn found_in<'m>(&'m self, hits: &Hits, spans: &[Span]) -> Vec<Found<'m>> {
        // Hits come in text order, each ending after the one before: the
        // span that may hold each is found by walking on from the last
        // one's, not by a search over spans that lie far apart in memory
        // (a 1 MB article has ten thousand of each).
        let mut index = 0;
        let mut last_end = 0;
        (hits.hits().iter())
            .filter(|(hit, _)| {
                if hit.end < last_end {
                    index = spans.partition_point(|s| s.end() < hit.end);
                }
                last_end = hit.end;
                while spans.get(index).is_some_and(|s| s.end() < hit.end) {
                    index += 1;
                }
                spans
                    .get(index)
                    .is_some_and(|s| s.start() <= hit.start && hit.end <= s.end())
            })
            .map(|(range, pattern)| Found {
                range: range.clone(),
                ids: &self.patterns[*pattern as usize].ids,
            })
            .collect()
    }
}

/// Whether `at` starts a sentence or a line: before it on its line there
/// is nothing, or the end of a sentence or `:`, then only spaces, opening
/// quotes or brackets, the `{` of a claim or the `#` of a heading.
fn starts_sentence(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end_matches(|c: char| {
        matches!(
            c,
            ' ' | '\t' | '"' | '\'' | '“' | '‘' | '«' | '„' | '(' | '[' | '{' | '#' | '—' | '–'
        )
    });
    before.is_empty() || before.ends_with(['\n', '\r', ':']) || before.ends_with(ends_sentence)
}

/// Whether a capitalised word follows `end` after one space: the name
/// before it is part of a longer one ("South China Sea").
fn continues_capitalised(text: &str, end: usize) -> bool {
    let mut after = text[end..].chars();
    after.next() == Some(' ') && after.next().is_some_and(char::is_uppercase)
}

/// Whether a name may start at `start`: not inside a word, except that a
/// Chinese or Japanese name needs no word boundary before it.
fn left_edge_ok(text: &str, start: usize) -> bool {
    let first = text[start..].chars().next();
    first.is_some_and(|c| is_cjk(c) && !is_hangul(c))
        || text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
}

/// Whether a name may end at `end`: not inside a word, except that a name
/// ending in Hangul or CJK needs no word boundary after it (particles).
fn right_edge_ok(text: &str, end: usize) -> bool {
    let last = text[..end].chars().next_back();
    last.is_some_and(is_cjk)
        || text[end..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric())
}

/// Whether a capitalised word that does not start a sentence comes right
/// before `start`, one space away ("South" before "China").
fn follows_capitalised(text: &str, start: usize) -> bool {
    let Some(before) = text[..start].strip_suffix(' ') else {
        return false;
    };
    let word_start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric())
        .last()
        .map_or(before.len(), |(i, _)| i);
    word_start < before.len()
        && before[word_start..].starts_with(char::is_uppercase)
        && !starts_sentence(text, word_start)
}

fn is_hangul(c: char) -> bool {
    matches!(c, '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' | '\u{AC00}'..='\u{D7A3}')
}

/// Hangul, kana and CJK ideographs: scripts where a name's edge need not be
/// a word boundary.
fn is_cjk(c: char) -> bool {
    is_hangul(c)
        || matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::FileSummary;
    use newsmark_syntax::SyntaxTree;

    /// A matcher for the entities a registry defines.
    fn matcher_for(registry: &str) -> Matcher {
        let summary = FileSummary::from_tree(&SyntaxTree::parse(registry));
        Matcher::new(&summary.definitions)
    }

    fn found(registry: &str, text: &str) -> Vec<(String, Vec<String>)> {
        let matcher = matcher_for(registry);
        matcher
            .found_in(&matcher.hits(text, None), &[Span::from(0..text.len())])
            .into_iter()
            .map(|f| {
                (
                    text[f.range].to_owned(),
                    f.ids.iter().map(|id| id.to_string()).collect(),
                )
            })
            .collect()
    }

    const REGISTRY: &str = "@kim: Kim Jong Un\n  aliases: Kim, 김정은\n\n@kim-yo-jong: Kim Yo Jong\n  aliases: Kim\n\n@choe: Choe Son Hui\n  aliases: 최선희\n";

    #[test]
    fn longest_name_wins_and_shared_aliases_are_ambiguous() {
        assert_eq!(
            found(REGISTRY, "Kim Jong Un met Kim."),
            [
                ("Kim Jong Un".into(), vec!["kim".into()]),
                ("Kim".into(), vec!["kim".into(), "kim-yo-jong".into()])
            ]
        );
    }

    #[test]
    fn hits_after_an_edit_equal_a_fresh_search() {
        let matcher = matcher_for(REGISTRY);
        let before = "Kim Jong Un met Kim.\r\n최선희는 said.\nChoe Son Hui too\n";
        let earlier = matcher.hits(before, None);
        for after in [
            "Kim Jong Un met Kim Yo Jong.\r\n최선희는 said.\nChoe Son Hui too\n",
            "Kim Jong Un met Kim.\r\n최선희는 said.\nChoe Son Hui too\nKim\n",
            "Kim.\r\n최선희는 said.\nChoe Son Hui too\n",
            "Kim Jong Un met Kim.\r\n\n최선희 said.\nChoe Son Hui too\n",
            "Kim Jong",
            "",
        ] {
            assert_eq!(
                matcher.hits(after, Some((before, &earlier))),
                matcher.hits(after, None),
                "{after:?}"
            );
        }
        let other = matcher_for(REGISTRY);
        assert_eq!(
            other.hits(before, Some((before, &earlier))),
            other.hits(before, None)
        );
    }

    /// Stems, capitals, sentence starts and continued names read only the
    /// hit's own line: searching again only the edited lines finds what a
    /// fresh search finds, whatever ends the lines.
    #[test]
    fn edits_keep_every_form_of_name_right() {
        let registry = "@l: Сергей Лавров\n  aliases: Лавров*\n\n@s: South Korea\n  aliases: the South\n\n@k: 김정은\n";
        let matcher = matcher_for(registry);
        let pieces = [
            "Лавров",
            "ЛАВРОВ",
            "у",
            " ",
            "the South",
            "The South",
            " China",
            ". ",
            "{",
            "\n",
            "\r",
            "\r\n",
            "김정은",
            "는",
            "x",
        ];
        let mut rng = newsmark_corpus::Rng::new(11);
        let text = |rng: &mut newsmark_corpus::Rng| -> String {
            (0..rng.below(14)).map(|_| *rng.pick(&pieces)).collect()
        };
        for _ in 0..2000 {
            let (head, old, new, tail) = (
                text(&mut rng),
                text(&mut rng),
                text(&mut rng),
                text(&mut rng),
            );
            let before = format!("{head}{old}{tail}");
            let after = format!("{head}{new}{tail}");
            let earlier = matcher.hits(&before, None);
            assert_eq!(
                matcher.hits(&after, Some((&before, &earlier))),
                matcher.hits(&after, None),
                "{before:?} -> {after:?}"
            );
        }
    }

    #[test]
    fn a_stem_in_a_long_word_is_refused_quickly() {
        let registry = "@l: Лавров\n  aliases: Лавров*\n";
        let word = "Лавров".repeat(20_000);
        let started = std::time::Instant::now();
        assert_eq!(found(registry, &word).len(), 1);
        // Quadratic, this took minutes.
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn prose_hits_are_what_the_prose_keeps_of_whole_hits() {
        let text = "Kim Jong Un met [Kim]@kim.\r\n{Choe Son Hui said | @choe} 최선희는\r[Kim Yo Jong]@kim-yo-jong Kim\n";
        let summary = FileSummary::from_tree(&SyntaxTree::parse(text));
        let matcher = matcher_for(REGISTRY);
        let whole = matcher.hits(text, None);
        let prose = matcher.prose_hits(text, &summary.prose);
        let found = |hits: &Hits| -> Vec<Range<usize>> {
            matcher
                .found_in(hits, &summary.prose)
                .into_iter()
                .map(|f| f.range)
                .collect()
        };
        assert_eq!(found(&prose), found(&whole));
        assert_eq!(found(&prose).len(), 4);
        // Marks were not searched, and prose hits seed no incremental search.
        assert!(prose.hits().len() < whole.hits().len());
        assert_eq!(matcher.hits(text, Some((text, &prose))), whole);
    }

    /// `found_in` walks on through the spans from hit to hit: it must keep
    /// what a search per hit keeps, whatever the order of the hits' ends.
    #[test]
    fn hits_are_kept_inside_spans_whatever_their_order() {
        let matcher = matcher_for("@a: Anna\n");
        let mut rng = newsmark_corpus::Rng::new(7);
        let mut next = |n: usize| rng.below(n);
        for _ in 0..500 {
            let mut spans: Vec<Span> = Vec::new();
            let mut at = 0;
            for _ in 0..next(6) {
                // Spans may be empty, and may touch the one before.
                let start = at + next(4);
                let end = start + next(5);
                spans.push(Span::from(start..end));
                at = end + next(2);
            }
            let mut hits: Vec<(Range<usize>, u32)> = (0..next(8))
                .map(|_| {
                    let start = next(30);
                    (start..start + next(6), 0)
                })
                .collect();
            if next(2) == 0 {
                hits.sort_by_key(|(hit, _)| hit.start);
            }
            let kept: Vec<Range<usize>> = (matcher
                .found_in(&LineHits::partial(0, hits.clone()), &spans))
            .into_iter()
            .map(|found| found.range)
            .collect();
            let expected: Vec<Range<usize>> = (hits.into_iter())
                .map(|(hit, _)| hit)
                .filter(|hit| {
                    spans
                        .iter()
                        .any(|s| s.start() <= hit.start && hit.end <= s.end())
                })
                .collect();
            assert_eq!(kept, expected, "{spans:?}");
        }
    }

    #[test]
    fn a_name_that_is_not_a_whole_word_hides_no_name_after_it() {
        let registry = "@a: Kim Jo\n\n@b: Jong Un\n";
        assert_eq!(
            found(registry, "Kim Jong Un"),
            [("Jong Un".into(), vec!["b".into()])]
        );
    }

    /// The search looks only where a word starts with a byte that a name
    /// starts with: it must find what trying every position finds.
    #[test]
    fn looking_only_at_word_starts_misses_nothing() {
        let registry = "@kim: Kim Jong Un\n  aliases: Kim, 김정은, 金正恩, Jong\n\n@choe: Choe Son Hui\n  aliases: 최선희, Son\n\n@e: élan vital\n  aliases: 1865\n\n@l: Лавров\n  aliases: Лавров*, the North, 金正*\n";
        let matcher = matcher_for(registry);
        let pieces = [
            "Kim",
            " ",
            "Jong",
            " Un",
            "Kimchi",
            "김정은",
            "는",
            "金正恩",
            "先生",
            "Choe Son Hui",
            "최선희",
            "Son",
            "élan vital",
            "x",
            "é",
            "1865",
            "-",
            ".",
            "\n",
            "👍🏽",
            "\r\n",
            "Лавров",
            "ЛАВРОВ",
            "а",
            "the North",
            "The North",
            ". ",
        ];
        let mut rng = newsmark_corpus::Rng::new(7);
        for _ in 0..3000 {
            let text: String = (0..rng.below(12)).map(|_| *rng.pick(&pieces)).collect();
            assert_eq!(
                matcher.search(&text, 0..text.len()),
                every_position(&matcher, &text),
                "{text:?}"
            );
        }
    }

    /// At every character, the longest name there, if it is a whole word.
    fn every_position(matcher: &Matcher, text: &str) -> Vec<(Range<usize>, u32)> {
        let mut hits = Vec::new();
        let mut at = 0;
        while at < text.len() {
            let longest = (matcher.patterns.iter().enumerate())
                .filter(|(_, pattern)| text[at..].starts_with(pattern.form.as_str()))
                .max_by_key(|(_, pattern)| pattern.form.len());
            if let Some((index, pattern)) = longest
                && let Some(range) = matcher.accepted(text, at..at + pattern.form.len(), index)
            {
                at = range.end;
                hits.push((range, index as u32));
                continue;
            }
            at += text[at..].chars().next().map_or(1, char::len_utf8);
        }
        hits
    }

    #[test]
    fn names_over_the_length_cap_are_not_looked_for() {
        let long = "K ".repeat(MAX_NAME_BYTES / 2) + "X";
        let registry = format!("@long: {long}\n\n@short: K Y\n");
        assert!(found(&registry, &long).is_empty());
        assert_eq!(found(&registry, "K Y")[0].1, ["short"]);
    }

    #[test]
    fn stems_match_inflected_words() {
        let registry = "@lavrov: Сергей Лавров\n  aliases: Лавров*, Ла*\n";
        assert_eq!(
            found(
                registry,
                "О Лаврове, Лаврову и ЛАВРОВА; не Лавровский-Сын, не аЛавров."
            ),
            [
                ("Лаврове".into(), vec!["lavrov".into()]),
                ("Лаврову".into(), vec!["lavrov".into()]),
                ("ЛАВРОВА".into(), vec!["lavrov".into()]),
                ("Лавровский".into(), vec!["lavrov".into()]),
            ]
        );
        // A stem of fewer than three characters is not looked for.
        assert!(found(registry, "Лампа").is_empty());
        // The name still wins over the stem where it is longer.
        assert_eq!(
            found(registry, "Сергей Лавров сказал")[0].0,
            "Сергей Лавров"
        );
    }

    #[test]
    fn a_lower_case_alias_is_capitalised_only_where_a_sentence_starts() {
        let registry = "@dprk: North Korea\n  aliases: the North\n";
        assert_eq!(
            found(
                registry,
                "The North's media. It said the North. «The North»\r\nThe North; but The North.\r{The North's}\n# The North"
            )
            .into_iter()
            .map(|(surface, _)| surface)
            .collect::<Vec<_>>(),
            ["The North", "the North", "The North", "The North", "The North", "The North"]
        );
        assert_eq!(found(registry, "NORTH KOREA said")[0].0, "NORTH KOREA");
    }

    #[test]
    fn a_name_inside_a_longer_capitalised_name_is_not_one() {
        let registry = "@sk: South Korea\n  aliases: the South\n\n@china: China\n";
        assert!(found(registry, "Ships crossed the South China Sea.").is_empty());
        assert!(found(registry, "{The South China Sea}").is_empty());
        // A capitalised name followed by a capitalised word is still one:
        // headlines, and German nouns.
        let names = "@l: Lavrov\n  aliases: Лавров*\n\n@k: Kim\n";
        let surfaces = |text: &str| -> Vec<String> {
            found(names, text).into_iter().map(|(s, _)| s).collect()
        };
        assert_eq!(surfaces("Lavrov Meets Kim"), ["Lavrov", "Kim"]);
        assert_eq!(surfaces("ЛАВРОВ ПРИБЫЛ"), ["ЛАВРОВ"]);
        assert_eq!(
            found(
                registry,
                "The South said China, the South and South Korea agree"
            )
            .into_iter()
            .map(|(surface, _)| surface)
            .collect::<Vec<_>>(),
            ["The South", "China", "the South", "South Korea"]
        );
    }

    #[test]
    fn whole_words_only() {
        assert!(found(REGISTRY, "Kimchi and Kims").is_empty());
    }

    #[test]
    fn hangul_names_take_particles() {
        assert_eq!(
            found(REGISTRY, "최선희는 말했다"),
            [("최선희".into(), vec!["choe".into()])]
        );
        assert_eq!(
            found(REGISTRY, "(김정은)"),
            [("김정은".into(), vec!["kim".into()])]
        );
        assert!(found(REGISTRY, "가최선희").is_empty());
    }
}
