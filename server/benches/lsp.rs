//! End-to-end benchmarks of `newsmark lsp`: the real binary over stdio, as
//! an editor sees it. `cargo bench -p newsmark --bench lsp`.
//!
//! - `edit_1mb_article`: one-character edit of a 1 MB article until its
//!   diagnostics are published (divan's median is the figure);
//! - `corpus_*`: the 10,000-article benchmark corpus (newsmark-corpus,
//!   `Spec::LARGE`, written to a temporary folder once; set
//!   `NEWSMARK_BENCH_ARTICLES=100000` for another size): initial index
//!   time, request latencies (each bench also prints p50/p99 over 1,000
//!   requests at every mark of an article, outside divan's timing), the
//!   latency of the first requests once indexing ends, the delay that
//!   indexing adds to the first opened file's diagnostics, and resident
//!   memory.

#[allow(dead_code)]
#[path = "../../tests/lsp/client.rs"]
mod client;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use client::{Client, Options, file_uri};
use divan::Bencher;
use newsmark_corpus::{Rng, Spec};
use newsmark_syntax::position::{self, Encoding};
use newsmark_syntax::{Rope, SyntaxTree};
use serde_json::{Value, json};

fn main() {
    divan::main();
}

fn pos_json(rope: &Rope, offset: usize) -> Value {
    let p = position::offset_to_position(rope, offset, Encoding::Utf16);
    json!({ "line": p.line, "character": p.column })
}

/// A folder with a registry and one article of about 1 MB: fully
/// annotated (`clean`), or with ~1,000 findings to publish.
fn big_article_workspace(clean: bool) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let spec = Spec {
        entities: 200,
        ..Spec::LARGE
    };
    let entities = newsmark_corpus::entities(&spec);
    let mut rng = Rng::new(11);
    std::fs::create_dir_all(dir.path().join("entities")).unwrap();
    std::fs::write(
        dir.path().join("entities/registry.nmk"),
        newsmark_corpus::registry(&entities, &mut rng),
    )
    .unwrap();
    let article = if clean {
        newsmark_corpus::clean_article(0, &entities, 1_000_000, &mut rng)
    } else {
        newsmark_corpus::article(0, &entities, 1_000_000, &mut rng)
    };
    let path = dir.path().join("big.nmk");
    std::fs::write(&path, article).unwrap();
    (dir, path)
}

/// One-character edits (insert a letter, then delete it) in the middle of
/// a line of prose of a 1 MB article, each timed until the client has the
/// diagnostics of the new version.
fn edit_1mb(bencher: Bencher, clean: bool) {
    let (dir, path) = big_article_workspace(clean);
    let text = std::fs::read_to_string(&path).unwrap();
    edit_open_article(bencher, dir.path(), &file_uri(&path), &text, clean);
}

/// One-character edits of `text`, opened as `uri` in a server on `root`.
fn edit_open_article(bencher: Bencher, root: &Path, uri: &str, text: &str, clean: bool) {
    let mut client = Client::start(root, Options::default());
    client.wait_for_index();
    let uri = uri.to_owned();
    client.open_text(&uri, text);
    let published = client.diagnostics(&uri, |d| clean || !d.is_empty());
    // Each edit (a letter typed, then deleted) publishes as many. The
    // server sends 1,000 at most, then one that counts the others.
    eprintln!("diagnostics published for the article: {}", published.len());
    let rope = Rope::from_str(text);
    let middle = text[text.len() / 2..].find(" the ").unwrap() + text.len() / 2 + 1;
    let at = pos_json(&rope, middle);
    let after = json!({ "line": at["line"], "character": at["character"].as_u64().unwrap() + 1 });
    // What is timed is the server's work, not this client's parse of a
    // thousand diagnostics: they are checked as JSON and counted.
    client.skim_diagnostics(true);
    let mut version = 1;
    bencher.bench_local(|| {
        version += 1;
        let change = if version % 2 == 0 {
            json!({ "range": { "start": at, "end": at }, "text": "x" })
        } else {
            json!({ "range": { "start": at, "end": after }, "text": "" })
        };
        client.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [change] }),
        );
        let published = client.wait_for_untracked("published diagnostics", |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        assert!(clean || published["params"]["count"].as_u64() > Some(0));
    });
}

/// A fully annotated 1 MB article: few findings to publish.
#[divan::bench(sample_count = 200, sample_size = 1)]
fn edit_1mb_annotated_article_to_published_diagnostics(bencher: Bencher) {
    edit_1mb(bencher, true);
}

