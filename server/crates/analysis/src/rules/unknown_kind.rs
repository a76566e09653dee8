//! `unknown-kind`: a `kind` outside the list.

use super::{Code, Context, Diagnostic};

pub(super) const DOC: &str = r#"A definition's `kind` is not one of `person`, `org`, `country`, `place`, `outlet`, `document`, `group`, `anonymous`.

**Why it matters.** Tools group and colour entities by kind, and exports carry it; a misspelt kind puts the entity in no group.

**Example.**

```newsmark
@kcna: Korean Central News Agency
  kind: news-agency
```

**How to fix.** Use the closest kind from the list (`outlet` here). Keep finer distinctions in `role` or an `x-` property.

**How to silence.** `%% ignore: unknown-kind` on the property line."#;

/// The kinds an entity may have.
pub const KINDS: [&str; 8] = [
    "person",
    "org",
    "country",
    "place",
    "outlet",
    "document",
    "group",
    "anonymous",
];

pub(super) fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for definition in &ctx.summary().definitions {
        let Some(kind) = definition.property("kind") else {
            continue;
        };
        if KINDS.contains(&kind.value.as_str()) {
            continue;
        }
        let nearest = KINDS
            .iter()
            .min_by_key(|k| strsim::levenshtein(k, &kind.value))
            .copied()
            .unwrap_or("person");
        out.push(Diagnostic::new(
            Code::UnknownKind,
            kind.value_range.clone(),
            format!(
                "unknown kind `{}`; use one of {} (closest: `{nearest}`)",
                kind.value,
                KINDS.join(", ")
            ),
        ));
    }
}
