//! `undefined-entity`: an id that no file of the workspace defines.
//! Quick fixes: replace it with each suggested id; define the entity in
//! the registry file of `newsmark.toml` (else in the current file).

use rustc_hash::FxHashSet;

use super::{Code, Context, Diagnostic, Related};
use crate::edit::{ActionKind, CodeAction, TextEdit, WorkspaceEdit};
use crate::lexicon::capitalised;
use crate::summary::UsageKind;
use crate::workspace::{FileId, Workspace};

pub(super) const DOC: &str = r#"A reference, mention or source to an id that no file of the workspace defines.

**Why it matters.** Hover, go to definition and exports cannot tell who `@id` is; usually the id has a typo or the entity was never added to the registry.

**Example.**

```newsmark
The visit followed reports from [Washington]@us-goverment.
```

**How to fix.** Use one of the suggested ids (the quick fix replaces it; an id that spells an entity's name or alias, like `@seoul` for the alias "Seoul", suggests that entity), or define the entity in a registry file (the quick fix takes the mention's words as its display name and leaves `kind:` for you to add):

```newsmark
@us-government: United States government
  kind: org
```

A social-media handle or an address in running text (`He wrote to @realDonaldTrump`) is not an entity: escape its `@` to keep it as text, `\@realDonaldTrump` (a quick fix does it).

**How to silence.** `%% ignore: undefined-entity` on the line."#;

pub(super) fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    // A file being edited has its ids counted: each is looked up once, not
    // at each of its uses (~10,000 in a 1 MB article, at every keystroke).
    let undefined: Option<FxHashSet<&str>> =
        (ctx.ws.ids_edited_in(ctx.file, ctx.entry)).map(|ids| {
            ids.filter(|id| !ctx.ws.is_defined(id))
                .map(|id| &**id)
                .collect()
        });
    if undefined.as_ref().is_some_and(|ids| ids.is_empty()) {
        return;
    }
    for usage in &ctx.summary().usages {
        let defined = match &undefined {
            Some(undefined) => !undefined.contains(&*usage.id),
            None => ctx.ws.is_defined(&usage.id),
        };
        if defined {
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
        } else if usage.kind == UsageKind::Reference && looks_like_handle(&usage.id) {
            // `He wrote to @realDonaldTrump`: a handle, not an entity.
            message.push_str(&format!(
                "; if it is a handle or an address, write `\\@{}` to keep it as text",
                usage.id
            ));
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

/// Ids are written in lower case with `-`; handles (`@realDonaldTrump`,
/// `@MFA_Russia`) often are not.
fn looks_like_handle(id: &str) -> bool {
    id.chars().any(|c| c.is_ascii_uppercase() || c == '_')
}

/// Up to three defined ids closest to `id`: small edit distance, one
/// containing the other, or an entity whose name or alias it spells.
fn nearest_ids(ws: &Workspace, id: &str) -> Vec<String> {
    let lowered = id.to_lowercase();
    // `@seoul` means the entity whose alias is "Seoul": names are compared
    // as ids would be written, in lower case with `-` for spaces.
    let spelled = lowered.replace(['-', '_', '.'], " ");
    let max_distance = (id.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = ws
        .entities()
        .filter_map(|(candidate, _, definition)| {
            let candidate_lower = candidate.to_lowercase();
            let distance = strsim::damerau_levenshtein(&lowered, &candidate_lower);
            let related = candidate_lower.contains(&lowered) || lowered.contains(&candidate_lower);
            let named = (definition.name.iter().map(String::as_str))
                .chain(definition.aliases())
                .any(|name| name.to_lowercase() == spelled);
            let distance = if named { 0 } else { distance };
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
    let usage = (ws.summary(file).usages.iter()).find(|u| u.target_range() == diagnostic.range);
    let handle_like = diagnostic.candidates.is_empty() || looks_like_handle(id);
    if handle_like && usage.is_some_and(|u| u.kind == UsageKind::Reference) {
        let at = diagnostic.range.start;
        let edits = vec![TextEdit {
            range: at..at,
            new_text: "\\".to_owned(),
        }];
        actions.push(CodeAction::new(
            format!("Keep `@{id}` as text (`\\@{id}`)"),
            ActionKind::QuickFix,
            file,
            edits,
        ));
    }
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
    // A mention's words name the entity better than its id does, unless
    // they name several entities or hold marks of their own.
    let usages = &ws.summary(file).usages;
    let text = ws.text(file);
    let surface = usage.and_then(|u| match &u.kind {
        UsageKind::Mention { surface }
            if usages
                .iter()
                .filter(|other| other.range() == u.range())
                .count()
                == 1 =>
        {
            Some(&text[surface.range()])
        }
        _ => None,
    });
    let name = surface
        .filter(|words| !words.trim().is_empty() && !words.contains(['[', ']', '@', '{', '}']))
        .map_or_else(
            || display_name_guess(id),
            |words| words.split_whitespace().collect::<Vec<_>>().join(" "),
        );
    actions.push(define_entity(ws, file, id, &name));
}

/// Appends a definition of `id` named `name` to the registry file (or the
/// current file), with no `kind:` line: the kind is the annotator's to
/// choose, and `missing-kind` asks for it.
fn define_entity(ws: &Workspace, file: FileId, id: &str, name: &str) -> CodeAction {
    let skeleton = format!("@{id}: {name}\n");
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
            let text = &*ws.text(target);
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
        .map(capitalised)
        .collect::<Vec<_>>()
        .join(" ")
}
