//! `conflicting-attribution`: the same quote attributed to different
//! sources in two articles, or in two places of one.

use std::collections::HashMap;
use std::ops::Range;

use super::{Code, Context, Diagnostic, MAX_RELATED, Related};
use crate::summary::{Name, Usage};
use crate::workspace::{FileId, Workspace};

pub(super) const DOC: &str = r#"The same direct quote is attributed to different sources in two files, or in two places of one file.

**Why it matters.** A quotation has one speaker. When two articles of a corpus credit the same words to different people, at least one attribution is wrong, or the quote was lifted without its source.

**Example.**

```newsmark
%% articles/a.nmk
{"unbreakable comradely relationship" | @choe}

%% articles/b.nmk
{"unbreakable comradely relationship" | @kim}
```

Within one article:

```newsmark
{"We will respond" | @lavrov}, the minister said. Later, {"We will respond" | @zakharova}.
```

**How to fix.** Check the original reporting and correct the source in the wrong article. The report points at the other article's claim.

**How to silence.** `%% ignore: conflicting-attribution` on the line where the claim starts."#;

/// Every sourced direct quote of the workspace, by normalised text.
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
                let sources = source_set(summary.sources(claim_index as u32));
                if !claim.is_quote() || sources.is_empty() {
                    continue;
                }
                let key = normalize_quote(entry.claim_text(claim_index as u32));
                index.entry(key).or_default().push(Quote {
                    file,
                    range: claim.range.clone(),
                    sources,
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
    // This file's own sourced quotes as they are now, in text order.
    let mut own: Vec<(String, Quote)> = Vec::new();
    for (index, claim) in summary.claims.iter().enumerate() {
        let sources = source_set(summary.sources(index as u32));
        if claim.is_quote() && !sources.is_empty() {
            let key = normalize_quote(&ctx.text()[claim.text_range.clone()]);
            let range = claim.range.clone();
            let file = ctx.file;
            own.push((
                key,
                Quote {
                    file,
                    range,
                    sources,
                },
            ));
        }
    }
    let mut by_text: HashMap<&str, Vec<&Quote>> = HashMap::new();
    for (key, quote) in &own {
        by_text.entry(key).or_default().push(quote);
    }
    for (key, mine) in &own {
        let claim_range = &mine.range;
        let here = (by_text[key.as_str()].iter().copied()).filter(|q| q.range != *claim_range);
        let elsewhere = (quotes.0.get(key).into_iter().flatten()).filter(|q| q.file != ctx.file);
        let others = here
            .chain(elsewhere)
            .filter(|quote| quote.sources != mine.sources);
        let (mut in_this_file, mut in_other_files) = (0, 0);
        let mut conflicts: Vec<Related> = Vec::new();
        for quote in others {
            let place = if quote.file == ctx.file {
                in_this_file += 1;
                "elsewhere in this file".to_owned()
            } else {
                in_other_files += 1;
                format!("in `{}`", ctx.ws.display_path(quote.file))
            };
            if conflicts.len() < MAX_RELATED {
                conflicts.push(Related {
                    file: quote.file,
                    range: quote.range.clone(),
                    message: format!("attributed to {} {place}", list(&quote.sources)),
                });
            }
        }
        let elsewhere = match (in_this_file, in_other_files) {
            (0, 0) => continue,
            (0, files) => format!("in {files} other file(s)"),
            (_, 0) => "elsewhere in this file".to_owned(),
            (_, files) => format!("elsewhere in this file and in {files} other file(s)"),
        };
        let mut diagnostic = Diagnostic::new(
            Code::ConflictingAttribution,
            claim_range.clone(),
            format!(
                "this quote is attributed to {} here but to other sources {elsewhere}",
                list(&mine.sources),
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
