//! `unsourced-claim`: a claim with no `|` part.

use super::{Code, Context, Diagnostic};

pub(super) const DOC: &str = r#"A claim with no source: `{...}` without a `| @source` part.

**Why it matters.** A factual assertion that nobody is on record for is the first thing a fact-checker needs to see. An unsourced claim is often an annotation that is not finished yet.

**Example.**

```newsmark
{North Korea had supplied munitions to Russia}.
```

**How to fix.** Add who made the claim after a `|`: `{North Korea had supplied munitions to Russia | @us}`. For several sources, separate them with commas. If the article really gives no source, keep the claim and silence the finding, so the gap stays documented.

**How to silence.** `%% ignore: unsourced-claim` on the line where the claim starts, or on the line above it."#;

pub(super) fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for claim in &ctx.summary().claims {
        if claim.has_bar || claim.text_range.is_empty() {
            continue;
        }
        out.push(Diagnostic::new(
            Code::UnsourcedClaim,
            claim.range.clone(),
            "this claim has no source: add `| @source` before the closing `}`",
        ));
    }
}
