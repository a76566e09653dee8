//! `newsmark report`: the corpus as a static site (docs/report.md). This
//! module reads the corpus into a [`Corpus`] of plain data, computed by
//! `newsmark_analysis` as `stats`, `graph`, `export` and `check` compute
//! it; the other modules render pages from it: [`corpus`] (index.html),
//! [`article`], [`entity`] and [`graph`], with [`html`] for escaping, the
//! page frame and charts. Every page name is made of numbers, never of
//! text from the corpus.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use newsmark_analysis::export::{self, PlainDocument, ResolvedEntity};
use newsmark_analysis::graph::{AttributionGraph, GraphClaim, GraphEntity, attribution_graph};
use newsmark_analysis::rules::diagnostics;
use newsmark_analysis::stats::Stats;
use newsmark_analysis::{Code, Severity};
use newsmark_syntax::position::Encoding;
use rayon::prelude::*;

use crate::load::load_with;
use crate::output::escape::visible;
use crate::safe_write::Outputs;
use crate::versions::Version;
use crate::{ReportArgs, discover, paths};

pub mod agreement;
pub mod article;
pub mod corpus;
pub mod entity;
pub mod graph;
pub mod html;
pub mod layout;

/// Lists longer than this are split into pages.
pub const PAGE: usize = 200;

/// Everything the pages show.
#[derive(Debug, Default)]
pub struct Corpus {
    /// Sorted by path.
    pub articles: Vec<Article>,
    /// The claims of every article, as `newsmark graph` gives them.
    pub claims: Vec<GraphClaim>,
    /// Per claim of [`Corpus::claims`], its claim in its article's
    /// document, when one starts on its line (the parts of a split quote
    /// are one claim there).
    pub plain_claims: Vec<Option<usize>>,
    /// Sorted by id.
    pub entities: Vec<Entity>,
    /// Whether the report has an agreement page (`--annotators`).
    pub agreement: bool,
}

#[derive(Debug)]
pub struct Article {
    /// The file, as planned (absolute).
    pub file: PathBuf,
    /// As `newsmark stats` shows it (relative to the current folder).
    pub shown: String,
    /// As `newsmark graph` names it (relative to the workspace root).
    pub path: String,
    pub front_matter: Vec<(String, String)>,
    pub stats: Stats,
    pub document: Arc<PlainDocument>,
    /// The source line (1-based) of each of `document`'s claims.
    pub claim_lines: Vec<u32>,
    pub findings: Vec<Finding>,
    /// Its claims in [`Corpus::claims`].
    pub claims: std::ops::Range<usize>,
}

impl Article {
    /// The value of a front matter key, as written.
    pub fn front(&self, key: &str) -> Option<&str> {
        let found = self.front_matter.iter().find(|(k, _)| k == key);
        found.map(|(_, v)| v.as_str())
    }

    pub fn title(&self) -> &str {
        self.front("title").unwrap_or(&self.shown)
    }
}

/// A finding of `newsmark check`.
#[derive(Debug)]
pub struct Finding {
    pub line: u32,
    pub severity: Severity,
    pub code: Code,
    pub message: String,
}

#[derive(Debug)]
pub struct Entity {
    pub graph: GraphEntity,
    /// Its definition, when it has one.
    pub card: Option<ResolvedEntity>,
}

impl Corpus {
    /// The page of article `index`, from the report's folder.
    pub fn article_page(index: usize) -> String {
        format!("articles/{index}.html")
    }

    /// The page of the entity `id`, from the report's folder.
    pub fn entity_page(&self, id: &str) -> Option<String> {
        Some(format!("entities/{}.html", self.entity_index(id)?))
    }

    /// The entity `id`, when the corpus uses it.
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        Some(&self.entities[self.entity_index(id)?])
    }

    /// The place of entity `id` in [`Corpus::entities`].
    pub fn entity_index(&self, id: &str) -> Option<usize> {
        self.entities
            .binary_search_by(|e| (*e.graph.id).cmp(id))
            .ok()
    }

    /// The article a claim of [`Corpus::claims`] is in.
    pub fn article_of(&self, claim: usize) -> Option<usize> {
        let index = self.articles.partition_point(|a| a.claims.end <= claim);
        (index < self.articles.len() && self.articles[index].claims.contains(&claim))
            .then_some(index)
    }

    /// A link to a claim's place in its article's page, from the folder.
    pub fn claim_link(&self, claim: usize) -> Option<String> {
        let article = self.article_of(claim)?;
        Some(format!(
            "{}#line-{}",
            Self::article_page(article),
            self.claims[claim].line
        ))
    }

    /// The text of a claim as a reader sees it (the graph's, with its
    /// markup, when its article has no claim on its line).
    pub fn claim_text(&self, claim: usize) -> &str {
        let plain = self.plain_claims[claim].zip(self.article_of(claim));
        match plain {
            Some((plain, article)) => &self.articles[article].document.claims[plain].text,
            None => &self.claims[claim].text,
        }
    }

    /// The sum of every article's counts, as `newsmark stats` sums them.
    pub fn stats(&self) -> Stats {
        let mut total = Stats::default();
        for article in &self.articles {
            total.add(&article.stats);
        }
        total
    }
}

