//! The `newsmark` binary: `check`, `export`, `stats`, `lsp`. Everything
//! lives in the `newsmark-cli` crate; this file only hands over.

fn main() -> std::process::ExitCode {
    newsmark_cli::main()
}
