//! `--from brat`: a folder of brat standoff files (`.txt` and `.ann`
//! pairs, in any subfolder). Offsets count characters (code points) of the
//! `.txt` file as it is, line breaks (`\r\n` is two) included.
//!
//! Read through the [`Mapping`], whose default reads what `newsmark export
//! --format brat` writes: entity kinds (and `Entity`) as mentions,
//! `Claim`, `HedgeCue`, `Quoted`; `AttributedTo`, `Via`, `Denies`,
//! `Confirms`, `Disputes` relations; and, of brat's own lines, `Quote`,
//! `Hedged`, `Unsourced` attributes, the claim notes (`sources: @jon via
//! @kcna; label: #x`) and `Wikidata` normalisations. Events whose type the
//! mapping names (`Statement`, `Denial`, …) link their arguments as
//! relations do; equivalences (`*`) give mentions one entity. Each `.ann`
//! is checked against the nearest `annotation.conf` above it, which also
//! gives the types the mapping does not name a meaning
//! ([`AnnotationConf::extend`]). Everything else is a finding.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use super::annotation_conf::AnnotationConf;
use super::entities::Entities;
use super::mapping::{Argument, Class, Mapping, Role};
use super::standoff::Standoff;
use super::{Finding, Imported, Origin, files_below, relative, shown};

/// Reads every `.ann` file below `folder` with its `.txt`.
pub fn read(folder: &Path, mapping: &Mapping) -> anyhow::Result<Imported> {
    if !fs::metadata(folder).is_ok_and(|m| m.is_dir()) {
        anyhow::bail!("{} is not a folder of brat files", folder.display());
    }
    let mut imported = Imported::default();
    let mut entities = Entities::default();
    // Each conf read, with the mapping it extends.
    let mut confs: HashMap<PathBuf, (Option<AnnotationConf>, Mapping)> = HashMap::new();
    let no_conf = (None, mapping.clone());
    for ann in files_below(folder, "ann") {
        let txt = ann.with_extension("txt");
        let unread = |why: &str| Finding {
            origin: Origin {
                file: ann.clone(),
                line: 0,
            },
            what: "document".into(),
            why: why.into(),
        };
        let (Ok(ann_bytes), Ok(txt_bytes)) = (fs::read(&ann), fs::read(&txt)) else {
            imported
                .findings
                .push(unread("it or its .txt cannot be read"));
            continue;
        };
        let (Ok(ann_text), Ok(text)) = (String::from_utf8(ann_bytes), String::from_utf8(txt_bytes))
        else {
            imported
                .findings
                .push(unread("it or its .txt is not UTF-8"));
            continue;
        };
        imported.inputs.push(ann.clone());
        imported.inputs.push(txt);
        let (conf, mapping) = match nearest_conf(folder, &ann) {
            Some(file) => &*confs.entry(file.clone()).or_insert_with(|| {
                let (conf, mut findings) = AnnotationConf::read(&file);
                imported.findings.append(&mut findings);
                let extended = conf.as_ref().map(|c| c.extend(mapping));
                (conf, extended.unwrap_or_else(|| mapping.clone()))
            }),
            None => &no_conf,
        };
        let mut document = Standoff::new(&ann, &text, mapping);
        read_ann(&mut document, &ann_text, mapping, conf.as_ref());
        let path = relative(folder, &ann);
        let stem = path.strip_suffix(".ann").unwrap_or(&path);
        let (article, mut findings) = document.finish(&mut entities, format!("{stem}.nmk"));
        imported.findings.append(&mut findings);
        imported.articles.push(article);
    }
    // The confs (annotation, tools, visual) are inputs too.
    imported.inputs.extend(files_below(folder, "conf"));
    imported.entities = entities.into_sorted();
    Ok(imported)
}

/// The `annotation.conf` that applies to `ann`, as brat finds it: in its
/// folder, else in the nearest folder above it, up to `root`. A link is
/// found too (and the search stops there), to be reported, not followed.
fn nearest_conf(root: &Path, ann: &Path) -> Option<PathBuf> {
    (ann.ancestors().skip(1))
        .take_while(|dir| dir.starts_with(root))
        .map(|dir| dir.join("annotation.conf"))
        .find(|conf| fs::symlink_metadata(conf).is_ok_and(|m| m.is_file() || m.is_symlink()))
}

