//! (b) Random edit sequences: incremental parse equals a fresh parse.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| newsmark_invariants::check_incremental(data));
