//! What the standoff formats (brat, Label Studio, doccano) share: labelled
//! spans of a text and the links between them, keyed by the format's own
//! ids. A reader parses its files into a [`Standoff`], with offsets in
//! characters (code points) of the text as read; [`Standoff::finish`] lays
//! the text out as an export lays it out (`plain_layout`, every offset
//! moved with it), gives each cue and quoted words to its claim and each
//! mention its entity id, and makes the article.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use newsmark_analysis::export::{ClaimSpan, MentionSpan, PlainDocument, Span};
use newsmark_analysis::markup_writer::plain_layout;
use newsmark_syntax::{QuoteKind, StanceKind, is_valid_id, quotation};

use super::entities::{Entities, slug};
use super::mapping::{Class, Mapping, Role};
use super::{Article, Finding, Origin, shown};

/// A finding of a line, made when the document is finished: the line,
/// what, why.
type LineFinding = (usize, String, String);

/// A labelled span, in characters of the laid-out text.
#[derive(Debug, Clone)]
struct Bound {
    kind: Class,
    /// The first span, then the later parts of a split quote.
    spans: Vec<(usize, usize)>,
    line: usize,
    /// Its place among the spans as read.
    order: usize,
}

/// Mentions said to be of one entity.
#[derive(Debug, Default)]
struct SameEntity {
    /// Each with its place among all members as said.
    members: Vec<(usize, String)>,
    /// The kind of the first member said that has one, with its place.
    kind: Option<(usize, String)>,
    /// When it was last made or joined: groups are taken in this order.
    order: usize,
    /// The line that made it (of joined groups, the last made's).
    line: usize,
    what: String,
}

/// One document being read.
#[derive(Debug)]
pub struct Standoff<'a> {
    file: PathBuf,
    mapping: &'a Mapping,
    text: String,
    /// Characters of the text as read, as the offsets count them.
    original: Vec<char>,
    /// Where each of them went in `text`.
    map: Vec<usize>,
    bounds: BTreeMap<String, Bound>,
    /// The ids of event triggers read.
    triggers: HashSet<String>,
    sources: Vec<(String, String)>,
    via: HashMap<String, String>,
    stances: Vec<(String, StanceKind, String)>,
    quote: HashMap<String, QuoteKind>,
    /// Claims said to be hedged or unsourced, with the line saying so.
    hedged: Vec<(String, usize)>,
    unsourced: Vec<(String, usize)>,
    /// `sources: ...; label: ...` notes, by claim.
    notes: HashMap<String, ClaimNote>,
    /// Wikidata ids and the name given with them, by mention.
    wikidata: HashMap<String, (String, String)>,
    /// Entity ids the input gives, by mention.
    entity_ids: HashMap<String, String>,
    /// Groups of mentions said to be of one entity (coreference), by id;
    /// the group of each member; and a count of what was said, to order
    /// groups and members by.
    same: HashMap<usize, SameEntity>,
    same_of: HashMap<String, usize>,
    said: usize,
    findings: Vec<Finding>,
}

impl<'a> Standoff<'a> {
    /// A document of `text`, read from `file`.
    pub fn new(file: &Path, text: &str, mapping: &'a Mapping) -> Self {
        let (laid_out, map) = plain_layout(text);
        Standoff {
            file: file.to_owned(),
            mapping,
            text: laid_out,
            original: text.chars().collect(),
            map,
            bounds: BTreeMap::new(),
            triggers: HashSet::new(),
            sources: Vec::new(),
            via: HashMap::new(),
            stances: Vec::new(),
            quote: HashMap::new(),
            hedged: Vec::new(),
            unsourced: Vec::new(),
            notes: HashMap::new(),
            wikidata: HashMap::new(),
            entity_ids: HashMap::new(),
            same: HashMap::new(),
            same_of: HashMap::new(),
            said: 0,
            findings: Vec::new(),
        }
    }

    /// The text as read, in characters.
    pub fn chars(&self) -> &[char] {
        &self.original
    }

    pub fn report(&mut self, line: usize, what: &str, why: impl Into<String>) {
        self.findings.push(Finding {
            origin: Origin {
                file: self.file.clone(),
                line,
            },
            what: what.into(),
            why: why.into(),
        });
    }

    /// What the span `id` is, if it was read.
    pub fn class_of(&self, id: &str) -> Option<&Class> {
        self.bounds.get(id).map(|b| &b.kind)
    }

