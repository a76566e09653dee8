//! `textDocument/foldingRange`: front matter, definitions with their
//! properties, and claims that span lines, as whole lines of kind `region`.

use newsmark_analysis::FileId;
use tower_lsp_server::ls_types::{self as lsp, FoldingRangeKind};

use crate::snapshot::Snapshot;

pub fn folding_ranges(snap: &Snapshot, file: FileId) -> Vec<lsp::FoldingRange> {
    let text = &*snap.ws.text(file);
    newsmark_analysis::folding::folding_ranges(&snap.ws, file)
        .into_iter()
        .filter_map(|range| {
            // A definition's range may end after its line break; the fold
            // ends on the last line that holds some of it.
            let end = range.start + text[range.clone()].trim_end().len();
            let start_line = snap.position(file, range.start).line;
            let end_line = snap.position(file, end).line;
            (end_line > start_line).then_some(lsp::FoldingRange {
                start_line,
                start_character: None,
                end_line,
                end_character: None,
                kind: Some(FoldingRangeKind::Region),
                collapsed_text: None,
            })
        })
        .collect()
}
