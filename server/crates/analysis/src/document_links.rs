//! Document links for `url` and `wikidata` values.

use std::ops::Range;

use crate::markdown;
use crate::workspace::{FileId, Workspace};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentLink {
    pub range: Range<usize>,
    pub target: String,
}

pub fn document_links(ws: &Workspace, file: FileId) -> Vec<DocumentLink> {
    let summary = ws.summary(file);
    let properties = summary
        .definitions
        .iter()
        .flat_map(|d| &d.properties)
        .chain(summary.front_matter.iter().flat_map(|f| &f.properties));
    properties
        .filter_map(|p| {
            let target = match p.key.as_str() {
                "url" => markdown::web_url(&p.value)?,
                "wikidata" => markdown::wikidata_url(&p.value)?,
                _ => return None,
            };
            Some(DocumentLink {
                range: p.value_range.clone(),
                target,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    #[test]
    fn urls_and_wikidata_ids_link() {
        let fixture = fixture::parse(
            "//- a.nmk\n---\nurl: https://example.org/a\n---\n\n@kim: Kim\n  wikidata: Q56226\n  url: not a link\n\n@x: X\n  wikidata: Q0123\n  url: javascript://example.org/%0aalert(1)\n",
        );
        let links: Vec<String> = document_links(&fixture.ws, fixture.file("a.nmk"))
            .into_iter()
            .map(|l| l.target)
            .collect();
        assert_eq!(
            links,
            [
                "https://www.wikidata.org/wiki/Q56226",
                "https://example.org/a"
            ]
        );
    }
}