    /// A span `id` labelled `label`, over `spans` (more than one: a
    /// discontinuous span), whose text the input gives as `text` (the
    /// parts' texts joined by a space), if it does; findings call it
    /// `what`.
    pub fn span(
        &mut self,
        line: usize,
        what: &str,
        id: &str,
        label: &str,
        spans: &[(usize, usize)],
        text: Option<&str>,
    ) {
        if let Some(why) = self.unreadable(id, spans, text) {
            return self.report(line, what, why);
        }
        let Some(class) = self.mapping.class(label) else {
            return self.report(
                line,
                what,
                "the label has no Newsmark meaning in the mapping",
            );
        };
        if spans.len() != 1 && class != Class::Claim {
            return self.report(
                line,
                what,
                "only a claim (a split quote) may have a discontinuous span",
            );
        }
        let spans = (spans.iter())
            .map(|&(s, e)| (self.map[s], self.map[e]))
            .collect();
        let order = self.bounds.len();
        let bound = Bound {
            kind: class,
            spans,
            line,
            order,
        };
        self.bounds.insert(id.to_owned(), bound);
    }

    /// An event trigger `id` over `spans` with the text `text`: read like
    /// a span, but kept by the reader (Newsmark has no mark for it). False
    /// (and reported) if it cannot be read.
    pub fn trigger(
        &mut self,
        line: usize,
        what: &str,
        id: &str,
        spans: &[(usize, usize)],
        text: &str,
    ) -> bool {
        if let Some(why) = self.unreadable(id, spans, Some(text)) {
            self.report(line, what, why);
            return false;
        }
        self.triggers.insert(id.to_owned());
        true
    }

    /// Why a span or trigger `id` over `spans`, whose text the input gives
    /// as `text` if it does, cannot be read: its id is taken, or its
    /// offsets or text are not the text's.
    fn unreadable(&self, id: &str, spans: &[(usize, usize)], text: Option<&str>) -> Option<String> {
        if self.bounds.contains_key(id) || self.triggers.contains(id) {
            return Some("another span has the same id".into());
        }
        let len = self.original.len();
        if let Some((start, end)) = spans.iter().find(|(s, e)| s > e || *e > len) {
            return Some(format!(
                "its offsets {start}–{end} are not within the text ({len} characters)"
            ));
        }
        let at_offsets: Vec<String> = (spans.iter())
            .map(|&(s, e)| self.original[s..e].iter().collect())
            .collect();
        match text {
            Some(text) if at_offsets.join(" ") != text => Some(format!(
                "its text `{}` is not the text at its offsets",
                shown(text)
            )),
            _ => None,
        }
    }

    /// A relation labelled `label` from span `from` to span `to`.
    pub fn relation(&mut self, line: usize, what: &str, label: &str, from: &str, to: &str) {
        match self.mapping.role(label) {
            Some(role) => self.link(line, what, role, from, to),
            None => self.report(line, what, "the relation has no Newsmark meaning"),
        }
    }

    /// A link of `role` from span `from` to span `to` (a relation, or a
    /// pair of an event's arguments).
    pub fn link(&mut self, line: usize, what: &str, role: Role, from: &str, to: &str) {
        if let Some(missing) = [from, to]
            .into_iter()
            .find(|id| self.class_of(id).is_none())
        {
            return self.report(
                line,
                what,
                format!(
                    "it links `{}`, which is no span that was imported",
                    shown(missing)
                ),
            );
        }
        let is_claim = |d: &Self, t: &str| d.class_of(t) == Some(&Class::Claim);
        let is_mention = |d: &Self, t: &str| matches!(d.class_of(t), Some(Class::Mention(_)));
        let (from, to) = (from.to_owned(), to.to_owned());
        match (role, role.stance()) {
            (Role::Source, _) if is_claim(self, &from) && is_mention(self, &to) => {
                self.sources.push((from, to))
            }
            (Role::Via, _) if is_mention(self, &from) && is_mention(self, &to) => {
                self.via.insert(from, to);
            }
            (Role::Part, _) if is_claim(self, &from) && is_claim(self, &to) && from != to => {
                self.join_part(line, what, &from, &to)
            }
            (_, Some(stance)) if is_claim(self, &from) && is_claim(self, &to) => {
                self.stances.push((from, stance, to))
            }
            _ => self.report(line, what, "its arguments are not of the types it needs"),
        }
    }