/// A 1 MB article with ~1,000 findings (unsourced claims, untagged names),
/// all published again after each edit.
#[divan::bench(sample_count = 200, sample_size = 1)]
fn edit_1mb_article_with_findings_to_published_diagnostics(bencher: Bencher) {
    edit_1mb(bencher, false);
}

/// The same edits in a 1 MB article with ~1,000 findings open in the
/// 10,000-article corpus (as an unsaved document, so the other corpus
/// benches see the corpus alone). It names the corpus's entities, so the
/// index update replaces this file's uses in lists that span the corpus.
#[divan::bench(sample_count = 200, sample_size = 1)]
fn corpus_edit_1mb_article_with_findings_to_published_diagnostics(bencher: Bencher) {
    let root = corpus();
    let entities = newsmark_corpus::entities(&corpus_spec());
    let text = newsmark_corpus::article(0, &entities, 1_000_000, &mut Rng::new(11));
    let uri = file_uri(&root.join("big-unsaved.nmk"));
    edit_open_article(bencher, root, &uri, &text, false);
}

/// The same edits in a 1 MB article with ~550 findings, the load the
/// issue's target (< 5 ms) was set for: the corpus's articles now hold
/// about three times the findings they held then, so the first third
/// of this one is written with findings and the rest fully annotated.
#[divan::bench(sample_count = 200, sample_size = 1)]
fn corpus_edit_1mb_article_with_550_findings_to_published_diagnostics(bencher: Bencher) {
    let root = corpus();
    let entities = newsmark_corpus::entities(&corpus_spec());
    let mut rng = Rng::new(11);
    let mut text = newsmark_corpus::article(0, &entities, 340_000, &mut rng);
    text.push_str(&newsmark_corpus::clean_article(
        1, &entities, 660_000, &mut rng,
    ));
    let uri = file_uri(&root.join("big-unsaved.nmk"));
    edit_open_article(bencher, root, &uri, &text, false);
}

/// `Spec::LARGE`, with `NEWSMARK_BENCH_ARTICLES` articles when set.
fn corpus_spec() -> Spec {
    let articles = std::env::var("NEWSMARK_BENCH_ARTICLES").ok();
    Spec {
        articles: articles.map_or(Spec::LARGE.articles, |n| {
            n.parse().expect("a number of articles")
        }),
        ..Spec::LARGE
    }
}

/// The benchmark corpus, written once per run into one fixed folder: a
/// static is never dropped, so a temporary folder per run would stay
/// behind (62 MB each), and a page cache full of old corpora slows this
/// VM down (docs/performance.md). Two runs of this bench at once would
/// share the folder; they must not overlap anyway, or each would time the
/// other's work on the same two cores. `NEWSMARK_BENCH_CORPUS=DIR` uses a
/// corpus already written by `newsmark-corpus DIR N` instead (N must match
/// `NEWSMARK_BENCH_ARTICLES`): a 100,000-article one takes minutes to write.
fn corpus() -> &'static Path {
    static CORPUS: OnceLock<PathBuf> = OnceLock::new();
    CORPUS.get_or_init(|| {
        if let Some(dir) = std::env::var_os("NEWSMARK_BENCH_CORPUS") {
            eprintln!(
                "corpus: {} articles in {}",
                corpus_spec().articles,
                dir.display()
            );
            return PathBuf::from(dir);
        }
        let dir = std::env::temp_dir().join("newsmark-bench-corpus");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let started = Instant::now();
        let spec = corpus_spec();
        let bytes = newsmark_corpus::write(&dir, &spec).unwrap();
        // Flush the 62 MB now: the kernel would otherwise write them back
        // in the middle of a later measurement, on the same two cores.
        let _ = std::process::Command::new("sync").status();
        eprintln!(
            "corpus: {} articles, {:.1} MB, written in {:.1} s to {}",
            spec.articles,
            bytes as f64 / 1e6,
            started.elapsed().as_secs_f64(),
            dir.display()
        );
        dir
    })
}

const ARTICLE: &str = "articles/0042/article-4242.nmk";

