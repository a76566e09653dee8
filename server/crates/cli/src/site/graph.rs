//! The attribution graph as inline SVG: claims in a column on the left,
//! their sources and conduits in a column on the right, an edge from each
//! claim to each source, `via` edges between entities (dashed, bowed to
//! the right) and stance edges between claims (bowed to the left). Each
//! node links to its page.
//!
//! The layout is ours, deterministic and in Rust (no layout crate was
//! available offline, see docs/architecture.md): claims keep their order
//! in the corpus (file, then text), and each entity sits at the mean row
//! of the claims citing it (the barycenter heuristic of layered drawing,
//! which keeps edges short and crossings few), ties by id. Beyond
//! [`MAX_CLAIMS`] claims, graph.html lists the entities and each has its
//! own graph page, of the claims it is the source of.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::html::{escape, page as frame};
use super::Corpus;

/// The most claims one drawing holds.
pub const MAX_CLAIMS: usize = 300;

const ROW: usize = 24;
const CLAIM_X: usize = 80;
const CLAIM_WIDTH: usize = 300;
const ENTITY_X: usize = 600;
const ENTITY_WIDTH: usize = 220;

/// Whether the corpus is drawn whole on graph.html.
fn drawn_whole(corpus: &Corpus) -> bool {
    corpus.claims.len() <= MAX_CLAIMS
}

/// The page with the graph of entity `index`, from the report's folder.
pub fn entity_graph_page(corpus: &Corpus, index: usize) -> String {
    if drawn_whole(corpus) {
        "graph.html".to_owned()
    } else {
        format!("graph/{index}.html")
    }
}

/// graph.html, and one graph page per entity when the corpus is large.
pub fn pages(corpus: &Corpus) -> Vec<(String, String)> {
    let legend = "<p>Claims on the left link to their place in the article; entities on the right to their pages. \
                  Grey lines: a claim's sources; dashed blue: a source's words carried through a conduit (<code>via</code>); \
                  red: a claim denying, confirming or disputing another.</p>\n";
    if drawn_whole(corpus) {
        let claims: Vec<usize> = (0..corpus.claims.len()).collect();
        let body = format!("{legend}{}", svg(corpus, &claims, ""));
        return vec![("graph.html".to_owned(), frame("", "Attribution graph", &body))];
    }
    let mut ranked: Vec<usize> = (0..corpus.entities.len()).collect();
    ranked.sort_by_key(|&i| std::cmp::Reverse(corpus.entities[i].graph.claims));
    let mut body = format!(
        "<p>{} claims are too many to draw at once: each entity has its own graph, of the claims it is the source of (the first {MAX_CLAIMS}).</p>\n{legend}<ul>\n",
        corpus.claims.len()
    );
    let mut files = Vec::new();
    for index in ranked {
        let entity = &corpus.entities[index];
        let claims: Vec<usize> = (corpus.claims.iter().enumerate())
            .filter(|(_, claim)| claim.sources.contains(&entity.graph.id))
            .map(|(i, _)| i)
            .take(MAX_CLAIMS)
            .collect();
        if claims.is_empty() {
            continue;
        }
        let _ = writeln!(
            body,
            "<li><a href=\"graph/{index}.html\">@{}</a> ({} claims)</li>",
            escape(&entity.graph.id),
            entity.graph.claims
        );
        let title = format!("Graph of @{}", entity.graph.id);
        let page = format!("{legend}{}", svg(corpus, &claims, "../"));
        files.push((format!("graph/{index}.html"), frame("../", &title, &page)));
    }
    body.push_str("</ul>\n");
    files.push(("graph.html".to_owned(), frame("", "Attribution graph", &body)));
    files
}

