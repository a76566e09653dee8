//! `--from brat`: a folder of brat standoff files (`.txt` and `.ann`
//! pairs, in any subfolder). Offsets count characters (code points) of the
//! `.txt` file as it is, line breaks (`\r\n` is two) included.
//!
//! Read through the [`Mapping`], whose default reads what `newsmark export
//! --format brat` writes: entity kinds (and `Entity`) as mentions,
//! `Claim`, `HedgeCue`, `Quoted`; `AttributedTo`, `Via`, `Denies`,
//! `Confirms`, `Disputes` relations; and, of brat's own lines, `Quote`,
//! `Hedged`, `Unsourced` attributes, the claim notes (`sources: @jon via
//! @kcna; label: #x`) and `Wikidata` normalisations. Everything else is a
//! finding.

use std::fs;
use std::path::Path;

use super::entities::Entities;
use super::mapping::{Class, Mapping};
use super::standoff::Standoff;
use super::{Finding, Imported, Origin, files_below, relative, shown};

/// Reads every `.ann` file below `folder` with its `.txt`.
pub fn read(folder: &Path, mapping: &Mapping) -> anyhow::Result<Imported> {
    if !fs::metadata(folder).is_ok_and(|m| m.is_dir()) {
        anyhow::bail!("{} is not a folder of brat files", folder.display());
    }
    let mut imported = Imported::default();
    let mut entities = Entities::default();
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
        let mut document = Standoff::new(&ann, &text, mapping);
        read_ann(&mut document, &ann_text);
        let path = relative(folder, &ann);
        let stem = path.strip_suffix(".ann").unwrap_or(&path);
        let (article, mut findings) = document.finish(&mut entities, format!("{stem}.nmk"));
        imported.findings.append(&mut findings);
        imported.articles.push(article);
    }
    let conf = folder.join("annotation.conf");
    if conf.is_file() {
        imported.inputs.push(conf);
    }
    imported.entities = entities.into_sorted();
    Ok(imported)
}

fn read_ann(document: &mut Standoff, ann: &str) {
    for (index, line) in ann.lines().enumerate() {
        let number = index + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let mut fields = line.splitn(3, '\t');
        let id = fields.next().unwrap_or_default();
        let body = fields.next().unwrap_or_default();
        let rest = fields.next().unwrap_or_default();
        let words: Vec<&str> = body.split_whitespace().collect();
        let short: String = line.chars().take(60).collect();
        match id.chars().next() {
            Some('T') => text_bound(document, number, id, body, rest),
            Some('R') => relation(document, number, id, &words),
            Some('A' | 'M') => attribute(document, number, id, &words),
            Some('#') => note(document, number, &words, rest),
            Some('N') => normalization(document, number, id, &words, rest),
            Some('E') => document.report(
                number,
                &format!("event {id}"),
                "events have no Newsmark meaning",
            ),
            Some('*') => document.report(
                number,
                &format!("equivalence {body}"),
                "equivalence relations have no Newsmark meaning",
            ),
            _ => document.report(number, "line", format!("unreadable brat line `{short}`")),
        }
    }
}

/// `T1\tClaim 0 5;7 9\ttext`: a span, discontinuous when it has `;`.
fn text_bound(document: &mut Standoff, line: usize, id: &str, body: &str, text: &str) {
    let Some((label, offsets)) = body.split_once(' ') else {
        return document.report(line, id, "no type and offsets");
    };
    let spans: Option<Vec<(usize, usize)>> = (offsets.split(';'))
        .map(|span| {
            let (start, end) = span.split_once(' ')?;
            Some((start.parse().ok()?, end.parse().ok()?))
        })
        .collect();
    match spans {
        Some(spans) => {
            let what = format!("{id} ({})", shown(label));
            document.span(line, &what, id, label, &spans, Some(text))
        }
        None => document.report(line, id, format!("bad offsets `{offsets}`")),
    }
}

/// `R1\tAttributedTo Arg1:T2 Arg2:T1`.
fn relation(document: &mut Standoff, line: usize, id: &str, words: &[&str]) {
    let arg = |n: usize| {
        (words.get(n))
            .and_then(|w| w.split_once(':'))
            .map_or("", |(_, target)| target)
    };
    let label = words.first().copied().unwrap_or_default();
    document.relation(line, &format!("{id} ({label})"), label, arg(1), arg(2));
}

/// `A1\tQuote T2 direct`, `A2\tHedged T2`, `A3\tUnsourced T2`.
fn attribute(document: &mut Standoff, line: usize, id: &str, words: &[&str]) {
    let (name, target) = (words.first().copied().unwrap_or_default(), words.get(1));
    let what = format!("{id} ({})", words.join(" "));
    let Some(&target) = target.filter(|t| document.class_of(t) == Some(&Class::Claim)) else {
        return document.report(line, &what, "attributes are read only on claims");
    };
    match (name, words.get(2).copied()) {
        ("Quote", Some(word)) => document.quote(line, &what, target, word),
        ("Hedged", None) => document.hedged(line, target),
        ("Unsourced", None) => document.unsourced(line, target),
        _ => document.report(line, &what, "the attribute has no Newsmark meaning"),
    }
}

/// `#1\tAnnotatorNotes T2\tsources: @jon via @kcna; label: #x` on a claim,
/// `#2\tAnnotatorNotes T1\t@lavrov` (its entity id) on a mention.
fn note(document: &mut Standoff, line: usize, words: &[&str], text: &str) {
    let target = words.get(1).copied().unwrap_or_default();
    let what = format!("note on {target}");
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
            &format!("{id} ({})", words.join(" ")),
            "only Wikidata ids of mentions are kept (`wikidata:`)",
        ),
    }
}