    /// Claim `part` becomes a later part of the quotation of claim `to`.
    fn join_part(&mut self, line: usize, what: &str, part: &str, to: &str) {
        let joined = self.bounds[part].spans.len() == 1
            && !self.notes.contains_key(part)
            && !self.quote.contains_key(part);
        if !joined {
            return self.report(
                line,
                what,
                "the part has parts, notes or a quote of its own",
            );
        }
        let (start, end) = self.bounds[part].spans[0];
        if let Some(claim) = self.bounds.get_mut(to) {
            claim.spans.push((start, end));
        }
        self.bounds.remove(part);
    }

    /// The quote kind of claim `claim` (`direct` or `partial`).
    pub fn quote(&mut self, line: usize, what: &str, claim: &str, word: &str) {
        match word {
            "direct" => drop(self.quote.insert(claim.to_owned(), QuoteKind::Direct)),
            "partial" => drop(self.quote.insert(claim.to_owned(), QuoteKind::Partial)),
            _ => self.report(
                line,
                what,
                format!(
                    "its quote `{}` is neither `direct` nor `partial`",
                    shown(word)
                ),
            ),
        }
    }

    /// The input says claim `claim` is hedged (checked: it has cues).
    pub fn hedged(&mut self, line: usize, claim: &str) {
        self.hedged.push((claim.to_owned(), line));
    }

    /// The input says claim `claim` has no source (checked).
    pub fn unsourced(&mut self, line: usize, claim: &str) {
        self.unsourced.push((claim.to_owned(), line));
    }

    /// A claim's note as the exports write it: `sources: @jon via @kcna,
    /// @us; label: #talks`; whether it was one.
    pub fn note(&mut self, claim: &str, text: &str) -> bool {
        let (sources, label) = match text.split_once("; label: #") {
            Some((sources, label)) => (sources, Some(label.trim())),
            None => (text, None),
        };
        let parsed = sources
            .strip_prefix("sources: ")
            .is_some_and(|sources| self.sources_of(claim, sources));
        if parsed && let Some(label) = label {
            self.label(claim, label);
        }
        parsed
    }

    /// A claim's sources, written `@jon via @kcna, @us` (even of entities
    /// no mention names): they replace its source relations; whether they
    /// were written so.
    pub fn sources_of(&mut self, claim: &str, text: &str) -> bool {
        match written_sources(text) {
            Some(sources) => {
                self.notes.entry(claim.to_owned()).or_default().sources = Some(sources);
                true
            }
            None => false,
        }
    }

    /// A claim's label (`#label`, without its `#`).
    pub fn label(&mut self, claim: &str, label: &str) {
        self.notes.entry(claim.to_owned()).or_default().label = Some(label.to_owned());
    }

    /// The Wikidata id of the entity of mention `mention`, with its name.
    pub fn wikidata(&mut self, mention: &str, q: &str, name: &str) {
        (self.wikidata).insert(mention.to_owned(), (q.to_owned(), name.to_owned()));
    }

    /// The entity id of mention `mention`, as the input gives it.
    pub fn entity(&mut self, line: usize, what: &str, mention: &str, id: &str) {
        if is_valid_id(id) {
            (self.entity_ids).insert(mention.to_owned(), id.to_owned());
        } else {
            let why = format!(
                "its entity `{}` is no Newsmark id: one is made from its text",
                shown(id)
            );
            self.report(line, what, why);
        }
    }

