//! `undefined-entity`: an id that no file of the workspace defines.
//! Quick fixes: replace it with each suggested id; define the entity in
//! the registry file of `newsmark.toml` (else in the current file).

use super::{Code, Context, Diagnostic, Related};
use crate::edit::{ActionKind, CodeAction, TextEdit, WorkspaceEdit};
use crate::workspace::{FileId, Workspace};

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
fn nearest_ids(ws: &Workspace, id: &str) -> Vec<String> {
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

pub(super) fn fixes(
    ctx: &Context,
    diagnostic: &Diagnostic,
    _found: &[Diagnostic],
    actions: &mut Vec<CodeAction>,
) {
    let (ws, file) = (ctx.ws, ctx.file);
    // The diagnostic covers `@id`; the id itself starts after the `@`.
    let id_range = diagnostic.range.start + 1..diagnostic.range.end;
    let id = &ws.text(file)[id_range.clone()];
    for candidate in &diagnostic.candidates {
        let name = ws.entity(candidate).map_or("", |(_, d)| d.display_name());
        let edits = vec![TextEdit {
            range: id_range.clone(),
            new_text: candidate.clone(),
        }];
        let mut action = CodeAction::new(
            format!("Replace with `@{candidate}` ({name})"),
            ActionKind::QuickFix,
            file,
            edits,
        );
        action.preferred = diagnostic.candidates.len() == 1;
        actions.push(action);
    }
    actions.push(define_entity(ws, file, id));
}

/// Appends a definition skeleton to the registry file (or the current file).
fn define_entity(ws: &Workspace, file: FileId, id: &str) -> CodeAction {
    let skeleton = format!("@{id}: {}\n  kind: \n", display_name_guess(id));
    let registry = ws.config().registry.as_deref();
    let target = registry.and_then(|name| {
        ws.files()
            .find(|(f, _)| ws.display_path(*f) == name)
            .map(|(f, _)| f)
    });
    match (registry, target) {
        (Some(name), None) => CodeAction {
            title: format!("Define `@{id}` in {name}"),
            kind: ActionKind::QuickFix,
            preferred: false,
            fixes: None,
            edit: WorkspaceEdit::new(),
            create_file: Some((ws.path_in_root(name), skeleton)),
            then_complete: false,
        },
        (registry, target) => {
            let target = target.unwrap_or(file);
            let text = ws.text(target);
            let separator = match () {
                _ if text.is_empty() || text.ends_with("\n\n") => "",
                _ if text.ends_with('\n') => "\n",
                _ => "\n\n",
            };
            let edits = vec![TextEdit {
                range: text.len()..text.len(),
                new_text: format!("{separator}{skeleton}"),
            }];
            let place = registry.map_or_else(|| "this file".to_owned(), str::to_owned);
            CodeAction::new(
                format!("Define `@{id}` in {place}"),
                ActionKind::QuickFix,
                target,
                edits,
            )
        }
    }
}

/// `white-house` → `White House`, a starting point for the display name.
fn display_name_guess(id: &str) -> String {
    id.split(['-', '_', '.'])
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}