/// A line of an `.ann` file: `ID\tBODY\tTEXT`.
struct Line<'a> {
    raw: &'a str,
    number: usize,
    id: &'a str,
    body: &'a str,
    text: &'a str,
    words: Vec<&'a str>,
}

/// An event trigger: its type and text.
struct Trigger {
    label: String,
    text: String,
}

fn read_ann(document: &mut Standoff, ann: &str, mapping: &Mapping, conf: Option<&AnnotationConf>) {
    let lines: Vec<Line> = (ann.lines().enumerate())
        .map(|(index, raw)| {
            let raw = raw.trim_end_matches('\r');
            let mut fields = raw.splitn(3, '\t');
            let (id, body) = (
                fields.next().unwrap_or_default(),
                fields.next().unwrap_or_default(),
            );
            Line {
                raw,
                number: index + 1,
                id,
                body,
                text: fields.next().unwrap_or_default(),
                words: body.split_whitespace().collect(),
            }
        })
        .filter(|line| !line.raw.trim().is_empty())
        .collect();
    // Event triggers: the spans that events name (`E1\tSay:T3 …`), and
    // the spans of an event type of the conf.
    let trigger_ids: HashSet<&str> = (lines.iter())
        .filter(|line| line.id.starts_with('E'))
        .filter_map(|line| line.words.first()?.split_once(':').map(|(_, t)| t))
        .collect();
    let mut triggers: HashMap<String, (Trigger, usize)> = HashMap::new();
    // Spans first: the other lines point at them, before or after.
    for line in lines.iter().filter(|line| line.id.starts_with('T')) {
        let label = line.body.split(' ').next().unwrap_or_default();
        if let Some(why) = conf.and_then(|c| c.check_span(label)) {
            document.report(
                line.number,
                &format!("{} ({})", shown(line.id), shown(label)),
                why,
            );
        } else if trigger_ids.contains(line.id) || conf.is_some_and(|c| c.declares_event(label)) {
            let (number, id) = (line.number, line.id);
            let what = format!("{} ({})", shown(id), shown(label));
            match type_and_offsets(line.body) {
                Ok((_, spans)) if document.trigger(number, &what, id, &spans, line.text) => {
                    let trigger = Trigger {
                        label: label.to_owned(),
                        text: line.text.to_owned(),
                    };
                    triggers.insert(id.to_owned(), (trigger, number));
                }
                Ok(_) => {}
                Err(why) => document.report(number, &shown(id), why),
            }
        } else {
            text_bound(document, line.number, line.id, line.body, line.text);
        }
    }
    let mut used = HashSet::new();
    for line in lines.iter().filter(|line| !line.id.starts_with('T')) {
        let (number, id, words) = (line.number, line.id, &line.words);
        let label = words.first().copied().unwrap_or_default();
        // A line that breaks the conf is reported, not read.
        let breaks = |why: Option<String>, document: &mut Standoff, what: &str| match why {
            Some(why) => {
                document.report(number, what, why);
                true
            }
            None => false,
        };
        match id.chars().next() {
            Some('R') => {
                let what = format!("{} ({})", shown(id), shown(label));
                if !breaks(conf.and_then(|c| c.check_relation(label)), document, &what) {
                    relation(document, number, &what, words);
                }
            }
            Some('A' | 'M') => {
                let what = format!("{} ({})", shown(id), shown(&words.join(" ")));
                let why = conf.and_then(|c| c.check_attribute(label, words.get(2).copied()));
                if !breaks(why, document, &what) {
                    attribute(document, number, &what, words);
                }
            }
            Some('#') => note(document, number, words, line.text),
            Some('N') => normalization(document, number, id, words, line.text),
            Some('E') => {
                let event = Event {
                    line: number,
                    id,
                    words,
                };
                event.read(document, mapping, conf, &triggers, &mut used);
            }
            Some('*') => {
                let what = format!("equivalence {}", shown(line.body));
                if words.len() < 3 {
                    document.report(number, &what, "it needs a type and two ids or more");
                } else if !breaks(conf.and_then(|c| c.check_relation(label)), document, &what) {
                    document.same_entity(number, &what, &words[1..]);
                }
            }
            _ => {
                let short = shown(line.raw);
                document.report(number, "line", format!("unreadable brat line `{short}`"))
            }
        }
    }
    let mut unused: Vec<_> = (triggers.iter())
        .filter(|(t, _)| !used.contains(t.as_str()))
        .collect();
    unused.sort_by_key(|(_, (_, line))| *line);
    for (t, (trigger, line)) in unused {
        let what = format!("{} ({})", shown(t), shown(&trigger.label));
        document.report(*line, &what, "an event trigger that no event uses");
    }
}

