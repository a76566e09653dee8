//! `newsmark import`: annotations from other tools written as `.nmk`
//! articles, a registry and a `newsmark.toml`. Each format's reader
//! ([`brat`], [`label_studio`], [`doccano`], [`inception`]) parses its
//! files into a [`standoff::Standoff`] per document, through the label
//! [`mapping`], which makes plain texts with mention and claim spans (as
//! `newsmark export` gives them) and the entities; the markup is written
//! by `newsmark_analysis::markup_writer`. Whatever cannot be represented
//! is one finding on stdout, with the input file and line.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use newsmark_analysis::export::{PlainDocument, ResolvedEntity};
use newsmark_analysis::markup_writer::{Mark, write_article, write_registry};

use crate::output::escape::visible;
use crate::safe_write::Outputs;
use crate::{CheckArgs, FailOn, ImportArgs, ImportFormat, OutputFormat, paths};

pub mod annotation_conf;
pub mod brat;
pub mod doccano;
pub mod entities;
pub mod inception;
pub mod label_studio;
pub mod mapping;
pub mod standoff;
pub mod xmi;

/// The registry file an import writes, beside `newsmark.toml`.
pub const REGISTRY: &str = "entities.nmk";

/// One article read from another tool's files.
#[derive(Debug)]
pub struct Article {
    /// The `.nmk` path to write, relative to the output, `/`-separated.
    pub path: String,
    pub front_matter: Vec<(String, String)>,
    pub document: PlainDocument,
    /// Where each mention and claim was read: a file and its line.
    pub mention_origins: Vec<Origin>,
    pub claim_origins: Vec<Origin>,
    /// Where the text was read (for what concerns the whole text).
    pub text_origin: Origin,
}

/// A line of an input file (line 0: the file as a whole).
#[derive(Debug, Clone)]
pub struct Origin {
    pub file: PathBuf,
    pub line: usize,
}

/// Something of the input that the output does not hold.
#[derive(Debug)]
pub struct Finding {
    pub origin: Origin,
    pub what: String,
    pub why: String,
}

/// What a reader gives.
#[derive(Debug, Default)]
pub struct Imported {
    pub articles: Vec<Article>,
    pub entities: Vec<ResolvedEntity>,
    pub findings: Vec<Finding>,
    /// Every file read (never written over).
    pub inputs: Vec<PathBuf>,
}

