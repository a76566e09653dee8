//! `unknown-label`: a stance or a review names a label no claim of the
//! file has.

use super::{Code, Context, Diagnostic};
use crate::review::reviews;

pub(super) const DOC: &str = r#"A stance or a review names a label that no claim of this file has: `@seoul denies #munitions` or `review: #munitions False @factcheck` with no `}#munitions`.

**Why it matters.** A stance links two claims: what Seoul denies must be a claim of the article. A misspelt label links nothing, and the graph, the stats and the exports lose the denial. A review, likewise, rates a claim of the article; one of no claim is left out of the `claimreview` export.

**Example.**

```newsmark
{North Korea supplied munitions | @kcna}#munitions.
{The report is groundless | @south-korea denies #munition}.
```

**How to fix.** Write the label of the claim the source takes a stance on (labels are unique within their file), or label that claim: `}#munitions` right after its closing brace.

**How to silence.** `%% ignore: unknown-label` on the line."#;

pub(super) fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let summary = ctx.summary();
    let by_label = summary.claims_by_label();
    let mut names: Vec<&str> = by_label.keys().copied().collect();
    names.sort_unstable();
    // Suggestions compare with every label: not for files of thousands.
    names.truncate(if names.len() > MAX_COMPARED {
        0
    } else {
        names.len()
    });
    // Each `#label` that names a claim: in a stance, or first in a review.
    let stances = (summary.stances.iter()).map(|stance| {
        (
            &*stance.label,
            stance.label_range.start - 1..stance.label_range.end,
        )
    });
    let reviews = reviews(summary);
    let reviewed = (reviews.iter().flatten())
        .map(|review| (review.label.as_str(), review.label_range.clone()));
    for (label, range) in stances.chain(reviewed) {
        if by_label.contains_key(label) {
            continue;
        }
        let mut message = format!(
            "no claim of this file is labelled `#{label}`: label the claim right after its closing brace, as in `}}#{label}`"
        );
        if let Some(closest) = closest_label(&names, label) {
            message = format!("{message}; did you mean `#{closest}`?");
        }
        out.push(Diagnostic::new(Code::UnknownLabel, range, message));
    }
}

/// The most labels a file may have for an unknown one to get a "did you
/// mean" (each unknown label is compared with all of them).
const MAX_COMPARED: usize = 256;

/// The label nearest to `label` in spelling, if near enough (of those as
/// near, the first in `labels`, which are sorted).
fn closest_label<'s>(labels: &[&'s str], label: &str) -> Option<&'s str> {
    (labels.iter())
        .map(|&name| (strsim::jaro_winkler(label, name), name))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(a.1)))
        .map(|(_, name)| name)
}
