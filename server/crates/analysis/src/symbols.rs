//! Document symbols (headings, definitions and claims as a nested outline)
//! and workspace symbols (entities by id, name or alias).

use std::ops::Range;

use crate::summary::{Claim, FileSummary};
use crate::workspace::{FileId, Workspace};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    Heading,
    Entity,
    Claim,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole construct.
    pub range: Range<usize>,
    /// The part to select when the symbol is picked.
    pub selection: Range<usize>,
    pub children: Vec<Symbol>,
}

/// How much claim text a symbol name shows.
const CLAIM_NAME_CHARS: usize = 60;

/// How deep claims nest in the outline.
const MAX_CLAIM_DEPTH: usize = 8;

/// The outline of a file: headings nest by level; definitions and claims
/// sit under the heading before them; nested claims under their claim.
pub fn document_symbols(ws: &Workspace, file: FileId) -> Vec<Symbol> {
    let summary = ws.summary(file);
    let text = &*ws.text(file);
    let mut leaves: Vec<Symbol> = summary
        .definitions
        .iter()
        .map(|d| Symbol {
            name: format!("@{}", d.id),
            detail: Some(match d.kind() {
                Some(kind) => format!("{} · {kind}", d.display_name()),
                None => d.display_name().to_owned(),
            }),
            kind: SymbolKind::Entity,
            range: d.range.clone(),
            selection: d.id_range.clone(),
            children: Vec::new(),
        })
        .collect();
    leaves.extend(claim_tree(summary, text));
    leaves.sort_by_key(|s| s.range.start);

    // Headings with the symbols that follow them, nested by level.
    let mut roots: Vec<Symbol> = Vec::new();
    let mut open: Vec<(usize, Symbol)> = Vec::new();
    let mut leaves = leaves.into_iter().peekable();
    for heading in &summary.headings {
        while let Some(leaf) = leaves.next_if(|l| l.range.start < heading.range.start) {
            push(&mut open, &mut roots, leaf);
        }
        while open
            .last()
            .is_some_and(|(level, _)| *level >= heading.level)
        {
            close(&mut open, &mut roots);
        }
        let symbol = Symbol {
            name: heading.title.clone(),
            detail: None,
            kind: SymbolKind::Heading,
            range: heading.range.clone(),
            selection: heading.title_range.clone(),
            children: Vec::new(),
        };
        open.push((heading.level, symbol));
    }
    for leaf in leaves {
        push(&mut open, &mut roots, leaf);
    }
    while !open.is_empty() {
        close(&mut open, &mut roots);
    }
    roots
}

fn push(open: &mut [(usize, Symbol)], roots: &mut Vec<Symbol>, symbol: Symbol) {
    match open.last_mut() {
        Some((_, heading)) => heading.children.push(symbol),
        None => roots.push(symbol),
    }
}

/// Closes the innermost open heading; its range grows to its last child.
fn close(open: &mut Vec<(usize, Symbol)>, roots: &mut Vec<Symbol>) {
    let Some((_, mut heading)) = open.pop() else {
        return;
    };
    if let Some(last) = heading.children.last() {
        heading.range.end = heading.range.end.max(last.range.end);
    }
    push(open, roots, heading);
}

/// Claims as a tree: nested claims under their claim. Built bottom-up
/// without recursion (claims come in text order, an outer claim before the
/// claims inside it), so 100,000 nested claims cost no stack. Claims nested
/// deeper than [`MAX_CLAIM_DEPTH`] are listed under their ancestor at that
/// depth: a deeper tree would overflow the stack when it is dropped or
/// serialised, and tells a reader nothing more.
fn claim_tree(summary: &FileSummary, text: &str) -> Vec<Symbol> {
    let claims = &summary.claims;
    let mut depth = vec![0usize; claims.len()];
    let mut outline_parent: Vec<Option<usize>> = vec![None; claims.len()];
    for (index, claim) in claims.iter().enumerate() {
        if let Some(parent) = claim.parent().map(|p| p as usize).filter(|&p| p < index) {
            depth[index] = depth[parent] + 1;
            outline_parent[index] = if depth[parent] < MAX_CLAIM_DEPTH {
                Some(parent)
            } else {
                outline_parent[parent]
            };
        }
    }
    let mut built: Vec<Option<Symbol>> = claims
        .iter()
        .enumerate()
        .map(|(index, claim)| {
            Some(Symbol {
                name: claim_name(text, claim),
                detail: Some(claim_detail(summary, index as u32)),
                kind: SymbolKind::Claim,
                range: claim.range(),
                selection: claim.range(),
                children: Vec::new(),
            })
        })
        .collect();
    let mut roots = Vec::new();
    for index in (0..claims.len()).rev() {
        let Some(mut symbol) = built[index].take() else {
            continue;
        };
        // Children were attached last first.
        symbol.children.reverse();
        match outline_parent[index].and_then(|parent| built[parent].as_mut()) {
            Some(parent) => parent.children.push(symbol),
            None => roots.push(symbol),
        }
    }
    roots.reverse();
    roots
}

