//! Standoff annotations read from another tool's files, the shape every
//! reader fills ([`super::brat`], [`super::inception`]): the text as the
//! tool has it, its spans (mentions, claims with their parts, hedge cues,
//! quoted words) with their lines, and what links them (sources, `via`,
//! stances, claim notes, Wikidata ids, the entity ids a tool keeps).
//! [`Standoff::finish`] turns one into an article: the text laid out as an
//! export lays it out, every span moved with it, entity ids chosen, and
//! what does not fit reported.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use newsmark_analysis::export::{ClaimSpan, MentionSpan, PlainDocument, ResolvedEntity, Span};
use newsmark_analysis::markup_writer::plain_layout;
use newsmark_syntax::{QuoteKind, StanceKind, is_id_char, is_valid_id, normalized_id, quotation};

use super::mapping::{Class, Mapping, Role};
use super::{Article, Finding, Origin};

/// The files below `folder` whose names end in `.{extension}`, sorted;
/// links are not followed.
pub fn files_below(folder: &Path, extension: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![folder.to_owned()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let path = entry.path();
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file() && path.extension().is_some_and(|e| e == extension) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// A text-bound annotation, in characters of the laid-out text.
#[derive(Debug, Clone)]
pub struct Bound {
    pub kind: Class,
    pub spans: Vec<(usize, usize)>,
    pub line: usize,
    /// The order it was read in.
    order: usize,
}

/// One document being read.
#[derive(Debug)]
pub struct Standoff<'a> {
    /// The file read, for findings.
    pub file: &'a Path,
    pub mapping: &'a Mapping,
    /// The text laid out as an export lays it out.
    text: String,
    /// Characters of the text as the tool has it, which its offsets count.
    pub original: Vec<char>,
    /// Where each of them went in `text`.
    map: Vec<usize>,
    pub bounds: BTreeMap<String, Bound>,
    pub sources: Vec<(String, String)>,
    pub via: HashMap<String, String>,
    pub stances: Vec<(String, StanceKind, String)>,
    pub quote: HashMap<String, QuoteKind>,
    /// Claims said to be hedged or unsourced, with the line that says so.
    pub hedged: Vec<(String, usize)>,
    pub unsourced: Vec<(String, usize)>,
    /// Sources (ids and chains, even of entities no mention names) and
    /// labels that the tool keeps, by claim.
    pub notes: HashMap<String, ClaimNote>,
    /// `Wikidata` ids and the name given with them, by mention.
    pub wikidata: HashMap<String, (String, String)>,
    /// Entity ids that the tool keeps, by mention.
    pub ids: HashMap<String, String>,
    pub front_matter: Vec<(String, String)>,
    pub findings: Vec<Finding>,
}

impl<'a> Standoff<'a> {
    pub fn new(file: &'a Path, text: &str, mapping: &'a Mapping) -> Self {
        let (laid_out, map) = plain_layout(text);
        Standoff {
            file,
            mapping,
            text: laid_out,
            original: text.chars().collect(),
            map,
            bounds: BTreeMap::new(),
            sources: Vec::new(),
            via: HashMap::new(),
            stances: Vec::new(),
            quote: HashMap::new(),
            hedged: Vec::new(),
            unsourced: Vec::new(),
            notes: HashMap::new(),
            wikidata: HashMap::new(),
            ids: HashMap::new(),
            front_matter: Vec::new(),
            findings: Vec::new(),
        }
    }

    pub fn report(&mut self, line: usize, what: &str, why: impl Into<String>) {
        self.findings.push(Finding {
            origin: Origin {
                file: self.file.to_owned(),
                line,
            },
            what: what.into(),
            why: why.into(),
        });
    }

    /// Adds a span annotation whose spans count characters of the text
    /// as the tool has it (`original`); they must lie within it.
    pub fn add_bound(&mut self, id: String, kind: Class, spans: Vec<(usize, usize)>, line: usize) {
        let spans = (spans.into_iter())
            .map(|(s, e)| (self.map[s], self.map[e]))
            .collect();
        let order = self.bounds.len();
        self.bounds.insert(
            id,
            Bound {
                kind,
                spans,
                line,
                order,
            },
        );
    }

    /// The text of characters `start..end` of the text as the tool has it.
    pub fn original_text(&self, (start, end): (usize, usize)) -> String {
        self.original[start..end].iter().collect()
    }

    /// The span annotations in the order they were read.
    fn in_order(&self) -> Vec<(&String, &Bound)> {
        let mut bounds: Vec<_> = self.bounds.iter().collect();
        bounds.sort_by_key(|(_, b)| b.order);
        bounds
    }

    pub fn class_of(&self, id: &str) -> Option<&Class> {
        self.bounds.get(id).map(|b| &b.kind)
    }

    /// Records a relation of `role` (none: the mapping gives it none) from
    /// annotation `from` to `to`, or reports why it cannot be kept.
    pub fn relate(
        &mut self,
        line: usize,
        what: &str,
        role: Option<Role>,
        from: String,
        to: String,
    ) {
        let is_claim = |d: &Self, t: &str| d.class_of(t) == Some(&Class::Claim);
        let is_mention = |d: &Self, t: &str| matches!(d.class_of(t), Some(Class::Mention(_)));
        match (role, role.and_then(Role::stance)) {
            (Some(Role::Source), _) if is_claim(self, &from) && is_mention(self, &to) => {
                self.sources.push((from, to))
            }
            (Some(Role::Via), _) if is_mention(self, &from) && is_mention(self, &to) => {
                self.via.insert(from, to);
            }
            // A later part joins the spans of the claim's first part.
            (Some(Role::Part), _) if is_claim(self, &from) && is_claim(self, &to) && from != to => {
                if let Some(part) = self.bounds.remove(&from) {
                    let first = self.bounds.get_mut(&to).expect("a claim");
                    first.spans.extend(part.spans);
                    first.spans[1..].sort();
                }
            }
            (_, Some(stance)) if is_claim(self, &from) && is_claim(self, &to) => {
                self.stances.push((from, stance, to))
            }
            (Some(_), _) => self.report(line, what, "its arguments are not of the types it needs"),
            (None, _) => self.report(line, what, "the relation has no Newsmark meaning"),
        }
    }

    /// The article to write at `path` (a `.nmk` path), its entities added
    /// to `entities`.
    pub fn finish(&mut self, entities: &mut Entities, path: String) -> Article {
        let chars: Vec<char> = self.text.chars().collect();
        let slice = |(s, e): (usize, usize)| chars[s..e].iter().collect::<String>();
        let ids = self.mention_ids(entities, &chars);
        let mut mentions: Vec<(MentionSpan, usize)> = Vec::new();
        for (t, bound) in self.in_order() {
            let Class::Mention(_) = bound.kind else {
                continue;
            };
            let span = bound.spans[0];
            let id = ids[t].clone();
            let text = slice(span);
            mentions.push((
                MentionSpan {
                    start: span.0,
                    end: span.1,
                    is_reference: text == format!("@{id}"),
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
            if let Some((_, Some(label))) = self.notes.get(*t) {
                labels.insert(t, label.clone());
            }
        }
        for (_, _, target) in &self.stances {
            if !labels.contains_key(target.as_str()) {
                labels.insert(target, format!("claim-{}", target.to_lowercase()));
            }
        }
        let mut claims: Vec<(ClaimSpan, usize)> = Vec::new();
        let mut findings = Vec::new();
        for t in &claim_ts {
            let bound = &self.bounds[*t];
            let (start, end) = bound.spans[0];
            let inside =
                |(s, e): (usize, usize)| bound.spans.iter().any(|&(cs, ce)| cs <= s && e <= ce);
            // A cue or quoted words belong to the innermost claim holding them.
            let innermost = |span: (usize, usize)| {
                (claim_ts.iter())
                    .filter(|c| {
                        self.bounds[**c]
                            .spans
                            .iter()
                            .any(|&(s, e)| s <= span.0 && span.1 <= e)
                    })
                    .min_by_key(|c| self.bounds[**c].spans[0].1 - self.bounds[**c].spans[0].0)
                    .is_some_and(|c| c == t)
            };
            // Quoted words are every claim's that holds them (each claim
            // finds its quotation in its own text); a cue is its innermost
            // claim's.
            let spans_of = |class: Class| -> Vec<Span> {
                let mut spans: Vec<Span> = (self.bounds.values())
                    .filter(|b| b.kind == class && inside(b.spans[0]))
                    .filter(|b| class == Class::Quoted || innermost(b.spans[0]))
                    .map(|b| Span {
                        start: b.spans[0].0,
                        end: b.spans[0].1,
                        text: slice(b.spans[0]),
                    })
                    .collect();
                spans.sort_by_key(|s| (s.start, s.end));
                spans.dedup();
                spans
            };
            let (sources, via) = self.claim_sources(t, &ids);
            let stances = (self.stances.iter())
                .filter(|(from, _, _)| from == *t)
                .map(|(_, kind, target)| (*kind, labels[target.as_str()].clone()))
                .collect();
            // A tool that says nothing of a quotation leaves it to the
            // quotation marks, as Newsmark reads them.
            let (quote, fragments) = match (self.quote.get(*t), spans_of(Class::Quoted)) {
                (None, fragments) if fragments.is_empty() && bound.spans.len() == 1 => {
                    read_quotation(&chars, (start, end))
                }
                (quote, fragments) => (quote.copied().unwrap_or(QuoteKind::None), fragments),
            };
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
            if let Some((_, line)) = self.hedged.iter().find(|(c, _)| c == *t)
                && claim.hedges.is_empty()
            {
                findings.push((
                    *line,
                    format!("Hedged on {t}"),
                    "a claim is hedged by its marked words (`~[…]`), and it has none",
                ));
            }
            if let Some((_, line)) = self.unsourced.iter().find(|(c, _)| c == *t)
                && !claim.sources.is_empty()
            {
                findings.push((*line, format!("Unsourced on {t}"), "the claim has sources"));
            }
            claims.push((claim, bound.line));
        }
        for (_, b) in self.bounds.iter() {
            if matches!(b.kind, Class::Hedge | Class::Quoted)
                && !claim_ts.iter().any(|t| {
                    self.bounds[*t]
                        .spans
                        .iter()
                        .any(|&(s, e)| s <= b.spans[0].0 && b.spans[0].1 <= e)
                })
            {
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
            file: self.file.to_owned(),
            line,
        };
        let (mentions, mention_lines): (Vec<_>, Vec<_>) = mentions.into_iter().unzip();
        let (claims, claim_lines): (Vec<_>, Vec<_>) = claims.into_iter().unzip();
        Article {
            path,
            front_matter: std::mem::take(&mut self.front_matter),
            document: PlainDocument {
                text: std::mem::take(&mut self.text),
                mentions,
                claims,
                ..PlainDocument::default()
            },
            mention_origins: mention_lines.into_iter().map(origin).collect(),
            claim_origins: claim_lines.into_iter().map(origin).collect(),
            text_origin: origin(0),
        }
    }

    /// A claim's sources with their chains: from its note when it has one,
    /// else from its source relations and their `via` chains.
    fn claim_sources(
        &self,
        claim: &str,
        ids: &HashMap<String, String>,
    ) -> (Vec<String>, Vec<Vec<String>>) {
        if let Some((Some(sources), _)) = self.notes.get(claim) {
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

    /// Each mention's entity id: the one the tool keeps, else the source a
    /// claim's note names for it,
    /// else shared with mentions of the same Wikidata id, else a slug of
    /// its name or text.
    fn mention_ids(&self, entities: &mut Entities, chars: &[char]) -> HashMap<String, String> {
        let mut ids: HashMap<String, String> = self.ids.clone();
        let noted = (self.notes.iter())
            .filter_map(|(claim, (sources, _))| Some((claim, sources.as_ref()?)));
        for (claim, sources) in noted {
            let mut unused: Vec<&(String, Vec<String>)> = sources.iter().collect();
            for (_, mention) in self.sources.iter().filter(|(c, _)| c == claim) {
                let text = self.mention_text(mention, chars);
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
            let id = match ids.get(t) {
                Some(id) => id.clone(),
                None => match wikidata.and_then(|(q, _)| by_wikidata.get(q.as_str())) {
                    Some(id) => id.clone(),
                    None => {
                        let name = wikidata
                            .map_or_else(|| self.mention_text(t, chars), |(_, n)| n.clone());
                        let next = chars.get(bound.spans[0].1).copied();
                        let id = entities.slug_for(&name, kind.as_deref(), next);
                        if let Some((q, _)) = wikidata {
                            by_wikidata.insert(q, id.clone());
                        }
                        id
                    }
                },
            };
            let name = wikidata.map_or_else(|| self.mention_text(t, chars), |(_, n)| n.clone());
            entities.define(&id, name, kind.clone(), wikidata.map(|(q, _)| q.clone()));
            ids.insert(t.clone(), id);
        }
        // Sources and conduits that no mention names still need defining.
        for (sources, _) in self.notes.values() {
            for (source, chain) in sources.iter().flatten() {
                for id in std::iter::once(source).chain(chain) {
                    entities.define(id, id.clone(), None, None);
                }
            }
        }
        ids
    }

    fn mention_text(&self, t: &str, chars: &[char]) -> String {
        let (s, e) = self.bounds[t].spans[0];
        chars[s..e].iter().collect()
    }
}

/// The entities of the whole import, by id.
#[derive(Debug, Default)]
pub struct Entities {
    list: Vec<ResolvedEntity>,
    index: HashMap<String, usize>,
    /// The id given to each name and kind.
    slugs: HashMap<(String, Option<String>), String>,
}

impl Entities {
    /// Every entity, sorted by id.
    pub fn into_list(mut self) -> Vec<ResolvedEntity> {
        self.list.sort_by(|a, b| a.id.cmp(&b.id));
        self.list
    }

    /// The id of an entity named `name`: a slug of it, unless that would
    /// read on into the character after the mention (`next`) or belongs
    /// to an entity of another kind.
    fn slug_for(&mut self, name: &str, kind: Option<&str>, next: Option<char>) -> String {
        let key = (name.to_owned(), kind.map(str::to_owned));
        if let Some(id) = self.slugs.get(&key) {
            return id.clone();
        }
        let mut id = slug(name);
        let runs_on = next.is_some_and(|c| is_id_char(c) && is_valid_id(&format!("{id}{c}")));
        if !is_valid_id(&id) || runs_on {
            id = format!("entity-{}", self.slugs.len() + 1);
        }
        let taken = |id: &str| {
            self.index
                .get(id)
                .is_some_and(|&i| self.list[i].kind.as_deref() != kind)
                || self.slugs.values().any(|v| v == id)
        };
        if taken(&id) {
            let base = id.clone();
            id = (2..)
                .map(|n| format!("{base}-{n}"))
                .find(|c| !taken(c))
                .unwrap_or(base);
        }
        self.slugs.insert(key, id.clone());
        id
    }

    fn define(&mut self, id: &str, name: String, kind: Option<String>, wikidata: Option<String>) {
        match self.index.get(id) {
            Some(&i) => {
                let entity = &mut self.list[i];
                entity.kind = entity.kind.take().or(kind);
                entity.wikidata = entity.wikidata.take().or(wikidata);
            }
            None => {
                self.index.insert(id.to_owned(), self.list.len());
                self.list.push(ResolvedEntity {
                    id: id.to_owned(),
                    name: Some(name),
                    kind,
                    role: None,
                    member_of: Vec::new(),
                    aliases: Vec::new(),
                    wikidata,
                });
            }
        }
    }
}

/// An id made of a name: lowercase letters and digits, `-` between words.
fn slug(name: &str) -> String {
    let mut id = String::new();
    for c in normalized_id(&name.to_lowercase()).chars() {
        if c.is_alphanumeric() {
            id.push(c);
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    id.trim_end_matches('-').to_owned()
}

/// The quote kind and quoted words that the quotation marks of the claim
/// over characters `start..end` of the laid-out `chars` give.
fn read_quotation(chars: &[char], (start, end): (usize, usize)) -> (QuoteKind, Vec<Span>) {
    let paragraph = chars[..start]
        .iter()
        .rposition(|&c| c == '\n')
        .map_or(0, |at| at + 1);
    let before: String = chars[paragraph..start].iter().collect();
    let text: String = chars[start..end].iter().collect();
    let quotation = quotation(&text, &before);
    let at = |byte: usize| start + text[..byte].chars().count();
    let fragments = (quotation.fragments.iter())
        .map(|range| Span {
            start: at(range.start),
            end: at(range.end),
            text: text[range.clone()].to_owned(),
        })
        .collect();
    (quotation.kind, fragments)
}

/// A claim's sources with their chains (when the tool keeps them), and
/// its label.
pub type ClaimNote = (Option<Vec<(String, Vec<String>)>>, Option<String>);

/// Sources as Newsmark writes them: `@jon via @kcna, @us`.
pub fn parse_sources(text: &str) -> Option<Vec<(String, Vec<String>)>> {
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
