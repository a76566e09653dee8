//! `textDocument/documentLink`: `url` values and `wikidata` ids (linked to
//! wikidata.org) in definitions and front matter.

use newsmark_analysis::FileId;
use tower_lsp_server::ls_types as lsp;

use crate::snapshot::Snapshot;
use crate::to_proto;

pub fn document_links(snap: &Snapshot, file: FileId) -> Vec<lsp::DocumentLink> {
    let rope = snap.rope(file);
    newsmark_analysis::document_links::document_links(&snap.ws, file)
        .into_iter()
        .filter_map(|link| {
            Some(lsp::DocumentLink {
                range: to_proto::range(&rope, link.range, snap.encoding),
                target: Some(target(&link.target)?),
                tooltip: None,
                data: None,
            })
        })
        .collect()
}

/// The link as a URI. URLs as people paste them may hold characters that
/// URIs may not (Hangul in a Wikipedia address, spaces); those are
/// percent-encoded, as browsers do.
fn target(link: &str) -> Option<lsp::Uri> {
    if let Ok(uri) = link.parse() {
        return Some(uri);
    }
    let mut encoded = String::with_capacity(link.len());
    for byte in link.bytes() {
        if byte.is_ascii_graphic()
            && !matches!(
                byte,
                b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}'
            )
        {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_with_hangul_or_spaces_are_percent_encoded() {
        assert_eq!(
            target("https://ko.wikipedia.org/wiki/최선희")
                .unwrap()
                .as_str(),
            "https://ko.wikipedia.org/wiki/%EC%B5%9C%EC%84%A0%ED%9D%AC"
        );
        assert_eq!(
            target("https://example.org/a b").unwrap().as_str(),
            "https://example.org/a%20b"
        );
        assert_eq!(
            target("https://example.org/a?b=1#c").unwrap().as_str(),
            "https://example.org/a?b=1#c"
        );
    }
}