/// The claim's first words, cut after [`CLAIM_NAME_CHARS`]. Reads only the
/// start of the claim, so that the names of 100,000 nested claims do not
/// cost 100,000 passes over the text.
fn claim_name(text: &str, claim: &Claim) -> String {
    let claim_text = &text[claim.text_range()];
    let mut window_end = claim_text.len().min(CLAIM_NAME_CHARS * 8);
    while !claim_text.is_char_boundary(window_end) {
        window_end -= 1;
    }
    let window = &claim_text[..window_end];
    let joined = window.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut_short = window_end < claim_text.len() && !claim_text[window_end..].trim().is_empty();
    if joined.chars().count() <= CLAIM_NAME_CHARS && !cut_short {
        return if joined.is_empty() {
            "(empty claim)".to_owned()
        } else {
            joined
        };
    }
    let cut: String = joined.chars().take(CLAIM_NAME_CHARS).collect();
    format!("{}…", cut.trim_end())
}

fn claim_detail(summary: &FileSummary, claim: u32) -> String {
    let ids: Vec<String> = (summary.sources(claim))
        .map(|source| format!("@{}", source.id))
        .collect();
    if ids.is_empty() {
        return "unsourced".to_owned();
    }
    ids.join(", ")
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceSymbol {
    pub name: String,
    pub detail: String,
    pub file: FileId,
    pub range: Range<usize>,
}

/// How many workspace symbols one query returns at most.
const WORKSPACE_SYMBOL_LIMIT: usize = 200;

/// Entities whose id, display name or an alias contains `query`, ignoring
/// case; ids that start with the query come first.
pub fn workspace_symbols(ws: &Workspace, query: &str) -> Vec<WorkspaceSymbol> {
    let query = query.to_lowercase();
    let mut found: Vec<(bool, WorkspaceSymbol)> = Vec::new();
    for (id, reference, definition) in ws.entities() {
        let matches = |s: &str| s.to_lowercase().contains(&query);
        if !(matches(id) || matches(definition.display_name()) || definition.aliases().any(matches))
        {
            continue;
        }
        let kind = definition
            .kind()
            .map(|k| format!(" · {k}"))
            .unwrap_or_default();
        found.push((
            !id.to_lowercase().starts_with(&query),
            WorkspaceSymbol {
                name: format!("@{id}"),
                detail: format!("{}{kind}", definition.display_name()),
                file: reference.file,
                range: definition.id_range.clone(),
            },
        ));
    }
    found.sort_by(|a, b| (a.0, &a.1.name).cmp(&(b.0, &b.1.name)));
    found
        .into_iter()
        .take(WORKSPACE_SYMBOL_LIMIT)
        .map(|(_, symbol)| symbol)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    fn outline(symbols: &[Symbol], depth: usize, out: &mut Vec<String>) {
        for symbol in symbols {
            out.push(format!(
                "{}{:?} {} ({})",
                "  ".repeat(depth),
                symbol.kind,
                symbol.name,
                symbol.detail.as_deref().unwrap_or("")
            ));
            outline(&symbol.children, depth + 1, out);
        }
    }

    #[test]
    fn headings_nest_and_hold_what_follows_them() {
        let fixture = fixture::parse(
            "//- a.nmk\n{Before any heading}\n\n# Visit\n\n@x: X\n  kind: person\n\n## Talks\n\n{Outer {inner | @x} | @x}\n\n# Reactions\n\n{Late}\n",
        );
        let mut lines = Vec::new();
        outline(
            &document_symbols(&fixture.ws, fixture.file("a.nmk")),
            0,
            &mut lines,
        );
        assert_eq!(
            lines,
            [
                "Claim Before any heading (unsourced)",
                "Heading Visit ()",
                "  Entity @x (X · person)",
                "  Heading Talks ()",
                "    Claim Outer {inner | @x} (@x)",
                "      Claim inner (@x)",
                "Heading Reactions ()",
                "  Claim Late (unsourced)",
            ]
        );
    }

    #[test]
    fn deeply_nested_claims_make_a_shallow_outline_without_recursion() {
        let depth = 100_000;
        let mut ws = Workspace::default();
        let text = format!("{}x{}\n", "{".repeat(depth), "}".repeat(depth));
        let file = ws.set_file("a.nmk", text.into()).file;
        let mut pending = document_symbols(&ws, file);
        let mut levels = vec![1; pending.len()];
        let (mut deepest, mut count) = (0, 0);
        while let Some(mut symbol) = pending.pop() {
            let level = levels.pop().unwrap();
            deepest = deepest.max(level);
            count += 1;
            for child in std::mem::take(&mut symbol.children) {
                pending.push(child);
                levels.push(level + 1);
            }
        }
        assert_eq!(count, depth, "every claim is in the outline");
        assert_eq!(
            deepest,
            MAX_CLAIM_DEPTH + 1,
            "claims below the cap hang under the deepest listed one"
        );
    }

    #[test]
    fn workspace_symbols_match_id_name_and_alias() {
        let fixture = fixture::parse(
            "//- r.nmk\n@lavrov: Sergey Lavrov\n  kind: person\n  aliases: 라브로프\n\n@russia: Russia\n  kind: country\n",
        );
        let names = |q: &str| -> Vec<String> {
            workspace_symbols(&fixture.ws, q)
                .into_iter()
                .map(|s| s.name)
                .collect()
        };
        assert_eq!(names("ru"), ["@russia"]);
        assert_eq!(names("sergey"), ["@lavrov"]);
        assert_eq!(names("라브"), ["@lavrov"]);
        assert_eq!(names(""), ["@lavrov", "@russia"]);
    }
}
