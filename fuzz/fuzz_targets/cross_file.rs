//! (d) An edit to one file of a workspace: the other files' findings equal
//! a fresh analysis, and stay as they were when its cross-file facts do.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| newsmark_invariants::check_cross_file(data));
