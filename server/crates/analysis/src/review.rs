//! Fact-check reviews of an article's claims, one front matter line each:
//!
//! ```text
//! review: #munitions Mostly false 2/5 @factcheck 2023-10-20 https://factcheck.example/munitions
//! ```
//!
//! The first word is the `#label` of the claim reviewed; then, in any
//! order, the reviewer (`@id`, required), the date (`YYYY-MM-DD`), the URL
//! of the review (`http://` or `https://`) and a score on a scale from 1
//! (`2/5`); every other word is the rating, as the reviewer words it
//! (required). Escapes are resolved (`\@` is `@`). `newsmark export
//! --format claimreview` writes them as schema.org `ClaimReview`s; the
//! rules `invalid-review` and `unknown-label` report mistakes.

use std::ops::Range;

use newsmark_syntax::{is_valid_id, normalized_id};

use crate::date::is_real_date;
use crate::summary::FileSummary;

/// The front matter key of a review.
pub const REVIEW_KEY: &str = "review";

/// What a `review:` line says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// The label of the claim reviewed, without `#`, in NFC.
    pub label: String,
    /// The `#label`, in bytes into the file.
    pub label_range: Range<usize>,
    /// The rating as the reviewer words it: `Mostly false`.
    pub rating: String,
    /// `(value, best)` of a score such as `2/5`, as written.
    pub score: Option<(String, String)>,
    /// The reviewer's entity id, without `@`, in NFC.
    pub reviewer: String,
    pub date: Option<String>,
    pub url: Option<String>,
}

/// Why a `review:` line says no review, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewError {
    /// In bytes into the file.
    pub range: Range<usize>,
    pub message: String,
}

/// The form a review takes, for messages.
const FORM: &str = "write `review: #label RATING @reviewer [YYYY-MM-DD] [URL] [2/5]`";

/// Every `review:` line of the front matter, in order, read.
pub fn reviews(summary: &FileSummary) -> Vec<Result<Review, ReviewError>> {
    (summary.front_matter.iter())
        .flat_map(|front_matter| &front_matter.properties)
        .filter(|property| property.key == REVIEW_KEY)
        .map(|property| parse(&property.value, property.value_range.start))
        .collect()
}

/// Reads a review's value, which starts at byte `at` of its file.
pub fn parse(value: &str, at: usize) -> Result<Review, ReviewError> {
    let error = |range: Range<usize>, message: String| ReviewError {
        range: at + range.start..at + range.end,
        message,
    };
    let mut words = words(value);
    let label = words
        .next()
        .and_then(|(range, word)| Some((range, word.strip_prefix('#')?)))
        .filter(|(_, name)| is_valid_id(name));
    let Some((label_range, label)) = label else {
        return Err(error(
            0..value.len(),
            format!("a review starts with the `#label` of the claim it reviews: {FORM}"),
        ));
    };
    let mut review = Review {
        label: normalized_id(label).into_owned(),
        label_range: at + label_range.start..at + label_range.end,
        rating: String::new(),
        score: None,
        reviewer: String::new(),
        date: None,
        url: None,
    };
    for (range, word) in words {
        let twice = |what: &str| error(range.clone(), format!("a review has one {what}"));
        if let Some(id) = word.strip_prefix('@') {
            if !is_valid_id(id) {
                return Err(error(
                    range.clone(),
                    format!("`{word}` is not a reviewer: an `@` and an entity id"),
                ));
            }
            if !review.reviewer.is_empty() {
                return Err(twice("reviewer"));
            }
            review.reviewer = normalized_id(id).into_owned();
        } else if is_date_shaped(word) {
            if !is_real_date(word) {
                return Err(error(
                    range.clone(),
                    format!("`{word}` is not a real date written YYYY-MM-DD, such as 2023-10-18"),
                ));
            }
            if review.date.replace(word.to_owned()).is_some() {
                return Err(twice("date"));
            }
        } else if word.starts_with("http://") || word.starts_with("https://") {
            if review.url.replace(unescaped(word)).is_some() {
                return Err(twice("URL"));
            }
        } else if let Some((value, best)) = score(word) {
            if review.score.is_some() {
                return Err(twice("score"));
            }
            let number = |text: &str| text.parse::<f64>().unwrap_or(f64::NAN);
            let on_scale = 1.0 <= number(value) && number(value) <= number(best);
            if !on_scale {
                return Err(error(
                    range.clone(),
                    format!("the score `{word}` is not on a scale from 1 to {best}"),
                ));
            }
            review.score = Some((value.to_owned(), best.to_owned()));
        } else {
            if !review.rating.is_empty() {
                review.rating.push(' ');
            }
            review.rating.push_str(&unescaped(word));
        }
    }
    if review.rating.is_empty() {
        return Err(error(
            0..value.len(),
            format!("a review needs a rating, such as `False` or `Mostly true`: {FORM}"),
        ));
    }
    if review.reviewer.is_empty() {
        return Err(error(
            0..value.len(),
            format!("a review needs its reviewer, an entity such as `@factcheck`: {FORM}"),
        ));
    }
    Ok(review)
}