/// `T1\tClaim 0 5;7 9\ttext`: a span, discontinuous when it has `;`.
fn text_bound(document: &mut Standoff, line: usize, id: &str, body: &str, text: &str) {
    match type_and_offsets(body) {
        Ok((label, spans)) => {
            let what = format!("{} ({})", shown(id), shown(label));
            document.span(line, &what, id, label, &spans, Some(text))
        }
        Err(why) => document.report(line, &shown(id), why),
    }
}

/// The parts of a span (more than one: discontinuous), by offsets.
type Parts = Vec<(usize, usize)>;

/// `Claim 0 5;7 9`: the type and offsets of a span or trigger, or why
/// they cannot be read.
fn type_and_offsets(body: &str) -> Result<(&str, Parts), String> {
    let Some((label, offsets)) = body.split_once(' ') else {
        return Err("no type and offsets".into());
    };
    let spans: Option<Parts> = (offsets.split(';'))
        .map(|span| {
            let (start, end) = span.split_once(' ')?;
            Some((start.parse().ok()?, end.parse().ok()?))
        })
        .collect();
    (spans.map(|spans| (label, spans))).ok_or_else(|| format!("bad offsets `{}`", shown(offsets)))
}

/// `R1\tAttributedTo Arg1:T2 Arg2:T1`.
fn relation(document: &mut Standoff, line: usize, what: &str, words: &[&str]) {
    let arg = |n: usize| {
        (words.get(n))
            .and_then(|w| w.split_once(':'))
            .map_or("", |(_, target)| target)
    };
    let label = words.first().copied().unwrap_or_default();
    document.relation(line, what, label, arg(1), arg(2));
}

/// `A1\tQuote T2 direct`, `A2\tHedged T2`, `A3\tUnsourced T2`.
fn attribute(document: &mut Standoff, line: usize, what: &str, words: &[&str]) {
    let (name, target) = (words.first().copied().unwrap_or_default(), words.get(1));
    let Some(&target) = target.filter(|t| document.class_of(t) == Some(&Class::Claim)) else {
        return document.report(line, what, "attributes are read only on claims");
    };
    match (name, words.get(2).copied()) {
        ("Quote", Some(word)) => document.quote(line, what, target, word),
        ("Hedged", None) => document.hedged(line, target),
        ("Unsourced", None) => document.unsourced(line, target),
        _ => document.report(line, what, "the attribute has no Newsmark meaning"),
    }
}

/// `E1\tStatement:T3 Source:T1 Content:T2`: an event of a type, its
/// trigger, and its arguments by role.
struct Event<'a> {
    line: usize,
    id: &'a str,
    words: &'a [&'a str],
}

