//! `invalid-date`: a `date` that is not a real `YYYY-MM-DD` date.

use super::{Code, Context, Diagnostic};

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

/// Whether `text` is `YYYY-MM-DD` and names a day of the Gregorian calendar.
pub(crate) fn is_real_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    let shape = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape {
        return false;
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}
