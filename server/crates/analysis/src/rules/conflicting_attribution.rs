//! `conflicting-attribution`: the same quote attributed to different
//! sources in two articles, or in two places of one.

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
    // This file's own sourced quotes as they are now, in text order; the
    // workspace's index answers for the other files.
    let own = sourced_quotes(summary, |claim| {
        &text[summary.claims[claim as usize].text_range.clone()]
    });
    let mut by_text: HashMap<&str, Vec<&SourcedQuote>> = HashMap::new();
    for quote in &own {
        by_text.entry(&quote.key).or_default().push(quote);
    }
    for mine in &own {
        let here = (by_text[&*mine.key].iter())
            .filter(|quote| quote.range != mine.range && quote.sources != mine.sources)
            .map(|quote| (ctx.file, quote.range.clone(), &quote.sources));
        let elsewhere = (ctx.ws.quotes_with_text(&mine.key).iter())
            .filter(|site| site.file != ctx.file && site.sources != mine.sources)
            .map(|site| (site.file, site.range.clone(), &site.sources));
        let (mut in_this_file, mut in_other_files) = (0, 0);
        let mut conflicts: Vec<Related> = Vec::new();
        for (file, range, sources) in here.chain(elsewhere) {
            let place = if file == ctx.file {
                in_this_file += 1;
                "elsewhere in this file".to_owned()
            } else {
                in_other_files += 1;
                format!("in `{}`", ctx.ws.display_path(file))
            };
            if conflicts.len() < MAX_RELATED {
                conflicts.push(Related {
                    file,
                    range,
                    message: format!("attributed to {} {place}", list(sources)),
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
            mine.range.clone(),
            format!(
                "this quote is attributed to {} here but to other sources {elsewhere}",
                list(&mine.sources),
            ),
        );
        diagnostic.related = conflicts;
        out.push(diagnostic);
    }
}

fn list(ids: &[Name]) -> String {
    ids.iter()
        .map(|id| format!("`@{id}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
