//! brat's `annotation.conf` (brat.nlplab.org/configuration.html): the
//! entity, relation, event and attribute types a collection declares. The
//! brat import checks each `.ann` line against it, and reads it for
//! defaults: a declared type the mapping does not name means what its
//! parent type in the hierarchy means (`Speaker` under `person`), and a
//! declared entity type named as a Newsmark kind (`Person`, `ORG`) is a
//! mention of that kind.
//!
//! Read: `[entities]`, `[relations]`, `[events]`, `[attributes]`; one
//! type per line, its parent the nearest line above indented less (by
//! tabs); `!` before an abstract type; the arguments after it
//! (`Speaker:Person|Org, Content?:Claim`, `Value:high|low`). Comments
//! (`#`), separators (`-----`) and macros (`<OVERLAP>`, `<ENTITY>`) are
//! skipped.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use newsmark_analysis::rules::KINDS;

use super::mapping::{Class, Mapping};
use super::{Finding, Origin, shown};

/// The types a collection declares.
#[derive(Debug, Default)]
pub struct AnnotationConf {
    pub file: PathBuf,
    /// Entity types, each with its parent type.
    entities: BTreeMap<String, Option<String>>,
    /// Event types, each with its parent type and the roles it declares.
    events: BTreeMap<String, (Option<String>, Vec<String>)>,
    relations: Vec<String>,
    /// Attributes, each with its values (none: a binary attribute).
    attributes: HashMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Entities,
    Relations,
    Events,
    Attributes,
    /// A section brat's `annotation.conf` does not have: skipped.
    Other,
}

/// Entity type names of NER tag sets, and the kind each is.
const KIND_NAMES: [(&str, &str); 7] = [
    ("per", "person"),
    ("organization", "org"),
    ("organisation", "org"),
    ("loc", "place"),
    ("location", "place"),
    ("gpe", "place"),
    ("norp", "group"),
];

