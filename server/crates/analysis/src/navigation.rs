//! Go to definition, find references and document highlight: from any
//! reference, mention, source or definition to the same entity everywhere,
//! and from a claim label to the stances that name it (labels are the
//! file's own).

use std::ops::Range;

use crate::summary::Name;
use crate::workspace::{FileId, LineSpan, Workspace};

/// A range in a file of the workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: FileId,
    pub range: Range<usize>,
    /// The range as a line and columns, when the index knows it.
    pub span: Option<LineSpan>,
}

/// The entity id at `offset`: on a use of it, or on the `@id` of its definition.
pub fn entity_at(ws: &Workspace, file: FileId, offset: usize) -> Option<(Name, Range<usize>)> {
    let summary = ws.summary(file);
    if let Some((_, usage)) = summary.usage_at(offset) {
        return Some((usage.id.clone(), usage.range()));
    }
    let (_, definition) = summary.definition_at(offset)?;
    Some((definition.id.clone(), definition.id_range.clone()))
}

/// Every definition of the entity at `offset` (more than one only for
/// duplicates); each location is the `@id` at the start of the definition.
pub fn goto_definition(ws: &Workspace, file: FileId, offset: usize) -> Vec<Location> {
    if let Some((label, _)) = ws.summary(file).label_at(offset) {
        return label_places(ws, file, label).labels;
    }
    let Some((id, _)) = entity_at(ws, file, offset) else {
        return Vec::new();
    };
    definitions(ws, &id)
}

/// Where a label of `file` stands: after its claims, and in the stances
/// that name it. Ranges hold the `#`.
pub(crate) struct LabelPlaces {
    pub labels: Vec<Location>,
    pub stances: Vec<Location>,
}

pub(crate) fn label_places(ws: &Workspace, file: FileId, label: &str) -> LabelPlaces {
    let summary = ws.summary(file);
    let at = |range: &Range<usize>| Location {
        file,
        range: range.start - 1..range.end,
        span: None,
    };
    LabelPlaces {
        labels: (summary.labels.iter())
            .filter(|l| *l.name == *label)
            .map(|l| at(&l.range))
            .collect(),
        stances: (summary.stances.iter())
            .filter(|s| *s.label == *label)
            .map(|s| at(&s.label_range))
            .collect(),
    }
}

fn definitions(ws: &Workspace, id: &str) -> Vec<Location> {
    ws.definitions_of(id)
        .iter()
        .map(|&r| Location {
            file: r.file,
            range: ws.definition(r).id_range.clone(),
            span: None,
        })
        .collect()
}

