//! Entity pages: the hover card's facts, the claims the entity is the
//! source of, the claims that mention it and the outlets that carried its
//! words; and the list of every entity.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use super::html::{escape, page as frame, web_link};
use super::{Corpus, PAGE, paginate};

/// Where each entity is used, gathered once for every page.
#[derive(Debug, Default)]
pub struct Uses<'a> {
    /// Per source id, the claims ([`Corpus::claims`]) citing it.
    sourced: HashMap<&'a str, Vec<usize>>,
    /// Per id, the claims mentioning it: (article, claim of its document).
    mentioned: HashMap<&'a str, Vec<(usize, usize)>>,
}

impl<'a> Uses<'a> {
    pub fn of(corpus: &'a Corpus) -> Self {
        let mut uses = Uses::default();
        for (index, claim) in corpus.claims.iter().enumerate() {
            let mut sources: Vec<&str> = claim.sources.iter().map(String::as_str).collect();
            sources.dedup();
            for source in sources {
                uses.sourced.entry(source).or_default().push(index);
            }
        }
        for (article, page) in corpus.articles.iter().enumerate() {
            let document = &page.document;
            for (index, claim) in document.claims.iter().enumerate() {
                let mut ids: Vec<&str> = (document.mentions.iter())
                    .filter(|m| m.start >= claim.start && m.end <= claim.end)
                    .map(|m| m.id.as_str())
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                for id in ids {
                    uses.mentioned.entry(id).or_default().push((article, index));
                }
            }
        }
        uses
    }
}

/// The text of a claim as a list item shows it.
fn shortened(text: &str) -> String {
    const MOST: usize = 300;
    match text.char_indices().nth(MOST) {
        Some((cut, _)) => format!("{}…", escape(&text[..cut])),
        None => escape(text),
    }
}

