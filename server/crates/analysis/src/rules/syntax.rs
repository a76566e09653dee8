//! `syntax`: markup the parser could not read.

use newsmark_syntax::{MISSING_COMMA, SECOND_BAR, TRAILING_COMMA};

use super::{Code, Context, Diagnostic};
use crate::edit::{CodeAction, TextEdit};

pub(super) const DOC: &str = r#"Malformed markup: an unclosed `{` or `[`, a `|` without sources, a stray `}` or `]`, an `@` without a valid id, a broken property line or front matter.

**Why it matters.** The marks around the error cannot be read, so the entities and claims they hold are missing from every other check, from hover and from exports.

**Example.**

```newsmark
Reports said {North Korea supplied munitions

The next paragraph is fine.
```

The claim is still open at the blank line.

**How to fix.** Do what the message says: close the claim with `}`, add a source after `|` or remove the `|`, or write a backslash before a character meant literally (`\{`, `\}`, `\[`, `\]`, `\@`, `\|`, `\%`). Mistakes in a list of sources have their own messages and quick fixes: a missing comma (`| @lavrov @rubio`), a trailing comma (`| @lavrov,`) and a second `|` (`| @lavrov | @rubio`).

**How to silence.** `%% ignore: syntax` on the line, though the broken marks stay unread."#;

pub(super) fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for error in &ctx.summary().syntax_errors {
        out.push(Diagnostic::new(
            Code::Syntax,
            error.range.clone(),
            error.message.clone(),
        ));
    }
}

/// Where the text before `at` ends, past spaces, line breaks and comments
/// (a comment may follow a source at the end of its line): the end of
/// the source before a mistake.
fn end_before(ctx: &Context, at: usize) -> usize {
    let summary = ctx.summary();
    // Both lists are sorted and hold no overlapping ranges: the comment
    // ending at `end`, if any, is found by bisection.
    let ending_at = |end: usize| {
        let comment = summary.comments.partition_point(|c| c.end < end);
        let directive = summary.directives.partition_point(|d| d.range.end < end);
        (summary.comments.get(comment))
            .into_iter()
            .chain(summary.directives.get(directive).map(|d| &d.range))
            .find(|c| c.start < end && end <= c.end)
            .cloned()
    };
    let mut end = ctx.text()[..at].trim_end().len();
    while let Some(comment) = ending_at(end) {
        end = ctx.text()[..comment.start].trim_end().len();
    }
    end
}

/// Fixes for the mistakes in a list of sources whose repair is plain.
pub(super) fn fixes(
    ctx: &Context,
    diagnostic: &Diagnostic,
    _found: &[Diagnostic],
    actions: &mut Vec<CodeAction>,
) {
    let at = diagnostic.range.start;
    let source_end = end_before(ctx, at);
    let (title, edit) = match &*diagnostic.message {
        MISSING_COMMA => ("Add the comma", (source_end..source_end, ",")),
        TRAILING_COMMA => ("Remove the trailing comma", (at..at + 1, "")),
        SECOND_BAR => ("Merge into one list of sources", (source_end..at + 1, ",")),
        _ => return,
    };
    let (range, new_text) = edit;
    let edits = vec![TextEdit {
        range,
        new_text: new_text.to_owned(),
    }];
    actions.push(CodeAction::preferred_fix(title.to_owned(), ctx.file, edits));
}
