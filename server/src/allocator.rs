//! The allocators: tree-sitter's allocations go to mimalloc, and the
//! language server caps glibc's arenas.
//!
//! A parse allocates and frees a node for almost every token, from every
//! core at once. glibc's malloc spends a good share of a cold `check` on
//! that churn; mimalloc, built for it, made the whole run about 5% faster
//! on two cores (docs/performance.md). Only tree-sitter's C allocations
//! move: trees are short-lived, so the language server's resident memory
//! stays as low as before, where making mimalloc the allocator of the whole
//! process added some 40 MB.
//!
//! This is the binary's only unsafe code (the grammar binding's C entry
//! point is the other in the project): tree-sitter's allocator hook is an
//! `unsafe fn` taking C functions, and `mallopt` a C function.

#![allow(unsafe_code)]

use std::ffi::c_void;

use libmimalloc_sys::{mi_calloc, mi_free, mi_malloc, mi_realloc};

/// Installs mimalloc as tree-sitter's allocator. Call it first thing in
/// `main`, before anything else touches tree-sitter.
pub fn use_mimalloc_for_tree_sitter() {
    // SAFETY: tree_sitter::set_allocator asks for one allocator family
    // (mimalloc's four functions), never null for a non-zero size (the
    // wrappers abort instead), malloc's alignment (mimalloc aligns to 16
    // bytes, as glibc does), and a call before any other tree-sitter call,
    // from one thread: `main` calls this before anything else.
    unsafe {
        tree_sitter::set_allocator(Some(tree_sitter::Allocator {
            malloc,
            calloc,
            realloc,
            free,
        }));
    }
}

unsafe extern "C" fn malloc(size: usize) -> *mut c_void {
    // SAFETY: mi_malloc has malloc's contract.
    non_null(unsafe { mi_malloc(size) }, size)
}

unsafe extern "C" fn calloc(count: usize, size: usize) -> *mut c_void {
    // SAFETY: mi_calloc has calloc's contract.
    non_null(
        unsafe { mi_calloc(count, size) },
        count.saturating_mul(size),
    )
}

unsafe extern "C" fn realloc(pointer: *mut c_void, size: usize) -> *mut c_void {
    // SAFETY: tree-sitter passes a pointer from these functions (or null),
    // as realloc requires.
    non_null(unsafe { mi_realloc(pointer, size) }, size)
}

unsafe extern "C" fn free(pointer: *mut c_void) {
    // SAFETY: as for realloc.
    unsafe { mi_free(pointer) }
}

/// Caps glibc's malloc at two arenas, for the language server. glibc gives
/// each thread that allocates an arena of its own (up to eight per core),
/// and the server builds summaries on several threads at once: what each
/// arena keeps after its scan adds up, ~40 MB of the server's memory on
/// 100,000 articles (docs/performance.md), and the scan is no faster for it.
/// Call it before the server starts its threads.
pub fn cap_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt sets one of malloc's tunables; M_ARENA_MAX may be set
    // at any time, and no other thread runs yet.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Tree-sitter does not check for null, so running out of memory aborts
/// here, as it does in tree-sitter's own allocator.
fn non_null(pointer: *mut c_void, size: usize) -> *mut c_void {
    if pointer.is_null() && size != 0 {
        eprintln!("newsmark: out of memory ({size} bytes for the parser)");
        std::process::abort();
    }
    pointer
}
