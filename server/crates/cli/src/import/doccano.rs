//! `--from doccano`: doccano's JSONL, one example per line, as `newsmark
//! export --format doccano` writes it and as doccano exports sequence
//! labelling: `text` with `entities` (`{id, label, start_offset,
//! end_offset}`) and `relations` (`{id, from_id, to_id, type}`), or the
//! older `label` (`[[start, end, label], …]`). A file, or a folder of
//! `.jsonl` files. Each line is one article, at its `path` when it has one.
//!
//! Offsets count UTF-16 code units of `text` (doccano's editor counts
//! JavaScript string positions), end exclusive; an offset inside a
//! surrogate pair is a finding. Of an entity, the keys the export adds are
//! read too: `entity` (a mention's entity id), `notes` (a claim's sources
//! and label) and `quote`, and `text` is checked against the offsets.
//! Labels are read through the [`Mapping`]; everything else is a finding
//! at the line of the file.

use std::fs;
use std::path::Path;

use serde_json::{Map, Value};

use super::entities::Entities;
use super::mapping::{Class, Mapping};
use super::standoff::Standoff;
use super::{Finding, Imported, Origin, article_path, files_below, shown};
use crate::export::utf16::Utf16;

/// The offset unit this reads, as the export states it on each line.
const OFFSET_UNIT: &str = crate::export::doccano::OFFSET_UNIT;

/// Reads the examples of `input`: a JSONL file, or every `.jsonl` file
/// below a folder.
pub fn read(input: &Path, mapping: &Mapping) -> anyhow::Result<Imported> {
    let files = match fs::metadata(input) {
        Ok(metadata) if metadata.is_dir() => files_below(input, "jsonl"),
        Ok(metadata) if metadata.is_file() => vec![input.to_owned()],
        _ => anyhow::bail!(
            "{} is neither a doccano JSONL file nor a folder of them",
            input.display()
        ),
    };
    let mut imported = Imported::default();
    let mut entities = Entities::default();
    for file in files {
        let stem = file
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        let finding = |line, what: &str, why: String| Finding {
            origin: Origin {
                file: file.clone(),
                line,
            },
            what: what.into(),
            why,
        };
        let Ok(text) = fs::read_to_string(&file) else {
            let why = "it cannot be read as UTF-8 text".into();
            imported.findings.push(finding(0, "file", why));
            continue;
        };
        imported.inputs.push(file.clone());
        for (index, json) in text.lines().enumerate() {
            let line = index + 1;
            if json.trim().is_empty() {
                continue;
            }
            let example = match serde_json::from_str::<Map<String, Value>>(json) {
                Ok(example) => example,
                Err(error) => {
                    let why = format!("it is not a JSON object: {error}");
                    imported.findings.push(finding(line, "line", why));
                    continue;
                }
            };
            let fallback = format!("{stem}-{line}");
            match example_article(&file, line, &example, mapping, &mut entities, &fallback) {
                Ok((article, mut findings)) => {
                    imported.findings.append(&mut findings);
                    imported.articles.push(article);
                }
                Err(why) => imported.findings.push(finding(line, "example", why)),
            }
        }
    }
    imported.entities = entities.into_sorted();
    Ok(imported)
}

/// The keys of an example that are read, or that hold nothing to lose.
const KNOWN: [&str; 7] = [
    "text",
    "entities",
    "relations",
    "label",
    "path",
    "offset_unit",
    "id",
];

