//! Throughput of the analysis core on a generated corpus, one thread:
//! parsing plus summarising, building the workspace index, and computing
//! every file's diagnostics.
//!
//! `cargo bench -p newsmark-analysis --bench analysis`

use std::sync::Arc;

use divan::counter::BytesCount;
use newsmark_analysis::{Config, FileSummary, PreparedFile, Workspace, diagnostics};
use newsmark_corpus::{Rng, Spec, article, entities, registry};
use newsmark_syntax::SyntaxTree;

fn main() {
    divan::main();
}

/// 500 articles of ~6 KB and a 2,000-entity registry (~3 MB).
fn corpus() -> Vec<(String, Arc<str>)> {
    let spec = Spec {
        articles: 500,
        ..Spec::LARGE
    };
    let entities = entities(&spec);
    let mut rng = Rng::new(1);
    let mut files: Vec<(String, Arc<str>)> = entities
        .chunks(spec.entities_per_registry)
        .enumerate()
        .map(|(n, chunk)| {
            (
                format!("entities/{n}.nmk"),
                registry(chunk, &mut rng).into(),
            )
        })
        .collect();
    for index in 0..spec.articles {
        files.push((
            format!("articles/{index}.nmk"),
            article(index, &entities, spec.article_bytes, &mut rng).into(),
        ));
    }
    files
}

fn bytes(files: &[(String, Arc<str>)]) -> BytesCount {
    BytesCount::new(files.iter().map(|(_, text)| text.len()).sum::<usize>())
}

#[divan::bench(sample_count = 10)]
fn parse_and_summarize(bencher: divan::Bencher) {
    let files = corpus();
    bencher.counter(bytes(&files)).bench(|| {
        files
            .iter()
            .map(|(_, text)| {
                FileSummary::from_tree(&SyntaxTree::parse(text.clone()))
                    .usages
                    .len()
            })
            .sum::<usize>()
    });
}

#[divan::bench(sample_count = 10)]
fn index(bencher: divan::Bencher) {
    let files = corpus();
    let summaries: Vec<FileSummary> = files
        .iter()
        .map(|(_, text)| FileSummary::from_tree(&SyntaxTree::parse(text.clone())))
        .collect();
    bencher.counter(bytes(&files)).bench(|| {
        let mut ws = Workspace::new(Config::default());
        for ((path, text), summary) in files.iter().zip(&summaries) {
            ws.add(path, PreparedFile::new(text.clone(), summary.clone(), None));
        }
        ws.file_count()
    });
}

/// Every file's diagnostics in a workspace that has computed none yet
/// (untagged-name hits are kept per file once found), its untagged-name
/// matcher already built.
#[divan::bench(sample_count = 10)]
fn all_diagnostics(bencher: divan::Bencher) {
    let files = corpus();
    let summaries: Vec<Arc<FileSummary>> = files
        .iter()
        .map(|(_, text)| Arc::new(FileSummary::from_tree(&SyntaxTree::parse(text.clone()))))
        .collect();
    let workspace = || {
        let mut ws = Workspace::new(Config::default());
        for ((path, text), summary) in files.iter().zip(&summaries) {
            ws.add(path, PreparedFile::new(text.clone(), summary.clone(), None));
        }
        // Built once per workspace, not per file: not timed here.
        ws.matcher();
        ws
    };
    bencher
        .counter(bytes(&files))
        .with_inputs(workspace)
        .bench_local_refs(|ws| {
            let ids: Vec<_> = ws.files().map(|(id, _)| id).collect();
            ids.iter()
                .map(|&id| diagnostics(ws, id).len())
                .sum::<usize>()
        });
}

