//! `unmarked-hedge`: a hedging word inside a claim, outside a `~[…]` cue.

use std::ops::Range;

use super::{Code, Context, Diagnostic};
use crate::edit::{CodeAction, TextEdit};
use crate::lexicon::List;

pub(super) const DOC: &str = r#"A hedging word ("allegedly", "reportedly", "якобы", "据称") inside a claim is not marked as a hedge cue.

**Why it matters.** A hedged claim is reported, not asserted: "North Korea allegedly supplied munitions" says less than "North Korea supplied munitions". Marked with `~[…]`, the hedge shows in hover, `stats` (hedged claims) and every export; unmarked, the claim reads as asserted.

**Example.**

```newsmark
---
language: en
---
{North Korea allegedly supplied munitions | @us}.
```

The words come from a list per language, chosen by the front matter's `language:`, else by `language` in `newsmark.toml` (English, Russian, Ukrainian, German, French, Spanish, Portuguese, Arabic, Chinese, Japanese, Korean); an article in no language is read with every list. Whole words only, except in Chinese, Japanese and Korean. `[cues.TAG] hedges = [...]` in `newsmark.toml` adds words (docs/configuration.md).

**How to fix.** Mark the words as a hedge cue: `{North Korea ~[allegedly] supplied munitions | @us}` (the quick fix "Mark as hedged" does it).

**How to silence.** `%% ignore: unmarked-hedge` on the line where the claim starts. It is a hint: `newsmark check` shows it with `--show-hints`."#;

pub(super) fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let summary = ctx.summary();
    if summary.claims.is_empty() {
        return;
    }
    let finder = (ctx.ws.config().lexicon()).finder(summary.language(), List::Hedges);
    let text = ctx.text();
    // Found line by line, so that an edit searches only its lines again:
    // the same words in the linter and the editor.
    let words = ctx.entry.hedge_words(text, finder);
    let words = words.hits();
    // Claims are in text order, an outer one before those inside it: the
    // words of prose inside the outermost claims, each reported once. The
    // ranges searched only move forward: so do the first prose and word
    // that can still be in one (a walk, not a search per claim, as a
    // 1 MB article has thousands).
    let (mut first_prose, mut first_word) = (0, 0);
    for claim in summary.outermost_claims() {
        let within = claim.text_range();
        while summary
            .prose
            .get(first_prose)
            .is_some_and(|p| p.end() <= within.start)
        {
            first_prose += 1;
        }
        for prose in summary.prose[first_prose..]
            .iter()
            .take_while(|p| p.start() < within.end)
        {
            let range = prose.start().max(within.start)..prose.end().min(within.end);
            while words
                .get(first_word)
                .is_some_and(|(word, ())| word.start < range.start)
            {
                first_word += 1;
            }
            let inside = (words[first_word..].iter())
                .take_while(|(word, ())| word.start < range.end)
                .filter(|(word, ())| word.end <= range.end);
            for (word, ()) in inside {
                // Hedge cues and editorial brackets are in text order and
                // do not nest; an editorial insertion is not the source's word.
                let holds = |range: Option<&Range<usize>>| {
                    range.is_some_and(|r| r.start <= word.start && word.end <= r.end)
                };
                let cue = summary
                    .hedges
                    .partition_point(|h| h.range.start <= word.start);
                let editorial = summary
                    .editorials
                    .partition_point(|e| e.start <= word.start);
                let marked = holds(cue.checked_sub(1).map(|i| &summary.hedges[i].range))
                    || holds(editorial.checked_sub(1).map(|i| &summary.editorials[i]));
                if !marked {
                    out.push(Diagnostic::new(
                        Code::UnmarkedHedge,
                        word.clone(),
                        format!(
                            "`{}` hedges this claim: mark it as a hedge cue, `~[…]`",
                            &text[word.clone()]
                        ),
                    ));
                }
            }
        }
    }
}

pub(super) fn fixes(
    ctx: &Context,
    diagnostic: &Diagnostic,
    _found: &[Diagnostic],
    actions: &mut Vec<CodeAction>,
) {
    let range = diagnostic.range.clone();
    let Some(words) = ctx.text().get(range.clone()) else {
        return;
    };
    let edits = vec![TextEdit {
        range,
        new_text: format!("~[{words}]"),
    }];
    actions.push(CodeAction::preferred_fix(
        format!("Mark as hedged: `~[{words}]`"),
        ctx.file,
        edits,
    ));
}
