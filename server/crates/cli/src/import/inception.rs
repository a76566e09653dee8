//! `--from inception`: a folder of UIMA CAS XMI files (`.xmi`, in any
//! subfolder, XML 1.0 or 1.1) with their type system, as INCEpTION exports
//! them (its "UIMA CAS XMI" formats; each document's zip unpacked) and as
//! `newsmark export --format inception` writes them. The type system file
//! is not needed: the XMI names each type through its namespace.
//!
//! The text is the sofa of the initial view; `begin` and `end` count its
//! UTF-16 code units (Java's), turned into characters; an offset between
//! the two halves of a surrogate pair or past the text is a finding. The
//! text is then laid out as an export lays it out, offsets moved with it.
//!
//! The initial view's annotations are read by their label, through the
//! mapping: a `NamedEntity`'s is its `value` (`Entity` when it has none);
//! another layer's is its name (`webanno.custom.Claim` is `Claim`), or, if
//! the mapping does not know it, its `label` feature (INCEpTION's basic
//! span and relation layers). A layer with `Governor` and `Dependent` is a
//! relation. Features read: a mention's `entity` (its id) and `identifier`
//! (a Wikidata IRI); a claim's `label`, `quote`, `hedged` and `sources`
//! (`@jon via @kcna, @us`: its sources even when no mention names them);
//! `webanno.custom.FrontMatter`'s `key` and `value`. Sentences, tokens and
//! document metadata are not read: the layout is Newsmark's own.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::Path;

use super::entities::Entities;
use super::mapping::{Class, Mapping};
use super::standoff::Standoff;
use super::xmi::{self, Cas, Structure};
use super::{Finding, Imported, Origin, files_below, relative, shown};
use crate::export::inception::{
    DEPENDENT, DOCUMENT_META_DATA, FRONT_MATTER, GOVERNOR, NAMED_ENTITY, SENTENCE, TOKEN,
};
use crate::export::utf16::Utf16;

/// How Wikidata items are written as identifiers.
const WIKIDATA: [&str; 4] = [
    "http://www.wikidata.org/entity/",
    "https://www.wikidata.org/entity/",
    "http://www.wikidata.org/wiki/",
    "https://www.wikidata.org/wiki/",
];

/// Layers that are the text's layout or its metadata, not marks.
const LAYOUT: [&str; 4] = [
    DOCUMENT_META_DATA,
    "uima.tcas.DocumentAnnotation",
    SENTENCE,
    TOKEN,
];

/// Reads every `.xmi` file below `folder`.
pub fn read(folder: &Path, mapping: &Mapping) -> anyhow::Result<Imported> {
    if !fs::metadata(folder).is_ok_and(|m| m.is_dir()) {
        anyhow::bail!("{} is not a folder of XMI files", folder.display());
    }
    let mut imported = Imported::default();
    let mut entities = Entities::default();
    for file in files_below(folder, "xmi") {
        let whole = |why: String| Finding {
            origin: Origin {
                file: file.clone(),
                line: 0,
            },
            what: "document".into(),
            why,
        };
        let text = match fs::read(&file).map(String::from_utf8) {
            Ok(Ok(text)) => text,
            Ok(Err(_)) => {
                imported.findings.push(whole("it is not UTF-8".into()));
                continue;
            }
            Err(_) => {
                imported.findings.push(whole("it cannot be read".into()));
                continue;
            }
        };
        imported.inputs.push(file.clone());
        let cas = match xmi::read(&text) {
            Ok(cas) => cas,
            Err(error) => {
                imported.findings.push(Finding {
                    origin: Origin {
                        file: file.clone(),
                        line: error.line,
                    },
                    what: "document".into(),
                    why: format!("not UIMA CAS XMI: {}", error.message),
                });
                continue;
            }
        };
        let Some((document, front_matter)) = document(&file, &cas, mapping, &mut imported.findings)
        else {
            continue;
        };
        let path = relative(folder, &file);
        let stem = path.strip_suffix(".xmi").unwrap_or(&path);
        let (mut article, mut findings) = document.finish(&mut entities, format!("{stem}.nmk"));
        article.front_matter = front_matter;
        imported.findings.append(&mut findings);
        imported.articles.push(article);
    }
    // The type systems beside them are inputs too: never written over.
    imported.inputs.extend(files_below(folder, "xml"));
    imported.entities = entities.into_sorted();
    Ok(imported)
}

