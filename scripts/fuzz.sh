#!/usr/bin/env bash
# Runs every cargo-fuzz target for a while, then `tree-sitter fuzz` on the
# grammar, and prints what each ran (docs/reliability.md).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET [TARGET...]]
#
# Defaults: 600 seconds, every target, then tree-sitter fuzz.
#
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`). The stable
# toolchain builds the targets through RUSTC_BOOTSTRAP, without sanitizers
# (`-s none`): our code is safe Rust, and the C parser is exercised by the
# same inputs. A crash lands in fuzz/artifacts/<target>/; copy it into
# fuzz/regressions/<target>/ so `cargo test` replays it. `tree-sitter fuzz`
# runs only where the tree-sitter CLI is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-600}"
targets=("${@:2}")
[ ${#targets[@]} -gt 0 ] || targets=(parse_analyse reparse positions cross_file cache_reader)

export RUSTC_BOOTSTRAP=1
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target"
  log="fuzz/target/$target.log"
  mkdir -p fuzz/target
  echo "== $target: ${seconds}s"
  # Seed the corpus with the regressions, so they are mutated too.
  (cd fuzz && cargo fuzz run -s none --release "$target" \
    "corpus/$target" "regressions/$target" \
    -- -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
    >"target/$target.log" 2>&1) || {
    tail -40 "$log"
    echo "$target failed; the input is in fuzz/artifacts/$target/" >&2
    exit 1
  }
  grep -E '^Done [0-9]+ runs' "$log" || tail -3 "$log"
  echo "corpus: $(find "fuzz/corpus/$target" -type f | wc -l) inputs"
done

if command -v tree-sitter >/dev/null; then
  echo "== tree-sitter fuzz"
  (cd grammar && tree-sitter fuzz --iterations 100 --edits 5 >../fuzz/target/tree-sitter.log 2>&1) || {
    tail -40 fuzz/target/tree-sitter.log
    exit 1
  }
  echo "tree-sitter fuzz: every corpus case passed (100 iterations, up to 5 edits each)"
else
  echo "tree-sitter CLI not installed: tree-sitter fuzz skipped" >&2
fi
