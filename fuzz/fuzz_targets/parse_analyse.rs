//! (a) Arbitrary bytes through parsing and every analysis entry point.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| newsmark_invariants::check_parse_and_analyse(data));