/// The short name of a type: `webanno.custom.Claim` is `Claim`.
fn short(type_name: &str) -> &str {
    type_name.rsplit('.').next().unwrap_or(type_name)
}

/// An xmi:id's number, for reading structures in the order of their ids
/// (not of the file, which other writers order otherwise).
fn number(id: &str) -> (u64, &str) {
    (id.parse().unwrap_or(u64::MAX), id)
}

/// The annotations of the initial view of `cas`, as a standoff document,
/// and its front matter; none when there is no text to annotate.
fn document<'a>(
    file: &Path,
    cas: &Cas,
    mapping: &'a Mapping,
    findings: &mut Vec<Finding>,
) -> Option<(Standoff<'a>, Vec<(String, String)>)> {
    let report = |findings: &mut Vec<Finding>, line, what: String, why: String| {
        findings.push(Finding {
            origin: Origin {
                file: file.to_owned(),
                line,
            },
            what,
            why,
        })
    };
    let initial = (cas.sofas.iter())
        .find(|s| s.name == "_InitialView")
        .or(match &cas.sofas[..] {
            [only] => Some(only),
            _ => None,
        });
    let Some(sofa) = initial else {
        report(
            findings,
            0,
            "document".into(),
            "it has no initial view's text (no sofa `_InitialView`)".into(),
        );
        return None;
    };
    for other in cas.sofas.iter().filter(|s| s.id != sofa.id) {
        report(
            findings,
            other.line,
            format!("view {}", shown(&other.name)),
            "only the initial view is read".into(),
        );
    }
    let Some(text) = &sofa.text else {
        report(
            findings,
            sofa.line,
            "document".into(),
            "its sofa has no sofaString".into(),
        );
        return None;
    };
    let members: HashSet<&str> = (cas.views.iter())
        .filter(|v| v.sofa == sofa.id)
        .flat_map(|v| v.members.iter().map(String::as_str))
        .collect();
    let mut structures: Vec<&Structure> = (cas.structures.iter())
        .filter(|s| members.contains(s.id.as_str()))
        .collect();
    structures.sort_by(|a, b| number(&a.id).cmp(&number(&b.id)));
    let mut reader = Reader {
        units: Utf16::new(text),
        standoff: Standoff::new(file, text, mapping),
        mapping,
        by_id: cas.structures.iter().map(|s| (s.id.as_str(), s)).collect(),
        front_matter: Vec::new(),
    };
    let mut relations = Vec::new();
    for structure in structures {
        if LAYOUT.contains(&structure.type_name.as_str()) {
            continue;
        }
        if structure.type_name == FRONT_MATTER {
            reader.front_matter(structure);
        } else if structure.features.contains_key(GOVERNOR)
            || structure.features.contains_key(DEPENDENT)
        {
            relations.push(structure);
        } else {
            reader.span(structure);
        }
    }
    for relation in relations {
        reader.relation(relation);
    }
    Some((reader.standoff, reader.front_matter))
}

/// The structures of one XMI being read into a standoff document.
struct Reader<'a, 'c> {
    units: Utf16,
    standoff: Standoff<'a>,
    mapping: &'a Mapping,
    by_id: HashMap<&'c str, &'c Structure>,
    front_matter: Vec<(String, String)>,
}

impl Reader<'_, '_> {
    fn report(&mut self, structure: &Structure, why: impl Into<String>) {
        self.standoff
            .report(structure.line, &describe(structure), why);
    }

