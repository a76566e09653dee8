//! The Newsmark language server: LSP 3.17 over stdio, on top of
//! `newsmark-analysis`.
//!
//! This crate is the only one that knows the protocol. It owns the open
//! documents (ropes and trees), the order in which edits apply, the
//! workspace scan, and the conversion of byte offsets to protocol
//! positions; every answer itself comes from `newsmark-analysis`.
//!
//! Map of the crate:
//! - [`transport`]: the stdio framing, which answers malformed messages;
//! - [`server`]: the routing table (which message goes where);
//! - [`actor`]: the single writer that owns documents and the workspaces;
//! - [`namespaces`]: the session's workspaces, one per root, as
//!   `newsmark check` finds them;
//! - [`documents`]: one open document and its incremental edits;
//! - [`snapshot`]: the immutable state a request reads;
//! - [`outbox`]: frames the server writes next to tower-lsp's (diagnostics);
//! - [`file_key`]: a document's identity, from and to its URIs;
//! - [`from_proto`] / [`to_proto`]: every other conversion from and to the
//!   protocol;
//! - [`indexing`], [`watcher`], [`diagnostics`]: background work;
//! - [`parent`]: stopping when the client process named at `initialize` dies;
//! - [`settings`]: settings that change while the server runs;
//! - one module per feature: [`hover`], [`definition`], [`references`],
//!   [`highlight`], [`completion`], [`symbols`], [`rename`],
//!   [`code_actions`], [`semantic_tokens`], [`code_lens`], [`inlay_hints`],
//!   [`document_links`], [`folding`], [`selection`], [`graph`],
//!   [`open_report`].
//!
//! Stdout carries the protocol and nothing else; logs go to stderr.

#![deny(clippy::print_stdout)]

pub mod actor;
pub mod capabilities;
pub mod code_actions;
pub mod code_lens;
pub mod compare_with;
pub mod completion;
pub mod definition;
pub mod diagnostics;
pub mod document_links;
pub mod documents;
pub mod file_key;
pub mod folding;
pub mod from_proto;
pub mod graph;
pub mod highlight;
pub mod hover;
pub mod indexing;
pub mod inlay_hints;
pub mod namespaces;
pub mod open_report;
pub mod outbox;
pub mod parent;
pub mod references;
pub mod rename;
pub mod requests;
pub mod selection;
pub mod semantic_tokens;
pub mod server;
pub mod session;
pub mod settings;
pub mod snapshot;
pub mod symbols;
pub mod to_proto;
pub mod transport;
pub mod watcher;

use tracing_subscriber::EnvFilter;

/// The environment variable that sets the log filter when `--log-level` is
/// not given (`error`, `warn`, `info`, `debug`, `trace`, or a tracing
/// filter such as `newsmark_lsp=debug`).
pub const LOG_ENV: &str = "NEWSMARK_LOG";

/// Serves the Language Server Protocol on stdin and stdout until the client
/// sends `exit` or closes stdin. Logs go to stderr, filtered by
/// `NEWSMARK_LOG` (else `info`).
pub fn run_stdio() -> anyhow::Result<()> {
    run_stdio_with_log_level(None)
}

/// [`run_stdio`] with a log filter that takes precedence over `NEWSMARK_LOG`
/// (`newsmark lsp --log-level`).
pub fn run_stdio_with_log_level(log_level: Option<&str>) -> anyhow::Result<()> {
    init_logging(log_level);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("newsmark-lsp")
        .build()?;
    // A pipe holds 64 KB by default: an answer of half a megabyte (the
    // references of a popular entity) would cross it in a dozen wake-ups
    // of the client. Not a pipe, or refused: the default stays.
    #[cfg(target_os = "linux")]
    let _ = rustix::pipe::fcntl_setpipe_size(std::io::stdout(), 1 << 20);
    let clean_exit = runtime.block_on(transport::serve(
        tokio::io::stdin(),
        transport::BlockingStdout::new()?,
    ));
    // Tokio's stdin reader sits in a blocking read that no shutdown can
    // interrupt; leave without waiting for it.
    runtime.shutdown_background();
    if clean_exit {
        Ok(())
    } else {
        // The specification asks for exit code 1 when `exit` comes without
        // an earlier `shutdown`.
        std::process::exit(1)
    }
}

fn init_logging(log_level: Option<&str>) {
    let filter = log_level
        .map(str::to_owned)
        .or_else(|| std::env::var(LOG_ENV).ok())
        .unwrap_or_else(|| "info".to_owned());
    let filter = EnvFilter::try_new(&filter).unwrap_or_else(|error| {
        eprintln!("newsmark lsp: invalid log filter {filter:?} ({error}); using `info`");
        EnvFilter::new("info")
    });
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}
