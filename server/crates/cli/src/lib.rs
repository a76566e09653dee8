//! The `newsmark` command line: the argument table and the dispatch.
//!
//! Map of the crate:
//! - [`walk`]: the workspace root, `newsmark.toml`, which files to read;
//! - [`source`]: reading one file (the `io` cases: unreadable, binary, not
//!   UTF-8), from `newsmark-files`, as the language server reads it;
//! - [`load`]: files in, a `newsmark_analysis::Workspace` out (export, stats);
//! - [`check`]: `newsmark check`, with [`cache`], [`baseline`] and one
//!   module per report format under [`output`];
//! - [`export`], [`stats`] and [`graph`]: the other commands (formatting
//!   only: what they compute lives in `newsmark-analysis`);
//! - [`site`]: `newsmark report`, the corpus as a static site;
//! - [`report`]: findings with their positions, as every format reads them;
//! - [`safe_write`]: every file a command writes (never through a link,
//!   never over an input, atomically);
//! - [`paths`]: how paths are shown; [`progress`]: the progress bar.
//!
//! No rule logic lives here: every finding comes from
//! `newsmark_analysis::diagnostics`, as in the language server.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use newsmark_analysis::Severity;
pub use newsmark_files::{discover, paths, source};

pub mod agree;
pub mod baseline;
pub mod cache;
pub mod check;
pub mod diff;
pub mod disagreements;
pub mod export;
pub mod graph;
pub mod import;
pub mod load;
pub mod merge;
pub mod output;
pub mod progress;
pub mod report;
pub mod safe_write;
pub mod site;
pub mod stats;
pub mod versions;

#[derive(Debug, Parser)]
#[command(
    name = "newsmark",
    version,
    about = "Language server and linter for annotated news articles"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the language server on stdin and stdout (docs/lsp.md).
    Lsp {
        /// Log filter for stderr: error, warn, info, debug, trace, or a
        /// tracing filter such as `newsmark_lsp=debug` [default: info].
        #[arg(long, env = "NEWSMARK_LOG", value_name = "FILTER")]
        log_level: Option<String>,
        /// Accepted and ignored: the server always speaks over stdin and
        /// stdout. vscode-languageclient, coc.nvim and other clients pass it.
        #[arg(long)]
        stdio: bool,
    },
    /// Check .nmk files: malformed markup, unsourced claims, undefined and
    /// duplicate entities, and the other diagnostics of docs/rules.md.
    Check(CheckArgs),
    /// Export articles as plain text with standoff annotations.
    Export(ExportArgs),
    /// Import annotations from another tool's files as .nmk articles.
    Import(ImportArgs),
    /// Count claims, sources, quotes and mentions, per file and in total.
    Stats(StatsArgs),
    /// Print the attribution graph: entities, claims and their sources.
    Graph(GraphArgs),
    /// Measure how far annotators agree: one folder per annotator.
    Agree(AgreeArgs),
    /// What changed between two versions of an article or a corpus, in
    /// annotations: mentions, claims, sources, chains, stances.
    Diff(DiffArgs),
    /// Merge annotators' versions into one, each disagreement a conflict
    /// block to settle in the editor.
    Merge(MergeArgs),
    /// Write the corpus as a static site: numbers, charts, articles,
    /// entities and the attribution graph (docs/report.md).
    Report(ReportArgs),
}

/// The options of `newsmark check`.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Files and folders to check; folders are searched for .nmk files.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// How to print the findings.
    #[arg(long, value_enum, default_value_t = OutputFormat::Full, env = "NEWSMARK_OUTPUT_FORMAT")]
    pub output_format: OutputFormat,
    /// Write the report to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// The lowest severity that makes the exit status 1.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// Exit with status 0 even when findings reach --fail-on.
    #[arg(long)]
    pub exit_zero: bool,
    /// Print how many findings each code has instead of the findings.
    #[arg(long)]
    pub statistics: bool,
    /// Show hints (untagged mentions, unused entities) in the full,
    /// concise, github and junit formats; json, json-lines and sarif always
    /// hold them.
    #[arg(long)]
    pub show_hints: bool,
    /// Neither read nor write the result cache (.newsmark_cache/).
    #[arg(long)]
    pub no_cache: bool,
    /// Record every current finding in FILE, then report only findings
    /// that are not in it (none, right after writing).
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
    /// Report only findings that are not recorded in FILE.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
}

/// The report formats of `newsmark check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Findings with a snippet of the source, as rustc prints them.
    Full,
    /// One line per finding: `path:line:col: severity[code] message`.
    Concise,
    /// One JSON array of findings (a stable contract, see docs/cli.md).
    Json,
    /// One JSON object per line.
    JsonLines,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// JUnit XML: one test suite per file, one test case per finding.
    Junit,
}

