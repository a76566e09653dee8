//! The `newsmark` binary: `check`, `export`, `stats`, `lsp`. Everything
//! lives in the `newsmark-cli` crate, with the language server from
//! `newsmark-lsp`; this file only picks the allocators, joins the two and
//! hands over.

mod allocator;

fn main() -> std::process::ExitCode {
    allocator::use_mimalloc_for_tree_sitter();
    newsmark_cli::main(|log_level| {
        allocator::cap_malloc_arenas();
        newsmark_lsp::run_stdio_with_log_level(log_level)
    })
}
