//! Selection ranges: from the id under the cursor outwards through the
//! mark, the claims around it, the paragraph or definition, to the file.

use std::ops::Range;

use crate::workspace::{FileId, Workspace};

/// Nested ranges holding `offset`, innermost first.
pub fn selection_ranges(ws: &Workspace, file: FileId, offset: usize) -> Vec<Range<usize>> {
    let summary = ws.summary(file);
    let holds = |r: &Range<usize>| r.start <= offset && offset <= r.end;
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for usage in summary.usages.iter().filter(|u| holds(&u.range())) {
        ranges.push(usage.id_range());
        ranges.push(usage.range());
    }
    for claim in summary.claims.iter().filter(|c| holds(&c.range())) {
        ranges.push(claim.text_range());
        ranges.push(claim.range());
    }
    for definition in summary.definitions.iter().filter(|d| holds(&d.range)) {
        ranges.extend(
            definition
                .properties
                .iter()
                .map(|p| p.key_range.start..p.value_range.end)
                .filter(holds),
        );
        ranges.push(definition.range.clone());
    }
    ranges.extend(summary.paragraphs.iter().map(|p| p.range()).filter(holds));
    ranges.extend(
        summary
            .front_matter
            .iter()
            .map(|f| f.range.clone())
            .filter(holds),
    );
    ranges.push(0..ws.text(file).len());
    ranges.retain(|r| holds(r) && !r.is_empty());
    ranges.sort_by_key(|r| (r.len(), std::cmp::Reverse(r.start)));
    ranges.dedup();
    // Keep a chain where each range holds the one before it.
    let mut chain: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        if chain
            .last()
            .is_none_or(|inner| range.start <= inner.start && inner.end <= range.end)
        {
            chain.push(range);
        }
    }
    chain
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    #[test]
    fn selection_grows_from_id_to_file() {
        let fixture =
            fixture::parse("//- a.nmk\nBefore.\n\nHe said {they met [Kim]@k$0im | @kcna} today.\n");
        let (file, offset) = fixture.cursor();
        let text = fixture.ws.text(file);
        let ranges: Vec<&str> = selection_ranges(&fixture.ws, file, offset)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(
            ranges,
            [
                "kim",
                "[Kim]@kim",
                "they met [Kim]@kim",
                "{they met [Kim]@kim | @kcna}",
                "He said {they met [Kim]@kim | @kcna} today.",
                "Before.\n\nHe said {they met [Kim]@kim | @kcna} today.\n",
            ]
        );
    }
}
