//! The Newsmark language server over stdio.

/// Serves the Language Server Protocol on stdin and stdout until the client
/// exits.
pub fn run_stdio() -> anyhow::Result<()> {
    anyhow::bail!("the language server is not built yet")
}
