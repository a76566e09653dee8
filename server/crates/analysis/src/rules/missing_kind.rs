//! `missing-kind`: a definition without `kind`.

use super::{Code, Context, Diagnostic};

pub(super) const DOC: &str = r#"A definition has no `kind` property.

**Why it matters.** The kind says whether an entity is a person, an organisation, a country, an outlet… Hover, statistics and exports rely on it.

**Example.**

```newsmark
@choe: Choe Son Hui
  role: Foreign Minister of North Korea
```

**How to fix.** Add an indented `kind:` line, for example `  kind: person`.

**How to silence.** `%% ignore: missing-kind` on the definition's first line."#;

pub(super) fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for definition in &ctx.summary().definitions {
        if definition.property("kind").is_none() {
            out.push(Diagnostic::new(
                Code::MissingKind,
                definition.id_range.clone(),
                format!(
                    "`@{}` has no `kind`: add an indented line such as `  kind: person`",
                    definition.id
                ),
            ));
        }
    }
}