/// The entity's page, and the further pages of its longer lists.
pub fn pages(corpus: &Corpus, uses: &Uses, index: usize) -> Vec<(String, String)> {
    let entity = &corpus.entities[index];
    let id = entity.graph.id.as_str();
    let title = match &entity.graph.name {
        Some(name) => format!("{name} (@{id})"),
        None => format!("@{id}"),
    };
    let mut body = String::from("<dl class=\"card\">\n");
    let mut fact = |term: &str, value: String| {
        let _ = writeln!(body, "<dt>{term}</dt><dd>{value}</dd>");
    };
    fact("Id", format!("@{}", escape(id)));
    match &entity.card {
        None => fact("Defined", "no: no registry or article defines it".into()),
        Some(card) => {
            if let Some(name) = &card.name {
                fact("Name", escape(name));
            }
            for (term, value) in [("Kind", &card.kind), ("Role", &card.role)] {
                if let Some(value) = value {
                    fact(term, escape(value));
                }
            }
            if !card.aliases.is_empty() {
                fact("Aliases", escape(&card.aliases.join(", ")));
            }
            if !card.member_of.is_empty() {
                let links: Vec<String> = (card.member_of.iter())
                    .map(|of| match corpus.entity_page(of) {
                        Some(page) => format!("<a href=\"../{page}\">@{}</a>", escape(of)),
                        None => format!("@{}", escape(of)),
                    })
                    .collect();
                fact("Member of", links.join(", "));
            }
            if let Some(q) = &card.wikidata {
                let q = q.trim();
                fact(
                    "Wikidata",
                    match q.starts_with('Q')
                        && q.len() > 1
                        && q[1..].bytes().all(|b| b.is_ascii_digit())
                    {
                        true => format!(
                            "<a href=\"https://www.wikidata.org/wiki/{q}\" rel=\"nofollow noopener\">{q}</a>"
                        ),
                        false => escape(q),
                    },
                );
            }
            if let Some(url) = &card.url {
                fact(
                    "Web",
                    match web_link(url) {
                        Some(link) => {
                            format!("<a href=\"{link}\" rel=\"nofollow noopener\">{link}</a>")
                        }
                        None => escape(url),
                    },
                );
            }
        }
    }
    let counts = &entity.graph;
    fact(
        "In the corpus",
        format!(
            "{} mentions, source of {} claims, conduit for {}",
            counts.mentions, counts.claims, counts.conduit_for
        ),
    );
    body.push_str("</dl>\n");

    let sourced = uses.sourced.get(id).map_or(&[][..], Vec::as_slice);
    let mut outlets: BTreeMap<String, u32> = BTreeMap::new();
    let mut said = Vec::new();
    for &claim in sourced {
        let graph_claim = &corpus.claims[claim];
        let link = corpus.claim_link(claim).unwrap_or_default();
        let conduits: Vec<String> = (graph_claim.chains.iter())
            .filter(|chain| chain.source == id)
            .flat_map(|chain| chain.via.iter().map(|c| format!(" via @{}", escape(c))))
            .collect();
        said.push(format!(
            "<li>“{}”{} <a href=\"../{link}\">{}:{}</a></li>\n",
            shortened(corpus.claim_text(claim)),
            conduits.concat(),
            escape(&graph_claim.file),
            graph_claim.line,
        ));
        if let Some(outlet) = corpus
            .article_of(claim)
            .and_then(|a| corpus.articles[a].front("outlet"))
        {
            *outlets.entry(outlet.trim().to_owned()).or_default() += 1;
        }
    }
    let mentioned: Vec<String> = (uses.mentioned.get(id).map_or(&[][..], Vec::as_slice).iter())
        .map(|&(article, claim)| {
            let page = &corpus.articles[article];
            let line = page.claim_lines[claim];
            format!(
                "<li>“{}” <a href=\"../articles/{article}.html#line-{line}\">{}:{line}</a></li>\n",
                shortened(&page.document.claims[claim].text),
                escape(&page.shown),
            )
        })
        .collect();
    let mut files = Vec::new();
    for (heading, slug, items) in [
        ("Claims it is the source of", "said", &said),
        ("Claims that mention it", "mentioned", &mentioned),
    ] {
        let _ = writeln!(body, "<h2>{heading} ({})</h2>", items.len());
        if items.len() <= PAGE {
            let _ = writeln!(body, "<ul>\n{}</ul>", items.concat());
            continue;
        }
        let name = |n: usize| format!("entities/{index}-{slug}-{n}.html");
        let _ = writeln!(
            body,
            "<ul>\n{}</ul>\n<p><a href=\"{index}-{slug}-1.html\">All {} claims, {PAGE} a page</a></p>",
            items[..PAGE].concat(),
            items.len()
        );
        let heading = format!("{title}: {}", heading.to_lowercase());
        files.extend(
            paginate(items, name)
                .into_iter()
                .map(|(name, list)| (name, frame("../", &heading, &list))),
        );
    }
    body.push_str("<h2>Outlets that carried its words</h2>\n<ul>\n");
    for (outlet, count) in &outlets {
        let id = outlet.trim_start_matches('@');
        let shown = match corpus.entity_page(id) {
            Some(page) => format!("<a href=\"../{page}\">{}</a>", escape(outlet)),
            None => escape(outlet),
        };
        let _ = writeln!(body, "<li>{shown} ({count} claims)</li>");
    }
    if outlets.is_empty() {
        body.push_str("<li>None named (front matter <code>outlet:</code>).</li>\n");
    }
    body.push_str("</ul>\n");
    let _ = writeln!(
        body,
        "<p><a href=\"../{}\">Its graph</a></p>",
        super::graph::entity_graph_page(corpus, index)
    );
    files.push((
        format!("entities/{index}.html"),
        frame("../", &title, &body),
    ));
    files
}

/// entities/index.html (and its further pages): every entity.
pub fn lists(corpus: &Corpus) -> Vec<(String, String)> {
    let items: Vec<String> = (corpus.entities.iter().enumerate())
        .map(|(index, entity)| {
            let name = entity.graph.name.as_deref().map_or(String::new(), |n| format!(" {}", escape(n)));
            format!(
                "<li><a href=\"{index}.html\">@{}</a>{name} <small>{} mentions, {} claims</small></li>\n",
                escape(&entity.graph.id),
                entity.graph.mentions,
                entity.graph.claims
            )
        })
        .collect();
    let name = |n: usize| {
        if n == 1 {
            "entities/index.html".to_owned()
        } else {
            format!("entities/index-{n}.html")
        }
    };
    (paginate(&items, name).into_iter())
        .map(|(name, body)| (name, frame("../", "Entities", &body)))
        .collect()
}
