//! Folding ranges: front matter, definitions with properties, and claims
//! that span lines. Single-line ranges are left out.

use std::ops::Range;

use crate::workspace::{FileId, Workspace};

pub fn folding_ranges(ws: &Workspace, file: FileId) -> Vec<Range<usize>> {
    let summary = ws.summary(file);
    let lines = &summary.lines;
    let spans_lines = |range: &Range<usize>| {
        lines.line(range.start) < lines.line(range.end.saturating_sub(1).max(range.start))
    };
    let mut ranges: Vec<Range<usize>> = summary
        .front_matter
        .iter()
        .map(|f| f.range.clone())
        .chain(summary.definitions.iter().map(|d| d.range.clone()))
        .chain(summary.claims.iter().map(|c| c.range()))
        .filter(spans_lines)
        .collect();
    ranges.sort_by_key(|r| r.start);
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    #[test]
    fn multi_line_constructs_fold() {
        let text = "//- a.nmk\n---\ntitle: T\n---\n\n@a: A\n  kind: person\n@b: B\n\n{one line} {two\nlines}\n";
        let fixture = fixture::parse(text);
        let file = fixture.file("a.nmk");
        let folded: Vec<String> = folding_ranges(&fixture.ws, file)
            .into_iter()
            .map(|r| fixture.ws.text(file)[r].trim_end().to_owned())
            .collect();
        assert_eq!(
            folded,
            [
                "---\ntitle: T\n---",
                "@a: A\n  kind: person",
                "{two\nlines}"
            ]
        );
    }
}