/// Every use of the entity at `offset` across the workspace, in path and
/// text order, and its definitions too when `include_declaration`.
pub fn references(
    ws: &Workspace,
    file: FileId,
    offset: usize,
    include_declaration: bool,
) -> Vec<Location> {
    if let Some((label, _)) = ws.summary(file).label_at(offset) {
        let LabelPlaces { labels, stances } = label_places(ws, file, label);
        let mut found = if include_declaration {
            labels
        } else {
            Vec::new()
        };
        found.extend(stances);
        found.sort_by_key(|l| l.range.start);
        return found;
    }
    let Some((id, _)) = entity_at(ws, file, offset) else {
        return Vec::new();
    };
    let mut found = if include_declaration {
        definitions(ws, &id)
    } else {
        Vec::new()
    };
    found.extend(
        ws.uses_of(&id)
            .map(|(file, range, span)| Location { file, range, span }),
    );
    found
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HighlightKind {
    /// The definition.
    Write,
    /// A use.
    Read,
}

/// The entity at `offset`, everywhere in the same file.
pub fn document_highlight(
    ws: &Workspace,
    file: FileId,
    offset: usize,
) -> Vec<(Range<usize>, HighlightKind)> {
    if let Some((label, _)) = ws.summary(file).label_at(offset) {
        let LabelPlaces { labels, stances } = label_places(ws, file, label);
        let labels = labels.into_iter().map(|l| (l.range, HighlightKind::Write));
        let stances = stances.into_iter().map(|l| (l.range, HighlightKind::Read));
        let mut found: Vec<_> = labels.chain(stances).collect();
        found.sort_by_key(|(range, _)| range.start);
        return found;
    }
    let Some((id, _)) = entity_at(ws, file, offset) else {
        return Vec::new();
    };
    let summary = ws.summary(file);
    let definitions = summary
        .definitions
        .iter()
        .filter(|d| d.id == id)
        .map(|d| (d.id_range.clone(), HighlightKind::Write));
    let usages = summary
        .usages_of(&id)
        .map(|u| (u.range(), HighlightKind::Read));
    let mut found: Vec<_> = definitions.chain(usages).collect();
    found.sort_by_key(|(range, _)| range.start);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    /// Checks that the locations found from the cursor are exactly the
    /// fixture's bare `^^^` marks.
    #[track_caller]
    fn check(text: &str, find: impl Fn(&Workspace, FileId, usize) -> Vec<Location>) {
        let fixture = fixture::parse(text);
        let (file, offset) = fixture.cursor();
        let mut expected: Vec<(String, String)> = fixture
            .marks
            .iter()
            .map(|(f, range, _)| {
                (
                    fixture.ws.path(*f).to_owned(),
                    fixture.ws.text(*f)[range.clone()].to_owned(),
                )
            })
            .collect();
        let mut actual: Vec<(String, String)> = find(&fixture.ws, file, offset)
            .into_iter()
            .map(|l| {
                (
                    fixture.ws.path(l.file).to_owned(),
                    fixture.ws.text(l.file)[l.range].to_owned(),
                )
            })
            .collect();
        expected.sort();
        actual.sort();
        assert_eq!(actual, expected);
    }

    const FILES: &str = "//- entities/people.nmk
@lavrov: Sergey Lavrov
^^^^^^^
  kind: person

@tass: TASS
  kind: outlet
//- articles/a.nmk crlf
🎉 [최선희 and Lavrov]@lavrov said {x | @tass, @lavrov}
  ^^^^^^^^^^^^^^^^^^^^^^^                  ^^^^^^^
//- articles/b.nmk
@lavrov
^^^^^^^
";

    #[test]
    fn definition_from_a_mention_in_another_file() {
        let text = FILES.replace("[최선희 and", "[최선$0희 and");
        let fixture = fixture::parse(&text);
        let (file, offset) = fixture.cursor();
        let found = goto_definition(&fixture.ws, file, offset);
        assert_eq!(found.len(), 1);
        assert_eq!(fixture.ws.path(found[0].file), "entities/people.nmk");
        assert_eq!(
            &fixture.ws.text(found[0].file)[found[0].range.clone()],
            "@lavrov"
        );
    }

    #[test]
    fn references_with_and_without_the_declaration() {
        check(
            &FILES.replace("@tass, @lavrov}", "@tass, @lav$0rov}"),
            |ws, f, o| references(ws, f, o, true),
        );
        let without = FILES
            .replace(
                "@lavrov: Sergey Lavrov\n^^^^^^^\n",
                "@lavrov: Sergey Lavrov\n",
            )
            .replace("b.nmk\n@lavrov", "b.nmk\n@lav$0rov");
        check(&without, |ws, f, o| references(ws, f, o, false));
    }

    #[test]
    fn highlight_stays_in_the_file() {
        let fixture =
            fixture::parse("//- a.nmk\n@x: X\n  kind: person\n\n[X]@x and {y | @$0x} but not @z\n");
        let (file, offset) = fixture.cursor();
        let kinds: Vec<HighlightKind> = document_highlight(&fixture.ws, file, offset)
            .into_iter()
            .map(|(_, k)| k)
            .collect();
        assert_eq!(
            kinds,
            [
                HighlightKind::Write,
                HighlightKind::Read,
                HighlightKind::Read
            ]
        );
    }

    #[test]
    fn nothing_outside_entities() {
        let fixture = fixture::parse("//- a.nmk\nPlain $0prose.\n");
        let (file, offset) = fixture.cursor();
        assert!(goto_definition(&fixture.ws, file, offset).is_empty());
        assert!(references(&fixture.ws, file, offset, true).is_empty());
    }

    const LABELS: &str = "//- a.nmk
{Munitions were shipped | @kcna}#munitions and {False | @seoul denies #munitions}.
                                ^^^^^^^^^^
//- b.nmk
{Other | @kcna}#munitions {Also | @x confirms #munitions}
";

    #[test]
    fn each_id_of_a_mention_of_several_goes_to_its_own_entity() {
        let text = "//- r.nmk\n@lavrov: Lavrov\n^^^^^^^\n  kind: person\n\n@rubio: Rubio\n  kind: person\n//- a.nmk\n[The two]@lav$0rov+@rubio met.\n";
        check(text, goto_definition);
        let text = "//- r.nmk\n@lavrov: Lavrov\n  kind: person\n\n@rubio: Rubio\n^^^^^^\n  kind: person\n//- a.nmk\n[The two]@lavrov+@ru$0bio met.\n";
        check(text, goto_definition);
    }

    #[test]
    fn definition_of_a_label_is_in_its_file() {
        let text = LABELS.replace("denies #munitions", "denies #muni$0tions");
        check(&text, goto_definition);
    }

    #[test]
    fn references_of_a_label_are_its_stances() {
        let text = LABELS
            .replace("}#munitions and", "}#muni$0tions and")
            .replace(
                "#munitions}.\n                                ^^^^^^^^^^",
                "#munitions}.\n                                ^^^^^^^^^^                            ^^^^^^^^^^",
            );
        check(&text, |ws, file, offset| references(ws, file, offset, true));
        let fixture = fixture::parse(&text);
        let (file, offset) = fixture.cursor();
        assert_eq!(references(&fixture.ws, file, offset, false).len(), 1);
        let kinds: Vec<HighlightKind> = (document_highlight(&fixture.ws, file, offset).into_iter())
            .map(|(_, k)| k)
            .collect();
        assert_eq!(kinds, [HighlightKind::Write, HighlightKind::Read]);
    }
}