    /// Mentions `members` are of one entity: they get one id (with those
    /// said earlier to be of the entity of one of them). A member that is
    /// no mention, or a mention of another kind than the first said's, is
    /// left out. Groups are merged into the largest of them, so that a
    /// long chain of lines costs about as much as its members.
    pub fn same_entity(&mut self, line: usize, what: &str, members: &[&str]) {
        // The groups the line joins, the earliest made first.
        let mut joined: Vec<usize> = (members.iter())
            .filter_map(|m| self.same_of.get(*m).copied())
            .collect();
        joined.sort_by_key(|g| self.same[g].order);
        joined.dedup();
        let mut groups: Vec<(usize, SameEntity)> = (joined.iter())
            .filter_map(|g| Some((*g, self.same.remove(g)?)))
            .collect();
        let (said_at, said) =
            (groups.last()).map_or((line, what.to_owned()), |(_, g)| (g.line, g.what.clone()));
        // The members in no group yet, each with its kind (`None`: no mention).
        let mut seen = HashSet::new();
        let new: Vec<(&str, Option<Option<String>>)> = (members.iter())
            .filter(|m| !self.same_of.contains_key(**m) && seen.insert(**m))
            .map(|m| (*m, mention_kind(&self.bounds, m)))
            .collect();
        // The kind of the first member said that has one.
        let kind: Option<String> = (groups.iter())
            .filter_map(|(_, g)| g.kind.clone())
            .min()
            .map(|(_, kind)| kind)
            .or_else(|| new.iter().find_map(|(_, k)| k.clone().flatten()));
        let other_kind = |member: &str, its: &Option<String>| match (&kind, its) {
            (Some(first), Some(its)) if first != its => Some(format!(
                "{} is of kind `{}`, the others of `{}`",
                shown(member),
                shown(its),
                shown(first)
            )),
            _ => None,
        };
        let mut left_out = Vec::new();
        for (_, group) in &mut groups {
            if group
                .kind
                .as_ref()
                .is_some_and(|(_, k)| Some(k) != kind.as_ref())
            {
                group.kind = None;
                group.members.retain(|(_, member)| {
                    let its = mention_kind(&self.bounds, member).flatten();
                    let Some(why) = other_kind(member, &its) else {
                        return true;
                    };
                    left_out.push(why);
                    self.same_of.remove(member);
                    false
                });
            }
        }
        let largest = (0..groups.len()).max_by_key(|g| groups[*g].1.members.len());
        let (id, mut merged) = match largest {
            Some(g) => groups.remove(g),
            None => (self.said, SameEntity::default()),
        };
        for (_, group) in groups {
            merged.kind = [merged.kind.take(), group.kind].into_iter().flatten().min();
            for (_, member) in &group.members {
                self.same_of.insert(member.clone(), id);
            }
            merged.members.extend(group.members);
        }
        for (member, its) in new {
            let Some(its) = its else {
                left_out.push(self.no_mention(member));
                continue;
            };
            if let Some(why) = other_kind(member, &its) {
                left_out.push(why);
                continue;
            }
            self.said += 1;
            if let (None, Some(its)) = (&merged.kind, its) {
                merged.kind = Some((self.said, its));
            }
            merged.members.push((self.said, member.to_owned()));
            self.same_of.insert(member.to_owned(), id);
        }
        for why in left_out {
            self.report(line, what, format!("{why}: left out of it"));
        }
        self.said += 1;
        (merged.order, merged.line, merged.what) = (self.said, said_at, said);
        if merged.members.len() > 1 {
            self.same.insert(id, merged);
        } else {
            for (_, member) in &merged.members {
                self.same_of.remove(member);
            }
        }
    }

    /// Why `member` of an equivalence is left out when it is no mention:
    /// what it is.
    fn no_mention(&self, member: &str) -> String {
        let what = match self.class_of(member) {
            _ if self.triggers.contains(member) => "an event trigger, no mention",
            Some(Class::Claim) => "a claim, no mention",
            Some(Class::Hedge) => "a hedge cue, no mention",
            Some(Class::Quoted) => "a claim's quoted words, no mention",
            Some(Class::Mention(_)) | None => "no span that was imported",
        };
        format!("`{}` is {what}", shown(member))
    }

    /// The spans in the order they were read (of a mention of two
    /// entities, the first id's first).
    fn in_order(&self) -> Vec<(&String, &Bound)> {
        let mut bounds: Vec<_> = self.bounds.iter().collect();
        bounds.sort_by_key(|(_, b)| b.order);
        bounds
    }

