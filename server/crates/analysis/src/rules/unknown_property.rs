//! `unknown-property`: a property key outside the list.

use super::{Code, Context, Diagnostic};

pub(super) const DOC: &str = r#"A property key that Newsmark does not know and that does not start with `x-`.

Definitions know `kind`, `role`, `member-of`, `aliases`, `url`, `wikidata`, `date` and `note`; front matter knows `title`, `outlet`, `date`, `authors`, `url`, `language`, `dateline` and `review`.

**Why it matters.** A misspelt key (`alias:` for `aliases:`) is silently ignored by every tool.

**Example.**

```newsmark
@lavrov: Sergey Lavrov
  kind: person
  alias: Lavrov
```

**How to fix.** Correct the key, or prefix your own keys with `x-` (`x-desk: Asia`): those are never flagged.

**How to silence.** `%% ignore: unknown-property` on the property line."#;

/// Property keys of entity definitions.
pub const DEFINITION_KEYS: [&str; 8] = [
    "kind",
    "role",
    "member-of",
    "aliases",
    "url",
    "wikidata",
    "date",
    "note",
];

/// Front matter keys.
pub const FRONT_MATTER_KEYS: [&str; 8] = [
    "title",
    "outlet",
    "date",
    "authors",
    "url",
    "language",
    "dateline",
    crate::review::REVIEW_KEY,
];

pub(super) fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let summary = ctx.summary();
    let definition_properties = summary.definitions.iter().flat_map(|d| &d.properties);
    for property in definition_properties {
        flag(property, &DEFINITION_KEYS, "an entity definition", out);
    }
    for property in summary.front_matter.iter().flat_map(|f| &f.properties) {
        flag(property, &FRONT_MATTER_KEYS, "front matter", out);
    }
}

fn flag(
    property: &crate::summary::Property,
    known: &[&str],
    place: &str,
    out: &mut Vec<Diagnostic>,
) {
    if property.key.starts_with("x-") || known.contains(&property.key.as_str()) {
        return;
    }
    let closest = known
        .iter()
        .min_by_key(|k| strsim::levenshtein(k, &property.key))
        .copied();
    let hint = closest
        .filter(|k| strsim::levenshtein(k, &property.key) <= 2)
        .map(|k| format!("did you mean `{k}`? "))
        .unwrap_or_default();
    out.push(Diagnostic::new(
        Code::UnknownProperty,
        property.key_range.clone(),
        format!(
            "unknown property `{}` in {place}; {hint}known keys: {}; prefix your own keys with `x-`",
            property.key,
            known.join(", ")
        ),
    ));
}
