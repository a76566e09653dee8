//! `unused-entity`: a definition nothing references.

use super::{Code, Context, Diagnostic};

pub(super) const DOC: &str = r#"An entity that no file of the workspace references, mentions or cites as a source.

**Why it matters.** Registries grow stale: an unused entity may be a typo'd duplicate of one that is used, or a leftover. The finding is a hint, and editors fade the id out.

**Example.**

```newsmark
@lavrov-old: Sergey Lavrov
  kind: person
```

**How to fix.** Delete the definition, or use the id in an article.

**How to silence.** `%% ignore: unused-entity` on the definition's line, or `unused-entity = "off"` under `[severity]` in `newsmark.toml`."#;

pub(super) fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for definition in &ctx.summary().definitions {
        if ctx.ws.is_used(&definition.id) {
            continue;
        }
        let mut diagnostic = Diagnostic::new(
            Code::UnusedEntity,
            definition.id_range.clone(),
            format!("`@{}` is not used anywhere in the workspace", definition.id),
        );
        diagnostic.unnecessary = true;
        out.push(diagnostic);
    }
}