    /// The article at `path`, its entities added to `entities`, and what
    /// could not be represented.
    pub fn finish(mut self, entities: &mut Entities, path: String) -> (Article, Vec<Finding>) {
        // A copy: the findings below borrow `self` mutably.
        let text = self.text.clone();
        let places = Places::new(&text);
        let slice = |span: (usize, usize)| places.slice(span).to_owned();
        let mut unjoined = Vec::new();
        let ids = self.mention_ids(entities, &places, &mut unjoined);
        for (line, what, why) in unjoined {
            self.report(line, &what, why);
        }
        let mut mentions: Vec<(MentionSpan, usize)> = Vec::new();
        for (t, bound) in self.in_order() {
            let Class::Mention(_) = bound.kind else {
                continue;
            };
            let span = bound.spans[0];
            let id = ids[t].clone();
            let text = slice(span);
            // `@id` is a reference, unless a mention brackets it
            // (`[@id]@id`), which the exports write after it.
            let bracketed = (mentions.iter())
                .any(|(m, _)| m.is_reference && (m.start, m.end) == span && m.id == id);
            mentions.push((
                MentionSpan {
                    start: span.0,
                    end: span.1,
                    is_reference: text == format!("@{id}") && !bracketed,
                    text,
                    id,
                },
                bound.line,
            ));
        }
        mentions.sort_by_key(|(m, _)| (m.start, std::cmp::Reverse(m.end)));

        let claim_ts: Vec<&String> = (self.in_order().into_iter())
            .filter(|(_, b)| b.kind == Class::Claim)
            .map(|(t, _)| t)
            .collect();
        let mut labels: HashMap<&str, String> = HashMap::new();
        for t in &claim_ts {
            if let Some(label) = self.notes.get(*t).and_then(|n| n.label.as_ref()) {
                labels.insert(t, label.clone());
            }
        }
        for (_, _, target) in &self.stances {
            if !labels.contains_key(target.as_str()) {
                labels.insert(target, format!("claim-{}", target.to_lowercase()));
            }
        }
        // Cues and quoted words by where they start, so that each claim
        // finds its own without going through every span of the document.
        let sorted_spans = |class: Class| {
            let mut spans: Vec<(usize, usize)> = (self.bounds.values())
                .filter(|b| b.kind == class)
                .map(|b| b.spans[0])
                .collect();
            spans.sort_unstable();
            spans
        };
        let (hedge_spans, quoted_spans) = (sorted_spans(Class::Hedge), sorted_spans(Class::Quoted));
        let (hedged, unsourced) = (first_lines(&self.hedged), first_lines(&self.unsourced));
        let mut claims: Vec<(ClaimSpan, usize)> = Vec::new();
        let mut findings = Vec::new();
        for t in &claim_ts {
            let bound = &self.bounds[*t];
            let (start, end) = bound.spans[0];
            // A cue or quoted words belong to the innermost claim holding
            // them (of claims with the same span, the one read last: the
            // exports write an outer claim first).
            let innermost = |span: (usize, usize)| {
                (claim_ts.iter())
                    .filter(|c| {
                        self.bounds[**c]
                            .spans
                            .iter()
                            .any(|&(s, e)| s <= span.0 && span.1 <= e)
                    })
                    .min_by_key(|c| {
                        let b = &self.bounds[**c];
                        (b.spans[0].1 - b.spans[0].0, std::cmp::Reverse(b.order))
                    })
                    .is_some_and(|c| c == t)
            };
            // Quoted words are every claim's that holds them (each claim
            // finds its quotation in its own text); a cue is its innermost
            // claim's.
            let spans_of = |class: Class| -> Vec<Span> {
                let all = match class {
                    Class::Quoted => &quoted_spans,
                    _ => &hedge_spans,
                };
                let mut spans: Vec<Span> = (bound.spans.iter())
                    .flat_map(|&(cs, ce)| {
                        let from = all.partition_point(|&(s, _)| s < cs);
                        (all[from..].iter())
                            .take_while(move |&&(s, _)| s <= ce)
                            .filter(move |&&(_, e)| e <= ce)
                    })
                    .filter(|&&span| class == Class::Quoted || innermost(span))
                    .map(|&(start, end)| Span {
                        start,
                        end,
                        text: slice((start, end)),
                    })
                    .collect();
                spans.sort_by_key(|s| (s.start, s.end));
                spans.dedup();
                spans
            };
            // A source that gives no quoted words (INCEpTION's and most
            // projects' layers) leaves them to the quotation marks of each
            // part, as the markup does, and the quote kind too when it
            // gives none.
            let quoted = spans_of(Class::Quoted);
            let (quote, fragments) = if quoted.is_empty() {
                let marked: Vec<_> = (bound.spans.iter())
                    .map(|&(s, e)| places.marked_quotation(s, e))
                    .collect();
                let kind = marked.first().map_or(QuoteKind::None, |(kind, _)| *kind);
                let fragments = marked.into_iter().flat_map(|(_, f)| f).collect();
                (self.quote.get(*t).copied().unwrap_or(kind), fragments)
            } else {
                (
                    self.quote.get(*t).copied().unwrap_or(QuoteKind::None),
                    quoted,
                )
            };
            let (sources, via) = self.claim_sources(t, &ids);
            let stances = (self.stances.iter())
                .filter(|(from, _, _)| from == *t)
                .map(|(_, kind, target)| (*kind, labels[target.as_str()].clone()))
                .collect();
            let claim = ClaimSpan {
                start,
                end,
                text: slice((start, end)),
                sources,
                via,
                label: labels.get(t.as_str()).cloned(),
                stances,
                hedges: spans_of(Class::Hedge),
                quote,
                fragments,
                parts: (bound.spans[1..].iter())
                    .map(|&(s, e)| Span {
                        start: s,
                        end: e,
                        text: slice((s, e)),
                    })
                    .collect(),
            };
            if let Some(line) = hedged.get(t.as_str())
                && claim.hedges.is_empty()
            {
                findings.push((
                    *line,
                    format!("Hedged on {}", shown(t)),
                    "a claim is hedged by its marked words (`~[…]`), and it has none",
                ));
            }
            if let Some(line) = unsourced.get(t.as_str())
                && !claim.sources.is_empty()
            {
                findings.push((
                    *line,
                    format!("Unsourced on {}", shown(t)),
                    "the claim has sources",
                ));
            }
            claims.push((claim, bound.line));
        }
        // Some claim span holds `span` when, of the claim spans starting at
        // or before it, the one reaching furthest ends at or after it.
        let mut claim_spans: Vec<(usize, usize)> = (claim_ts.iter())
            .flat_map(|t| self.bounds[*t].spans.iter().copied())
            .collect();
        claim_spans.sort_unstable();
        let reach: Vec<usize> = (claim_spans.iter())
            .scan(0, |furthest, &(_, end)| {
                *furthest = end.max(*furthest);
                Some(*furthest)
            })
            .collect();
        let held = |(start, end): (usize, usize)| {
            let before = claim_spans.partition_point(|&(s, _)| s <= start);
            before > 0 && reach[before - 1] >= end
        };
        for b in self.bounds.values() {
            if matches!(b.kind, Class::Hedge | Class::Quoted) && !held(b.spans[0]) {
                findings.push((
                    b.line,
                    "cue or quoted words".into(),
                    "it lies outside every claim",
                ));
            }
        }
        for (line, what, why) in findings {
            self.report(line, &what, why);
        }
        claims.sort_by_key(|(c, _)| (c.start, std::cmp::Reverse(c.end)));
        let origin = |line| Origin {
            file: self.file.clone(),
            line,
        };
        let (mentions, mention_lines): (Vec<_>, Vec<_>) = mentions.into_iter().unzip();
        let (claims, claim_lines): (Vec<_>, Vec<_>) = claims.into_iter().unzip();
        let article = Article {
            path,
            front_matter: Vec::new(),
            document: PlainDocument {
                text: std::mem::take(&mut self.text),
                mentions,
                claims,
                ..PlainDocument::default()
            },
            mention_origins: mention_lines.into_iter().map(origin).collect(),
            claim_origins: claim_lines.into_iter().map(origin).collect(),
            text_origin: origin(0),
        };
        (article, self.findings)
    }

