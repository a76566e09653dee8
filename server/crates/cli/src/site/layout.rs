//! Where the nodes of a drawing go: the layered (Sugiyama) layout of
//! `rust-sugiyama` (ranks by network simplex, crossings reduced by
//! barycenters, coordinates by Brandes and Köpf), turned on its side so
//! that ranks are columns read from left to right: who said it, who
//! carried it, the claim, the claims that answer it. Each connected part
//! is laid out alone and the parts are stacked, largest first; nodes with
//! no edge go in rows below them.

use std::collections::HashMap;

use rust_sugiyama::configure::Config;

/// Room between two nodes of a column.
const ROW_GAP: f64 = 8.0;
/// Room between two columns, for the edges.
const COLUMN_GAP: f64 = 140.0;
/// Room between two stacked parts, and around the drawing.
const MARGIN: f64 = 16.0;
/// Beyond this many nodes, crossings are reduced without the transpose
/// step, which costs most on large parts.
const TRANSPOSE_UP_TO: usize = 120;

/// The places of `sizes.len()` nodes: the top left corner of each, in
/// whole pixels (integers print several times faster than floats, and a
/// large report prints millions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub places: Vec<(i64, i64)>,
    pub width: i64,
    pub height: i64,
}

/// Lays out nodes of the given (width, height), joined by `edges` (from,
/// to: `from` is drawn left of `to` unless the edge closes a cycle).
pub fn layered(sizes: &[(f64, f64)], edges: &[(usize, usize)]) -> Layout {
    let mut edges: Vec<(usize, usize)> = (edges.iter())
        .filter(|(from, to)| from != to && *from < sizes.len() && *to < sizes.len())
        .copied()
        .collect();
    edges.sort_unstable();
    edges.dedup();
    let mut parts: Vec<Vec<(usize, f64, f64)>> = (components(sizes.len(), &edges).iter())
        .map(|(nodes, edges)| {
            fan(sizes, nodes, edges).unwrap_or_else(|| sugiyama(sizes, nodes, edges))
        })
        .collect();
    parts.sort_by_key(|nodes| std::cmp::Reverse(nodes.len()));

    let mut places = vec![(0.0, 0.0); sizes.len()];
    let mut linked = vec![false; sizes.len()];
    let (mut top, mut width) = (MARGIN, 0.0_f64);
    for corners in parts {
        let left = corners.iter().map(|c| c.1).fold(f64::INFINITY, f64::min);
        let up = corners.iter().map(|c| c.2).fold(f64::INFINITY, f64::min);
        let mut bottom = top;
        for (node, x, y) in corners {
            let place = (x - left + MARGIN, y - up + top);
            places[node] = place;
            linked[node] = true;
            bottom = bottom.max(place.1 + sizes[node].1);
            width = width.max(place.0 + sizes[node].0);
        }
        top = bottom + MARGIN * 2.0;
    }
    // Nodes without edges, in rows as wide as the drawing.
    let unlinked: Vec<usize> = (0..sizes.len()).filter(|&node| !linked[node]).collect();
    let row_width = width.max(sizes.iter().map(|s| s.0).fold(0.0, f64::max) + MARGIN);
    let (mut x, mut row_height) = (MARGIN, 0.0_f64);
    for node in unlinked {
        let (w, h) = sizes[node];
        if x > MARGIN && x + w > row_width {
            top += row_height + ROW_GAP;
            x = MARGIN;
            row_height = 0.0;
        }
        places[node] = (x, top);
        width = width.max(x + w);
        row_height = row_height.max(h);
        x += w + ROW_GAP;
    }
    top += row_height;
    Layout {
        places: (places.into_iter())
            .map(|(x, y)| (x.round() as i64, y.round() as i64))
            .collect(),
        width: (width + MARGIN).ceil() as i64,
        height: (top + MARGIN).ceil() as i64,
    }
}

/// A connected part: its nodes and its edges.
type Part = (Vec<usize>, Vec<(usize, usize)>);

/// The connected parts of the graph (nodes with edges only), each with
/// its edges, in the order of their first node.
fn components(count: usize, edges: &[(usize, usize)]) -> Vec<Part> {
    let mut parent: Vec<usize> = (0..count).collect();
    fn find(parent: &mut [usize], mut node: usize) -> usize {
        while parent[node] != node {
            parent[node] = parent[parent[node]];
            node = parent[node];
        }
        node
    }
    let mut linked = vec![false; count];
    for &(from, to) in edges {
        let (a, b) = (find(&mut parent, from), find(&mut parent, to));
        parent[a.max(b)] = a.min(b);
        linked[from] = true;
        linked[to] = true;
    }
    let mut part_of: HashMap<usize, usize> = HashMap::new();
    let mut parts: Vec<Part> = Vec::new();
    for node in (0..count).filter(|&node| linked[node]) {
        let root = find(&mut parent, node);
        let part = *part_of.entry(root).or_insert_with(|| {
            parts.push((Vec::new(), Vec::new()));
            parts.len() - 1
        });
        parts[part].0.push(node);
    }
    for &(from, to) in edges {
        let root = find(&mut parent, from);
        parts[part_of[&root]].1.push((from, to));
    }
    parts
}

