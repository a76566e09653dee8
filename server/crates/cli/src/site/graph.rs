//! The attribution graph as inline SVG: entities (sources and conduits)
//! and claims, an edge from each source to its claim (through its
//! conduits, `via`), and an edge from a claim to each claim that denies,
//! confirms or disputes it. [`layout`](super::layout) places the nodes
//! in columns; each node links to its page and carries what the filters
//! of `report.js` read (`data-*`).
//!
//! Up to [`MAX_CLAIMS`] claims, graph.html draws the whole corpus; beyond,
//! it lists the entities and each has its own graph page, of the claims it
//! is the source or the conduit of (the first [`MAX_CLAIMS`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use super::html::{escape, page as frame, page_with_script};
use super::layout::layered;
use super::{Corpus, paginate};

/// The most claims graph.html draws; a larger corpus has a graph per entity.
pub const MAX_CLAIMS: usize = 300;
/// The most claims an entity's graph draws (the first ones, in corpus
/// order): thousands of entity pages must render in seconds.
pub const MAX_ENTITY_CLAIMS: usize = 50;

const NODE_HEIGHT: i64 = 22;
const CLAIM_WIDTH: i64 = 300;
const ENTITY_WIDTH: i64 = 200;
/// Characters of a label that fit in a node.
const CLAIM_LABEL: usize = 42;
const ENTITY_LABEL: usize = 28;

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

const LEGEND: &str = "<p class=\"legend\">Entities link to their pages, claims to their place in the article. \
     Grey lines run from a source to its claim; dashed blue ones through a conduit (<code>via</code>); \
     red ones from a claim to a claim that denies, confirms or disputes it.</p>\n";

/// graph.html, and one graph page per entity when the corpus is large.
pub fn pages(corpus: &Corpus) -> Vec<(String, String)> {
    if drawn_whole(corpus) {
        let claims: Vec<usize> = (0..corpus.claims.len()).collect();
        let body = format!(
            "{}{LEGEND}{}",
            filters(corpus, &claims),
            svg(corpus, &claims, "", true)
        );
        return vec![(
            "graph.html".to_owned(),
            page_with_script("", "Attribution graph", &body),
        )];
    }
    // Per entity, the claims it is the source or the conduit of.
    let mut drawn: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (index, claim) in corpus.claims.iter().enumerate() {
        let ids: BTreeSet<&str> = claim_entities(claim).collect();
        for id in ids {
            if let Some(entity) = corpus.entity_index(id) {
                drawn.entry(entity).or_default().push(index);
            }
        }
    }
    let mut ranked: Vec<(&usize, &Vec<usize>)> = drawn.iter().collect();
    ranked.sort_by_key(|(index, claims)| (std::cmp::Reverse(claims.len()), **index));
    let items: Vec<String> = (ranked.iter())
        .map(|&(&index, claims)| {
            let entity = &corpus.entities[index].graph;
            let name = entity
                .name
                .as_deref()
                .map_or(String::new(), |n| format!(" {}", escape(n)));
            format!(
                "<li><a href=\"graph/{index}.html\">@{}</a>{name} <small>{} claims</small></li>\n",
                escape(&entity.id),
                claims.len()
            )
        })
        .collect();
    let intro = format!(
        "<p>{} claims are too many to draw at once: each entity has its own graph, of the claims it is the source or the conduit of (at most {MAX_ENTITY_CLAIMS}), most claims first.</p>\n",
        corpus.claims.len()
    );
    let name = |n: usize| {
        if n == 1 {
            "graph.html".to_owned()
        } else {
            format!("graph-{n}.html")
        }
    };
    let mut files: Vec<(String, String)> = (paginate(&items, name).into_iter())
        .map(|(name, list)| {
            (
                name,
                frame("", "Attribution graph", &format!("{intro}{list}")),
            )
        })
        .collect();
    let pages: Vec<(String, String)> = {
        use rayon::prelude::*;
        (drawn.into_par_iter())
            .map(|(index, mut claims)| {
                let entity = &corpus.entities[index].graph;
                let total = claims.len();
                claims.truncate(MAX_ENTITY_CLAIMS);
                let note = match total > MAX_ENTITY_CLAIMS {
                    true => format!("<p>The first {MAX_ENTITY_CLAIMS} of its {total} claims (all are listed on its page).</p>\n"),
                    false => String::new(),
                };
                let body = format!(
                    "{note}<p><a href=\"../entities/{index}.html\">The page of @{}</a></p>\n{}{LEGEND}{}",
                    escape(&entity.id),
                    filters(corpus, &claims),
                    svg(corpus, &claims, "../", true)
                );
                let title = format!("Graph of @{}", entity.id);
                (format!("graph/{index}.html"), page_with_script("../", &title, &body))
            })
            .collect()
    };
    files.extend(pages);
    files
}

