//! `conflicting-attribution`: the same quote attributed to different
//! sources in two articles.

use std::collections::HashMap;
use std::ops::Range;

use super::{Code, Context, Diagnostic, MAX_RELATED, Related};
use crate::summary::{Name, Usage};
use crate::workspace::{FileId, Workspace};

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

/// Every direct quote of the workspace, by normalised text.
struct Quotes(HashMap<String, Vec<Quote>>);

struct Quote {
    file: FileId,
    /// The claim's range.
    range: Range<usize>,
    /// Its source ids, sorted.
    sources: Vec<Name>,
}

impl Quotes {
    fn new(ws: &Workspace) -> Self {
        let mut index: HashMap<_, Vec<_>> = HashMap::new();
        for (file, entry) in ws.files() {
            let summary = &entry.summary;
            for (claim_index, claim) in summary.claims.iter().enumerate() {
                if !claim.is_quote {
                    continue;
                }
                let key = normalize_quote(entry.claim_text(claim_index as u32));
                index.entry(key).or_default().push(Quote {
                    file,
                    range: claim.range.clone(),
                    sources: source_set(summary.sources(claim_index as u32)),
                });
            }
        }
        Quotes(index)
    }
}

pub(super) fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    // Built once per set of cross-file facts, which hold every sourced quote.
    let quotes = ctx.ws.derived(Quotes::new);
    let summary = ctx.summary();
    for (index, claim) in summary.claims.iter().enumerate() {
        if !claim.is_quote {
            continue;
        }
        let mine = source_set(summary.sources(index as u32));
        if mine.is_empty() {
            continue;
        }
        let key = normalize_quote(&ctx.text()[claim.text_range.clone()]);
        let others = quotes.0.get(&key).into_iter().flatten().filter(|quote| {
            quote.file != ctx.file && !quote.sources.is_empty() && quote.sources != mine
        });
        let mut n_conflicts = 0;
        let mut conflicts: Vec<Related> = Vec::new();
        for quote in others {
            n_conflicts += 1;
            if conflicts.len() < MAX_RELATED {
                conflicts.push(Related {
                    file: quote.file,
                    range: quote.range.clone(),
                    message: format!(
                        "attributed to {} in `{}`",
                        list(&quote.sources),
                        ctx.ws.display_path(quote.file)
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
fn normalize_quote(text: &str) -> String {
    let mut chars = text.trim().chars();
    chars.next();
    chars.next_back();
    chars
        .as_str()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn source_set<'s>(sources: impl Iterator<Item = &'s Usage>) -> Vec<Name> {
    let mut ids: Vec<Name> = sources.map(|source| source.id.clone()).collect();
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
