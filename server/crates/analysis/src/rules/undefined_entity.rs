//! `undefined-entity`: an id that no file of the workspace defines.

use super::{Code, Context, Diagnostic, Related};
use crate::workspace::Workspace;

pub(super) const DOC: &str = r#"A reference, mention or source to an id that no file of the workspace defines.

**Why it matters.** Hover, go to definition and exports cannot tell who `@id` is; usually the id has a typo or the entity was never added to the registry.

**Example.**

```newsmark
The visit followed reports from [Washington]@us-goverment.
```

**How to fix.** Use one of the suggested ids (the quick fix replaces it), or define the entity in a registry file:

```newsmark
@us-government: United States government
  kind: org
```

**How to silence.** `%% ignore: undefined-entity` on the line."#;

pub(super) fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for usage in &ctx.summary().usages {
        if !ctx.ws.definitions_of(&usage.id).is_empty() {
            continue;
        }
        let suggestions = nearest_ids(ctx.ws, &usage.id);
        let mut message = format!(
            "`@{}` is not defined in any file of the workspace",
            usage.id
        );
        if !suggestions.is_empty() {
            let list: Vec<String> = suggestions.iter().map(|id| format!("`@{id}`")).collect();
            message.push_str(&format!("; did you mean {}?", list.join(", ")));
        }
        let mut diagnostic = Diagnostic::new(Code::UndefinedEntity, usage.target_range(), message);
        for id in &suggestions {
            if let Some((reference, definition)) = ctx.ws.entity(id) {
                diagnostic.related.push(Related {
                    file: reference.file,
                    range: definition.id_range.clone(),
                    message: format!("`@{id}` ({}) is defined here", definition.display_name()),
                });
            }
        }
        diagnostic.candidates = suggestions;
        out.push(diagnostic);
    }
}

/// Up to three defined ids closest to `id`: small edit distance, or one
/// containing the other.
pub(crate) fn nearest_ids(ws: &Workspace, id: &str) -> Vec<String> {
    let lowered = id.to_lowercase();
    let max_distance = (id.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = ws
        .entities()
        .filter_map(|(candidate, _, _)| {
            let candidate_lower = candidate.to_lowercase();
            let distance = strsim::damerau_levenshtein(&lowered, &candidate_lower);
            let related = candidate_lower.contains(&lowered) || lowered.contains(&candidate_lower);
            (distance <= max_distance || related).then_some((distance, &**candidate))
        })
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(3)
        .map(|(_, id)| id.to_owned())
        .collect()
}
