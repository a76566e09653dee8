//! `empty-claim`: a claim with no text.

use super::{Code, Context, Diagnostic};

pub(super) const DOC: &str = r#"A claim with no text: `{}`, `{ }` or `{| @source}`.

**Why it matters.** There is nothing to check; it is usually a leftover from editing.

**Example.**

```newsmark
The ministry said {} on Tuesday.
```

**How to fix.** Put the claim's words inside the braces, or delete the braces.

**How to silence.** `%% ignore: empty-claim` on the line."#;

pub(super) fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for claim in &ctx.summary().claims {
        if claim.text_range().is_empty() {
            out.push(Diagnostic::new(
                Code::EmptyClaim,
                claim.range(),
                "this claim has no text: put the claimed words inside the braces or delete them",
            ));
        }
    }
}
