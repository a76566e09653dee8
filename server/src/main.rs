//! The `newsmark` binary: `check`, `export`, `stats`, `lsp`. Everything
//! lives in the `newsmark-cli` crate; this file only picks tree-sitter's
//! allocator and hands over.

mod allocator;

fn main() -> std::process::ExitCode {
    allocator::use_mimalloc_for_tree_sitter();
    newsmark_cli::main()
}
