//! `newsmark-corpus DIR [ARTICLES]`: writes a synthetic corpus (default:
//! the 10,000-article, ~60 MB benchmark corpus).

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    const USAGE: &str = "usage: newsmark-corpus DIR [ARTICLES]";
    let Some(dir) = args.next() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    // `--help` and other flags are not folder names to write into.
    if dir.starts_with('-') {
        eprintln!("{USAGE}");
        return ExitCode::from(if dir == "--help" || dir == "-h" { 0 } else { 2 });
    }
    let mut spec = newsmark_corpus::Spec::LARGE;
    if let Some(articles) = args.next() {
        match articles.parse() {
            Ok(n) => spec.articles = n,
            Err(_) => {
                eprintln!("ARTICLES must be a number, got {articles:?}");
                return ExitCode::from(2);
            }
        }
    }
    match newsmark_corpus::write(std::path::Path::new(&dir), &spec) {
        Ok(bytes) => {
            eprintln!(
                "wrote {} articles, {:.1} MB, to {dir}",
                spec.articles,
                bytes as f64 / 1e6
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("newsmark-corpus: {dir}: {error}");
            ExitCode::FAILURE
        }
    }
}