pub fn run(args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let plans = crate::load::plan(&args.paths, &cwd)?;
    let outputs = Outputs::new(&cwd, discover::files_read(&plans), args.force);
    let out = paths::absolute(&cwd, &args.out);
    let mut corpus = Corpus::default();
    let mut unreadable = 0;
    let mut entities: BTreeMap<String, Entity> = BTreeMap::new();
    for plan in plans {
        let loaded = load_with(plan, "reporting", |file, tree, summary| {
            (file.target && export::is_article(summary))
                .then(|| Arc::new(export::plain_document(tree)))
        });
        let ws = &loaded.ws;
        let mut targets = Vec::new();
        for file in loaded.files.iter().filter(|f| f.planned.target) {
            match (&file.file, &file.from_tree) {
                (Ok(id), Some(Some(document))) => {
                    targets.push((*id, document.clone(), file.planned.path.clone()))
                }
                (Ok(_), _) => {}
                (Err(reason), _) => {
                    let shown = paths::display(&cwd, &file.planned.path);
                    eprintln!(
                        "newsmark: error: {}",
                        visible(&format!("{shown}: {reason}"))
                    );
                    unreadable += 1;
                }
            }
        }
        let ids: Vec<_> = targets.iter().map(|(id, _, _)| *id).collect();
        let graph = attribution_graph(ws, &ids);
        let mut articles: Vec<Article> = targets
            .into_par_iter()
            .map(|(id, document, file)| {
                let summary = ws.summary(id);
                let text = &*ws.text(id);
                let line = |offset| summary.lines.position(text, offset, Encoding::Utf32).line + 1;
                let findings = (diagnostics(ws, id).into_iter())
                    .map(|d| Finding {
                        line: line(d.range.start),
                        severity: d.severity,
                        code: d.code,
                        message: d.message.into_owned(),
                    })
                    .collect();
                let claim_lines = (document.claims.iter())
                    .map(|c| line(document.source_offset(text, c.start)))
                    .collect();
                Article {
                    shown: paths::display(&cwd, &file),
                    file,
                    path: ws.display_path(id).to_owned(),
                    front_matter: export::front_matter(summary),
                    stats: Stats::of_file(ws, id),
                    document,
                    claim_lines,
                    findings,
                    claims: 0..0,
                }
            })
            .collect();
        merge_graph(&mut corpus, &mut articles, graph, &mut entities, |id| {
            export::resolve(ws, id)
        });
        corpus.articles.extend(articles);
    }
    corpus.entities = entities.into_values().collect();
    let mut annotators = Vec::new();
    for folder in &args.annotators {
        if !paths::absolute(&cwd, folder).is_dir() {
            let shown = paths::display(&cwd, &paths::absolute(&cwd, folder));
            anyhow::bail!("{} is not a folder", visible(&shown));
        }
        let (version, failed) = Version::read(folder, &cwd, &annotators)?;
        unreadable += failed;
        annotators.push(version);
    }
    corpus.agreement = !annotators.is_empty();
    let mut files = pages(&corpus, &out);
    if corpus.agreement {
        let agreement = agreement::pages(&annotators);
        files.extend(
            agreement
                .into_iter()
                .map(|(name, text)| (out.join(name), text)),
        );
    }
    outputs.write_all(&out, &files)?;
    if let Some(wanted) = &args.page_of {
        let wanted = paths::absolute(&cwd, wanted);
        let found = corpus.articles.iter().position(|a| a.file == wanted);
        let page = found.map_or("index.html".to_owned(), Corpus::article_page);
        crate::check::write_stdout(&format!("{}\n", out.join(page).display()))?;
    }
    eprintln!(
        "newsmark: wrote a report of {} ({} pages) to {}",
        crate::output::plural(corpus.articles.len(), "article"),
        files.len(),
        visible(&paths::display(&cwd, &out))
    );
    Ok(if unreadable > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Adds one workspace's graph to the corpus: its claims after the ones
/// there (indexes shifted), its entities merged by id; and gives each of
/// `articles` its claims.
fn merge_graph(
    corpus: &mut Corpus,
    articles: &mut [Article],
    graph: AttributionGraph,
    entities: &mut BTreeMap<String, Entity>,
    resolve: impl Fn(&str) -> Option<ResolvedEntity>,
) {
    let offset = corpus.claims.len();
    let mut by_path: HashMap<&str, usize> = HashMap::new();
    for (index, article) in articles.iter().enumerate() {
        by_path.insert(&article.path, index);
    }
    let mut ranges: Vec<Option<std::ops::Range<usize>>> = vec![None; articles.len()];
    for (index, mut claim) in graph.claims.into_iter().enumerate() {
        if let Some(&article) = by_path.get(claim.file.as_str()) {
            let range = ranges[article].get_or_insert(offset + index..offset + index);
            range.end = offset + index + 1;
        }
        claim.parent = claim.parent.map(|p| p + offset);
        for stance in &mut claim.stances {
            stance.target = stance.target.map(|t| t + offset);
        }
        corpus.claims.push(claim);
    }
    corpus.plain_claims.resize(corpus.claims.len(), None);
    for (article, range) in articles.iter_mut().zip(ranges) {
        article.claims = range.unwrap_or(offset..offset);
        // Both lists are in text order: walk them together by line.
        let mut plain = 0;
        for claim in article.claims.clone() {
            let line = corpus.claims[claim].line;
            while article.claim_lines.get(plain).is_some_and(|&l| l < line) {
                plain += 1;
            }
            let found = article.claim_lines.get(plain).is_some_and(|&l| l == line);
            corpus.plain_claims[claim] = found.then_some(plain);
        }
    }
    for entity in graph.entities {
        match entities.get_mut(&entity.id) {
            Some(known) => {
                known.graph.mentions += entity.mentions;
                known.graph.claims += entity.claims;
                known.graph.conduit_for += entity.conduit_for;
            }
            None => {
                let card = resolve(&entity.id);
                entities.insert(
                    entity.id.clone(),
                    Entity {
                        graph: entity,
                        card,
                    },
                );
            }
        }
    }
}

/// Every file of the report, paths below `out`.
fn pages(corpus: &Corpus, out: &std::path::Path) -> Vec<(PathBuf, String)> {
    let mut files = vec![
        ("style.css".to_owned(), html::STYLE.to_owned()),
        ("report.js".to_owned(), html::SCRIPT.to_owned()),
        ("index.html".to_owned(), corpus::page(corpus)),
    ];
    files.extend(corpus::article_lists(corpus));
    files.extend(entity::lists(corpus));
    files.extend(graph::pages(corpus));
    let articles: Vec<(String, String)> = (0..corpus.articles.len())
        .into_par_iter()
        .map(|index| (Corpus::article_page(index), article::page(corpus, index)))
        .collect();
    files.extend(articles);
    let uses = entity::Uses::of(corpus);
    let entities: Vec<Vec<(String, String)>> = (0..corpus.entities.len())
        .into_par_iter()
        .map(|index| entity::pages(corpus, &uses, index))
        .collect();
    files.extend(entities.into_iter().flatten());
    files
        .into_iter()
        .map(|(name, text)| (out.join(name), text))
        .collect()
}

/// Splits `items` (HTML list items) into pages of [`PAGE`]: each page's
/// name from `name(n)` (n from 1) and its body, with links between pages.
pub fn paginate(items: &[String], name: impl Fn(usize) -> String) -> Vec<(String, String)> {
    let chunks: Vec<&[String]> = if items.is_empty() {
        vec![&[]]
    } else {
        items.chunks(PAGE).collect()
    };
    let count = chunks.len();
    (chunks.iter().enumerate())
        .map(|(index, chunk)| {
            let mut body = format!("<ul>\n{}</ul>\n", chunk.concat());
            if count > 1 {
                body.push_str("<nav class=\"pages\" aria-label=\"Pages\">Pages: ");
                for page in 1..=count {
                    let file = name(page);
                    let file = file.rsplit('/').next().unwrap_or(&file).to_owned();
                    if page == index + 1 {
                        body.push_str(&format!("<span aria-current=\"page\">{page}</span> "));
                    } else {
                        body.push_str(&format!("<a href=\"{file}\">{page}</a> "));
                    }
                }
                body.push_str("</nav>\n");
            }
            (name(index + 1), body)
        })
        .collect()
}
