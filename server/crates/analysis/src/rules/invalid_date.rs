//! `invalid-date`: a `date` that is not a real `YYYY-MM-DD` date.

use super::{Code, Context, Diagnostic};
use crate::date::is_real_date;

pub(super) const DOC: &str = r#"A `date` value (in front matter or in a definition) that is not a real calendar date written `YYYY-MM-DD`.

**Why it matters.** Dates order articles and documents in exports and timelines; `18/10/2023` or `2023-02-30` cannot be ordered.

**Example.**

```newsmark
---
date: 2023-10-32
---
```

**How to fix.** Write the date as year, month and day with leading zeros: `2023-10-18`.

**How to silence.** `%% ignore: invalid-date` on the line."#;

pub(super) fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let summary = ctx.summary();
    let properties = summary
        .definitions
        .iter()
        .flat_map(|d| &d.properties)
        .chain(summary.front_matter.iter().flat_map(|f| &f.properties));
    for property in properties.filter(|p| p.key == "date") {
        if !is_real_date(&property.value) {
            out.push(Diagnostic::new(
                Code::InvalidDate,
                property.value_range.clone(),
                format!(
                    "`{}` is not a real date written YYYY-MM-DD, such as 2023-10-18",
                    property.value
                ),
            ));
        }
    }
}
