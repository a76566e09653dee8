//! Inlay hints: the display name after a bare `@id` (a reference, a claim
//! source or a property value), where the text does not already name it.

use std::ops::Range;

use crate::summary::UsageKind;
use crate::workspace::{FileId, Workspace};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlayHint {
    /// Where the hint sits: right after the `@id`.
    pub offset: usize,
    pub label: String,
}

pub fn inlay_hints(ws: &Workspace, file: FileId, range: Range<usize>) -> Vec<InlayHint> {
    ws.summary(file)
        .usages
        .iter()
        .filter(|u| !matches!(u.kind, UsageKind::Mention { .. }))
        .filter(|u| range.start <= u.range().start && u.range().end <= range.end)
        .filter_map(|u| {
            let (_, definition) = ws.entity(&u.id)?;
            Some(InlayHint {
                offset: u.range().end,
                label: definition.name.clone()?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    #[test]
    fn names_follow_bare_ids_only() {
        let fixture = fixture::parse(
            "//- r.nmk\n@kim: Kim Jong Un\n  kind: person\n//- a.nmk\n[Kim]@kim met @kim {x | @kim} @nobody\n",
        );
        let file = fixture.file("a.nmk");
        let text = fixture.ws.text(file);
        let hints: Vec<(&str, String)> = inlay_hints(&fixture.ws, file, 0..text.len())
            .into_iter()
            .map(|h| (&text[..h.offset], h.label))
            .map(|(before, label)| (&before[before.len() - 4..], label))
            .collect();
        assert_eq!(
            hints,
            [
                ("@kim", "Kim Jong Un".to_owned()),
                ("@kim", "Kim Jong Un".to_owned())
            ]
        );
    }
}