/// The words of `value` split at white space, with their byte ranges.
fn words(value: &str) -> impl Iterator<Item = (Range<usize>, &str)> {
    value.split_whitespace().map(move |word| {
        let start = word.as_ptr() as usize - value.as_ptr() as usize;
        (start..start + word.len(), word)
    })
}

/// `2023-10-18`, real or not (`2023-10-32`): ten characters, dashes at 4 and 7.
fn is_date_shaped(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.len() == 10 && bytes[4] == b'-' && bytes[7] == b'-' && bytes[0].is_ascii_digit()
}

/// `2/5` or `3.5/5` as `(value, best)`.
fn score(word: &str) -> Option<(&str, &str)> {
    let (value, best) = word.split_once('/')?;
    let is_number = |text: &str| {
        let (whole, fraction) = text.split_once('.').unwrap_or((text, "0"));
        [whole, fraction]
            .iter()
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
    };
    (is_number(value) && is_number(best)).then_some((value, best))
}

/// `word` with its escapes resolved: `\@` is `@`, as in the text.
fn unescaped(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(&next) if c == '\\' && next.is_ascii_punctuation() => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_in_any_order() {
        let review = parse(
            "#munitions Mostly false https://f.example/a\\@b 2/5 @factcheck 2023-10-20",
            100,
        )
        .unwrap();
        assert_eq!(review.label, "munitions");
        assert_eq!(review.label_range, 100..110);
        assert_eq!(review.rating, "Mostly false");
        assert_eq!(review.score, Some(("2".into(), "5".into())));
        assert_eq!(review.reviewer, "factcheck");
        assert_eq!(review.date.as_deref(), Some("2023-10-20"));
        assert_eq!(review.url.as_deref(), Some("https://f.example/a@b"));
    }

    #[test]
    fn the_least_is_a_label_a_rating_and_a_reviewer() {
        let review = parse("#контейнеры Ложь @проверка", 0).unwrap();
        assert_eq!(
            (
                review.label.as_str(),
                review.rating.as_str(),
                review.reviewer.as_str()
            ),
            ("контейнеры", "Ложь", "проверка")
        );
        assert_eq!((review.date, review.url, review.score), (None, None, None));
    }

    #[test]
    fn mistakes_are_named_where_they_are() {
        let cases = [
            ("False @f", 0..8, "starts with the `#label`"),
            ("#a @f", 0..5, "needs a rating"),
            ("#a False", 0..8, "needs its reviewer"),
            ("#a False @f @g", 12..14, "one reviewer"),
            ("#a False @f 2023-02-30", 12..22, "not a real date"),
            ("#a False @f 6/5", 12..15, "scale from 1 to 5"),
            ("#a False @f. x", 9..12, "not a reviewer"),
        ];
        for (value, range, message) in cases {
            let error = parse(value, 0).unwrap_err();
            assert_eq!(error.range, range, "{value}");
            assert!(
                error.message.contains(message),
                "{value}: {}",
                error.message
            );
        }
    }
}