#[divan::bench(sample_count = 5, sample_size = 1)]
fn corpus_initial_index(bencher: Bencher) {
    let root = corpus();
    bencher.bench_local(|| {
        let mut client = Client::start(root, Options::default());
        let status = client.wait_for_index();
        let spec = corpus_spec();
        let registries = spec.entities.div_ceil(spec.entities_per_registry);
        assert_eq!(status["files"], spec.articles + registries);
        let memory = memory(&client);
        eprintln!("after indexing: {memory}");
        client
    });
}

fn memory(client: &Client) -> String {
    let status = std::fs::read_to_string(format!("/proc/{}/status", client.pid())).unwrap();
    status
        .lines()
        .filter(|line| line.starts_with("VmRSS") || line.starts_with("VmHWM"))
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A server with the corpus indexed and one article open.
fn indexed_server() -> (Client, String, Rope, Vec<usize>) {
    let root = corpus();
    let mut client = Client::start(root, Options::default());
    client.wait_for_index();
    let path = root.join(ARTICLE);
    let uri = file_uri(&path);
    let text = std::fs::read_to_string(&path).unwrap();
    client.open_text(&uri, &text);
    client.diagnostics(&uri, |d| !d.is_empty());
    let marks = usage_marks(&text);
    (client, uri, Rope::from_str(&text), marks)
}

/// An offset inside each id that the article uses.
fn usage_marks(text: &str) -> Vec<usize> {
    let summary = newsmark_analysis::FileSummary::from_tree(&SyntaxTree::parse(text.to_owned()));
    summary
        .usages
        .iter()
        .map(|u| u.id_range().start + 1)
        .collect()
}

/// Times `request` at every mark, 1,000 times in all, and prints the
/// percentiles; then lets divan time it too.
fn request_latency(bencher: Bencher, method: &str, extra: Value) {
    let (mut client, uri, rope, marks) = indexed_server();
    let params = |i: usize| {
        let mut params = json!({
            "textDocument": { "uri": uri },
            "position": pos_json(&rope, marks[i % marks.len()]),
        });
        if let (Some(params), Some(extra)) = (params.as_object_mut(), extra.as_object()) {
            params.extend(extra.clone());
        }
        params
    };
    let (mut arrived, mut parsed): (Vec<Duration>, Vec<Duration>) = (0..1000)
        .map(|i| timed(&mut client, method, params(i)))
        .unzip();
    let (p50, p99, max) = percentiles(&mut parsed);
    eprintln!(
        "{method}: p50 {p50:?}, p99 {p99:?}, max {max:?} over {} requests at {} marks",
        parsed.len(),
        marks.len()
    );
    let (p50, p99, max) = percentiles(&mut arrived);
    eprintln!("  to the answer's last byte, before parsing: p50 {p50:?}, p99 {p99:?}, max {max:?}");
    let mut i = 0;
    bencher.bench_local(|| {
        i += 1;
        client.request(method, params(i)).unwrap()
    });
}

#[divan::bench(sample_count = 200, sample_size = 1)]
fn corpus_hover(bencher: Bencher) {
    request_latency(bencher, "textDocument/hover", json!({}));
}

#[divan::bench(sample_count = 200, sample_size = 1)]
fn corpus_definition(bencher: Bencher) {
    request_latency(bencher, "textDocument/definition", json!({}));
}

#[divan::bench(sample_count = 200, sample_size = 1)]
fn corpus_references(bencher: Bencher) {
    request_latency(
        bencher,
        "textDocument/references",
        json!({ "context": { "includeDeclaration": true } }),
    );
}

#[divan::bench(sample_count = 200, sample_size = 1)]
fn corpus_completion(bencher: Bencher) {
    request_latency(bencher, "textDocument/completion", json!({}));
}

/// The first requests after the scan: a server starts on the corpus, an
/// article opens while it indexes, and as soon as the client hears that
/// indexing ended (the `end` of its work-done progress, sent when the scan
/// hands its last files over, so these requests queue behind whatever the
/// server does at the end of a scan) it sends hover, definition,
/// references and completion in turn, each after the last one's answer.
/// Every latency counts from the very first; the percentiles over all runs
/// are printed at the end. Divan times each run's whole burst.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn corpus_first_requests_after_indexing(bencher: Bencher) {
    const ROUNDS: usize = 25;
    let methods = [
        ("textDocument/hover", json!({})),
        ("textDocument/definition", json!({})),
        (
            "textDocument/references",
            json!({ "context": { "includeDeclaration": true } }),
        ),
        ("textDocument/completion", json!({})),
    ];
    let root = corpus();
    let path = root.join(ARTICLE);
    let uri = file_uri(&path);
    let text = std::fs::read_to_string(&path).unwrap();
    let rope = Rope::from_str(&text);
    let marks = usage_marks(&text);
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); methods.len()];
    let mut arrivals = times.clone();
    let mut first = Vec::new();
    bencher
        .with_inputs(|| {
            let options = Options {
                work_done_progress: true,
                ..Options::default()
            };
            let mut client = Client::start(root, options);
            client.timeout = Duration::from_secs(600);
            client.open_text(&uri, &text);
            client.wait_for_untracked("the end of indexing", |m| {
                m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
            });
            client
        })
        .bench_local_values(|mut client| {
            for round in 0..ROUNDS {
                for (method, (name, extra)) in methods.iter().enumerate() {
                    let mut params = json!({
                        "textDocument": { "uri": uri },
                        "position": pos_json(&rope, marks[round % marks.len()]),
                    });
                    params
                        .as_object_mut()
                        .unwrap()
                        .extend(extra.as_object().unwrap().clone());
                    let (arrived, elapsed) = timed(&mut client, name, params);
                    if round == 0 {
                        first.push(elapsed);
                    }
                    times[method].push(elapsed);
                    arrivals[method].push(arrived);
                }
            }
            client
        });
    let articles = corpus_spec().articles;
    eprintln!("first requests after indexing, {articles} articles, {ROUNDS} rounds per run:");
    for run in first.chunks(methods.len()) {
        eprintln!("  first round (hover, definition, references, completion): {run:?}");
    }
    for ((name, _), (times, arrivals)) in methods.iter().zip(times.iter_mut().zip(&mut arrivals)) {
        let (p50, p99, max) = percentiles(times);
        eprintln!(
            "  {name}: p50 {p50:?}, p99 {p99:?}, max {max:?} over {} requests",
            times.len()
        );
        let (p50, p99, max) = percentiles(arrivals);
        eprintln!("    to the answer's last byte: p50 {p50:?}, p99 {p99:?}, max {max:?}");
    }
    let (p50, p99, max) = percentiles(&mut times.concat());
    eprintln!("  all: p50 {p50:?}, p99 {p99:?}, max {max:?}");
    let (p50, p99, max) = percentiles(&mut arrivals.concat());
    eprintln!("    to the answer's last byte: p50 {p50:?}, p99 {p99:?}, max {max:?}");
}

