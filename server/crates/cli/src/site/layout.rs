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
const TRANSPOSE_UP_TO: usize = 400;

/// The places of `sizes.len()` nodes: the top left corner of each.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub places: Vec<(f64, f64)>,
    pub width: f64,
    pub height: f64,
}

/// Lays out nodes of the given (width, height), joined by `edges` (from,
/// to: `from` is drawn left of `to` unless the edge closes a cycle).
pub fn layered(sizes: &[(f64, f64)], edges: &[(usize, usize)]) -> Layout {
    let mut edges: Vec<(u32, u32)> = (edges.iter())
        .filter(|(from, to)| from != to && *from < sizes.len() && *to < sizes.len())
        .map(|&(from, to)| (from as u32, to as u32))
        .collect();
    edges.sort_unstable();
    edges.dedup();
    let mut linked = vec![false; sizes.len()];
    for &(from, to) in &edges {
        linked[from as usize] = true;
        linked[to as usize] = true;
    }
    // The crate lays ranks out top to bottom: a node's height along its
    // rank is our width, and the rank's depth our column's width.
    let vertices: Vec<(u32, (f64, f64))> = (sizes.iter().enumerate())
        .filter(|(node, _)| linked[*node])
        .map(|(node, &(width, height))| (node as u32, (height, width + COLUMN_GAP)))
        .collect();
    let config = Config {
        vertex_spacing: ROW_GAP,
        transpose: vertices.len() <= TRANSPOSE_UP_TO,
        ..Config::default()
    };
    let mut parts = if edges.is_empty() {
        Vec::new()
    } else {
        rust_sugiyama::from_vertices_and_edges(&vertices, &edges, &config)
    };
    parts.sort_by_key(|(nodes, _, _)| std::cmp::Reverse(nodes.len()));

    let mut places = vec![(0.0, 0.0); sizes.len()];
    let (mut top, mut width) = (MARGIN, 0.0_f64);
    for (nodes, _, _) in &parts {
        // The crate names nodes by their place in `vertices` and gives
        // centres. A column's nodes are aligned on its widest one's left
        // side, so that claims read as a list.
        let mut column_width: HashMap<u64, f64> = HashMap::new();
        for &(vertex, (_, rank)) in nodes {
            let width = sizes[vertices[vertex].0 as usize].0;
            let widest = column_width.entry(rank.to_bits()).or_default();
            *widest = widest.max(width);
        }
        let corners: Vec<(usize, f64, f64)> = (nodes.iter())
            .map(|&(vertex, (along, rank))| {
                let node = vertices[vertex].0 as usize;
                let left = rank - column_width[&rank.to_bits()] / 2.0;
                (node, left, along - sizes[node].1 / 2.0)
            })
            .collect();
        let left = corners.iter().map(|c| c.1).fold(f64::INFINITY, f64::min);
        let up = corners.iter().map(|c| c.2).fold(f64::INFINITY, f64::min);
        let mut bottom = top;
        for (node, x, y) in corners {
            let place = (x - left + MARGIN, y - up + top);
            places[node] = place;
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
        places,
        width: width + MARGIN,
        height: top + MARGIN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overlap(a: (f64, f64), b: (f64, f64), size: (f64, f64)) -> bool {
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
                    !overlap(layout.places[a], layout.places[b], (100.0, 20.0)),
                    "{a} and {b} overlap"
                );
            }
        }
        for &(x, y) in &layout.places {
            assert!(x >= 0.0 && y >= 0.0 && x + 100.0 <= layout.width && y + 20.0 <= layout.height);
        }
    }

    #[test]
    fn nodes_without_edges_go_below_the_parts() {
        let sizes = vec![(50.0, 20.0); 4];
        let layout = layered(&sizes, &[(0, 1)]);
        assert!(layout.places[2].1 > layout.places[0].1 + 20.0);
        assert!(layout.places[3].1 >= layout.places[2].1);
        assert!(!overlap(layout.places[2], layout.places[3], (50.0, 20.0)));
        let empty = layered(&[], &[]);
        assert!(empty.places.is_empty());
    }
}