impl Event<'_> {
    /// Links its arguments as the mapping says: each claim to each source,
    /// each source on through its conduits, each claim's stance on each
    /// target. Its trigger (the words that report the speech) is lost:
    /// Newsmark has no mark for it.
    fn read(
        &self,
        document: &mut Standoff,
        mapping: &Mapping,
        conf: Option<&AnnotationConf>,
        triggers: &HashMap<String, (Trigger, usize)>,
        used: &mut HashSet<String>,
    ) {
        let line = self.line;
        let Some((kind, trigger)) = self.words.first().and_then(|w| w.split_once(':')) else {
            return document.report(
                line,
                &format!("event {}", shown(self.id)),
                "no type and trigger",
            );
        };
        let what = format!("{} ({})", shown(self.id), shown(kind));
        used.insert(trigger.to_owned());
        let Some((trigger, _)) = triggers.get(trigger) else {
            let why = format!("its trigger `{}` is no span that was read", shown(trigger));
            return document.report(line, &what, why);
        };
        let mut arguments = Vec::new();
        for word in &self.words[1..] {
            match word.split_once(':') {
                Some(argument) => arguments.push(argument),
                None => {
                    let why = format!("`{}` is no `Role:ID` argument", shown(word));
                    return document.report(line, &what, why);
                }
            }
        }
        let roles: Vec<&str> = arguments.iter().map(|(role, _)| *role).collect();
        if let Some(why) = conf.and_then(|c| c.check_event(kind, &roles)) {
            return document.report(line, &what, why);
        }
        let Some(meaning) = mapping.event(kind) else {
            let why = format!(
                "the event (its trigger `{}`) has no Newsmark meaning in the mapping",
                shown(&trigger.text)
            );
            return document.report(line, &what, why);
        };
        let of = |wanted: Argument| -> Vec<&(&str, &str)> {
            (arguments.iter())
                .filter(|(role, _)| meaning.argument(role) == Some(wanted))
                .collect()
        };
        let (sources, via, claims, targets) = (
            of(Argument::Source),
            of(Argument::Via),
            of(Argument::Claim),
            of(Argument::Target),
        );
        let stance = meaning.stance.filter(|_| !targets.is_empty());
        // An argument as findings name it: the event's, then `Role:ID`.
        let argument = |(role, target): &(&str, &str)| {
            format!("{what} {}", shown(&format!("{role}:{target}")))
        };
        for each in &arguments {
            let (role, _) = each;
            let meant = match meaning.argument(role) {
                Some(Argument::Target) => stance.is_some() && !claims.is_empty(),
                Some(Argument::Via) => !sources.is_empty() && !claims.is_empty(),
                Some(Argument::Source) => !claims.is_empty(),
                Some(Argument::Claim) => true,
                None => false,
            };
            if !meant {
                let why = match meaning.argument(role) {
                    None => "the role has no Newsmark meaning in the mapping",
                    Some(_) => "the event has no claim (or source) argument for it to belong to",
                };
                document.report(line, &argument(each), why);
            }
        }
        for claim in &claims {
            for source in &sources {
                document.link(line, &argument(source), Role::Source, claim.1, source.1);
            }
            if let Some(stance) = stance {
                for target in &targets {
                    document.link(line, &argument(target), stance, claim.1, target.1);
                }
            }
        }
        for source in sources.iter().filter(|_| !claims.is_empty()) {
            let mut from = source.1;
            for conduit in &via {
                document.link(line, &argument(conduit), Role::Via, from, conduit.1);
                from = conduit.1;
            }
        }
        let cue = format!("{what} trigger `{}`", shown(&trigger.text));
        document.report(
            line,
            &cue,
            "Newsmark has no mark for the words that report speech",
        );
    }
}

/// `#1\tAnnotatorNotes T2\tsources: @jon via @kcna; label: #x` on a claim,
/// `#2\tAnnotatorNotes T1\t@lavrov` (its entity id) on a mention.
fn note(document: &mut Standoff, line: usize, words: &[&str], text: &str) {
    let target = words.get(1).copied().unwrap_or_default();
    let what = format!("note on {}", shown(target));
    let notes = words.first() == Some(&"AnnotatorNotes");
    let read = match document.class_of(target) {
        Some(Class::Claim) if notes => document.note(target, text),
        Some(Class::Mention(_)) if notes => match text.strip_prefix('@') {
            Some(id) => {
                document.entity(line, &what, target, id);
                true
            }
            None => false,
        },
        _ => false,
    };
    if !read {
        document.report(
            line,
            &what,
            format!("free notes have no place in Newsmark: `{}`", shown(text)),
        );
    }
}

/// `N1\tReference T5 Wikidata:Q159\tRussia`.
fn normalization(document: &mut Standoff, line: usize, id: &str, words: &[&str], name: &str) {
    let target = words.get(1).copied().unwrap_or_default();
    match words.get(2).and_then(|r| r.split_once(':')) {
        Some((db, q))
            if db.eq_ignore_ascii_case("wikidata")
                && matches!(document.class_of(target), Some(Class::Mention(_))) =>
        {
            document.wikidata(target, q, name)
        }
        _ => document.report(
            line,
            &format!("{} ({})", shown(id), shown(&words.join(" "))),
            "only Wikidata ids of mentions are kept (`wikidata:`)",
        ),
    }
}