    /// A claim's sources with their chains: from its note when it has one,
    /// else from its source relations and their `via` chains.
    fn claim_sources(
        &self,
        claim: &str,
        ids: &HashMap<String, String>,
    ) -> (Vec<String>, Vec<Vec<String>>) {
        if let Some(sources) = self.notes.get(claim).and_then(|n| n.sources.as_ref()) {
            return sources.iter().cloned().unzip();
        }
        (self.sources.iter())
            .filter(|(c, _)| c == claim)
            .map(|(_, mention)| {
                let chain = std::iter::successors(self.via.get(mention), |m| self.via.get(*m))
                    .take(self.via.len())
                    .map(|m| ids[m].clone())
                    .collect();
                (ids[mention].clone(), chain)
            })
            .unzip()
    }

    /// Each mention's entity id: the one the input gives, else the source
    /// a claim's note names for it, else shared with mentions of the same
    /// Wikidata id, else a slug of its name or text; mentions said to be
    /// of one entity share the first one's (members left out of those are
    /// added to `unjoined`).
    fn mention_ids(
        &self,
        entities: &mut Entities,
        places: &Places,
        unjoined: &mut Vec<LineFinding>,
    ) -> HashMap<String, String> {
        let mut ids: HashMap<String, String> = self.entity_ids.clone();
        for (claim, sources) in
            (self.notes.iter()).filter_map(|(claim, note)| Some((claim, note.sources.as_ref()?)))
        {
            let mut unused: Vec<&(String, Vec<String>)> = sources.iter().collect();
            for (_, mention) in self.sources.iter().filter(|(c, _)| c == claim) {
                let text = self.mention_text(mention, places);
                let Some(at) = unused
                    .iter()
                    .position(|(id, _)| *id == slug(&text))
                    .or((!unused.is_empty()).then_some(0))
                else {
                    break;
                };
                let (id, chain) = unused.remove(at);
                ids.entry(mention.clone()).or_insert_with(|| id.clone());
                let mut from = mention;
                for conduit in chain {
                    let Some(next) = self.via.get(from) else {
                        break;
                    };
                    ids.entry(next.clone()).or_insert_with(|| conduit.clone());
                    from = next;
                }
            }
        }
        let (mut groups, group_of) = self.entity_groups(&ids, unjoined);
        let mut by_wikidata: HashMap<&str, String> = HashMap::new();
        for (t, (q, _)) in &self.wikidata {
            if let Some(id) = ids.get(t) {
                by_wikidata.insert(q, id.clone());
            }
        }
        for (t, bound) in self.in_order() {
            let Class::Mention(kind) = &bound.kind else {
                continue;
            };
            let wikidata = self.wikidata.get(t);
            let group = group_of.get(t.as_str()).copied();
            let id = match ids.get(t).or(group.and_then(|g| groups[g].as_ref())) {
                Some(id) => id.clone(),
                None => match wikidata.and_then(|(q, _)| by_wikidata.get(q.as_str())) {
                    Some(id) => id.clone(),
                    None => {
                        let name = wikidata
                            .map_or_else(|| self.mention_text(t, places), |(_, n)| n.clone());
                        let next = places.char(bound.spans[0].1);
                        entities.slug_for(&name, kind.as_deref(), next)
                    }
                },
            };
            if let Some(g) = group {
                groups[g].get_or_insert_with(|| id.clone());
            }
            if let Some((q, _)) = wikidata {
                by_wikidata.entry(q).or_insert_with(|| id.clone());
            }
            let name = wikidata.map_or_else(|| self.mention_text(t, places), |(_, n)| n.clone());
            entities.define(&id, name, kind.clone(), wikidata.map(|(q, _)| q.clone()));
            ids.insert(t.clone(), id);
        }
        // Sources and conduits that no mention names still need defining.
        for sources in self.notes.values().filter_map(|n| n.sources.as_ref()) {
            for (source, chain) in sources {
                for id in std::iter::once(source).chain(chain) {
                    entities.define(id, id.clone(), None, None);
                }
            }
        }
        ids
    }

