//! `untagged-mention`: prose naming an entity without a mention. Quick
//! fixes: tag this mention; tag every untagged mention of the entity in
//! the file.

use std::ops::Range;

use super::{Code, Context, Diagnostic};
use crate::edit::{ActionKind, CodeAction, TextEdit};

pub(super) const DOC: &str = r#"Text outside mentions and references (claim text included) that matches an entity's display name or one of its aliases, as a whole word.

Names and aliases of 2 to 128 bytes are looked for, as written and in capitals; one written in lower case ("the North") also capitalised where a sentence or line starts. An alias ending in `*` is a stem: `aliases: Лавров*` matches "Лаврова", "Лаврову" (docs/markup.md). The longest name wins, and a name inside a longer capitalised name is not a mention: neither "the South" (a lower-case alias followed by a capitalised word) nor "China" (between two capitalised words) is reported in "the South China Sea". Front matter is not searched: its values are metadata, exported as written.

**Why it matters.** An annotation that tags "Lavrov" in one sentence and not in the next undercounts the entity in statistics and exports.

**Example.**

```newsmark
[Sergey Lavrov]@lavrov thanked North Korea.
```

With `@north-korea: North Korea` in the registry, "North Korea" is reported.

**How to fix.** Tag it (`[North Korea]@north-korea`); the quick fix does it for this mention or for every untagged mention of the entity in the file. When two entities share the name, the report lists both.

**How to silence.** `%% ignore: untagged-mention` on the line, or `untagged-mention = "off"` under `[severity]`."#;

pub(super) fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    // Registries hold no prose: their names need not be searched.
    if ctx.ws.config().severity(Code::UntaggedMention).is_none() || ctx.summary().prose.is_empty() {
        return;
    }
    let (matcher, hits) = ctx.ws.untagged_hits(ctx.entry);
    // Front matter values are metadata: a mention there would put markup
    // into the exported title or dateline.
    let summary = ctx.summary();
    let body_start = summary.front_matter.as_ref().map_or(0, |f| f.range.end);
    let body = &summary.prose[summary.prose.partition_point(|p| p.start() < body_start)..];
    for found in matcher.found_in(&hits, body) {
        let surface = &ctx.text()[found.range.clone()];
        let message = match found.ids {
            [id] => {
                let name = ctx.ws.entity(id).map_or(surface, |(_, d)| d.display_name());
                format!(
                    "`{surface}` names `@{id}` ({name}) but is not tagged: write `[{surface}]@{id}`"
                )
            }
            ids => {
                let list: Vec<String> = ids
                    .iter()
                    .map(|id| {
                        let name = ctx.ws.entity(id).map_or("", |(_, d)| d.display_name());
                        format!("`@{id}` ({name})")
                    })
                    .collect();
                format!(
                    "`{surface}` may name {}; tag it with the right id",
                    list.join(" or ")
                )
            }
        };
        let mut diagnostic = Diagnostic::new(Code::UntaggedMention, found.range, message);
        diagnostic.candidates = found.ids.iter().map(|id| id.to_string()).collect();
        out.push(diagnostic);
    }
}

pub(super) fn fixes(
    ctx: &Context,
    diagnostic: &Diagnostic,
    all: &[Diagnostic],
    actions: &mut Vec<CodeAction>,
) {
    let (ws, file) = (ctx.ws, ctx.file);
    let text = &*ws.text(file);
    let surface = &text[diagnostic.range.clone()];
    for id in &diagnostic.candidates {
        let tag = |range: Range<usize>| TextEdit {
            range: range.clone(),
            new_text: format!("[{}]@{id}", &text[range]),
        };
        let action = CodeAction::new(
            format!("Tag `{surface}` as a mention of `@{id}`"),
            ActionKind::QuickFix,
            file,
            vec![tag(diagnostic.range.clone())],
        );
        actions.push(action);
        let same_entity: Vec<TextEdit> = all
            .iter()
            .filter(|d| {
                d.code == Code::UntaggedMention && d.candidates.len() == 1 && d.candidates[0] == *id
            })
            .map(|d| tag(d.range.clone()))
            .collect();
        if same_entity.len() > 1 {
            let title = format!(
                "Tag every untagged mention of `@{id}` in this file ({})",
                same_entity.len()
            );
            actions.push(CodeAction::new(
                title,
                ActionKind::QuickFix,
                file,
                same_entity,
            ));
        }
    }
}
