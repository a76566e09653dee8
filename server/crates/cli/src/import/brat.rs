//! `--from brat`: a folder of brat standoff files (`.txt` and `.ann`
//! pairs, in any subfolder). Offsets count characters (code points) of the
//! `.txt` file as it is, line breaks (`\r\n` is two) included; the text is
//! laid out as an export lays it out (`plain_layout`) and every offset
//! moved with it.
//!
//! The default [`Mapping`] reads what `newsmark export --format brat`
//! writes: entity kinds (and `Entity`) as mentions, `Claim`, `HedgeCue`,
//! `Quoted`; `AttributedTo`, `Via`, `Denies`, `Confirms`, `Disputes`
//! relations; `Quote`, `Hedged`, `Unsourced` attributes; the claim notes
//! (`sources: @jon via @kcna; label: #x`), and `Wikidata` normalisations.
//! Everything else is a finding.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use newsmark_analysis::export::{ClaimSpan, MentionSpan, PlainDocument, ResolvedEntity, Span};
use newsmark_analysis::markup_writer::plain_layout;
use newsmark_syntax::{QuoteKind, StanceKind, is_id_char, is_valid_id, normalized_id};

use super::mapping::{Class, Mapping, Role};
use super::{Article, Finding, Imported, Origin, relative};

/// Reads every `.ann` file below `folder` with its `.txt`.
pub fn read(folder: &Path, mapping: &Mapping) -> anyhow::Result<Imported> {
    if !fs::metadata(folder).is_ok_and(|m| m.is_dir()) {
        anyhow::bail!("{} is not a folder of brat files", folder.display());
    }
    let mut imported = Imported::default();
    let mut entities = Entities::default();
    for ann in ann_files(folder) {
        let txt = ann.with_extension("txt");
        let file = |line| Origin {
            file: ann.clone(),
            line,
        };
        let texts = (fs::read(&ann), fs::read(&txt));
        let (Ok(ann_bytes), Ok(txt_bytes)) = texts else {
            imported.findings.push(Finding {
                origin: file(0),
                what: "document".into(),
                why: "it or its .txt cannot be read".into(),
            });
            continue;
        };
        let (Ok(ann_text), Ok(text)) = (String::from_utf8(ann_bytes), String::from_utf8(txt_bytes))
        else {
            imported.findings.push(Finding {
                origin: file(0),
                what: "document".into(),
                why: "it or its .txt is not UTF-8".into(),
            });
            continue;
        };
        imported.inputs.push(ann.clone());
        imported.inputs.push(txt.clone());
        let mut document = Document::new(&ann, &text, mapping);
        document.read(&ann_text);
        let article = document.finish(&mut entities, relative(folder, &ann));
        imported.findings.append(&mut document.findings);
        imported.articles.push(article);
    }
    let conf = folder.join("annotation.conf");
    if conf.is_file() {
        imported.inputs.push(conf);
    }
    imported.entities = entities.list;
    imported.entities.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(imported)
}

/// The `.ann` files below `folder`, sorted; links are not followed.
fn ann_files(folder: &Path) -> Vec<PathBuf> {
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
            } else if kind.is_file() && path.extension().is_some_and(|e| e == "ann") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// A text-bound annotation, in characters of the laid-out text.
#[derive(Debug, Clone)]
struct Bound {
    kind: Class,
    spans: Vec<(usize, usize)>,
    line: usize,
}

/// One brat document being read.
struct Document<'a> {
    ann: &'a Path,
    mapping: &'a Mapping,
    text: String,
    /// Characters of the `.txt` file, as brat counts them.
    original: Vec<char>,
    /// Where each of them went in `text`.
    map: Vec<usize>,
    bounds: BTreeMap<String, Bound>,
    sources: Vec<(String, String)>,
    via: HashMap<String, String>,
    stances: Vec<(String, StanceKind, String)>,
    quote: HashMap<String, QuoteKind>,
    /// Claims a `Hedged` or `Unsourced` attribute is on, with its line.
    hedged: Vec<(String, usize)>,
    unsourced: Vec<(String, usize)>,
    /// `sources: ...; label: ...` notes, by claim.
    notes: HashMap<String, ClaimNote>,
    /// `Wikidata` ids and the name given with them, by mention.
    wikidata: HashMap<String, (String, String)>,
    findings: Vec<Finding>,
}

impl<'a> Document<'a> {
    fn new(ann: &'a Path, text: &str, mapping: &'a Mapping) -> Self {
        let (laid_out, map) = plain_layout(text);
        Document {
            ann,
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
            findings: Vec::new(),
        }
    }

    fn report(&mut self, line: usize, what: &str, why: impl Into<String>) {
        self.findings.push(Finding {
            origin: Origin {
                file: self.ann.to_owned(),
                line,
            },
            what: what.into(),
            why: why.into(),
        });
    }