/// A request's time to the last byte of its answer, and to the answer
/// parsed into a `Value` (which takes this client milliseconds for the
/// thousands of places of a references answer).
fn timed(client: &mut Client, method: &str, params: Value) -> (Duration, Duration) {
    let started = Instant::now();
    let id = client.send_request(method, params);
    client.response(id).unwrap();
    let parsed = started.elapsed();
    let arrived = client
        .answered_at(id)
        .expect("an answer's arrival is noted");
    (arrived - started, parsed)
}

/// Median, 99th percentile and maximum.
fn percentiles(times: &mut [Duration]) -> (Duration, Duration, Duration) {
    times.sort();
    let at = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    (at(0.50), at(0.99), times[times.len() - 1])
}

/// Time from `didOpen` to the first published diagnostics of an article,
/// sent right after `initialized` (indexing runs) and again once indexing
/// is done; the figure is the difference.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn corpus_first_diagnostics_during_indexing(bencher: Bencher) {
    let root = corpus();
    let path = root.join(ARTICLE);
    let uri = file_uri(&path);
    let text = std::fs::read_to_string(&path).unwrap();
    bencher.bench_local(|| {
        let mut client = Client::start(root, Options::default());
        let started = Instant::now();
        client.open_text(&uri, &text);
        client.diagnostics(&uri, |_| true);
        let during = started.elapsed();
        let status = client.request("newsmark/status", Value::Null).unwrap();
        client.wait_for_index();
        let second = client.uri("articles/0043/article-4343.nmk");
        let second_text = std::fs::read_to_string(root.join("articles/0043/article-4343.nmk")).unwrap();
        let started = Instant::now();
        client.open_text(&second, &second_text);
        client.diagnostics(&second, |_| true);
        let after = started.elapsed();
        eprintln!(
            "first diagnostics: {during:?} while indexing (still indexing when they came: {}), {after:?} after; delay {:?}",
            status["indexing"],
            during.saturating_sub(after)
        );
        client
    });
}