impl AnnotationConf {
    /// The conf in `file`, and what in it cannot be read (`None` when
    /// nothing can).
    pub fn read(file: &Path) -> (Option<AnnotationConf>, Vec<Finding>) {
        let finding = |line: usize, what: &str, why: String| Finding {
            origin: Origin {
                file: file.to_owned(),
                line,
            },
            what: what.into(),
            why,
        };
        if std::fs::symlink_metadata(file).is_ok_and(|m| m.is_symlink()) {
            let why = "it is a symbolic link, which is not followed: the .ann files are not checked against it";
            return (None, vec![finding(0, "annotation.conf", why.into())]);
        }
        let text = match std::fs::read(file).map(String::from_utf8) {
            Ok(Ok(text)) => text,
            _ => {
                let why =
                    "it cannot be read, or is not UTF-8: the .ann files are not checked against it";
                return (None, vec![finding(0, "annotation.conf", why.into())]);
            }
        };
        let mut conf = AnnotationConf {
            file: file.to_owned(),
            ..AnnotationConf::default()
        };
        let mut findings = Vec::new();
        let mut section = None;
        // The types above, with their depth, for the hierarchy.
        let mut above: Vec<(usize, String)> = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let number = index + 1;
            let line = line.trim_end_matches('\r');
            let content = line.trim();
            if content.is_empty() || content.starts_with('#') || content.starts_with('-') {
                continue;
            }
            if let Some(name) = content.strip_prefix('[').and_then(|c| c.strip_suffix(']')) {
                section = Some(match name.trim() {
                    "entities" => Section::Entities,
                    "relations" => Section::Relations,
                    "events" => Section::Events,
                    "attributes" => Section::Attributes,
                    other => {
                        let why = format!("`[{}]` is no section brat reads here", shown(other));
                        findings.push(finding(number, "section", why));
                        Section::Other
                    }
                });
                above.clear();
                continue;
            }
            let Some(section) = section else {
                let why = format!("`{}` is outside every section", shown(content));
                findings.push(finding(number, "line", why));
                continue;
            };
            let (name, arguments) = content
                .split_once(char::is_whitespace)
                .unwrap_or((content, ""));
            let name = name.trim_start_matches('!');
            let name = name.split('|').next().unwrap_or_default();
            if name.starts_with('<') || section == Section::Other {
                continue;
            }
            let depth = line.len() - line.trim_start_matches('\t').len();
            above.retain(|(d, _)| *d < depth);
            let parent = above.last().map(|(_, p)| p.clone());
            above.push((depth, name.to_owned()));
            let arguments: Vec<(&str, &str)> = (arguments.split(','))
                .filter_map(|a| a.trim().split_once(':'))
                .collect();
            match section {
                Section::Entities => drop(conf.entities.insert(name.into(), parent)),
                Section::Relations => conf.relations.push(name.into()),
                Section::Events => {
                    let roles = (arguments.iter())
                        .map(|(role, _)| role.trim_end_matches(['?', '*', '+']).to_owned())
                        .collect();
                    conf.events.insert(name.into(), (parent, roles));
                }
                Section::Attributes => {
                    let values = (arguments.iter())
                        .find(|(key, _)| *key == "Value")
                        .map(|(_, values)| values.split('|').map(str::to_owned).collect())
                        .unwrap_or_default();
                    conf.attributes.insert(name.into(), values);
                }
                Section::Other => {}
            }
        }
        (Some(conf), findings)
    }

    /// Why a `T` line of type `label` breaks the conf, if it does.
    pub fn check_span(&self, label: &str) -> Option<String> {
        let declared = self.entities.contains_key(label) || self.events.contains_key(label);
        (!declared).then(|| self.undeclared("type", label, "[entities] or [events]"))
    }

    /// Whether `label` is an event type (a `T` of it is a trigger).
    pub fn declares_event(&self, label: &str) -> bool {
        self.events.contains_key(label)
    }

    /// Why a relation (or an equivalence) of type `label` breaks it.
    pub fn check_relation(&self, label: &str) -> Option<String> {
        let declared = self.relations.iter().any(|r| r == label);
        (!declared).then(|| self.undeclared("relation", label, "[relations]"))
    }

    /// Why an event of type `kind` with arguments of these roles breaks
    /// it (a role may be numbered: `Theme2`).
    pub fn check_event(&self, kind: &str, roles: &[&str]) -> Option<String> {
        let Some((_, declared)) = self.events.get(kind) else {
            return Some(self.undeclared("event", kind, "[events]"));
        };
        let role = (roles.iter()).find(|r| {
            !declared
                .iter()
                .any(|d| d == r.trim_end_matches(|c: char| c.is_ascii_digit()))
        })?;
        Some(format!(
            "its role `{}` is not declared for `{}` in {}",
            shown(role),
            shown(kind),
            self.name()
        ))
    }

    /// Why the attribute `name` with `value` (none: binary) breaks it.
    pub fn check_attribute(&self, name: &str, value: Option<&str>) -> Option<String> {
        let Some(values) = self.attributes.get(name) else {
            return Some(self.undeclared("attribute", name, "[attributes]"));
        };
        match value {
            None if values.is_empty() => None,
            Some(value) if values.iter().any(|v| v == value) => None,
            None => Some(format!(
                "{} gives `{}` the values {}, and it has none",
                self.name(),
                shown(name),
                values.join("|")
            )),
            Some(value) => Some(format!(
                "`{}` is not a value of `{}` in {}",
                shown(value),
                shown(name),
                self.name()
            )),
        }
    }

    fn undeclared(&self, what: &str, name: &str, section: &str) -> String {
        format!(
            "its {what} `{}` is not declared in {section} of {}",
            shown(name),
            self.name()
        )
    }

    fn name(&self) -> String {
        self.file
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    }

    /// `mapping` with the meanings the conf gives the types it does not
    /// name: a parent type's, or a Newsmark kind's.
    pub fn extend(&self, mapping: &Mapping) -> Mapping {
        let mut extended = mapping.clone();
        for name in self.entities.keys() {
            // Named like a default event type (`Quote`) it still takes its
            // parent's meaning: only a span class of its own comes first.
            if mapping.class(name).is_some() {
                continue;
            }
            let ancestors = std::iter::successors(self.entities[name].as_ref(), |p| {
                self.entities.get(*p).and_then(Option::as_ref)
            })
            .take(self.entities.len());
            let own_kind = kind_named(name);
            let class = match ancestors.filter_map(|a| mapping.class(a)).next() {
                Some(Class::Mention(kind)) => Some(Class::Mention(own_kind.or(kind))),
                None => own_kind.map(|kind| Class::Mention(Some(kind))),
                inherited => inherited,
            };
            let name = name.clone();
            match class {
                Some(Class::Mention(kind)) => {
                    drop(extended.mentions.insert(name, kind.unwrap_or_default()))
                }
                Some(Class::Claim) => extended.claims.push(name),
                Some(Class::Hedge) => extended.hedges.push(name),
                Some(Class::Quoted) => extended.quoted.push(name),
                None => {}
            }
        }
        for name in self.events.keys() {
            if mapping.event(name).is_some() {
                continue;
            }
            let inherited = std::iter::successors(self.events[name].0.as_ref(), |p| {
                self.events.get(*p).and_then(|(parent, _)| parent.as_ref())
            })
            .take(self.events.len())
            .find_map(|a| mapping.event(a));
            if let Some(roles) = inherited {
                extended.events.insert(name.clone(), roles.clone());
            }
        }
        extended
    }
}

/// The Newsmark kind an entity type names, if it names one.
fn kind_named(name: &str) -> Option<String> {
    let lower = name.to_lowercase();
    KINDS
        .iter()
        .find(|k| **k == lower)
        .copied()
        .or_else(|| {
            KIND_NAMES
                .iter()
                .find(|(n, _)| *n == lower)
                .map(|(_, k)| *k)
        })
        .map(str::to_owned)
}