/// The drawing of `claims` (indexes into [`Corpus::claims`], in order)
/// with their sources and conduits; links start with `root`.
pub fn svg(corpus: &Corpus, claims: &[usize], root: &str) -> String {
    if claims.is_empty() {
        return "<p>No claims.</p>\n".to_owned();
    }
    // Each entity's rows: the claims citing it, and for a conduit the
    // claims whose sources it carried.
    let mut rows: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (row, &claim) in claims.iter().enumerate() {
        let claim = &corpus.claims[claim];
        for id in claim.sources.iter().chain(claim.chains.iter().flat_map(|c| &c.via)) {
            rows.entry(id).or_default().push(row);
        }
    }
    let mut entities: Vec<(f64, &str)> = (rows.iter())
        .map(|(id, rows)| (rows.iter().sum::<usize>() as f64 / rows.len() as f64, *id))
        .collect();
    entities.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)));
    let place: BTreeMap<&str, usize> = (entities.iter().enumerate())
        .map(|(row, (_, id))| (*id, row))
        .collect();
    let y = |row: usize| row * ROW + ROW / 2 + 4;
    let height = ROW * claims.len().max(entities.len()) + 8;
    let width = ENTITY_X + ENTITY_WIDTH + 80;
    let mut edges = String::new();
    let mut nodes = String::new();
    let row_of: BTreeMap<usize, usize> = claims.iter().enumerate().map(|(r, &c)| (c, r)).collect();
    for (row, &index) in claims.iter().enumerate() {
        let claim = &corpus.claims[index];
        for source in &claim.sources {
            let (from, to) = (y(row), y(place[source.as_str()]));
            let _ = writeln!(
                edges,
                "<path class=\"source-edge\" d=\"M{} {from} C{} {from} {} {to} {ENTITY_X} {to}\"/>",
                CLAIM_X + CLAIM_WIDTH,
                CLAIM_X + CLAIM_WIDTH + 100,
                ENTITY_X - 100,
            );
        }
        for chain in &claim.chains {
            let mut from = chain.source.as_str();
            for conduit in &chain.via {
                let (a, b) = (y(place[from]), y(place[conduit.as_str()]));
                let right = ENTITY_X + ENTITY_WIDTH;
                let _ = writeln!(
                    edges,
                    "<path class=\"via-edge\" d=\"M{right} {a} C{} {a} {} {b} {right} {b}\"><title>via</title></path>",
                    right + 60,
                    right + 60,
                );
                from = conduit;
            }
        }
        for stance in &claim.stances {
            if let Some(target) = stance.target.and_then(|t| row_of.get(&t)) {
                let (a, b) = (y(row), y(*target));
                let _ = writeln!(
                    edges,
                    "<path class=\"stance-edge\" d=\"M{CLAIM_X} {a} C{} {a} {} {b} {CLAIM_X} {b}\"><title>{}</title></path>",
                    CLAIM_X - 70,
                    CLAIM_X - 70,
                    stance.kind.word(),
                );
            }
        }
        let label: String = claim.text.chars().take(44).collect();
        let link = corpus.claim_link(index).unwrap_or_default();
        let _ = writeln!(
            nodes,
            "<a href=\"{root}{link}\"><rect class=\"claim-node\" x=\"{CLAIM_X}\" y=\"{}\" width=\"{CLAIM_WIDTH}\" height=\"{}\"/>\
             <text x=\"{}\" y=\"{}\">{}</text><title>{}</title></a>",
            row * ROW + 4,
            ROW - 4,
            CLAIM_X + 4,
            y(row) + 4,
            escape(&label),
            escape(&format!("{} ({}:{})", claim.text, claim.file, claim.line)),
        );
    }
    for (row, (_, id)) in entities.iter().enumerate() {
        let name = corpus.entity(id).and_then(|e| e.graph.name.clone());
        let label: String = name.as_deref().unwrap_or(id).chars().take(30).collect();
        let page = corpus.entity_page(id).unwrap_or_default();
        let _ = writeln!(
            nodes,
            "<a href=\"{root}{page}\"><rect class=\"entity-node\" x=\"{ENTITY_X}\" y=\"{}\" width=\"{ENTITY_WIDTH}\" height=\"{}\" rx=\"8\"/>\
             <text x=\"{}\" y=\"{}\">{}</text><title>@{}</title></a>",
            row * ROW + 4,
            ROW - 4,
            ENTITY_X + 6,
            y(row) + 4,
            escape(&label),
            escape(id),
        );
    }
    format!(
        "<div class=\"graph-frame\"><svg class=\"graph\" role=\"group\" aria-label=\"Attribution graph\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\n{edges}{nodes}</svg></div>\n"
    )
}
