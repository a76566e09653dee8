//! `unknown-code`: `%% ignore:` names no diagnostic code.

use super::{Code, Context, Diagnostic};
use crate::edit::{CodeAction, TextEdit};

pub(super) const DOC: &str = r#"An `%% ignore:` directive names something that is not a diagnostic code.

**Why it matters.** A misspelt code silences nothing, so the finding it was meant for stays, or comes back unnoticed when the text changes.

**Example.**

```newsmark
{Munitions were shipped} %% ignore: unsourced-claims
```

**How to fix.** Write the code as `newsmark check` prints it (`unsourced-claim`); the quick fix writes the nearest code, and completion after `ignore:` lists them.

**How to silence.** `%% ignore: unknown-code` on the line."#;

pub(super) fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for directive in &ctx.summary().directives {
        for (code, range) in &directive.codes {
            if Code::from_name(code).is_some() {
                continue;
            }
            let message = match closest_code(code) {
                Some(known) => {
                    format!("`{code}` is not a diagnostic code; did you mean `{known}`?")
                }
                None => format!(
                    "`{code}` is not a diagnostic code: docs/rules.md lists them, and completion after `ignore:` offers them"
                ),
            };
            out.push(Diagnostic::new(Code::UnknownCode, range.clone(), message));
        }
    }
}

/// The known code nearest to a misspelt one, if one is near. Words with
/// spaces between them are several codes or a note, not a misspelling.
fn closest_code(code: &str) -> Option<&'static str> {
    if code.contains(char::is_whitespace) {
        return None;
    }
    (Code::ALL.iter())
        .map(|known| (strsim::jaro_winkler(code, known.as_str()), known.as_str()))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, known)| known)
}

pub(super) fn fixes(
    ctx: &Context,
    diagnostic: &Diagnostic,
    _found: &[Diagnostic],
    actions: &mut Vec<CodeAction>,
) {
    let range = diagnostic.range.clone();
    let Some(known) = ctx.text().get(range.clone()).and_then(closest_code) else {
        return;
    };
    let edits = vec![TextEdit {
        range,
        new_text: known.to_owned(),
    }];
    actions.push(CodeAction::preferred_fix(
        format!("Replace with `{known}`"),
        ctx.file,
        edits,
    ));
}
