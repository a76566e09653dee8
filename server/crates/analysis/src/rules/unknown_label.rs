//! `unknown-label`: a stance names a label no claim of the file has.

use super::{Code, Context, Diagnostic};
use crate::summary::FileSummary;

pub(super) const DOC: &str = r#"A stance names a label that no claim of this file has: `@seoul denies #munitions` with no `}#munitions`.

**Why it matters.** A stance links two claims: what Seoul denies must be a claim of the article. A misspelt label links nothing, and the graph, the stats and the exports lose the denial.

**Example.**

```newsmark
{North Korea supplied munitions | @kcna}#munitions.
{The report is groundless | @south-korea denies #munition}.
```

**How to fix.** Write the label of the claim the source takes a stance on (labels are unique within their file), or label that claim: `}#munitions` right after its closing brace.

**How to silence.** `%% ignore: unknown-label` on the line."#;

pub(super) fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let summary = ctx.summary();
    for stance in &summary.stances {
        if summary.labelled(&stance.label).next().is_some() {
            continue;
        }
        let mut message = format!(
            "no claim of this file is labelled `#{label}`: label the claim right after its closing brace, as in `}}#{label}`",
            label = stance.label
        );
        if let Some(closest) = closest_label(summary, &stance.label) {
            message = format!("{message}; did you mean `#{closest}`?");
        }
        out.push(Diagnostic::new(
            Code::UnknownLabel,
            stance.label_range.start - 1..stance.label_range.end,
            message,
        ));
    }
}

/// The label of the file nearest to `label` in spelling, if near enough.
fn closest_label<'s>(summary: &'s FileSummary, label: &str) -> Option<&'s str> {
    (summary.labels.iter())
        .map(|l| (strsim::jaro_winkler(label, &l.name), &*l.name))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name)
}