/// The article of one line, and what of it could not be represented; or
/// why it has none.
fn example_article(
    file: &Path,
    line: usize,
    example: &Map<String, Value>,
    mapping: &Mapping,
    entities: &mut Entities,
    fallback: &str,
) -> Result<(super::Article, Vec<Finding>), String> {
    let Some(Value::String(text)) = example.get("text") else {
        return Err("it has no `text`".into());
    };
    if let Some(unit) = example.get("offset_unit")
        && unit.as_str() != Some(OFFSET_UNIT)
    {
        return Err(format!(
            "its offsets are in {unit}; this reads {OFFSET_UNIT}"
        ));
    }
    let mut document = Standoff::new(file, text, mapping);
    let units = Utf16::new(text);
    for (key, value) in example {
        let empty = matches!(value, Value::Null) || value.as_array().is_some_and(Vec::is_empty);
        if !KNOWN.contains(&key.as_str()) && !empty {
            let why = "metadata has no place in Newsmark";
            document.report(line, &format!("`{key}`"), why);
        }
    }
    let list = |key: &str| example.get(key).and_then(Value::as_array);
    for (index, entity) in list("entities").into_iter().flatten().enumerate() {
        read_entity(&mut document, &units, line, index, entity);
    }
    for (index, span) in list("label").into_iter().flatten().enumerate() {
        let what = format!("label {}", index + 1);
        match span.as_array().map(Vec::as_slice) {
            Some([start, end, Value::String(label)]) => {
                let id = format!("label-{}", index + 1);
                if let Some(span) = span_in(&units, &mut document, line, &what, start, end) {
                    let what = format!("{what} ({})", shown(label));
                    document.span(line, &what, &id, label, &[span], None);
                }
            }
            _ => document.report(line, &what, "a label is `[start, end, \"label\"]`"),
        }
    }
    for (index, relation) in list("relations").into_iter().flatten().enumerate() {
        let what = format!("relation {}", index + 1);
        let field = |key: &str| relation.get(key).and_then(id_of);
        match (field("from_id"), field("to_id"), relation.get("type")) {
            (Some(from), Some(to), Some(Value::String(label))) => {
                let what = format!("relation {from} → {to} ({label})");
                document.relation(line, &what, label, &from, &to);
            }
            _ => document.report(
                line,
                &what,
                "a relation needs `from_id`, `to_id` and `type`",
            ),
        }
    }
    let (path, why) = article_path(example.get("path").and_then(Value::as_str), fallback);
    if let Some(why) = why {
        document.report(line, "path", why);
    }
    Ok(document.finish(entities, path))
}

/// One of `entities`: a span, with what the export adds to it.
fn read_entity(document: &mut Standoff, units: &Utf16, line: usize, index: usize, entity: &Value) {
    let field = |key: &str| entity.get(key);
    let id = field("id").and_then(id_of);
    let what = format!("entity {}", id.as_deref().unwrap_or("without id"));
    let (Some(id), Some(start), Some(end), Some(Value::String(label))) = (
        id,
        field("start_offset"),
        field("end_offset"),
        field("label"),
    ) else {
        let why = "an entity needs `id`, `label`, `start_offset` and `end_offset`";
        return document.report(line, &format!("entity {}", index + 1), why);
    };
    let Some(span) = span_in(units, document, line, &what, start, end) else {
        return;
    };
    document.span(
        line,
        &format!("{what} ({})", shown(label)),
        &id,
        label,
        &[span],
        field("text").and_then(Value::as_str),
    );
    let Some(object) = entity.as_object() else {
        return;
    };
    let class = document.class_of(&id).cloned();
    for (key, value) in object {
        let what = format!("`{key}` of entity {id}");
        match (key.as_str(), &class, value.as_str()) {
            ("id" | "label" | "start_offset" | "end_offset" | "text", _, _) | (_, None, _) => {}
            ("entity", Some(Class::Mention(_)), Some(entity)) => {
                document.entity(line, &what, &id, entity)
            }
            ("notes", Some(Class::Claim), Some(note)) => {
                if !document.note(&id, note) {
                    let why = format!("free notes have no place in Newsmark: `{note}`");
                    document.report(line, &what, why);
                }
            }
            ("quote", Some(Class::Claim), Some(word)) => document.quote(line, &what, &id, word),
            _ => document.report(line, &what, "it has no Newsmark meaning here"),
        }
    }
}

/// An id: doccano's are numbers, others' may be strings.
fn id_of(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

/// The characters of the span `start`–`end` in UTF-16 units, or a
/// finding on `document` saying why there are none.
fn span_in(
    units: &Utf16,
    document: &mut Standoff,
    line: usize,
    what: &str,
    start: &Value,
    end: &Value,
) -> Option<(usize, usize)> {
    let unit = |value: &Value| value.as_u64().and_then(|n| usize::try_from(n).ok());
    let (Some(start), Some(end)) = (unit(start), unit(end)) else {
        document.report(line, what, "its offsets are not whole numbers");
        return None;
    };
    let length = units.at(usize::MAX);
    if start > end || end > length {
        let why =
            format!("its offsets {start}–{end} are not within the text ({length} UTF-16 units)");
        document.report(line, what, why);
        return None;
    }
    match (units.char_at(start), units.char_at(end)) {
        (Some(start), Some(end)) => Some((start, end)),
        _ => {
            let why =
                format!("its offsets {start}–{end} split a character (a UTF-16 surrogate pair)");
            document.report(line, what, why);
            None
        }
    }
}
