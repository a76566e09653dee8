//! `invalid-review`: a front matter `review:` line that says no review.

use super::{Code, Context, Diagnostic};
use crate::review::reviews;

pub(super) const DOC: &str = r#"A front matter `review:` line that is not a review: no `#label` first, no rating, no reviewer, a second reviewer, date, URL or score, a date that is not a real `YYYY-MM-DD` date, or a score off its scale.

**Why it matters.** A review says how a fact-checker rated a claim of the article; `newsmark export --format claimreview` publishes it as a schema.org `ClaimReview`. A review it cannot read is left out of the export.

**Example.**

```newsmark
---
review: #munitions False 2023-10-32
---

{North Korea supplied munitions | @us}#munitions.
```

**How to fix.** Write the label of the reviewed claim first, then the rating as the reviewer words it and the reviewer's `@id`; a date, the review's URL and a score such as `2/5` may follow, in any order: `review: #munitions False @factcheck 2023-10-20 https://factcheck.example/munitions`.

**How to silence.** `%% ignore: invalid-review` on the line."#;

pub(super) fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for error in reviews(ctx.summary()).into_iter().filter_map(Result::err) {
        out.push(Diagnostic::new(
            Code::InvalidReview,
            error.range,
            error.message,
        ));
    }
}