    fn read(&mut self, ann: &str) {
        for (index, line) in ann.lines().enumerate() {
            let number = index + 1;
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() {
                continue;
            }
            let mut fields = line.splitn(3, '\t');
            let id = fields.next().unwrap_or_default();
            let body = fields.next().unwrap_or_default();
            let rest = fields.next();
            let words: Vec<&str> = body.split_whitespace().collect();
            let short: String = line.chars().take(60).collect();
            match id.chars().next() {
                Some('T') => self.text_bound(number, id, body, rest.unwrap_or_default()),
                Some('R') => self.relation(number, id, &words),
                Some('A' | 'M') => self.attribute(number, id, &words),
                Some('#') => self.note(number, &words, rest.unwrap_or_default()),
                Some('N') => self.normalization(number, id, &words, rest.unwrap_or_default()),
                Some('E') => self.report(
                    number,
                    &format!("event {id}"),
                    "events have no Newsmark meaning",
                ),
                Some('*') => self.report(
                    number,
                    &format!("equivalence {body}"),
                    "equivalence relations have no Newsmark meaning",
                ),
                _ => self.report(number, "line", format!("unreadable brat line `{short}`")),
            }
        }
    }

    fn text_bound(&mut self, line: usize, id: &str, body: &str, text: &str) {
        let what = id.to_owned();
        let Some((kind, offsets)) = body.split_once(' ') else {
            return self.report(line, &what, "no type and offsets");
        };
        let mut spans = Vec::new();
        for span in offsets.split(';') {
            let numbers: Vec<Option<usize>> = span.split(' ').map(|n| n.parse().ok()).collect();
            match numbers[..] {
                [Some(start), Some(end)] if start <= end && end <= self.original.len() => {
                    spans.push((start, end))
                }
                _ => return self.report(line, &what, format!("bad offsets `{offsets}`")),
            }
        }
        let at_offsets: Vec<String> = (spans.iter())
            .map(|&(s, e)| self.original[s..e].iter().collect())
            .collect();
        if at_offsets.join(" ") != text {
            return self.report(
                line,
                &what,
                format!("its text `{text}` is not the text at its offsets"),
            );
        }
        let Some(class) = self.mapping.class(kind) else {
            return self.report(
                line,
                &format!("{id} ({kind})"),
                "the type has no Newsmark meaning in the mapping",
            );
        };
        if spans.len() > 1 && class != Class::Claim {
            return self.report(
                line,
                &format!("{id} ({kind})"),
                "only a claim (a split quote) may have a discontinuous span",
            );
        }
        let spans = spans
            .into_iter()
            .map(|(s, e)| (self.map[s], self.map[e]))
            .collect();
        self.bounds.insert(
            id.to_owned(),
            Bound {
                kind: class,
                spans,
                line,
            },
        );
    }

    /// The text-bound annotations in the order of their lines (of a
    /// mention of two entities, the first id's first).
    fn in_order(&self) -> Vec<(&String, &Bound)> {
        let mut bounds: Vec<_> = self.bounds.iter().collect();
        bounds.sort_by_key(|(_, b)| b.line);
        bounds
    }

    fn class_of(&self, id: &str) -> Option<&Class> {
        self.bounds.get(id).map(|b| &b.kind)
    }

    fn relation(&mut self, line: usize, id: &str, words: &[&str]) {
        let arg = |n: usize| {
            words
                .get(n)
                .and_then(|w| w.split_once(':'))
                .map(|(_, target)| target.to_owned())
                .unwrap_or_default()
        };
        let (kind, from, to) = (words.first().copied().unwrap_or_default(), arg(1), arg(2));
        let what = format!("{id} ({kind})");
        let is_claim = |d: &Self, t: &str| d.class_of(t) == Some(&Class::Claim);
        let is_mention = |d: &Self, t: &str| matches!(d.class_of(t), Some(Class::Mention(_)));
        let role = self.mapping.role(kind);
        match (role, role.and_then(Role::stance)) {
            (Some(Role::Source), _) if is_claim(self, &from) && is_mention(self, &to) => {
                self.sources.push((from, to))
            }
            (Some(Role::Via), _) if is_mention(self, &from) && is_mention(self, &to) => {
                self.via.insert(from, to);
            }
            (Some(Role::Part), _) => self.report(
                line,
                &what,
                "a split quote is one Claim with a discontinuous span in brat",
            ),
            (_, Some(stance)) if is_claim(self, &from) && is_claim(self, &to) => {
                self.stances.push((from, stance, to))
            }
            (Some(_), _) => self.report(line, &what, "its arguments are not of the types it needs"),
            (None, _) => self.report(line, &what, "the relation has no Newsmark meaning"),
        }
    }

