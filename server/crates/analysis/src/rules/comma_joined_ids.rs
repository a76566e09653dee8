//! `comma-joined-ids`: `[the two]@a,@b`, ids of one mention joined with a
//! comma instead of `+`.

use std::ops::Range;

use super::{Code, Context, Diagnostic};
use crate::edit::{CodeAction, TextEdit};
use crate::summary::{Usage, UsageKind};

pub(super) const DOC: &str = r#"A mention is followed by `,@id` with no space: the ids of one mention joined with a comma instead of `+`.

**Why it matters.** `[The diplomats]@lavrov,@rubio` is a mention of `@lavrov` followed by a comma and a reference to `@rubio` in running text. Exports then read "The diplomats,Marco Rubio met", and the mention counts for one entity instead of two.

**Example.**

```newsmark
[The diplomats]@lavrov,@rubio met in Kuala Lumpur.
```

**How to fix.** Join the ids with `+`: `[The diplomats]@lavrov+@rubio` (the quick fix "Join into one mention of several entities" does it). If the comma is meant, put a space after it.

**How to silence.** `%% ignore: comma-joined-ids` on the line."#;

pub(super) fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let summary = ctx.summary();
    let text = ctx.text();
    let usages = &summary.usages;
    for (index, usage) in usages.iter().enumerate() {
        if !matches!(usage.kind, UsageKind::Mention { .. })
            // A mention of several ids has one usage per id: look once.
            || usages.get(index + 1).is_some_and(|next| next.range() == usage.range())
        {
            continue;
        }
        let joined = joined_references(text, &usages[index + 1..], usage.range().end);
        let Some(last) = joined.last() else {
            continue;
        };
        let ids: Vec<String> = std::iter::once(usage)
            .chain(joined.iter().copied())
            .map(|u| format!("@{}", u.id))
            .collect();
        out.push(Diagnostic::new(
            Code::CommaJoinedIds,
            usage.range().end..last.range().end,
            format!(
                "after a mention, `,{}` is a separate reference in the text; one mention of several entities joins the ids with `+`: `{}`",
                ids[1..].join(","),
                ids.join("+")
            ),
        ));
    }
}

/// The references that follow `end` as `,@id,@id…`, with no space.
/// `after` is in text order: the next usage is past any usages nested
/// inside the mention.
fn joined_references<'u>(text: &str, after: &'u [Usage], mut end: usize) -> Vec<&'u Usage> {
    let mut joined = Vec::new();
    let mut rest = after;
    loop {
        rest = &rest[usages_before(rest, end)..];
        let Some(usage) = rest.first() else {
            break;
        };
        let is_next = matches!(usage.kind, UsageKind::Reference)
            && usage.range().start == end + 1
            && text.as_bytes().get(end) == Some(&b',');
        if !is_next {
            break;
        }
        joined.push(usage);
        end = usage.range().end;
    }
    joined
}

/// How many of `usages` (in text order) start before `end`. Usually
/// none or a few, so the first ones are looked at before a binary search
/// over all: at every mention of a large file, that search's cache misses
/// were most of the rule's time.
fn usages_before(usages: &[Usage], end: usize) -> usize {
    let near = usages.iter().take(8).position(|u| u.range().start >= end);
    near.unwrap_or_else(|| usages.partition_point(|u| u.range().start < end))
}

/// The commas of the finding: each one just before an `@`.
fn commas(text: &str, range: Range<usize>) -> Vec<usize> {
    text[range.clone()]
        .match_indices(",@")
        .map(|(at, _)| range.start + at)
        .collect()
}

pub(super) fn fixes(
    ctx: &Context,
    diagnostic: &Diagnostic,
    _found: &[Diagnostic],
    actions: &mut Vec<CodeAction>,
) {
    let edits: Vec<TextEdit> = commas(ctx.text(), diagnostic.range.clone())
        .into_iter()
        .map(|at| TextEdit {
            range: at..at + 1,
            new_text: "+".to_owned(),
        })
        .collect();
    if edits.is_empty() {
        return;
    }
    actions.push(CodeAction::preferred_fix(
        "Join into one mention of several entities (`+`)".to_owned(),
        ctx.file,
        edits,
    ));
}