/// The severities `--fail-on` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Hint,
}

impl FailOn {
    pub fn severity(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
            FailOn::Hint => Severity::Hint,
        }
    }
}

/// The options of `newsmark export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// Files and folders to export; only articles are exported (files with
    /// front matter, a heading or a paragraph), registries are not.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// `jsonl`: one JSON object per article; `brat`: .txt and .ann pairs;
    /// `web-annotation`: W3C Web Annotation JSON-LD beside each plain text;
    /// `label-studio`: Label Studio tasks and their labeling config;
    /// `doccano`: doccano JSONL with relations; `citron`: BBC Citron's
    /// quote JSON; `inception`: UIMA CAS XMI (XML 1.1) with its type
    /// system, for INCEpTION; `spacy`: spaCy Doc JSON lines and their
    /// relations; `claimreview`: schema.org ClaimReview JSON-LD of the front
    /// matter's reviews (docs/interop.md).
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// The output: a file for jsonl, doccano and claimreview (`-` for
    /// standard output), a folder for the other formats.
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// label-studio: write the marks as predictions (to pre-annotate)
    /// rather than as annotations.
    #[arg(long)]
    pub as_predictions: bool,
    /// Replace files that an earlier export left at --out.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Jsonl,
    Brat,
    WebAnnotation,
    LabelStudio,
    Doccano,
    Citron,
    Inception,
    Spacy,
    Claimreview,
}

impl ExportFormat {
    /// As typed after `--format`.
    pub fn name(self) -> String {
        self.to_possible_value()
            .map_or_else(String::new, |value| value.get_name().to_owned())
    }
}

/// The options of `newsmark import`.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The format of the input.
    #[arg(long, value_enum)]
    pub from: ImportFormat,
    /// The input: a folder of `.txt` and `.ann` files for brat; a JSON
    /// file of tasks, or a folder of them, for Label Studio; a JSONL file,
    /// or a folder of them, for doccano; a folder of `.xmi` files (with
    /// their `TypeSystem.xml`) for inception.
    pub input: PathBuf,
    /// The folder to write the articles, a registry and `newsmark.toml` in.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace files that an earlier import left at --out.
    #[arg(long)]
    pub force: bool,
    /// A TOML file mapping the input's labels to Newsmark (docs/interop.md).
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    Brat,
    LabelStudio,
    Doccano,
    Inception,
}

/// The options of `newsmark stats`.
#[derive(Debug, Clone, Args)]
pub struct StatsArgs {
    /// Files and folders to count.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = StatsFormat::Table)]
    pub format: StatsFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsFormat {
    Table,
    Json,
}

/// The options of `newsmark graph`.
#[derive(Debug, Clone, Args)]
pub struct GraphArgs {
    /// Files and folders whose claims make the graph.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// `json`: the graph as data (a stable contract, docs/features.md);
    /// `dot`: Graphviz, for `dot -Tsvg`.
    #[arg(long, value_enum, default_value_t = GraphFormat::Json)]
    pub format: GraphFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Json,
    Dot,
}

/// The options of `newsmark agree`.
#[derive(Debug, Clone, Args)]
pub struct AgreeArgs {
    /// One folder per annotator, each holding their version of the same
    /// articles (paired by their path inside it).
    #[arg(required = true, num_args = 2..)]
    pub folders: Vec<PathBuf>,
    /// `table`: for people, the weakest labels and documents first;
    /// `json`: as data (docs/cli.md); `sarif` and `github`: each
    /// disagreement as a finding in each annotator's file.
    #[arg(long, value_enum, default_value_t = AgreeFormat::Table)]
    pub format: AgreeFormat,
    /// Exit with status 1 when agreement is below this: `0.8` for a pair's
    /// F1 (with overlapping spans), or `MEASURE=VALUE` with `f1`, `kappa`
    /// (Cohen's, any pair and kind of label), `fleiss`, `alpha` or
    /// `alpha_u` (all annotators, any kind); repeatable.
    #[arg(long, value_name = "[MEASURE=]VALUE", value_parser = fail_under)]
    pub fail_under: Vec<FailUnder>,
}

/// A bar for `--fail-under`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FailUnder {
    pub measure: Measure,
    pub value: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    F1,
    Kappa,
    Fleiss,
    Alpha,
    AlphaU,
}