    fn attribute(&mut self, line: usize, id: &str, words: &[&str]) {
        let (name, target) = (words.first().copied().unwrap_or_default(), words.get(1));
        let what = format!("{id} ({})", words.join(" "));
        let Some(target) = target.filter(|t| self.class_of(t) == Some(&Class::Claim)) else {
            return self.report(line, &what, "attributes are read only on claims");
        };
        let target = target.to_string();
        match (name, words.get(2).copied()) {
            ("Quote", Some("direct")) => drop(self.quote.insert(target, QuoteKind::Direct)),
            ("Quote", Some("partial")) => drop(self.quote.insert(target, QuoteKind::Partial)),
            ("Hedged", None) => self.hedged.push((target, line)),
            ("Unsourced", None) => self.unsourced.push((target, line)),
            _ => self.report(line, &what, "the attribute has no Newsmark meaning"),
        }
    }

    fn note(&mut self, line: usize, words: &[&str], text: &str) {
        let target = words.get(1).copied().unwrap_or_default();
        let what = format!("note on {target}");
        let parsed = (words.first() == Some(&"AnnotatorNotes")
            && self.class_of(target) == Some(&Class::Claim))
        .then(|| claim_note(text))
        .flatten();
        match parsed {
            Some(note) => drop(self.notes.insert(target.to_owned(), note)),
            None => self.report(
                line,
                &what,
                format!("free notes have no place in Newsmark: `{text}`"),
            ),
        }
    }

    fn normalization(&mut self, line: usize, id: &str, words: &[&str], name: &str) {
        let target = words.get(1).copied().unwrap_or_default();
        let reference = words.get(2).and_then(|r| r.split_once(':'));
        match reference {
            Some((db, q))
                if db.eq_ignore_ascii_case("wikidata")
                    && matches!(self.class_of(target), Some(Class::Mention(_))) =>
            {
                self.wikidata
                    .insert(target.to_owned(), (q.to_owned(), name.to_owned()));
            }
            _ => self.report(
                line,
                &format!("{id} ({})", words.join(" ")),
                "only Wikidata ids of mentions are kept (`wikidata:`)",
            ),
        }
    }

    /// The article, its entities added to `entities`.
    fn finish(&mut self, entities: &mut Entities, path: String) -> Article {
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
            let claim = ClaimSpan {
                start,
                end,
                text: slice((start, end)),
                sources,
                via,
                label: labels.get(t.as_str()).cloned(),
                stances,
                hedges: spans_of(Class::Hedge),
                quote: self.quote.get(*t).copied().unwrap_or(QuoteKind::None),
                fragments: spans_of(Class::Quoted),
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
            file: self.ann.to_owned(),
            line,
        };
        let (mentions, mention_lines): (Vec<_>, Vec<_>) = mentions.into_iter().unzip();
        let (claims, claim_lines): (Vec<_>, Vec<_>) = claims.into_iter().unzip();
        let stem = path.strip_suffix(".ann").unwrap_or(&path);
        Article {
            path: format!("{stem}.nmk"),
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
        }
    }

    /// A claim's sources with their chains: from its note when it has one,
    /// else from its source relations and their `via` chains.
    fn claim_sources(
        &self,
        claim: &str,
        ids: &HashMap<String, String>,
    ) -> (Vec<String>, Vec<Vec<String>>) {
        if let Some((sources, _)) = self.notes.get(claim) {
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

    /// Each mention's entity id: the source a claim's note names for it,
    /// else shared with mentions of the same Wikidata id, else a slug of
    /// its name or text.
    fn mention_ids(&self, entities: &mut Entities, chars: &[char]) -> HashMap<String, String> {
        let mut ids: HashMap<String, String> = HashMap::new();
        for (claim, (sources, _)) in &self.notes {
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
            for (source, chain) in sources {
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
struct Entities {
    list: Vec<ResolvedEntity>,
    index: HashMap<String, usize>,
    /// The id given to each name and kind.
    slugs: HashMap<(String, Option<String>), String>,
}

impl Entities {
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

/// A claim's sources with their chains, and its label.
type ClaimNote = (Vec<(String, Vec<String>)>, Option<String>);

/// A claim note as the brat export writes it:
/// `sources: @jon via @kcna, @us; label: #talks`.
fn claim_note(text: &str) -> Option<ClaimNote> {
    let (sources, label) = match text.split_once("; label: #") {
        Some((sources, label)) => (sources, Some(label.trim().to_owned())),
        None => (text, None),
    };
    let sources = sources.strip_prefix("sources: ")?;
    let sources = (sources.split(", ").filter(|s| !s.is_empty()))
        .map(|source| {
            let mut ids = source.split(" via ").map(|id| id.trim().strip_prefix('@'));
            let first = ids.next()??.to_owned();
            let chain = ids
                .map(|id| id.map(str::to_owned))
                .collect::<Option<Vec<_>>>()?;
            Some((first, chain))
        })
        .collect::<Option<Vec<_>>>()?;
    Some((sources, label))
}
