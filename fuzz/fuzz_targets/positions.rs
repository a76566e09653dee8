//! (c) Position conversion round trips and clamping in every encoding.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| newsmark_invariants::check_positions(data));
