//! `newsmark export`: articles as plain text with standoff annotations.
//! What the text and spans are is decided in `newsmark_analysis::export`;
//! [`jsonl`] and [`brat`] only write them out.
//!
//! Paths in the export are relative to the workspace root, so a dataset
//! does not depend on where the command ran. Registries (files with only
//! definitions and comments) are not exported; their entities come with
//! the articles that use them.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use newsmark_analysis::export::{self, PlainDocument, ResolvedEntity};
use rayon::prelude::*;

use crate::load::{Loaded, load_with};
use crate::output::escape::visible;
use crate::safe_write::Outputs;
use crate::{ExportArgs, ExportFormat, discover, paths};

pub mod brat;
pub mod jsonl;

/// One exported article.
#[derive(Debug)]
pub struct Article {
    /// Relative to the workspace root, `/`-separated.
    pub path: String,
    /// Where it was read.
    pub file: PathBuf,
    /// The text as read: `document`'s anchors point into it.
    pub text: Arc<str>,
    pub front_matter: Vec<(String, String)>,
    pub document: PlainDocument,
    pub entities: Vec<ResolvedEntity>,
}

pub fn run(args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let plans = crate::load::plan(&args.paths, &cwd)?;
    // An export is replaced only with --force, and never over an input.
    let outputs = Outputs::new(&cwd, discover::files_read(&plans), args.force);
    let (articles, unreadable) = read_articles(plans, &cwd, "exporting");

    let out = if args.out.as_os_str() == "-" {
        None
    } else {
        Some(paths::absolute(&cwd, &args.out))
    };
    let shown = out.as_ref().map_or("standard output".to_owned(), |path| {
        visible(&paths::display(&cwd, path)).into_owned()
    });
    match (args.format, out) {
        (ExportFormat::Jsonl, None) => crate::check::write_stdout(&jsonl::render(&articles))?,
        (ExportFormat::Jsonl, Some(path)) => outputs.write(&path, &jsonl::render(&articles))?,
        (ExportFormat::Brat, None) => {
            anyhow::bail!("--format brat writes a folder: give one with --out")
        }
        (ExportFormat::Brat, Some(folder)) => {
            outputs.write_all(&folder, &brat::files(&folder, &articles))?
        }
    }
    eprintln!(
        "newsmark: exported {} to {shown}",
        crate::output::plural(articles.len(), "article")
    );
    Ok(if unreadable > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// What reading one target gives: what to say of it on stderr, and the
/// article (none for a registry), or `Err` when it could not be read.
type Read = (Option<String>, Result<Option<Article>, ()>);

/// The articles among the targets of `plans`, sorted by path, and how many
/// files could not be read (each reported on stderr, named from `cwd`).
pub fn read_articles(plans: Vec<discover::Plan>, cwd: &Path, doing: &str) -> (Vec<Article>, usize) {
    let mut articles = Vec::new();
    let mut unreadable = 0;
    for plan in plans {
        // Each target article's plain text is made from the tree its
        // summary is made from.
        let Loaded { ws, files } = load_with(plan, doing, |file, tree, summary| {
            (file.target && export::is_article(summary)).then(|| export::plain_document(tree))
        });
        // What is said of each file is said in the files' order.
        let read: Vec<Read> = (files.into_par_iter())
            .filter(|f| f.planned.target)
            .map(|file| {
                let shown = || visible(&paths::display(cwd, &file.planned.path)).into_owned();
                let id = match &file.file {
                    Ok(id) => *id,
                    Err(reason) => {
                        let error = format!("newsmark: error: {}: {}", shown(), visible(reason));
                        return (Some(error), Err(()));
                    }
                };
                let Some(document) = file.from_tree.flatten() else {
                    return (None, Ok(None));
                };
                let summary = ws.summary(id);
                let warning = (!summary.syntax_errors.is_empty()).then(|| {
                    format!(
                        "newsmark: warning: {} has {} syntax error(s); marks around them may be missing from the export",
                        shown(),
                        summary.syntax_errors.len()
                    )
                });
                let article = Article {
                    path: file.planned.rel.clone(),
                    file: file.planned.path.clone(),
                    text: ws.text(id).clone(),
                    front_matter: export::front_matter(summary),
                    document,
                    entities: export::entities_used(&ws, id),
                };
                (warning, Ok(Some(article)))
            })
            .collect();
        for (message, result) in read {
            if let Some(message) = message {
                eprintln!("{message}");
            }
            match result {
                Ok(article) => articles.extend(article),
                Err(()) => unreadable += 1,
            }
        }
    }
    articles.sort_by(|a, b| a.path.cmp(&b.path));
    (articles, unreadable)
}
