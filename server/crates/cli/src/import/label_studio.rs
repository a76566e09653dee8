//! `--from label-studio`: Label Studio tasks, as its JSON export writes
//! them and as `newsmark export --format label-studio` does (`tasks.json`):
//! a file holding a list of tasks (or one task), or a folder of such
//! `.json` files. Each task is one article: its `data.text`, at its
//! `data.path` when it has one.
//!
//! Offsets count Unicode code points of `data.text`, as Label Studio's
//! `Text` tag does. The marks are the task's first annotation that was not
//! cancelled, else its first prediction (so a `--as-predictions` export
//! reads back); any other annotation or prediction is a finding. Of the
//! results, read through the [`Mapping`]:
//!
//! - `labels` regions are spans (one label each);
//! - per-region results (same `id` as their region): the text area
//!   `entity` on a mention (its entity id), the text area `notes` on a
//!   claim (its sources and label, as the exports write them) and the
//!   choices `quote` on a claim (`direct` or `partial`);
//! - `relation` results, each of their labels a relation (`direction`
//!   `left` reverses it).
//!
//! Everything else is a finding at the line of the file where its result
//! (or task) starts.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::entities::Entities;
use super::mapping::{Class, Mapping};
use super::standoff::Standoff;
use super::{Finding, Imported, Origin, article_path, files_below, shown};

/// The offset unit this reads, as the export states it in `data`.
const OFFSET_UNIT: &str = crate::export::label_studio::OFFSET_UNIT;

/// Reads the tasks of `input`: a JSON file, or every `.json` file below a
/// folder.
pub fn read(input: &Path, mapping: &Mapping) -> anyhow::Result<Imported> {
    let files = match fs::metadata(input) {
        Ok(metadata) if metadata.is_dir() => files_below(input, "json"),
        Ok(metadata) if metadata.is_file() => vec![input.to_owned()],
        _ => anyhow::bail!(
            "{} is neither a JSON file of Label Studio tasks nor a folder of them",
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
        let tasks: Vec<&RawValue> = match serde_json::from_str::<&RawValue>(&text) {
            Ok(top) if top.get().starts_with('[') => {
                serde_json::from_str(top.get()).unwrap_or_default()
            }
            Ok(top) => vec![top],
            Err(error) => {
                let why = format!("it is not JSON: {error}");
                imported.findings.push(finding(error.line(), "file", why));
                continue;
            }
        };
        for (index, task) in tasks.into_iter().enumerate() {
            let line = line_of(&text, task.get());
            let what = format!("task {}", index + 1);
            let task = match serde_json::from_str::<Task>(task.get()) {
                Ok(task) => task,
                Err(error) => {
                    let why = format!("it is not a Label Studio task: {error}");
                    imported.findings.push(finding(line, &what, why));
                    continue;
                }
            };
            let fallback = format!("{stem}-{}", index + 1);
            let reader = TaskReader {
                file: &text,
                line,
                what: &what,
            };
            match reader.read(&file, task, mapping, &mut entities, &fallback) {
                Ok((article, mut findings)) => {
                    imported.findings.append(&mut findings);
                    imported.articles.push(article);
                }
                Err(why) => imported.findings.push(finding(line, &what, why)),
            }
        }
    }
    imported.entities = entities.into_sorted();
    Ok(imported)
}

/// The line of `file` that `part` (a slice of it) starts on.
fn line_of(file: &str, part: &str) -> usize {
    let at = (part.as_ptr() as usize).saturating_sub(file.as_ptr() as usize);
    file.as_bytes()[..at.min(file.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[derive(Deserialize)]
struct Task<'a> {
    data: BTreeMap<String, Value>,
    #[serde(default, borrow)]
    annotations: Vec<Marks<'a>>,
    #[serde(default, borrow)]
    predictions: Vec<Marks<'a>>,
}

/// An annotation or a prediction.
#[derive(Deserialize)]
struct Marks<'a> {
    #[serde(default, borrow)]
    result: Vec<&'a RawValue>,
    #[serde(default)]
    was_cancelled: bool,
}

/// One result, as loosely as Label Studio writes them.
#[derive(Deserialize)]
struct Item {
    #[serde(default)]
    id: Option<String>,
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    from_name: String,
    #[serde(default)]
    value: BTreeMap<String, Value>,
    #[serde(default)]
    from_id: String,
    #[serde(default)]
    to_id: String,
    #[serde(default)]
    labels: Vec<String>,
    #[serde(default)]
    direction: String,
}

struct TaskReader<'a> {
    /// The text of the file the task is in.
    file: &'a str,
    line: usize,
    what: &'a str,
}

impl TaskReader<'_> {
    /// The task's article and what of it could not be represented, or why
    /// it has none.
    fn read(
        &self,
        file: &Path,
        task: Task,
        mapping: &Mapping,
        entities: &mut Entities,
        fallback: &str,
    ) -> Result<(super::Article, Vec<Finding>), String> {
        let Some(Value::String(text)) = task.data.get("text") else {
            return Err("its `data` has no `text`".into());
        };
        if let Some(unit) = task.data.get("offset_unit")
            && unit.as_str() != Some(OFFSET_UNIT)
        {
            return Err(format!(
                "its offsets are in {unit}; this reads {OFFSET_UNIT}"
            ));
        }
        let mut document = Standoff::new(file, text, mapping);
        for key in task.data.keys() {
            if !matches!(key.as_str(), "text" | "path" | "offset_unit") {
                let what = format!("{} data `{key}`", self.what);
                document.report(
                    self.line,
                    &what,
                    "task data other than the text has no place in Newsmark",
                );
            }
        }
        let annotation = task.annotations.iter().position(|m| !m.was_cancelled);
        let chosen = match annotation {
            Some(index) => task.annotations.get(index),
            None => task.predictions.first(),
        };
        let left = (task.annotations.iter().enumerate())
            .filter(|(index, _)| Some(*index) != annotation)
            .map(|(_, marks)| {
                let why = match marks.was_cancelled {
                    true => "it was cancelled",
                    false => "one annotation is imported per task: the first",
                };
                (marks, "annotation", why)
            });
        let predictions = task
            .predictions
            .iter()
            .skip(usize::from(annotation.is_none()));
        let why =
            "a prediction is imported only when the task has no annotation, and only its first";
        for (marks, kind, why) in left.chain(predictions.map(|m| (m, "prediction", why))) {
            let line = (marks.result.first()).map_or(self.line, |r| line_of(self.file, r.get()));
            document.report(line, &format!("{} {kind}", self.what), why);
        }
        let results: Vec<(usize, Option<Item>)> = (chosen.iter())
            .flat_map(|marks| &marks.result)
            .map(|raw| {
                (
                    line_of(self.file, raw.get()),
                    serde_json::from_str(raw.get()).ok(),
                )
            })
            .collect();
        // Regions first, then what is said of them, then the relations.
        for (index, (line, result)) in results.iter().enumerate() {
            match result {
                None => document.report(*line, "result", "it is not a Label Studio result"),
                Some(result) if result.kind == "labels" => {
                    region(&mut document, *line, index, result)
                }
                Some(_) => {}
            }
        }
        for (line, result) in &results {
            match result {
                Some(result) if matches!(result.kind.as_str(), "textarea" | "choices") => {
                    per_region(&mut document, *line, result)
                }
                Some(result) if matches!(result.kind.as_str(), "labels" | "relation") => {}
                Some(result) => document.report(
                    *line,
                    &format!("result of type {}", result.kind),
                    "it has no Newsmark meaning",
                ),
                None => {}
            }
        }
        for (line, result) in &results {
            if let Some(result) = result.as_ref().filter(|r| r.kind == "relation") {
                relation(&mut document, *line, result);
            }
        }
        let (path, why) = article_path(task.data.get("path").and_then(Value::as_str), fallback);
        if let Some(why) = why {
            document.report(self.line, &format!("{} path", self.what), why);
        }
        Ok(document.finish(entities, path))
    }
}