/// A 1 MB article beside a 200-entity registry, and the offset of a letter
/// in the middle of a line of prose.
fn big_article() -> (Arc<str>, Arc<str>, usize) {
    let spec = Spec {
        entities: 200,
        ..Spec::LARGE
    };
    let entities = entities(&spec);
    let mut rng = Rng::new(11);
    let registry: Arc<str> = registry(&entities, &mut rng).into();
    let text: String = article(0, &entities, 1_000_000, &mut rng);
    let middle = text[text.len() / 2..].find(" the ").unwrap() + text.len() / 2 + 1;
    (registry, text.into(), middle)
}

/// One-character insertion in a 1 MB article, reparsed with the old tree.
#[divan::bench(sample_count = 50)]
fn edit_1mb_reparse(bencher: divan::Bencher) {
    let (_, text, at) = big_article();
    let old = SyntaxTree::parse(text.clone());
    let rope = newsmark_syntax::Rope::from_str(&text);
    let mut edited = String::with_capacity(text.len() + 1);
    edited.push_str(&text[..at]);
    edited.push('x');
    edited.push_str(&text[at..]);
    let edited: Arc<str> = edited.into();
    let edit = newsmark_syntax::input_edit(&rope, at, at, "x", &mut Default::default());
    bencher.bench_local(|| {
        let mut tree = old.tree().clone();
        tree.edit(&edit);
        SyntaxTree::parse_with(
            edited.clone(),
            Some(&tree),
            newsmark_syntax::default_parse_budget(edited.len()),
        )
    });
}

#[divan::bench(sample_count = 20)]
fn edit_1mb_summary(bencher: divan::Bencher) {
    let (_, text, _) = big_article();
    let tree = SyntaxTree::parse(text);
    bencher.bench_local(|| FileSummary::from_tree(&tree));
}

/// The article and the same with one letter inserted in the middle.
fn big_article_versions() -> (Arc<str>, [Arc<str>; 2]) {
    let (registry, text, at) = big_article();
    let mut edited = text.to_string();
    edited.insert(at, 'x');
    (registry, [text, edited.into()])
}

/// Replacing the 1 MB article's entry in the workspace by the other
/// version (its summary already built) and computing its diagnostics,
/// alternately: what the server does after each edit once it has the
/// summary. The untagged-name search starts from the other version's hits.
#[divan::bench(sample_count = 50)]
fn edit_1mb_update_and_diagnostics(bencher: divan::Bencher) {
    let (registry, versions) = big_article_versions();
    let summaries = versions
        .clone()
        .map(|text| Arc::new(FileSummary::from_tree(&SyntaxTree::parse(text))));
    let mut ws = Workspace::new(Config::default());
    ws.set_file("registry.nmk", registry);
    let mut turn = 0;
    bencher.bench_local(|| {
        turn += 1;
        let file = ws
            .set_summary(
                "big.nmk",
                versions[turn % 2].clone(),
                summaries[turn % 2].clone(),
            )
            .file;
        diagnostics(&ws, file).len()
    });
}

/// The summary of each version of the 1 MB article in turn, keeping
/// what the other version says of the parts the edit did not touch (what
/// the language server does on each change).
#[divan::bench(sample_count = 50)]
fn edit_1mb_summary_reusing_parts(bencher: divan::Bencher) {
    let (_, text, at) = big_article();
    let (_, [_, edited]) = big_article_versions();
    let old = SyntaxTree::parse(text.clone());
    // The edited version reparsed from the first, as the server does.
    let mut tree = old.tree().clone();
    tree.edit(&newsmark_syntax::input_edit(
        &newsmark_syntax::Rope::from_str(&text),
        at,
        at,
        "x",
        &mut Default::default(),
    ));
    let new = SyntaxTree::parse_with(
        edited.clone(),
        Some(&tree),
        newsmark_syntax::default_parse_budget(edited.len()),
    );
    let trees = [old, new];
    let mut cache = newsmark_analysis::SummaryCache::default();
    let mut turn = 0;
    FileSummary::from_tree_cached(&trees[turn], &mut cache);
    bencher.bench_local(|| {
        turn += 1;
        FileSummary::from_tree_cached(&trees[turn % 2], &mut cache)
    });
}
