//! Rename an entity id everywhere: its definitions and every reference,
//! mention, claim source and property value that uses it, in every file of
//! the workspace, open or not.

use std::ops::Range;

use crate::edit::{TextEdit, WorkspaceEdit};
use crate::navigation::entity_at;
use crate::navigation::{LabelPlaces, label_places};
use crate::workspace::{FileId, Workspace};
use newsmark_syntax::{ID_RULE, is_valid_id, normalized_id};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenameError {
    /// Nothing renameable at the cursor.
    NoEntity,
    InvalidId(String),
    AlreadyDefined(String),
    LabelTaken(String),
}

impl std::fmt::Display for RenameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenameError::NoEntity => f.write_str("there is no entity id here to rename"),
            RenameError::InvalidId(id) => write!(
                f,
                "`{id}` is not a valid id: use {ID_RULE} (e.g. `north-korea`, `захарова`)"
            ),
            RenameError::AlreadyDefined(id) => {
                write!(f, "`@{id}` is already defined; pick another id")
            }
            RenameError::LabelTaken(label) => {
                write!(
                    f,
                    "`#{label}` already labels a claim of this file; pick another label"
                )
            }
        }
    }
}

impl std::error::Error for RenameError {}

/// The id under the cursor, without its `@`: the text a rename replaces.
pub fn prepare_rename(ws: &Workspace, file: FileId, offset: usize) -> Option<Range<usize>> {
    let summary = ws.summary(file);
    if let Some((_, name)) = summary.label_at(offset) {
        return Some(name);
    }
    if let Some((_, usage)) = summary.usage_at(offset) {
        return Some(usage.id_range());
    }
    let (_, definition) = summary.definition_at(offset)?;
    Some(definition.id_range.start + 1..definition.id_range.end)
}

pub fn rename(
    ws: &Workspace,
    file: FileId,
    offset: usize,
    new_id: &str,
) -> Result<WorkspaceEdit, RenameError> {
    if let Some((label, _)) = ws.summary(file).label_at(offset) {
        let new_label = normalized_id(new_id.strip_prefix('#').unwrap_or(new_id));
        return rename_label(ws, file, label, &new_label);
    }
    let new_id = &*normalized_id(new_id.strip_prefix('@').unwrap_or(new_id));
    let (old_id, _) = entity_at(ws, file, offset).ok_or(RenameError::NoEntity)?;
    if !is_valid_id(new_id) {
        return Err(RenameError::InvalidId(new_id.to_owned()));
    }
    if *old_id != *new_id && ws.is_defined(new_id) {
        return Err(RenameError::AlreadyDefined(new_id.to_owned()));
    }
    let mut edits = WorkspaceEdit::new();
    let mut replace = |file: FileId, range: Range<usize>| {
        edits.entry(file).or_default().push(TextEdit {
            range,
            new_text: new_id.to_owned(),
        });
    };
    for &reference in ws.definitions_of(&old_id) {
        let id_range = &ws.definition(reference).id_range;
        replace(reference.file, id_range.start + 1..id_range.end);
    }
    for (using, _) in ws.file_counts(&old_id) {
        for usage in ws.summary(using).usages_of(&old_id) {
            replace(using, usage.id_range());
        }
    }
    for file_edits in edits.values_mut() {
        file_edits.sort_by_key(|e| e.range.start);
    }
    Ok(edits)
}

