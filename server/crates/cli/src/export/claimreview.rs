//! `--format claimreview`: schema.org `ClaimReview` JSON-LD, one for each
//! front matter `review:` (`newsmark_analysis::review`), in a JSON array:
//! each object has its own `@context`, so it can be put on the review's
//! page as it is.
//!
//! - `claimReviewed`: the claim's text (the parts of a split quote joined
//!   by ` … `);
//! - `itemReviewed`: a `Claim` whose `author`s are the claim's sources (a
//!   `Person` for an entity of kind `person`, else an `Organization`; a
//!   chain's conduits are left out), whose `appearance` is the article (a
//!   `NewsArticle` with the front matter's `url`, `date`, `title` and
//!   `outlet`), and which says where the claim is: the article's `path`
//!   and the claim's `start` and `end` in Unicode code points into the
//!   plain text of `newsmark export` (`newsmark:offsetUnit` says so);
//! - `reviewRating`: a `Rating` whose `alternateName` is the rating as
//!   the reviewer words it, with `ratingValue`, `bestRating` and
//!   `worstRating` (1) when the review gives a score;
//! - `author`: the reviewer, an `Organization` (a `Person` for kind
//!   `person`) with its registry `url`;
//! - `url` and `datePublished`: the review's own, when given.
//!
//! `<`, `>` and `&` are written as `\u` escapes, so that the JSON can be
//! put in an HTML `<script>` element whatever the claims say.
//!
//! A review that cannot be read, or of a label no claim has, is left out,
//! with a warning (`newsmark check` reports it as `invalid-review` or
//! `unknown-label`).

use newsmark_analysis::export::{ClaimSpan, ResolvedEntity};
use newsmark_analysis::review::{self, REVIEW_KEY, Review};
use serde_json::{Value, json};

use crate::export::Article;
use crate::export::web_annotation::{NEWSMARK_NS, wikidata_iri};
use crate::output::escape::visible;

pub const OFFSET_UNIT: &str = "Unicode code points";

/// The export, and a warning for each review left out.
pub fn render(articles: &[Article]) -> (String, Vec<String>) {
    let mut reviews = Vec::new();
    let mut warnings = Vec::new();
    for article in articles {
        let written = (article.front_matter.iter()).filter(|(key, _)| key == REVIEW_KEY);
        for (_, value) in written {
            let found = match review::parse(value, 0) {
                Err(error) => Err(error.message),
                Ok(review) => {
                    let claim = (article.document.claims.iter())
                        .find(|claim| claim.label.as_deref() == Some(review.label.as_str()));
                    match claim {
                        Some(claim) => Ok((review, claim)),
                        None => Err(format!(
                            "no claim of the article is labelled `#{}`",
                            review.label
                        )),
                    }
                }
            };
            match found {
                Ok((review, claim)) => reviews.push(claim_review(article, &review, claim)),
                Err(why) => warnings.push(format!(
                    "newsmark: warning: {}: `review: {}` is not exported: {}",
                    visible(&article.path),
                    visible(value),
                    visible(&why)
                )),
            }
        }
    }
    let json = serde_json::to_string_pretty(&reviews).expect("JSON serialises");
    (html_safe(&json) + "\n", warnings)
}

/// JSON that can stand inside an HTML `<script>` element, where a
/// ClaimReview is published: `<`, `>` and `&` (which JSON has only inside
/// strings) written as `\u` escapes, so a claim's `</script>` ends nothing.
fn html_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn claim_review(article: &Article, review: &Review, claim: &ClaimSpan) -> Value {
    let front = |key: &str| {
        (article.front_matter.iter())
            .find(|(k, _)| k == key)
            .map(|(_, value)| value.as_str())
    };
    let reviewed: Vec<&str> = std::iter::once(claim.text.as_str())
        .chain(claim.parts.iter().map(|part| part.text.as_str()))
        .collect();
    let authors: Vec<Value> = (claim.sources.iter())
        .map(|id| party(id, article.entity(id)))
        .collect();
    let mut appearance = json!({"@type": "NewsArticle"});
    if let Some(url) = front("url") {
        appearance["url"] = json!(url);
    }
    if let Some(date) = front("date") {
        appearance["datePublished"] = json!(date);
    }
    if let Some(title) = front("title") {
        appearance["headline"] = json!(title);
    }
    if let Some(outlet) = front("outlet").and_then(|value| value.strip_prefix('@')) {
        appearance["publisher"] = party(outlet, article.entity(outlet));
    }
    let mut rating = json!({"@type": "Rating", "alternateName": review.rating});
    if let Some((value, best)) = &review.score {
        rating["ratingValue"] = number(value);
        rating["bestRating"] = number(best);
        rating["worstRating"] = json!(1);
    }
    let mut out = json!({
        "@context": ["https://schema.org", {"newsmark": NEWSMARK_NS}],
        "@type": "ClaimReview",
        "claimReviewed": reviewed.join(" … "),
        "itemReviewed": {
            "@type": "Claim",
            "author": authors,
            "appearance": appearance,
            "newsmark:path": article.path,
            "newsmark:label": review.label,
            "newsmark:start": claim.start,
            "newsmark:end": claim.end,
            "newsmark:offsetUnit": OFFSET_UNIT,
        },
        "reviewRating": rating,
        "author": party(&review.reviewer, article.entity(&review.reviewer)),
    });
    if let Some(url) = &review.url {
        out["url"] = json!(url);
    }
    if let Some(date) = &review.date {
        out["datePublished"] = json!(date);
    }
    out
}

/// A source, an outlet or a reviewer: a `Person` or an `Organization`
/// with its name (the id when it has none), its `url` and its Wikidata IRI.
fn party(id: &str, entity: Option<&ResolvedEntity>) -> Value {
    let kind = entity.and_then(|e| e.kind.as_deref());
    let mut party = json!({
        "@type": if kind == Some("person") { "Person" } else { "Organization" },
        "name": entity.and_then(|e| e.name.as_deref()).unwrap_or(id),
    });
    if let Some(url) = entity.and_then(|e| e.url.as_deref()) {
        party["url"] = json!(url);
    }
    if let Some(wikidata) = entity.and_then(|e| e.wikidata.as_deref()) {
        party["sameAs"] = json!(wikidata_iri(wikidata));
    }
    party
}

/// A score as written (`3.5`), as a JSON number.
fn number(text: &str) -> Value {
    text.parse::<serde_json::Number>()
        .map_or(json!(text), Value::Number)
}
