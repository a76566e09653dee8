//! Disagreements between two annotators' versions of an article, as
//! findings at their places in each one's file: what `newsmark agree
//! --format sarif|github` reports, and what the editor shows of another
//! annotator's version (`compare-with`). They are the
//! [`changes`](crate::changes) between the two, said from both sides.

use std::ops::Range;

use newsmark_syntax::SyntaxTree;

use crate::agreement::{self, Unit};
use crate::alignment::Alignment;
use crate::changes::{Change, changes};
use crate::code::{Code, Severity};
use crate::export::{CharStarts, PlainDocument, plain_document, resolve};
use crate::rules::Diagnostic;
use crate::workspace::{FileId, Workspace};

/// One annotator's version of an article.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    /// The annotator, as findings name them.
    pub name: &'a str,
    /// The text of their file.
    pub source: &'a str,
    pub document: &'a PlainDocument,
    /// `agreement::units` of `document`.
    pub units: &'a [Unit],
}

/// The findings in `a`'s file and in `b`'s, over bytes of each.
pub fn between(a: Side, b: Side) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let (alignment, changes) = compare(a, b);
    let starts = [a, b].map(|side| CharStarts::new(&side.document.text));
    let (mut in_a, mut in_b) = (Vec::new(), Vec::new());
    if let Some(alignment) = &alignment {
        // The texts are the same up to there, so it is the same character
        // of both.
        in_a.push(text_mismatch(a, alignment, b.name));
        in_b.push(text_mismatch(b, alignment, a.name));
    }
    for change in changes {
        let message = message(&change, a, b, &starts);
        if let Some(unit) = &change.before {
            in_a.push(finding(
                a,
                unit.start..unit.end,
                Code::Disagreement,
                message.clone(),
            ));
        }
        if let Some(unit) = &change.after {
            in_b.push(finding(
                b,
                unit.start..unit.end,
                Code::Disagreement,
                message,
            ));
        }
    }
    (in_a, in_b)
}

/// Hints of how `theirs` (another annotator's version of `file`, named
/// `name`) differs from `file` as it is now: the editor's `compare-with`.
/// Their entity ids are resolved in this workspace.
pub fn hints(ws: &Workspace, file: FileId, theirs: &str, name: &str) -> Vec<Diagnostic> {
    let text = ws.text(file);
    let (mine, other) = (
        plain_document(&SyntaxTree::parse(text.clone())),
        plain_document(&SyntaxTree::parse(theirs)),
    );
    let units = |document: &PlainDocument| {
        let mut ids: Vec<&str> = document.mentions.iter().map(|m| &*m.id).collect();
        ids.sort_unstable();
        ids.dedup();
        let entities: Vec<_> = ids.into_iter().filter_map(|id| resolve(ws, id)).collect();
        agreement::units(document, &entities)
    };
    let (my_units, their_units) = (units(&mine), units(&other));
    let ours = Side {
        name: "this file",
        source: &text,
        document: &mine,
        units: &my_units,
    };
    let theirs = Side {
        name,
        source: theirs,
        document: &other,
        units: &their_units,
    };
    let (alignment, changes) = compare(ours, theirs);
    let starts = [ours, theirs].map(|side| CharStarts::new(&side.document.text));
    let mut found: Vec<Diagnostic> = (alignment.iter())
        .map(|alignment| text_mismatch(ours, alignment, name))
        .collect();
    for change in changes {
        // What only they have is shown where it would stand in this file.
        let (chars, message) = match (&change.before, &change.after) {
            (Some(unit), _) => (
                unit.start..unit.end,
                message(&change, ours, theirs, &starts),
            ),
            (None, Some(unit)) => {
                let on_ours = alignment
                    .as_ref()
                    .map_or_else(|| unit.clone(), |a| unit.moved(a));
                let value = match written(&unit.label, &unit.value) {
                    value if value.is_empty() => String::new(),
                    value => format!(" ({value})"),
                };
                let what = change.what();
                (
                    on_ours.start..on_ours.end,
                    format!("{name} has a {what} here{value}"),
                )
            }
            (None, None) => unreachable!("a change has a side"),
        };
        found.push(finding(ours, chars, Code::Disagreement, message));
    }
    for hint in &mut found {
        hint.severity = Severity::Hint;
    }
    found
}

/// `b`'s text aligned on `a`'s when they differ, and the changes from
/// `a` to `b`.
fn compare(a: Side, b: Side) -> (Option<Alignment>, Vec<Change>) {
    let (text_a, text_b) = (&a.document.text, &b.document.text);
    let alignment = (text_a != text_b).then(|| Alignment::new(text_a, text_b));
    let changes = changes(a.units, b.units, alignment.as_ref());
    (alignment, changes)
}

