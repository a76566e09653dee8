//! `unresolved-conflict`: a git-style conflict block left in the file, and
//! its resolutions (accept one version, all of them, or one annotator's
//! versions throughout the file).

use super::{Code, Context, Diagnostic};
use crate::edit::{ActionKind, CodeAction, TextEdit};
use crate::summary::Conflict;

pub(super) const DOC: &str = r#"A git-style conflict block left in the file: two or more annotators' versions of a passage between `<<<<<<<`, `=======` and `>>>>>>>` lines.

**Why it matters.** Until someone decides, the file says two things at once: every version's claims, mentions and definitions are checked and counted as if all were true.

**Example.**

```newsmark
<<<<<<< alice
{North Korea supplied munitions | @us}
=======
{North Korea supplied munitions | @us via @cnn}
>>>>>>> bob
```

**How to fix.** Keep the right version and delete the others with the marker lines. In the editor, the code actions on a conflict do it: "Accept alice", "Accept bob", "Accept both" (or "Accept all"), and "Accept all from alice in this file". Hover on a marker line shows each version.

**How to silence.** It cannot be silenced usefully: resolve the conflict."#;

pub(super) fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for conflict in &ctx.summary().conflicts {
        let names = conflict.version_names();
        let mut message = format!("unresolved conflict between {}", listed(&names));
        if conflict.closing.is_none() {
            message.push_str(", with no closing `>>>>>>>` line");
        }
        out.push(Diagnostic::new(
            Code::UnresolvedConflict,
            conflict.opening(),
            message,
        ));
    }
}

/// `alice`, `alice and bob`, `alice, bob and carol`.
fn listed(names: &[String]) -> String {
    match names {
        [] => "no versions".to_owned(),
        [only] => format!("{only} and nobody else"),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Accepting one version, every version, or one annotator's versions in
/// every conflict of the file. Only for a conflict with its closing line:
/// an unterminated one runs on to the end of the file.
pub(super) fn fixes(
    ctx: &Context,
    diagnostic: &Diagnostic,
    _found: &[Diagnostic],
    actions: &mut Vec<CodeAction>,
) {
    let conflicts = &ctx.summary().conflicts;
    let Some(conflict) = conflicts
        .iter()
        .find(|c| c.opening() == diagnostic.range && c.closing.is_some())
    else {
        return;
    };
    let names = conflict.version_names();
    let text = ctx.text();
    for (index, name) in names.iter().enumerate() {
        let kept = &text[conflict.versions[index].content.clone()];
        actions.push(CodeAction::new(
            format!("Accept {name}"),
            ActionKind::QuickFix,
            ctx.file,
            vec![accepting(conflict, kept.to_owned())],
        ));
    }
    let all = one_after_another(conflict.versions.iter().map(|v| &text[v.content.clone()]));
    let title = if names.len() == 2 {
        "Accept both"
    } else {
        "Accept all"
    };
    actions.push(CodeAction::new(
        title.to_owned(),
        ActionKind::QuickFix,
        ctx.file,
        vec![accepting(conflict, all)],
    ));
    for (index, name) in names.iter().enumerate() {
        let Some(wanted) = &conflict.versions[index].name else {
            continue;
        };
        let edits: Vec<TextEdit> = (conflicts.iter())
            .filter(|c| c.closing.is_some())
            .filter_map(|c| {
                let version = c
                    .versions
                    .iter()
                    .find(|v| v.name.as_ref() == Some(wanted))?;
                Some(accepting(c, text[version.content.clone()].to_owned()))
            })
            .collect();
        actions.push(CodeAction::new(
            format!("Accept all from {name} in this file"),
            ActionKind::QuickFix,
            ctx.file,
            edits,
        ));
    }
}

/// The versions one after another, a blank line between them, so that a
/// paragraph of each stays a paragraph of its own.
fn one_after_another<'t>(versions: impl Iterator<Item = &'t str>) -> String {
    let mut all = String::new();
    for version in versions.filter(|v| !v.is_empty()) {
        if !all.is_empty() {
            let end = ["\r\n", "\n", "\r"]
                .into_iter()
                .find(|end| all.ends_with(end))
                .unwrap_or("\n");
            if !all.ends_with(&end.repeat(2)) {
                all.push_str(end);
            }
        }
        all.push_str(version);
    }
    all
}

/// Replaces the whole block, markers included, by `kept`: the versions'
/// own lines, so the file's line ends stay as they were.
fn accepting(conflict: &Conflict, kept: String) -> TextEdit {
    TextEdit {
        range: conflict.range.clone(),
        new_text: kept,
    }
}