/// A `labels` region: a span with one label.
fn region(document: &mut Standoff, line: usize, index: usize, result: &Item) {
    let id = result
        .id
        .clone()
        .unwrap_or_else(|| format!("result-{}", index + 1));
    let number = |key: &str| {
        (result.value.get(key))
            .and_then(Value::as_u64)
            .and_then(|n| usize::try_from(n).ok())
    };
    let labels: Vec<&str> = (result.value.get("labels").and_then(Value::as_array))
        .map(|labels| labels.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let (Some(start), Some(end), Some(label)) = (number("start"), number("end"), labels.first())
    else {
        return document.report(line, &id, "a region needs `start`, `end` and a label");
    };
    let text = result.value.get("text").and_then(Value::as_str);
    let what = format!("{id} ({})", shown(label));
    document.span(line, &what, &id, label, &[(start, end)], text);
    for extra in &labels[1..] {
        document.report(
            line,
            &format!("{id} ({extra})"),
            "one label per region is imported: the first",
        );
    }
}

/// A per-region text area or choices: an entity id, a claim's note or its
/// quote kind.
fn per_region(document: &mut Standoff, line: usize, result: &Item) {
    let id = result.id.as_deref().unwrap_or_default();
    let what = format!("{} {} on {id}", result.kind, result.from_name);
    let values: Vec<&str> = (result
        .value
        .get("text")
        .or_else(|| result.value.get("choices")))
    .and_then(Value::as_array)
    .map(|values| values.iter().filter_map(Value::as_str).collect())
    .unwrap_or_default();
    let class = document.class_of(id).cloned();
    match (
        result.kind.as_str(),
        result.from_name.as_str(),
        &class,
        &values[..],
    ) {
        ("textarea", "entity", Some(Class::Mention(_)), [entity]) => {
            document.entity(line, &what, id, entity)
        }
        ("textarea", "notes", Some(Class::Claim), [note]) => {
            if !document.note(id, note) {
                document.report(
                    line,
                    &what,
                    format!("free notes have no place in Newsmark: `{note}`"),
                );
            }
        }
        ("choices", "quote", Some(Class::Claim), [word]) => document.quote(line, &what, id, word),
        (_, _, None, _) => document.report(line, &what, "it is on no region that was imported"),
        _ => document.report(line, &what, "it has no Newsmark meaning here"),
    }
}

/// A `relation` result: one relation per label.
fn relation(document: &mut Standoff, line: usize, result: &Item) {
    let (from, to) = match result.direction.as_str() {
        "left" => (&result.to_id, &result.from_id),
        _ => (&result.from_id, &result.to_id),
    };
    if result.labels.is_empty() {
        let what = format!("relation {from} → {to}");
        return document.report(
            line,
            &what,
            "a relation without a label has no Newsmark meaning",
        );
    }
    for label in &result.labels {
        let what = format!("relation {from} → {to} ({label})");
        document.relation(line, &what, label, from, to);
    }
}