impl Measure {
    const NAMES: [(&str, Measure); 5] = [
        ("f1", Measure::F1),
        ("kappa", Measure::Kappa),
        ("fleiss", Measure::Fleiss),
        ("alpha", Measure::Alpha),
        ("alpha_u", Measure::AlphaU),
    ];

    /// What the measure is, in the message of a failed bar.
    pub fn describe(self) -> &'static str {
        match self {
            Measure::F1 => "F1 with overlapping spans, for some pair",
            Measure::Kappa => "Cohen's kappa, for some pair and kind of label",
            Measure::Fleiss => "Fleiss' kappa, for some kind of label",
            Measure::Alpha => "Krippendorff's alpha, for some kind of label",
            Measure::AlphaU => "Krippendorff's alpha-u, for some kind of label",
        }
    }
}

/// `VALUE` (F1) or `MEASURE=VALUE`; κ and α may be below 0, down to −1.
fn fail_under(text: &str) -> Result<FailUnder, String> {
    let (measure, value) = match text.split_once('=') {
        None => (Measure::F1, text),
        Some((name, value)) => {
            let found = Measure::NAMES.iter().find(|(n, _)| *n == name.trim());
            let Some(&(_, measure)) = found else {
                return Err(format!(
                    "`{name}` is not a measure: use f1, kappa, fleiss, alpha or alpha_u"
                ));
            };
            (measure, value)
        }
    };
    let lowest = if measure == Measure::F1 { 0.0 } else { -1.0 };
    match value.trim().parse::<f64>() {
        Ok(value) if (lowest..=1.0).contains(&value) => Ok(FailUnder { measure, value }),
        _ => Err(format!("`{value}` is not a number from {lowest} to 1")),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AgreeFormat {
    Table,
    Json,
    Sarif,
    Github,
}

/// The options of `newsmark diff`.
#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    /// The old version: an article, or a folder of articles.
    pub old: PathBuf,
    /// The new version: an article, or a folder whose articles pair with
    /// the old ones by their path inside it.
    pub new: PathBuf,
    /// `human`: one line per change; `json`: as data (docs/cli.md).
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Human,
    Json,
}

/// The options of `newsmark merge`.
#[derive(Debug, Clone, Args)]
pub struct MergeArgs {
    /// One folder per annotator, each holding their version of the same
    /// files (paired by their path inside it).
    #[arg(required = true, num_args = 2..)]
    pub folders: Vec<PathBuf>,
    /// The folder to write the merged version into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace files already in the output folder.
    #[arg(long)]
    pub force: bool,
}

/// The options of `newsmark report`.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// Files and folders whose articles make the report.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// The folder to write the site into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace files that an earlier report left at --out.
    #[arg(long)]
    pub force: bool,
    /// Annotators' folders of the same articles: adds their agreement
    /// (the tables of `newsmark agree`) and their disagreements side by side.
    #[arg(long, value_name = "FOLDER", num_args = 2..)]
    pub annotators: Vec<PathBuf>,
    /// Print the path of FILE's page (the corpus page when FILE is not one
    /// of its articles) on stdout: what an editor opens.
    #[arg(long, value_name = "FILE")]
    pub page_of: Option<PathBuf>,
}

/// Exit status 2: usage, configuration or internal errors.
const FAILURE: u8 = 2;

/// The language server, `newsmark lsp`: given by the binary, so that this
/// crate does not depend on `newsmark-lsp` (the two front ends share only
/// syntax, analysis and `newsmark-files`). Its argument is `--log-level`.
pub type LanguageServer = fn(Option<&str>) -> anyhow::Result<()>;

pub fn main(language_server: LanguageServer) -> ExitCode {
    let cli = Cli::parse();
    // A panic is an internal error: the default hook prints it, and the
    // exit status says 2 like every other error of ours, not Rust's 101.
    let outcome = std::panic::catch_unwind(move || run(cli, language_server));
    match outcome {
        Ok(Ok(code)) => code,
        Ok(Err(error)) => {
            // File names and configuration values are in it.
            eprintln!(
                "newsmark: error: {}",
                output::escape::visible(&format!("{error:#}"))
            );
            ExitCode::from(FAILURE)
        }
        Err(_) => ExitCode::from(FAILURE),
    }
}

fn run(cli: Cli, language_server: LanguageServer) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Lsp { log_level, .. } => {
            language_server(log_level.as_deref()).map(|()| ExitCode::SUCCESS)
        }
        Command::Check(args) => check::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Import(args) => import::run(&args),
        Command::Stats(args) => stats::run(&args),
        Command::Graph(args) => graph::run(&args),
        Command::Agree(args) => agree::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Merge(args) => merge::run(&args),
        Command::Report(args) => site::run(&args),
    }
}
