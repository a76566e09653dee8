//! `newsmark export`: articles as plain text with standoff annotations.
//! What the text and spans are is decided in `newsmark_analysis::export`;
//! each format's module only writes them out, in its own offset unit
//! (docs/interop.md). [`relations`] links spans for the formats that have
//! relations.
//!
//! Paths in the export are relative to the workspace root, so a dataset
//! does not depend on where the command ran. Registries (files with only
//! definitions and comments) are not exported; their entities come with
//! the articles that use them.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use newsmark_analysis::export::{self, ClaimSpan, PlainDocument, ResolvedEntity};
use newsmark_analysis::rules::KINDS;
use newsmark_analysis::summary::FileSummary;
use rayon::prelude::*;

use crate::discover::PlannedFile;
use crate::load::{Loaded, load_reusing};
use crate::output::escape::visible;
use crate::safe_write::Outputs;
use crate::{ExportArgs, ExportFormat, discover, paths};

pub mod brat;
pub mod citron;
pub mod claimreview;
pub mod doccano;
pub mod inception;
pub mod jsonl;
pub mod label_studio;
pub mod relations;
pub mod spacy;
pub mod utf16;
pub mod web_annotation;

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
    /// The summary of `text`.
    pub summary: Arc<FileSummary>,
    pub document: Arc<PlainDocument>,
    pub entities: Vec<ResolvedEntity>,
}

impl Article {
    /// The path without `.nmk`, for the files a folder format writes.
    pub fn stem(&self) -> &str {
        self.path.strip_suffix(".nmk").unwrap_or(&self.path)
    }

    /// The entity `id` resolves to, if it is defined.
    pub fn entity(&self, id: &str) -> Option<&ResolvedEntity> {
        self.entities.iter().find(|e| e.id == id)
    }

    /// The type of a mention of `id`: its entity's kind, or `Entity` when
    /// the kind is missing, unknown or the id undefined.
    pub fn kind_of(&self, id: &str) -> &'static str {
        let kind = self.entity(id).and_then(|e| e.kind.as_deref());
        KINDS
            .iter()
            .find(|known| Some(**known) == kind)
            .copied()
            .unwrap_or("Entity")
    }
}

/// A claim's sources as written, each with its chain: `@jon via @kcna`.
pub fn written_sources(claim: &ClaimSpan) -> Vec<String> {
    (claim.sources.iter().zip(&claim.via))
        .map(|(id, via)| {
            let via: String = via.iter().map(|c| format!(" via @{c}")).collect();
            format!("@{id}{via}")
        })
        .collect()
}

pub fn run(args: &ExportArgs) -> anyhow::Result<ExitCode> {
    if args.as_predictions && args.format != ExportFormat::LabelStudio {
        anyhow::bail!("--as-predictions is for --format label-studio");
    }
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let plans = crate::load::plan(&args.paths, &cwd)?;
    // An export is replaced only with --force, and never over an input.
    let outputs = Outputs::new(&cwd, discover::files_read(&plans), args.force);
    let (articles, unreadable) = read_articles(plans, &cwd, "exporting", |_, _| None);

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
        (ExportFormat::Doccano, None) => crate::check::write_stdout(&doccano::render(&articles))?,
        (ExportFormat::Doccano, Some(path)) => outputs.write(&path, &doccano::render(&articles))?,
        (ExportFormat::Claimreview, out) => {
            let (json, warnings) = claimreview::render(&articles);
            for warning in warnings {
                eprintln!("{warning}");
            }
            match out {
                None => crate::check::write_stdout(&json)?,
                Some(path) => outputs.write(&path, &json)?,
            }
        }
        (format, None) => {
            anyhow::bail!(
                "--format {} writes a folder: give one with --out",
                format.name()
            )
        }
        (ExportFormat::Brat, Some(folder)) => {
            outputs.write_all(&folder, &brat::files(&folder, &articles))?
        }
        (ExportFormat::WebAnnotation, Some(folder)) => {
            outputs.write_all(&folder, &web_annotation::files(&folder, &articles))?
        }
        (ExportFormat::LabelStudio, Some(folder)) => {
            let files = label_studio::files(&folder, &articles, args.as_predictions);
            outputs.write_all(&folder, &files)?
        }
        (ExportFormat::Citron, Some(folder)) => {
            outputs.write_all(&folder, &citron::files(&folder, &articles))?
        }
        (ExportFormat::Inception, Some(folder)) => {
            let (files, warnings) = inception::files(&folder, &articles);
            for warning in warnings {
                eprintln!("newsmark: warning: {}", visible(&warning));
            }
            outputs.write_all(&folder, &files)?
        }
        (ExportFormat::Spacy, Some(folder)) => {
            outputs.write_all(&folder, &spacy::files(&folder, &articles))?
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
/// A file that `earlier` finds, by its path and text, among articles read
/// before is not parsed again.
pub fn read_articles<'a>(
    plans: Vec<discover::Plan>,
    cwd: &Path,
    doing: &str,
    earlier: impl Fn(&Path, &Arc<str>) -> Option<&'a Article> + Sync,
) -> (Vec<Article>, usize) {
    let mut articles = Vec::new();
    let mut unreadable = 0;
    for plan in plans {
        let reuse = |file: &PlannedFile, text: &Arc<str>| {
            let article = earlier(&file.path, text).filter(|_| file.target)?;
            Some((article.summary.clone(), Some(article.document.clone())))
        };
        // Each target article's plain text is made from the tree its
        // summary is made from.
        let Loaded { ws, files } = load_reusing(plan, doing, reuse, |file, tree, summary| {
            (file.target && export::is_article(summary))
                .then(|| Arc::new(export::plain_document(tree)))
        });
        // Each entity is resolved once, not once per article using it.
        let used: Vec<Vec<&str>> = (files.par_iter())
            .map(|f| match (&f.file, f.planned.target) {
                (Ok(id), true) => export::used_ids(ws.summary(*id)),
                _ => Vec::new(),
            })
            .collect();
        let ids: HashSet<&str> = used.iter().flatten().copied().collect();
        let resolved: HashMap<&str, ResolvedEntity> = (ids.into_par_iter())
            .filter_map(|id| Some((id, export::resolve(&ws, id)?)))
            .collect();
        // What is said of each file is said in the files' order.
        let read: Vec<Read> = (files.into_par_iter().zip(used))
            .filter(|(f, _)| f.planned.target)
            .map(|(file, used)| {
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
                let summary = &ws.entry(id).summary;
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
                    text: ws.text(id),
                    front_matter: export::front_matter(summary),
                    summary: summary.clone(),
                    document,
                    entities: (used.into_iter())
                        .filter_map(|id| resolved.get(id).cloned())
                        .collect(),
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