/// The ids a claim's node links to: its sources and their conduits.
fn claim_entities(claim: &newsmark_analysis::graph::GraphClaim) -> impl Iterator<Item = &str> {
    (claim
        .sources
        .iter()
        .chain(claim.chains.iter().flat_map(|c| &c.via)))
    .map(String::as_str)
}

/// What a claim is, as the kind filter offers it.
fn claim_kinds(claim: &newsmark_analysis::graph::GraphClaim) -> Vec<&'static str> {
    let mut kinds = vec![if claim.quote { "quote" } else { "paraphrase" }];
    if claim.sources.is_empty() {
        kinds.push("unsourced");
    }
    if !claim.chains.is_empty() {
        kinds.push("via");
    }
    if claim.hedged {
        kinds.push("hedged");
    }
    kinds.extend(claim.stances.iter().map(|s| s.kind.word()));
    kinds
}

/// The article's date, when its front matter has one written `YYYY-MM-DD…`.
pub fn date_of(corpus: &Corpus, claim: usize) -> Option<&str> {
    let article = &corpus.articles[corpus.article_of(claim)?];
    let date = article.front("date")?.trim().get(..10)?;
    let bytes = date.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
    (digits(0..4) && bytes[4] == b'-' && digits(5..7) && bytes[7] == b'-' && digits(8..10))
        .then_some(date)
}

fn outlet_of(corpus: &Corpus, claim: usize) -> Option<&str> {
    let article = &corpus.articles[corpus.article_of(claim)?];
    Some(article.front("outlet")?.trim())
}

/// The filter form of a drawing of `claims`: its entities, kinds and
/// outlets to choose from, and a date range.
fn filters(corpus: &Corpus, claims: &[usize]) -> String {
    let mut entities = BTreeSet::new();
    let mut entity_kinds = BTreeSet::new();
    let mut kinds = BTreeSet::new();
    let mut outlets = BTreeSet::new();
    let mut dates = BTreeSet::new();
    for &index in claims {
        let claim = &corpus.claims[index];
        for id in claim_entities(claim) {
            entities.insert(id);
            if let Some(kind) = corpus.entity(id).and_then(|e| e.graph.kind.as_deref()) {
                entity_kinds.insert(kind);
            }
        }
        kinds.extend(claim_kinds(claim));
        outlets.extend(outlet_of(corpus, index));
        dates.extend(date_of(corpus, index));
    }
    let options = |values: &mut dyn Iterator<Item = (String, String)>| -> String {
        values
            .map(|(value, label)| {
                format!(
                    "<option value=\"{}\">{}</option>",
                    escape(&value),
                    escape(&label)
                )
            })
            .collect()
    };
    let mut form = String::from(
        "<form id=\"graph-filters\" class=\"filters\" aria-label=\"Filter the graph\">\n",
    );
    let _ = writeln!(
        form,
        "<label>Entity <select name=\"entity\"><option value=\"\">any</option>{}</select></label>",
        options(&mut entities.iter().map(|id| {
            let name = corpus.entity(id).and_then(|e| e.graph.name.clone());
            (
                id.to_string(),
                name.map_or(format!("@{id}"), |n| format!("@{id} ({n})")),
            )
        }))
    );
    let _ = writeln!(
        form,
        "<label>Kind <select name=\"kind\"><option value=\"\">any</option>\
         <optgroup label=\"Claim\">{}</optgroup><optgroup label=\"Source\">{}</optgroup></select></label>",
        options(&mut kinds.iter().map(|k| (format!("claim:{k}"), k.to_string()))),
        options(
            &mut entity_kinds
                .iter()
                .map(|k| (format!("source:{k}"), k.to_string()))
        ),
    );
    let _ = writeln!(
        form,
        "<label>Outlet <select name=\"outlet\"><option value=\"\">any</option>{}</select></label>",
        options(&mut outlets.iter().map(|o| (o.to_string(), o.to_string())))
    );
    let (first, last) = (
        dates.first().copied().unwrap_or(""),
        dates.last().copied().unwrap_or(""),
    );
    let _ = writeln!(
        form,
        "<label>From <input type=\"date\" name=\"from\" min=\"{first}\" max=\"{last}\"></label>\
         <label>To <input type=\"date\" name=\"to\" min=\"{first}\" max=\"{last}\"></label>\
         <button type=\"reset\">Show all</button>\n<p id=\"graph-count\" aria-live=\"polite\">{} claims.</p>\n</form>",
        claims.len()
    );
    form
}

