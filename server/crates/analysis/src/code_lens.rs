//! Code lens on each definition: how often the entity is mentioned and how
//! many claims are sourced to it, across the workspace.

use std::ops::Range;

use crate::summary::Name;
use crate::workspace::{FileId, Workspace};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeLens {
    /// The `@id` of the definition.
    pub range: Range<usize>,
    pub id: Name,
    pub title: String,
}

pub fn code_lenses(ws: &Workspace, file: FileId) -> Vec<CodeLens> {
    ws.summary(file)
        .definitions
        .iter()
        .map(|definition| {
            let files = ws.file_counts(&definition.id);
            let mentions: u32 = files.iter().map(|(_, c)| c.mentions).sum();
            let sourced: u32 = files.iter().map(|(_, c)| c.sourced_claims).sum();
            let title = format!(
                "{} · {} sourced",
                count(mentions, "mention"),
                count(sourced, "claim")
            );
            CodeLens {
                range: definition.id_range.clone(),
                id: definition.id.clone(),
                title,
            }
        })
        .collect()
}

fn count(n: u32, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    #[test]
    fn lens_counts_mentions_and_sourced_claims() {
        let fixture = fixture::parse(
            "//- r.nmk\n@a: A\n  kind: person\n@b: B\n  kind: person\n//- x.nmk\n[A]@a {x | @a} {y | @a, @b} [A]@a\n",
        );
        let lenses = code_lenses(&fixture.ws, fixture.file("r.nmk"));
        let titles: Vec<&str> = lenses.iter().map(|l| l.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "2 mentions · 2 claims sourced",
                "0 mentions · 1 claim sourced"
            ]
        );
    }
}
