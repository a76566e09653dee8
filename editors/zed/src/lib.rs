//! Zed extension for Newsmark: tells Zed how to start the language server.
//!
//! The server is `newsmark lsp`, found on the worktree's PATH. Install it with
//! `cargo install --path server` from a Newsmark checkout. A later version
//! can download a release asset (`newsmark-{arch}-{os}.tar.gz`) the way other
//! extensions do, once releases publish predictably named binaries.

use zed_extension_api::{self as zed, LanguageServerId, Result, Worktree};

struct Newsmark;

impl zed::Extension for Newsmark {
    fn new() -> Self {
        Newsmark
    }

    fn language_server_command(
        &mut self,
        _language_server_id: &LanguageServerId,
        worktree: &Worktree,
    ) -> Result<zed::Command> {
        let command = worktree.which("newsmark").ok_or_else(|| {
            "The Newsmark language server (`newsmark`) is not on PATH. \
             Install it with `cargo install --path server` from a Newsmark checkout."
                .to_string()
        })?;
        Ok(zed::Command {
            command,
            args: vec!["lsp".into()],
            env: worktree.shell_env(),
        })
    }
}

zed::register_extension!(Newsmark);
