//! `empty-mention`: a mention with no surface text.

use super::{Code, Context, Diagnostic};
use crate::summary::UsageKind;

pub(super) const DOC: &str = r#"A mention with no surface text: `[]@id`.

**Why it matters.** A mention records which words of the article name an entity; with no words there is nothing to highlight or export.

**Example.**

```newsmark
The minister []@lavrov arrived.
```

**How to fix.** Put the naming words inside the brackets (`[Sergey Lavrov]@lavrov`), or write a bare reference `@lavrov` if no words name the entity.

**How to silence.** `%% ignore: empty-mention` on the line."#;

pub(super) fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let text = ctx.text();
    for usage in &ctx.summary().usages {
        if let UsageKind::Mention { surface } = &usage.kind
            && text[surface.range()].trim().is_empty()
        {
            out.push(Diagnostic::new(
                Code::EmptyMention,
                usage.range(),
                format!("this mention of `@{}` has no surface text: put the naming words inside the brackets", usage.id),
            ));
        }
    }
}
