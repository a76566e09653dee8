//! `conflicting-attribution`: the same quote attributed to different
//! sources in two articles.

use super::{Code, Context, Diagnostic, MAX_RELATED, Related};
use crate::summary::Name;

pub(super) const DOC: &str = r#"The same direct quote is attributed to different sources in two files.

**Why it matters.** A quotation has one speaker. When two articles of a corpus credit the same words to different people, at least one attribution is wrong, or the quote was lifted without its source.

**Example.**

```newsmark
%% articles/a.nmk
{"unbreakable comradely relationship" | @choe}

%% articles/b.nmk
{"unbreakable comradely relationship" | @kim}
```

**How to fix.** Check the original reporting and correct the source in the wrong article. The report points at the other article's claim.

**How to silence.** `%% ignore: conflicting-attribution` on the line where the claim starts."#;

pub(super) fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let quotes = ctx.ws.quotes();
    let summary = ctx.summary();
    for claim in summary
        .claims
        .iter()
        .filter(|c| c.is_quote && !c.sources.is_empty())
    {
        let key = normalize_quote(&ctx.text()[claim.text_range.clone()]);
        let mine = source_set(&claim.sources);
        let others = quotes
            .get(&key)
            .into_iter()
            .flatten()
            .filter(|(file, _, sources)| {
                *file != ctx.file && !sources.is_empty() && *sources != mine
            });
        let mut n_conflicts = 0;
        let mut conflicts: Vec<Related> = Vec::new();
        for (file, range, sources) in others {
            n_conflicts += 1;
            if conflicts.len() < MAX_RELATED {
                conflicts.push(Related {
                    file: *file,
                    range: range.clone(),
                    message: format!(
                        "attributed to {} in `{}`",
                        list(sources),
                        ctx.ws.display_path(*file)
                    ),
                });
            }
        }
        if conflicts.is_empty() {
            continue;
        }
        let mut diagnostic = Diagnostic::new(
            Code::ConflictingAttribution,
            claim.range.clone(),
            format!(
                "this quote is attributed to {} here but to other sources in {} other file(s)",
                list(&mine),
                n_conflicts
            ),
        );
        diagnostic.related = conflicts;
        out.push(diagnostic);
    }
}

/// Quote text compared across files: without its quotation marks, with
/// whitespace collapsed.
pub(crate) fn normalize_quote(text: &str) -> String {
    let mut chars = text.trim().chars();
    chars.next();
    chars.next_back();
    chars
        .as_str()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn source_set(sources: &[(Name, std::ops::Range<usize>)]) -> Vec<Name> {
    let mut ids: Vec<Name> = sources.iter().map(|(id, _)| id.clone()).collect();
    ids.sort();
    ids.dedup();
    ids
}

fn list(ids: &[Name]) -> String {
    ids.iter()
        .map(|id| format!("`@{id}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
