//! `unknown-code`: `%% ignore:` names no diagnostic code.

use super::{Code, Context, Diagnostic};

pub(super) const DOC: &str = r#"An `%% ignore:` directive names something that is not a diagnostic code.

**Why it matters.** A misspelt code silences nothing, so the finding it was meant for stays, or comes back unnoticed when the text changes.

**Example.**

```newsmark
{Munitions were shipped} %% ignore: unsourced-claims
```

**How to fix.** Write the code as `newsmark check` prints it (`unsourced-claim`); completion after `ignore:` lists them.

**How to silence.** `%% ignore: unknown-code` on the line."#;

pub(super) fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for directive in &ctx.summary().directives {
        for (code, range) in &directive.codes {
            if Code::from_name(code).is_some() {
                continue;
            }
            let closest = (Code::ALL.iter())
                .map(|known| (strsim::jaro_winkler(code, known.as_str()), known.as_str()))
                .filter(|(score, _)| *score >= 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0));
            let message = match closest {
                Some((_, known)) => {
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