    /// A mention's or another span layer's label.
    fn label<'s>(&self, structure: &'s Structure) -> &'s str {
        if structure.type_name == NAMED_ENTITY {
            return structure
                .features
                .get("value")
                .map_or("Entity", String::as_str);
        }
        let name = short(&structure.type_name);
        let known = self.mapping.class(name).is_some() || self.mapping.role(name).is_some();
        match structure.features.get("label") {
            Some(label) if !known => label,
            _ => name,
        }
    }

    /// Characters of the sofa at UTF-16 offsets `begin`..`end`.
    fn offsets(&self, structure: &Structure) -> Result<(usize, usize), String> {
        let offset = |name: &str| -> Result<usize, String> {
            let value = structure.features.get(name).map_or("", String::as_str);
            let units: usize = value
                .parse()
                .map_err(|_| format!("its {name} `{}` is not an offset", shown(value)))?;
            self.units.char_at(units).ok_or_else(|| {
                format!("its {name} {units} splits a surrogate pair or lies past the text (UTF-16 code units)")
            })
        };
        let (begin, end) = (offset("begin")?, offset("end")?);
        if begin > end {
            return Err("it ends before it begins".into());
        }
        Ok((begin, end))
    }

    fn front_matter(&mut self, structure: &Structure) {
        match (
            structure.features.get("key"),
            structure.features.get("value"),
        ) {
            (Some(key), Some(value)) => self.front_matter.push((key.clone(), value.clone())),
            _ => self.report(structure, "front matter needs a key and a value"),
        }
    }

    fn span(&mut self, structure: &Structure) {
        if !structure.features.contains_key("begin") {
            return self.report(
                structure,
                "document-level layers other than FrontMatter have no Newsmark meaning",
            );
        }
        let span = match self.offsets(structure) {
            Ok(span) => span,
            Err(why) => return self.report(structure, why),
        };
        let label = self.label(structure).to_owned();
        let (id, line, what) = (structure.id.as_str(), structure.line, describe(structure));
        self.standoff.span(line, &what, id, &label, &[span], None);
        let get = |name: &str| structure.features.get(name).map(String::as_str);
        match self.standoff.class_of(id) {
            Some(Class::Mention(_)) => {
                if let Some(entity) = get("entity") {
                    self.standoff.entity(line, &what, id, entity);
                }
                if let Some(identifier) = get("identifier") {
                    match WIKIDATA
                        .iter()
                        .find_map(|prefix| identifier.strip_prefix(prefix))
                    {
                        Some(q) => {
                            let name: String =
                                self.standoff.chars()[span.0..span.1].iter().collect();
                            self.standoff.wikidata(id, q, &name);
                        }
                        None => self.report(
                            structure,
                            format!(
                                "its identifier `{}`: only Wikidata ids are kept",
                                shown(identifier)
                            ),
                        ),
                    }
                }
            }
            Some(Class::Claim) => {
                // A `label` feature that gave the layer its meaning (as on
                // INCEpTION's basic span layer) is no claim label.
                let label = get("label").filter(|_| short(&structure.type_name) == label);
                if let Some(label) = label {
                    self.standoff.label(id, label);
                }
                if let Some(sources) = get("sources")
                    && !self.standoff.sources_of(id, sources)
                {
                    self.report(structure, "its sources are not `@id via @id, @id`");
                }
                if let Some(word) = get("quote") {
                    self.standoff.quote(line, &what, id, word);
                }
                if get("hedged") == Some("true") {
                    self.standoff.hedged(line, id);
                }
            }
            _ => {}
        }
    }

    fn relation(&mut self, structure: &Structure) {
        let label = self.label(structure).to_owned();
        let ends = [GOVERNOR, DEPENDENT].map(|name| {
            let id = structure.features.get(name).map_or("", String::as_str);
            match self.by_id.get(id) {
                Some(_) => Ok(id),
                None => Err(format!(
                    "its {name} `{}` names no feature structure",
                    shown(id)
                )),
            }
        });
        match ends {
            [Ok(from), Ok(to)] => {
                self.standoff
                    .relation(structure.line, &describe(structure), &label, from, to)
            }
            [Err(why), _] | [_, Err(why)] => self.report(structure, why),
        }
    }
}

/// How a finding names a structure: its layer, xmi:id and tag.
fn describe(structure: &Structure) -> String {
    let mut what = format!("{} {}", short(&structure.type_name), shown(&structure.id));
    if let Some(value) = structure.features.get("value") {
        what.push_str(&format!(" ({})", shown(value)));
    }
    what
}