pub fn run(args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let input = paths::absolute(&cwd, &args.input);
    let out = paths::absolute(&cwd, &args.out);
    let mapping = match &args.mapping {
        Some(file) => {
            let file = paths::absolute(&cwd, file);
            let text = std::fs::read_to_string(&file).with_context(|| {
                format!("cannot read {}", visible(&paths::display(&cwd, &file)))
            })?;
            mapping::Mapping::parse(&text).map_err(|error| {
                anyhow::anyhow!("{}: {error}", visible(&paths::display(&cwd, &file)))
            })?
        }
        None => mapping::Mapping::default(),
    };
    let mut imported = match args.from {
        ImportFormat::Brat => brat::read(&input, &mapping)?,
        ImportFormat::LabelStudio => label_studio::read(&input, &mapping)?,
        ImportFormat::Doccano => doccano::read(&input, &mapping)?,
        ImportFormat::Inception => inception::read(&input, &mapping)?,
    };
    let mut taken = HashSet::from([REGISTRY.to_owned()]);
    let mut files = Vec::new();
    for article in &mut imported.articles {
        if !taken.insert(article.path.clone()) {
            let stem = article.path.trim_end_matches(".nmk");
            let free = (2..)
                .map(|n| format!("{stem}-{n}.nmk"))
                .find(|path| !taken.contains(path))
                .unwrap_or_default();
            imported.findings.push(Finding {
                origin: article.text_origin.clone(),
                what: format!("article path {}", article.path),
                why: format!("another article or the registry has it; written as {free}"),
            });
            article.path = free;
            taken.insert(article.path.clone());
        }
        let written = write_article(&article.front_matter, &article.document);
        for left_out in written.not_written {
            let (origin, what) = match left_out.mark {
                Mark::Mention(i) => (&article.mention_origins[i], "mention"),
                Mark::Claim(i) => (&article.claim_origins[i], "claim"),
                Mark::Text | Mark::FrontMatter(_) => (&article.text_origin, "text"),
            };
            imported.findings.push(Finding {
                origin: origin.clone(),
                what: what.into(),
                why: left_out.reason,
            });
        }
        files.push((out.join(&article.path), written.source));
    }
    files.push((out.join(REGISTRY), write_registry(&imported.entities)));
    files.push((
        out.join(newsmark_analysis::CONFIG_FILE),
        format!("# Written by `newsmark import`.\nregistry = \"{REGISTRY}\"\n"),
    ));
    let outputs = Outputs::new(&cwd, imported.inputs.clone(), args.force);
    outputs.write_all(&out, &files)?;

    imported
        .findings
        .sort_by(|a, b| (&a.origin.file, a.origin.line).cmp(&(&b.origin.file, b.origin.line)));
    let mut report = String::new();
    for finding in &imported.findings {
        let file = paths::display(&cwd, &finding.origin.file);
        let line = match finding.origin.line {
            0 => String::new(),
            line => format!(":{line}"),
        };
        report.push_str(&format!(
            "{}{line}: not imported: {}: {}\n",
            visible(&file),
            visible(&finding.what),
            visible(&finding.why)
        ));
    }
    crate::check::write_stdout(&report)?;
    eprintln!(
        "newsmark: imported {} to {}; {} not representable",
        crate::output::plural(imported.articles.len(), "article"),
        visible(&paths::display(&cwd, &out)),
        crate::output::plural(imported.findings.len(), "annotation")
    );
    // The checks of the result, as `newsmark check` reports them.
    let checked = crate::check::run(&CheckArgs {
        paths: vec![out],
        output_format: OutputFormat::Concise,
        output_file: None,
        fail_on: FailOn::Error,
        exit_zero: false,
        statistics: false,
        show_hints: false,
        no_cache: true,
        write_baseline: None,
        baseline: None,
    })?;
    Ok(if imported.findings.is_empty() {
        checked
    } else {
        ExitCode::from(1)
    })
}

/// Labels and other strings from the input are shown cut to this many
/// characters.
const SHOWN: usize = 60;

/// A string from the input as a finding shows it: cut when long (the
/// report escapes it).
pub fn shown(text: &str) -> String {
    let mut chars = text.chars();
    let mut shown: String = chars.by_ref().take(SHOWN).collect();
    if chars.next().is_some() {
        shown.push('…');
    }
    shown
}

/// `path` with `/` between its parts, relative to `root`.
pub fn relative(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// The files below `folder` whose names end in `.{extension}`, sorted;
/// links are not followed.
pub fn files_below(folder: &Path, extension: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![folder.to_owned()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let path = entry.path();
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file() && path.extension().is_some_and(|e| e == extension) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The `.nmk` path of an article that its input names `named` (a path of
/// its own, such as the `path` an export writes), else `fallback`; and why
/// `named` is not used, when it is not.
pub fn article_path(named: Option<&str>, fallback: &str) -> (String, Option<String>) {
    let Some(named) = named else {
        return (format!("{fallback}.nmk"), None);
    };
    let safe = !named.is_empty()
        && named.split('/').all(|part| {
            !part.is_empty()
                && !part.starts_with('.')
                && !part.contains(|c: char| c.is_control() || c == '\\' || c == ':')
        });
    if !safe {
        return (
            format!("{fallback}.nmk"),
            Some(format!(
                "`{named}` is not a relative path of plain names; written as {fallback}.nmk"
            )),
        );
    }
    let stem = named.strip_suffix(".nmk").unwrap_or(named);
    (format!("{stem}.nmk"), None)
}