/// Where `side`'s text begins to differ from `other`'s.
fn text_mismatch(side: Side, alignment: &Alignment, other: &str) -> Diagnostic {
    let at = alignment.first_difference;
    let message = format!("the text differs from {other}'s from here on");
    finding(side, at..at + 1, Code::TextMismatch, message)
}

/// What both files say of a change, naming who has what.
/// `starts` are those of `a`'s and `b`'s plain texts.
fn message(change: &Change, a: Side, b: Side, starts: &[CharStarts; 2]) -> String {
    let what = change.what();
    let text = |unit: &Unit, side: Side, starts: &CharStarts| -> String {
        excerpt(starts.slice(&side.document.text, unit.start, unit.end))
    };
    let (name_a, name_b) = (a.name, b.name);
    match (&change.before, &change.after) {
        (Some(_), None) => format!("{name_b} does not have {}", this(what)),
        (None, Some(_)) => format!("{name_a} does not have {}", this(what)),
        (Some(before), Some(after)) if before.value != after.value => {
            let shown = |unit: &Unit| match written(&unit.label, &unit.value) {
                shown if shown.is_empty() => "none".to_owned(),
                shown => shown,
            };
            format!(
                "{}: {} in {name_a}, {} in {name_b}",
                change.description(),
                shown(before),
                shown(after)
            )
        }
        (Some(before), Some(after)) => format!(
            "{}: “{}” in {name_a}, “{}” in {name_b}",
            change.description(),
            text(before, a, &starts[0]),
            text(after, b, &starts[1])
        ),
        (None, None) => unreachable!("a change has a side"),
    }
}

/// `this claim`, `these sources`.
fn this(what: &str) -> String {
    match what {
        "sources" => "these sources".to_owned(),
        one => format!("this {one}"),
    }
}

/// A finding over characters `chars` of a side's plain text.
fn finding(side: Side, chars: Range<usize>, code: Code, message: String) -> Diagnostic {
    let range = side.document.source_span(side.source, chars);
    Diagnostic::new(code, range, message)
}

/// A unit's value as written: `@us, @kirby` for sources.
pub fn written(label: &str, value: &str) -> String {
    let at = |ids: &str| -> String {
        ids.split(',')
            .filter(|id| !id.is_empty())
            .map(|id| format!("@{id}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match label.split(':').next() {
        Some("mention" | "source") => at(value),
        Some("chain") => value
            .split(" via ")
            .map(at)
            .collect::<Vec<_>>()
            .join(" via "),
        _ => value.to_owned(),
    }
}

/// At most 60 characters of a span's text.
pub fn excerpt(text: &str) -> String {
    const LIMIT: usize = 60;
    match text.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    /// (what the hint says, the text of this file it covers).
    fn hints_of(ours: &str, theirs: &str) -> Vec<(String, String)> {
        let fixture = fixture::parse(&format!(
            "//- registry.nmk\n@choe: 최선희\n  kind: person\n@kim: 김정은\n  kind: person\n//- a.nmk\n{ours}"
        ));
        let file = fixture.file("a.nmk");
        let text = fixture.ws.text(file).to_string();
        (hints(&fixture.ws, file, theirs, "bob").into_iter())
            .inspect(|hint| assert_eq!(hint.severity, Severity::Hint))
            .map(|hint| (hint.message.into_owned(), text[hint.range].to_owned()))
            .collect()
    }

    #[test]
    fn what_they_have_otherwise_at_its_place_in_this_file() {
        for line_end in ["\n", "\r\n", "\r"] {
            let ours = "😀 첫 줄.\n[최선희]@choe {말했다 | @choe}.\n".replace('\n', line_end);
            let theirs = "😀 첫 줄.\n[최선희]@kim 말했다, [김정은]@kim.\n";
            assert_eq!(
                hints_of(&ours, theirs),
                [
                    (
                        "the text differs from bob's from here on".to_owned(),
                        ".".to_owned()
                    ),
                    (
                        "mention re-linked: @choe in this file, @kim in bob".to_owned(),
                        "최선희".to_owned()
                    ),
                    (
                        "bob does not have this claim".to_owned(),
                        "말했다".to_owned()
                    ),
                    (
                        "bob does not have these sources".to_owned(),
                        "말했다".to_owned()
                    ),
                    ("bob has a mention here (@kim)".to_owned(), ".".to_owned()),
                ],
                "{line_end:?}"
            );
        }
    }
}
