//! Throughput of the analysis core on a generated corpus, one thread:
//! parsing plus summarising, building the workspace index, and computing
//! every file's diagnostics.
//!
//! `cargo bench -p newsmark-analysis --bench analysis`

use std::sync::Arc;

use divan::counter::BytesCount;
use newsmark_analysis::{Config, FileSummary, Workspace, diagnostics};
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
            ws.set_summary(path, text.clone(), summary.clone());
        }
        ws.file_count()
    });
}

#[divan::bench(sample_count = 10)]
fn all_diagnostics(bencher: divan::Bencher) {
    let files = corpus();
    let mut ws = Workspace::new(Config::default());
    for (path, text) in &files {
        ws.set_file(path, text.clone());
    }
    let ids: Vec<_> = ws.files().map(|(id, _)| id).collect();
    bencher.counter(bytes(&files)).bench(|| {
        ids.iter()
            .map(|&id| diagnostics(&ws, id).len())
            .sum::<usize>()
    });
}
