//! `conflicting-attribution`: the same quote attributed to different
//! sources in two articles, or in two places of one.

use std::borrow::Cow;
use std::collections::HashMap;

use super::{Code, Context, Diagnostic, MAX_RELATED, Related};
use crate::cross_file::{SourcedQuote, sourced_quotes};
use crate::summary::Name;

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

pub(super) fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let summary = ctx.summary();
    let text = ctx.text();
    // This file's own sourced quotes as they are now, in text order (kept
    // for a file being edited); the workspace's index answers for the
    // other files.
    let own: Cow<[SourcedQuote]> = match ctx.ws.quotes_edited_in(ctx.file, ctx.entry) {
        Some(quotes) => Cow::Borrowed(quotes),
        None => Cow::Owned(sourced_quotes(summary, |claim| {
            &text[summary.claims[claim as usize].text_range()]
        })),
    };
    let mut by_text: HashMap<&str, Vec<&SourcedQuote>> = HashMap::new();
    for quote in own.iter() {
        by_text.entry(&quote.key).or_default().push(quote);
    }
    // Quotes with the same words and sources conflict with the same others:
    // each group is looked at once.
    let mut groups: HashMap<(&str, &[Name]), Option<Conflict>> = HashMap::new();
    for mine in own.iter() {
        let found = groups
            .entry((&mine.key, &mine.sources))
            .or_insert_with(|| conflicts(ctx, mine, &by_text[&*mine.key]));
        if let Some((message, related)) = found {
            let mut diagnostic = Diagnostic::new(
                Code::ConflictingAttribution,
                mine.range.clone(),
                message.clone(),
            );
            diagnostic.related = related.clone();
            out.push(diagnostic);
        }
    }
}

/// A finding's message and related places.
type Conflict = (String, Vec<Related>);

/// The message and related places of a quote attributed to other sources
/// in `same_words` (this file's quotes with its words) or in other files.
fn conflicts(ctx: &Context, mine: &SourcedQuote, same_words: &[&SourcedQuote]) -> Option<Conflict> {
    let here: Vec<_> = (same_words.iter())
        .filter(|quote| quote.sources != mine.sources)
        .map(|quote| (ctx.file, quote.range.clone(), &*quote.sources))
        .collect();
    // Other files' quotes come from the index: how many, and the first few
    // in file order.
    let (in_other_files, elsewhere) = ctx
        .ws
        .quotes_with_text(&mine.key)
        .map_or_else(Default::default, |quotes| {
            quotes.others(ctx.file, &mine.sources, MAX_RELATED)
        });
    let elsewhere =
        (elsewhere.into_iter()).map(|(file, range, sources)| (file, range.clone(), sources));
    let related = (here.iter().cloned().chain(elsewhere))
        .take(MAX_RELATED)
        .map(|(file, range, sources)| {
            let place = if file == ctx.file {
                "elsewhere in this file".to_owned()
            } else {
                format!("in `{}`", ctx.ws.display_path(file))
            };
            Related {
                file,
                range,
                message: format!("attributed to {} {place}", list(sources)),
            }
        })
        .collect();
    // Counted in places (quotes), not files: one file may quote it twice.
    let elsewhere = match (here.len(), in_other_files) {
        (0, 0) => return None,
        (0, places) => format!("in {places} place(s) in other files"),
        (_, 0) => "elsewhere in this file".to_owned(),
        (_, places) => format!("elsewhere in this file and in {places} place(s) in other files"),
    };
    let message = format!(
        "this quote is attributed to {} here but to other sources {elsewhere}",
        list(&mine.sources),
    );
    Some((message, related))
}

fn list(ids: &[Name]) -> String {
    ids.iter()
        .map(|id| format!("`@{id}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