/// The attributes of a claim's node that `report.js` filters on.
fn filter_data(corpus: &Corpus, index: usize) -> String {
    let claim = &corpus.claims[index];
    let ids: BTreeSet<&str> = claim_entities(claim).collect();
    let mut kinds: Vec<String> = claim_kinds(claim)
        .iter()
        .map(|k| format!("claim:{k}"))
        .collect();
    for id in &ids {
        if let Some(kind) = corpus.entity(id).and_then(|e| e.graph.kind.as_deref()) {
            kinds.push(format!("source:{kind}"));
        }
    }
    format!(
        " data-entities=\"{}\" data-kinds=\"{}\" data-outlet=\"{}\" data-date=\"{}\"",
        escape(&ids.into_iter().collect::<Vec<_>>().join(" ")),
        escape(&kinds.join(" ")),
        escape(outlet_of(corpus, index).unwrap_or("")),
        date_of(corpus, index).unwrap_or(""),
    )
}

/// A node of a drawing: an entity (by id) or a claim (by index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Node<'a> {
    Entity(&'a str),
    Claim(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    Source,
    Via,
    Stance(&'static str),
}

/// The drawing of `claims` (indexes into [`Corpus::claims`]) with their
/// sources and conduits; links start with `root`. A `filtered` drawing's
/// claims carry what the filters read.
pub fn svg(corpus: &Corpus, claims: &[usize], root: &str, filtered: bool) -> String {
    if claims.is_empty() {
        return "<p>No claims.</p>\n".to_owned();
    }
    let mut nodes: Vec<Node> = claims.iter().map(|&c| Node::Claim(c)).collect();
    let mut number: HashMap<Node, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    fn node<'a>(
        n: Node<'a>,
        nodes: &mut Vec<Node<'a>>,
        number: &mut HashMap<Node<'a>, usize>,
    ) -> usize {
        *number.entry(n).or_insert_with(|| {
            nodes.push(n);
            nodes.len() - 1
        })
    }
    let mut edges: Vec<(usize, usize, Edge)> = Vec::new();
    for &index in claims {
        let claim = &corpus.claims[index];
        let at = node(Node::Claim(index), &mut nodes, &mut number);
        for source in &claim.sources {
            let from = node(Node::Entity(source), &mut nodes, &mut number);
            let chain = claim.chains.iter().find(|c| &c.source == source);
            match chain.filter(|c| !c.via.is_empty()) {
                None => edges.push((from, at, Edge::Source)),
                Some(chain) => {
                    // `via` is nearest first: the words went from the
                    // source through the last conduit to the first.
                    let mut previous = from;
                    for conduit in chain.via.iter().rev() {
                        let next = node(Node::Entity(conduit), &mut nodes, &mut number);
                        edges.push((previous, next, Edge::Via));
                        previous = next;
                    }
                    edges.push((previous, at, Edge::Via));
                }
            }
        }
        for stance in &claim.stances {
            if let Some(target) = stance.target.filter(|t| claims.contains(t)) {
                let target = node(Node::Claim(target), &mut nodes, &mut number);
                edges.push((target, at, Edge::Stance(stance.kind.word())));
            }
        }
    }
    let sizes: Vec<(i64, i64)> = (nodes.iter())
        .map(|n| match n {
            Node::Claim(_) => (CLAIM_WIDTH, NODE_HEIGHT),
            Node::Entity(_) => (ENTITY_WIDTH, NODE_HEIGHT),
        })
        .collect();
    let float_sizes: Vec<(f64, f64)> = sizes.iter().map(|&(w, h)| (w as f64, h as f64)).collect();
    let pairs: Vec<(usize, usize)> = edges.iter().map(|&(a, b, _)| (a, b)).collect();
    let layout = layered(&float_sizes, &pairs);
    let place = |n: usize| layout.places[n];

    let mut out = format!(
        "<div class=\"graph-frame\"><svg class=\"graph\" role=\"group\" aria-label=\"Attribution graph\" \
         width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">\n",
        w = layout.width,
        h = layout.height
    );
    for &(a, b, kind) in &edges {
        let ((ax, ay), (bx, by)) = (place(a), place(b));
        let (x1, y1) = (ax + sizes[a].0, ay + NODE_HEIGHT / 2);
        let (x2, y2) = (bx, by + NODE_HEIGHT / 2);
        let bend = ((x2 - x1).abs() / 2).max(40);
        let (class, title) = match kind {
            Edge::Source => ("source-edge", String::new()),
            Edge::Via => ("via-edge", "<title>via</title>".to_owned()),
            Edge::Stance(word) => ("stance-edge", format!("<title>{word}</title>")),
        };
        let _ = writeln!(
            out,
            "<path class=\"{class}\" data-a=\"n{a}\" data-b=\"n{b}\" d=\"M{x1} {y1} C{} {y1} {} {y2} {x2} {y2}\">{title}</path>",
            x1 + bend,
            x2 - bend,
        );
    }
    for (n, node) in nodes.iter().enumerate() {
        let (x, y) = place(n);
        let text_at = format!("x=\"{}\" y=\"{}\"", x + 6, y + 15);
        match *node {
            Node::Claim(index) => {
                let claim = &corpus.claims[index];
                let text = corpus.claim_text(index);
                let label: String = text.chars().take(CLAIM_LABEL).collect();
                let data = if filtered {
                    filter_data(corpus, index)
                } else {
                    String::new()
                };
                let _ = writeln!(
                    out,
                    "<a href=\"{root}{}\" id=\"n{n}\" class=\"node claim-node\"{data}>\
                     <rect x=\"{x}\" y=\"{y}\" width=\"{CLAIM_WIDTH}\" height=\"{NODE_HEIGHT}\"/>\
                     <text {text_at}>{}</text><title>{}</title></a>",
                    corpus.claim_link(index).unwrap_or_default(),
                    escape(&label),
                    escape(&format!("{text} ({}:{})", claim.file, claim.line)),
                );
            }
            Node::Entity(id) => {
                let name = corpus.entity(id).and_then(|e| e.graph.name.clone());
                let label: String = name
                    .as_deref()
                    .unwrap_or(id)
                    .chars()
                    .take(ENTITY_LABEL)
                    .collect();
                let _ = writeln!(
                    out,
                    "<a href=\"{root}{}\" id=\"n{n}\" class=\"node entity-node\" data-id=\"{}\">\
                     <rect x=\"{x}\" y=\"{y}\" width=\"{ENTITY_WIDTH}\" height=\"{NODE_HEIGHT}\" rx=\"8\"/>\
                     <text {text_at}>{}</text><title>@{}</title></a>",
                    corpus.entity_page(id).unwrap_or_default(),
                    escape(id),
                    escape(&label),
                    escape(id),
                );
            }
        }
    }
    out.push_str("</svg></div>\n");
    out
}