    /// The groups of mentions of one entity, each with the id one of them
    /// is given (`given`), if any; and the group of each mention. Members
    /// whose id or Wikidata id is not the group's (an earlier member's)
    /// are left out, added to `unjoined`. A mention given no id that has
    /// the Wikidata id of a group is of it too (as it would share an id
    /// with the member that has it).
    fn entity_groups(
        &self,
        given: &HashMap<String, String>,
        unjoined: &mut Vec<LineFinding>,
    ) -> (Vec<Option<String>>, HashMap<&str, usize>) {
        let (mut groups, mut group_of) = (Vec::new(), HashMap::new());
        let mut group_qs = Vec::new();
        let mut same: Vec<&SameEntity> = self.same.values().collect();
        same.sort_by_key(|g| g.order);
        for SameEntity {
            members,
            line,
            what,
            ..
        } in same
        {
            let mut members: Vec<&(usize, String)> = members.iter().collect();
            members.sort();
            let (mut id, mut q): (Option<&String>, Option<&String>) = (None, None);
            for (_, member) in members {
                let its_id = given.get(member);
                let its_q = self.wikidata.get(member).map(|(q, _)| q);
                let clash = match ((id, its_id), (q, its_q)) {
                    ((Some(a), Some(b)), _) if a != b => Some(format!(
                        "{} is @{}, not @{}",
                        shown(member),
                        shown(b),
                        shown(a)
                    )),
                    (_, (Some(a), Some(b))) if a != b => Some(format!(
                        "{} is Wikidata {}, not {}",
                        shown(member),
                        shown(b),
                        shown(a)
                    )),
                    _ => None,
                };
                if let Some(why) = clash {
                    unjoined.push((*line, what.clone(), format!("{why}: left out of it")));
                    continue;
                }
                (id, q) = (id.or(its_id), q.or(its_q));
                group_of.insert(member.as_str(), groups.len());
            }
            groups.push(id.cloned());
            group_qs.push(q);
        }
        for (t, (q, _)) in &self.wikidata {
            let group = group_qs.iter().position(|g| *g == Some(q));
            if let Some(g) = group.filter(|_| !given.contains_key(t)) {
                group_of.entry(t.as_str()).or_insert(g);
            }
        }
        (groups, group_of)
    }

