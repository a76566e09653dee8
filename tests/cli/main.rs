//! End-to-end tests of `newsmark check`, `export` and `stats`: the real
//! binary, run with its current folder set to a fixture and relative
//! paths, so every path in the snapshots is stable. Snapshots live in
//! `snapshots/` (review changes with `cargo insta review`, or accept them
//! with `INSTA_UPDATE=always`); fixtures in `tests/fixtures/cli/`.

mod agree;
mod any_language;
mod bad_files;
mod baseline;
mod cache;
mod check;
mod conflicts;
mod diff;
mod export;
mod graph;
mod hostile;
mod import;
mod merge;
mod newsmark2;
mod report;
mod stats;
mod support;
#[cfg(unix)]
mod terminal;
mod untrusted_config;
mod v1_corpus;
mod writes;