/// A part that is one node and the nodes it points to (a source and its
/// claims, most parts of an article), or the nodes pointing to one (a
/// claim and its sources), placed directly: its layered layout is this,
/// and the crate takes a hundred times longer.
fn fan(
    sizes: &[(f64, f64)],
    nodes: &[usize],
    edges: &[(usize, usize)],
) -> Option<Vec<(usize, f64, f64)>> {
    if edges.len() + 1 != nodes.len() {
        return None;
    }
    let (from, to) = edges[0];
    let (hub, leaves, hub_left): (usize, Vec<usize>, bool) = if edges.iter().all(|e| e.0 == from) {
        (from, edges.iter().map(|e| e.1).collect(), true)
    } else if edges.iter().all(|e| e.1 == to) {
        (to, edges.iter().map(|e| e.0).collect(), false)
    } else {
        return None;
    };
    let leaf_width = leaves.iter().map(|&leaf| sizes[leaf].0).fold(0.0, f64::max);
    let (hub_x, leaf_x) = match hub_left {
        true => (0.0, sizes[hub].0 + COLUMN_GAP),
        false => (leaf_width + COLUMN_GAP, 0.0),
    };
    let mut corners = Vec::with_capacity(nodes.len());
    let mut y = 0.0;
    for leaf in leaves {
        corners.push((leaf, leaf_x, y));
        y += sizes[leaf].1 + ROW_GAP;
    }
    let height = y - ROW_GAP;
    corners.push((hub, hub_x, (height - sizes[hub].1) / 2.0));
    Some(corners)
}

/// A part laid out by the crate: the top left corner of each node.
fn sugiyama(
    sizes: &[(f64, f64)],
    nodes: &[usize],
    edges: &[(usize, usize)],
) -> Vec<(usize, f64, f64)> {
    // The crate lays ranks out top to bottom: a node's height along its
    // rank is our width, and the rank's depth our column's width.
    let vertices: Vec<(u32, (f64, f64))> = (nodes.iter())
        .map(|&node| (node as u32, (sizes[node].1, sizes[node].0 + COLUMN_GAP)))
        .collect();
    let edges: Vec<(u32, u32)> = edges.iter().map(|&(a, b)| (a as u32, b as u32)).collect();
    let config = Config {
        vertex_spacing: ROW_GAP,
        transpose: vertices.len() <= TRANSPOSE_UP_TO,
        ..Config::default()
    };
    let mut corners = Vec::with_capacity(nodes.len());
    for (placed, _, _) in rust_sugiyama::from_vertices_and_edges(&vertices, &edges, &config) {
        // The crate names nodes by their place in `vertices` and gives
        // centres. A column's nodes are aligned on its widest one's left
        // side, so that claims read as a list.
        let mut column_width: HashMap<u64, f64> = HashMap::new();
        for &(vertex, (_, rank)) in &placed {
            let width = sizes[vertices[vertex].0 as usize].0;
            let widest = column_width.entry(rank.to_bits()).or_default();
            *widest = widest.max(width);
        }
        corners.extend(placed.iter().map(|&(vertex, (along, rank))| {
            let node = vertices[vertex].0 as usize;
            let left = rank - column_width[&rank.to_bits()] / 2.0;
            (node, left, along - sizes[node].1 / 2.0)
        }));
    }
    corners
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overlap(a: (i64, i64), b: (i64, i64), size: (i64, i64)) -> bool {
        (a.0 - b.0).abs() < size.0 && (a.1 - b.1).abs() < size.1
    }

    #[test]
    fn sources_sit_left_of_their_claims_and_nothing_overlaps() {
        // 0, 1: sources; 2..8: claims; 8: a conduit between 1 and 7.
        let sizes = vec![(100.0, 20.0); 9];
        let edges = [
            (0, 2),
            (0, 3),
            (1, 4),
            (1, 5),
            (0, 6),
            (1, 8),
            (8, 7),
            (3, 3),
        ];
        let layout = layered(&sizes, &edges);
        for &(from, to) in &edges[..7] {
            assert!(
                layout.places[from].0 < layout.places[to].0,
                "{from} left of {to}"
            );
        }
        for a in 0..9 {
            for b in a + 1..9 {
                assert!(
                    !overlap(layout.places[a], layout.places[b], (100, 20)),
                    "{a} and {b} overlap"
                );
            }
        }
        for &(x, y) in &layout.places {
            assert!(x >= 0 && y >= 0 && x + 100 <= layout.width && y + 20 <= layout.height);
        }
    }

    #[test]
    fn a_claim_with_several_sources_has_them_in_the_column_before() {
        let sizes = vec![(200.0, 20.0), (200.0, 20.0), (300.0, 20.0)];
        let layout = layered(&sizes, &[(0, 2), (1, 2)]);
        let [a, b, claim] = [0, 1, 2].map(|n| layout.places[n]);
        assert_eq!(a.0, b.0);
        assert!(a.0 + 200 < claim.0);
        assert!(
            a.1 < claim.1 && claim.1 < b.1,
            "the claim between its sources: {layout:?}"
        );
    }

    #[test]
    fn nodes_without_edges_go_below_the_parts() {
        let sizes = vec![(50.0, 20.0); 4];
        let layout = layered(&sizes, &[(0, 1)]);
        assert!(layout.places[2].1 > layout.places[0].1 + 20);
        assert!(layout.places[3].1 >= layout.places[2].1);
        assert!(!overlap(layout.places[2], layout.places[3], (50, 20)));
        let empty = layered(&[], &[]);
        assert!(empty.places.is_empty());
    }
}
