//! Document links for `url` and `wikidata` values.

use std::ops::Range;

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
                "url" if p.value.starts_with("https://") || p.value.starts_with("http://") => {
                    p.value.clone()
                }
                "wikidata" if is_wikidata_id(&p.value) => {
                    format!("https://www.wikidata.org/wiki/{}", p.value)
                }
                _ => return None,
            };
            Some(DocumentLink {
                range: p.value_range.clone(),
                target,
            })
        })
        .collect()
}

fn is_wikidata_id(value: &str) -> bool {
    value
        .strip_prefix('Q')
        .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    #[test]
    fn urls_and_wikidata_ids_link() {
        let fixture = fixture::parse(
            "//- a.nmk\n---\nurl: https://example.org/a\n---\n\n@kim: Kim\n  wikidata: Q56226\n  url: not a link\n",
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
