//! `unsourced-claim`: a claim with no `|` part. Quick fixes: attribute it
//! to an entity named in the same sentence next to an attribution cue
//! (preferred), or insert ` | @` and complete.

use std::ops::Range;

use super::{Code, Context, Diagnostic};
use crate::edit::{ActionKind, CodeAction, TextEdit};
use crate::lexicon::{List, ends_sentence};
use crate::summary::{Claim, UsageKind};
use crate::workspace::{FileId, Workspace};

pub(super) const DOC: &str = r#"A claim with no source: `{...}` without a `| @source` part.

**Why it matters.** A factual assertion that nobody is on record for is the first thing a fact-checker needs to see. An unsourced claim is often an annotation that is not finished yet.

**Example.**

```newsmark
{North Korea had supplied munitions to Russia}.
```

**How to fix.** Add who made the claim after a `|`: `{North Korea had supplied munitions to Russia | @us}`. For several sources, separate them with commas. If the article really gives no source, keep the claim and silence the finding, so the gap stays documented.

**Quick fixes.** When an entity named in the claim's sentence stands next to an attribution cue of the article's language ("said", "according to", "заявил", "по словам", "말했다": docs/configuration.md), the preferred fix attributes the claim to it; when an outlet follows a conduit cue ("carried by [KCNA]@kcna", "передаёт [ТАСС]@tass"), through it: `| @jon via @kcna`.

**How to silence.** `%% ignore: unsourced-claim` at the end of the line where the claim starts or of any line it runs over, or on the line above it."#;

pub(super) fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for claim in &ctx.summary().claims {
        if claim.has_bar || claim.text_range().is_empty() {
            continue;
        }
        out.push(Diagnostic::new(
            Code::UnsourcedClaim,
            claim.range(),
            "this claim has no source: add `| @source` before the closing `}`",
        ));
    }
}

pub(super) fn fixes(
    ctx: &Context,
    diagnostic: &Diagnostic,
    _found: &[Diagnostic],
    actions: &mut Vec<CodeAction>,
) {
    let (ws, file) = (ctx.ws, ctx.file);
    let summary = ws.summary(file);
    let Some(claim) = summary
        .claims
        .iter()
        .find(|c| c.range() == diagnostic.range)
    else {
        return;
    };
    let insert_at = claim.text_range().end;
    let candidates = attribution_candidates(ws, file, claim);
    let conduit = conduit_candidate(ws, file, claim);
    if let Some(conduit) = &conduit
        && let Some(speaker) = candidates.iter().find(|id| *id != conduit)
    {
        let edits = vec![TextEdit {
            range: insert_at..insert_at,
            new_text: format!(" | @{speaker} via @{conduit}"),
        }];
        actions.push(CodeAction::preferred_fix(
            format!("Attribute to `@{speaker}` via `@{conduit}`"),
            file,
            edits,
        ));
    }
    for (index, id) in candidates.into_iter().enumerate() {
        let name = ws
            .entity(&id)
            .map_or("not defined", |(_, d)| d.display_name());
        let edits = vec![TextEdit {
            range: insert_at..insert_at,
            new_text: format!(" | @{id}"),
        }];
        let mut action = CodeAction::new(
            format!("Attribute to `@{id}` ({name})"),
            ActionKind::QuickFix,
            file,
            edits,
        );
        action.preferred = index == 0 && conduit.is_none();
        actions.push(action);
    }
    let edits = vec![TextEdit {
        range: insert_at..insert_at,
        new_text: " | @".to_owned(),
    }];
    let mut action = CodeAction::new(
        "Add a source…".to_owned(),
        ActionKind::QuickFix,
        file,
        edits,
    );
    action.then_complete = true;
    actions.push(action);
}

/// Entities named (mentioned or referenced) in the claim's sentence,
/// outside the claim, that stand next to an attribution cue of the
/// article's language; nearest first.
fn attribution_candidates(ws: &Workspace, file: FileId, claim: &Claim) -> Vec<String> {
    let text = &*ws.text(file);
    let sentence = sentence_around(text, claim.range());
    let cues: Vec<usize> = cues(ws, file, List::Attribution, sentence.clone())
        .into_iter()
        .map(|cue| cue.start)
        .filter(|at| !claim.range().contains(at))
        .collect();
    if cues.is_empty() {
        return Vec::new();
    }
    let mut candidates: Vec<(usize, String)> = ws
        .summary(file)
        .usages
        .iter()
        .filter(|u| matches!(u.kind, UsageKind::Mention { .. } | UsageKind::Reference))
        .filter(|u| sentence.start <= u.range().start && u.range().end <= sentence.end)
        .filter(|u| u.range().end <= claim.range().start || u.range().start >= claim.range().end)
        .map(|u| {
            let distance = cues
                .iter()
                .map(|&cue| {
                    cue.abs_diff(u.range().start)
                        .min(cue.abs_diff(u.range().end))
                })
                .min()
                .unwrap_or(usize::MAX);
            (distance, u.id.to_string())
        })
        .collect();
    candidates.sort();
    let mut ids: Vec<String> = Vec::new();
    for (_, id) in candidates {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// The words of `list` in `range`, in the article's language.
fn cues(ws: &Workspace, file: FileId, list: List, range: Range<usize>) -> Vec<Range<usize>> {
    let language = ws.summary(file).language();
    (ws.config().lexicon())
        .finder(language, list)
        .find(&ws.text(file), range)
}

/// The entity named right after a conduit cue ("carried by [KCNA]@kcna")
/// in the claim's sentence, outside the claim.
fn conduit_candidate(ws: &Workspace, file: FileId, claim: &Claim) -> Option<String> {
    let text = &*ws.text(file);
    let sentence = sentence_around(text, claim.range());
    let cue_end = cues(ws, file, List::Conduits, sentence.clone())
        .into_iter()
        .map(|cue| cue.end)
        .find(|at| !claim.range().contains(at))?;
    ws.summary(file)
        .usages
        .iter()
        .filter(|u| matches!(u.kind, UsageKind::Mention { .. } | UsageKind::Reference))
        .find(|u| cue_end <= u.range().start && u.range().end <= sentence.end)
        .filter(|u| text[cue_end..u.range().start].trim().is_empty())
        .map(|u| u.id.to_string())
}

/// The sentence holding `range`: back to the end of the previous sentence
/// ([`ends_sentence`]) or a blank line, forward to the next one.
fn sentence_around(text: &str, range: Range<usize>) -> Range<usize> {
    let before = &text[..range.start];
    let start = (before.char_indices().rev())
        .find(|(_, c)| ends_sentence(*c))
        .map_or(0, |(i, c)| i + c.len_utf8())
        .max(before.rfind("\n\n").map_or(0, |i| i + 2));
    let after = &text[range.end..];
    let end_in_after = (after.char_indices())
        .find(|(_, c)| ends_sentence(*c))
        .map_or(after.len(), |(i, c)| i + c.len_utf8())
        .min(after.find("\n\n").unwrap_or(after.len()));
    start..range.end + end_in_after
}
