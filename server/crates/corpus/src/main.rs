//! `newsmark-corpus DIR [ARTICLES] [--second-annotator]`: writes a
//! synthetic corpus (default: the 10,000-article, ~60 MB benchmark corpus);
//! with `--second-annotator`, the same corpus as a second annotator left it
//! (`newsmark agree`'s benchmark compares the two).

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let second = args.iter().any(|a| a == "--second-annotator");
    let mut args = args.into_iter().filter(|a| a != "--second-annotator");
    const USAGE: &str = "usage: newsmark-corpus DIR [ARTICLES] [--second-annotator]";
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
    let write = if second {
        newsmark_corpus::write_second_annotator
    } else {
        newsmark_corpus::write
    };
    match write(std::path::Path::new(&dir), &spec) {
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