/// A label is the file's own: its claims' labels and the stances that
/// name it, in that file.
fn rename_label(
    ws: &Workspace,
    file: FileId,
    label: &str,
    new_label: &str,
) -> Result<WorkspaceEdit, RenameError> {
    if !is_valid_id(new_label) {
        return Err(RenameError::InvalidId(new_label.to_owned()));
    }
    if label != new_label && ws.summary(file).labelled(new_label).next().is_some() {
        return Err(RenameError::LabelTaken(new_label.to_owned()));
    }
    let LabelPlaces { labels, stances } = label_places(ws, file, label);
    let mut edits: Vec<TextEdit> = (labels.into_iter().chain(stances))
        .map(|place| TextEdit {
            // The name, without its `#`.
            range: place.range.start + 1..place.range.end,
            new_text: new_label.to_owned(),
        })
        .collect();
    edits.sort_by_key(|e| e.range.start);
    let mut all = WorkspaceEdit::new();
    all.insert(file, edits);
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply_edits;
    use crate::fixture;

    const FILES: &str = "//- entities.nmk
@lavrov: Sergey Lavrov
  kind: person
  member-of: @russia

@russia: Russia
  kind: country
//- a.nmk crlf
🎉 [러시아]@russia's {claim | @russia, @other} @russia.
//- b.nmk
No use here.
";

    fn rename_at(marker: &str, new_id: &str) -> Result<Vec<(String, String)>, RenameError> {
        let text = FILES.replacen(marker, &marker.replacen("rus", "ru$0s", 1), 1);
        let fixture = fixture::parse(&text);
        let (file, offset) = fixture.cursor();
        let edits = rename(&fixture.ws, file, offset, new_id)?;
        Ok(edits
            .into_iter()
            .map(|(f, e)| {
                (
                    fixture.ws.path(f).to_owned(),
                    apply_edits(&fixture.ws.text(f), &e),
                )
            })
            .collect())
    }

    #[test]
    fn rename_updates_definitions_references_mentions_sources_and_member_of() {
        let renamed = rename_at("[러시아]@russia", "russian-federation").unwrap();
        assert_eq!(
            renamed,
            [
                (
                    "entities.nmk".to_owned(),
                    "@lavrov: Sergey Lavrov\n  kind: person\n  member-of: @russian-federation\n\n@russian-federation: Russia\n  kind: country\n".to_owned()
                ),
                (
                    "a.nmk".to_owned(),
                    "🎉 [러시아]@russian-federation's {claim | @russian-federation, @other} @russian-federation.\r\n".to_owned()
                ),
            ]
        );
        assert_eq!(rename_at("@russia: Russia", "@rf").unwrap().len(), 2);
    }

    #[test]
    fn rename_validates_the_new_id() {
        assert_eq!(
            rename_at("@russia:", "bad id"),
            Err(RenameError::InvalidId("bad id".into()))
        );
        assert_eq!(
            rename_at("@russia:", "trailing-"),
            Err(RenameError::InvalidId("trailing-".into()))
        );
        assert_eq!(
            rename_at("@russia:", "lavrov"),
            Err(RenameError::AlreadyDefined("lavrov".into()))
        );
    }

    #[test]
    fn prepare_rename_covers_the_id_only() {
        let fixture = fixture::parse(&FILES.replace("{claim | @russia", "{claim | @rus$0sia"));
        let (file, offset) = fixture.cursor();
        let range = prepare_rename(&fixture.ws, file, offset).unwrap();
        assert_eq!(&fixture.ws.text(file)[range], "russia");
        let fixture = fixture::parse(&FILES.replace("No use", "No $0use"));
        let (file, offset) = fixture.cursor();
        assert_eq!(prepare_rename(&fixture.ws, file, offset), None);
    }

    #[test]
    fn a_label_renames_in_its_file_only() {
        let text = "//- a.nmk\n🎉 {Shipped | @k}#muni$0tions {No | @s denies #munitions, confirms #other}#other\n//- b.nmk\n{X | @k}#munitions\n";
        let fixture = fixture::parse(text);
        let (file, offset) = fixture.cursor();
        assert_eq!(
            prepare_rename(&fixture.ws, file, offset).map(|r| fixture.ws.text(file)[r].to_owned()),
            Some("munitions".to_owned())
        );
        let edits = rename(&fixture.ws, file, offset, "#shipment").unwrap();
        assert_eq!(edits.len(), 1, "labels belong to their file");
        let renamed = apply_edits(&fixture.ws.text(file), &edits[&file]);
        assert_eq!(
            renamed,
            "🎉 {Shipped | @k}#shipment {No | @s denies #shipment, confirms #other}#other\n"
        );
        assert_eq!(
            rename(&fixture.ws, file, offset, "other"),
            Err(RenameError::LabelTaken("other".into()))
        );
        assert_eq!(
            rename(&fixture.ws, file, offset, "two words"),
            Err(RenameError::InvalidId("two words".into()))
        );
    }
}
