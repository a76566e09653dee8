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

use std::fs;
use std::ops::{Deref, DerefMut};
use std::path::Path;

use newsmark_syntax::QuoteKind;

use super::mapping::{Class, Mapping};
use super::standoff::{ClaimNote, Entities, Standoff, files_below, parse_sources};
use super::{Finding, Imported, Origin, relative};

/// Reads every `.ann` file below `folder` with its `.txt`.
pub fn read(folder: &Path, mapping: &Mapping) -> anyhow::Result<Imported> {
    if !fs::metadata(folder).is_ok_and(|m| m.is_dir()) {
        anyhow::bail!("{} is not a folder of brat files", folder.display());
    }
    let mut imported = Imported::default();
    let mut entities = Entities::default();
    for ann in files_below(folder, "ann") {
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
        let mut document = Document(Standoff::new(&ann, &text, mapping));
        document.read(&ann_text);
        let path = relative(folder, &ann);
        let stem = path.strip_suffix(".ann").unwrap_or(&path);
        let article = document.finish(&mut entities, format!("{stem}.nmk"));
        imported.findings.append(&mut document.findings);
        imported.articles.push(article);
    }
    let conf = folder.join("annotation.conf");
    if conf.is_file() {
        imported.inputs.push(conf);
    }
    imported.entities = entities.into_list();
    Ok(imported)
}

/// One `.ann` file being read into its standoff document.
struct Document<'a>(Standoff<'a>);

impl<'a> Deref for Document<'a> {
    type Target = Standoff<'a>;

    fn deref(&self) -> &Standoff<'a> {
        &self.0
    }
}

impl DerefMut for Document<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl<'a> Document<'a> {
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
        self.add_bound(id.to_owned(), class, spans, line);
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
        let role = self.mapping.role(kind);
        self.relate(line, &what, role, from, to);
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
}

/// A claim note as the brat export writes it:
/// `sources: @jon via @kcna, @us; label: #talks`.
fn claim_note(text: &str) -> Option<ClaimNote> {
    let (sources, label) = match text.split_once("; label: #") {
        Some((sources, label)) => (sources, Some(label.trim().to_owned())),
        None => (text, None),
    };
    let sources = parse_sources(sources.strip_prefix("sources: ")?)?;
    Some((Some(sources), label))
}
