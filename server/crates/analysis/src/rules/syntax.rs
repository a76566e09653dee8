//! `syntax`: markup the parser could not read.

use super::{Code, Context, Diagnostic};

pub(super) const DOC: &str = r#"Malformed markup: an unclosed `{` or `[`, a `|` without sources, a stray `}` or `]`, an `@` without a valid id, a broken property line or front matter.

**Why it matters.** The marks around the error cannot be read, so the entities and claims they hold are missing from every other check, from hover and from exports.

**Example.**

```newsmark
Reports said {North Korea supplied munitions

The next paragraph is fine.
```

The claim is still open at the blank line.

**How to fix.** Do what the message says: close the claim with `}`, add a source after `|` or remove the `|`, or write a backslash before a character meant literally (`\{`, `\}`, `\[`, `\]`, `\@`, `\|`, `\%`).

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
