//! `duplicate-label`: one label on several claims of a file.

use super::{Code, Context, Diagnostic, MAX_RELATED, Related};
use crate::summary::Label;

pub(super) const DOC: &str = r#"The same label on more than one claim of a file: `}#talks` twice.

**Why it matters.** A stance names one claim by its label; with two claims of that label, no tool can tell which one is denied or confirmed.

**Example.**

```newsmark
{Talks will resume | @kcna}#talks. {Talks are over | @us}#talks.
```

**How to fix.** Give each claim its own label (`#talks-resume`, `#talks-over`) and point each stance at the one it means.

**How to silence.** `%% ignore: duplicate-label` on the line."#;

pub(super) fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let summary = ctx.summary();
    let by_label = summary.claims_by_label();
    for label in &summary.labels {
        // The versions of a conflict are alternatives: one will stay.
        let same: Vec<&&Label> = (by_label[&*label.name].iter())
            .filter(|other| !summary.are_alternatives(label.range.start, other.range.start))
            .collect();
        if same.len() < 2 {
            continue;
        }
        let mut diagnostic = Diagnostic::new(
            Code::DuplicateLabel,
            label.range.start - 1..label.range.end,
            format!(
                "`#{}` labels {} claims of this file; a label names one claim",
                label.name,
                same.len()
            ),
        );
        diagnostic.related = (same.iter())
            .filter(|other| other.range != label.range)
            .take(MAX_RELATED)
            .map(|other| Related {
                file: ctx.file,
                range: other.range.start - 1..other.range.end,
                message: format!("`#{}` also labels this claim", other.name),
            })
            .collect();
        out.push(diagnostic);
    }
}
