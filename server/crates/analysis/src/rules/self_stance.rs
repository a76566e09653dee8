//! `self-stance`: a claim takes a stance on itself.

use super::{Code, Context, Diagnostic};

pub(super) const DOC: &str = r#"A claim takes a stance on its own label: `{… | @x denies #a}#a`.

**Why it matters.** A denial or confirmation links two claims; a claim that denies itself is almost always a stance written on the wrong claim, or a label copied onto the reply.

**Example.**

```newsmark
{The report is groundless | @south-korea denies #report}#report.
```

**How to fix.** Move the label to the claim being denied or confirmed, and give this claim its own label if it needs one.

**How to silence.** `%% ignore: self-stance` on the line."#;

pub(super) fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let summary = ctx.summary();
    let by_label = summary.claims_by_label();
    for stance in &summary.stances {
        let mut labelled = by_label.get(&*stance.label).into_iter().flatten();
        if labelled.any(|label| label.claim == stance.claim) {
            out.push(Diagnostic::new(
                Code::SelfStance,
                stance.range.clone(),
                format!(
                    "this claim {} itself: `#{}` is its own label; a stance names another claim",
                    stance.kind.word(),
                    stance.label
                ),
            ));
        }
    }
}