    fn mention_text(&self, t: &str, places: &Places) -> String {
        places.slice(self.bounds[t].spans[0]).to_owned()
    }
}

/// Of the span `id`: `None` if it is no mention, else its kind, if any.
fn mention_kind(bounds: &BTreeMap<String, Bound>, id: &str) -> Option<Option<String>> {
    match &bounds.get(id)?.kind {
        Class::Mention(kind) => Some(kind.clone()),
        _ => None,
    }
}

/// What a claim's note, or the features of a tool that has them, say of
/// it: its sources with their chains, and its label.
#[derive(Debug, Default)]
struct ClaimNote {
    sources: Option<Vec<(String, Vec<String>)>>,
    label: Option<String>,
}

/// Sources as the exports write them: `@jon via @kcna, @us`.
fn written_sources(text: &str) -> Option<Vec<(String, Vec<String>)>> {
    (text.split(", ").filter(|s| !s.is_empty()))
        .map(|source| {
            let mut ids = source.split(" via ").map(|id| id.trim().strip_prefix('@'));
            let first = ids.next()??.to_owned();
            let chain = ids
                .map(|id| id.map(str::to_owned))
                .collect::<Option<Vec<_>>>()?;
            Some((first, chain))
        })
        .collect()
}

/// Where each character of the laid-out text starts, in bytes, and where
/// each of its paragraphs starts: found once per document, for the spans'
/// texts and every claim's quotation marks.
struct Places<'t> {
    text: &'t str,
    /// The byte of each character, then the text's length.
    bytes: Vec<usize>,
    blocks: Vec<usize>,
}

impl<'t> Places<'t> {
    fn new(text: &'t str) -> Self {
        let bytes = (text.char_indices().map(|(at, _)| at))
            .chain([text.len()])
            .collect();
        let blocks = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        Places {
            text,
            bytes,
            blocks,
        }
    }

    /// The characters before byte `byte`.
    fn chars_before(&self, byte: usize) -> usize {
        self.bytes.partition_point(|&b| b < byte)
    }

    /// The text of characters `start..end`.
    fn slice(&self, (start, end): (usize, usize)) -> &'t str {
        &self.text[self.bytes[start]..self.bytes[end]]
    }

    /// Character `at`, if the text has one there.
    fn char(&self, at: usize) -> Option<char> {
        self.text.get(*self.bytes.get(at)?..)?.chars().next()
    }

    /// The quote kind and quoted words that the quotation marks of the
    /// claim at characters `start..end` give.
    fn marked_quotation(&self, start: usize, end: usize) -> (QuoteKind, Vec<Span>) {
        let text = self.text;
        let (start_byte, end_byte) = (self.bytes[start], self.bytes[end]);
        let block = self.blocks[self.blocks.partition_point(|&b| b <= start_byte) - 1];
        let found =
            quotation(&text[start_byte..end_byte], &text[block..start_byte]).offset(start_byte);
        let fragments = (found.fragments.iter())
            .map(|f| Span {
                start: self.chars_before(f.start),
                end: self.chars_before(f.end),
                text: text[f.clone()].to_owned(),
            })
            .collect();
        (found.kind, fragments)
    }
}

/// For each claim said to be hedged (or unsourced), the first line saying so.
fn first_lines(said: &[(String, usize)]) -> HashMap<&str, usize> {
    let mut lines = HashMap::new();
    for (claim, line) in said {
        lines.entry(claim.as_str()).or_insert(*line);
    }
    lines
}
