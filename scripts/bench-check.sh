#!/usr/bin/env bash
# Benchmarks `newsmark check` on the generated 10,000-article corpus
# (~62 MB, a mark every ~100 bytes, 2,000 entities), for docs/performance.md:
#
#   - cold throughput: no cache, and a first run that writes the cache;
#   - a warm re-run (cache) against `rg -c @` over the same corpus, in the
#     same hyperfine invocation;
#   - a re-run after a registry changed (every finding recomputed from the
#     cached summaries, no parse);
#   - peak memory (maximum resident set size, GNU time).
#
# Usage: scripts/bench-check.sh [ARTICLES]      (default 10000)
# COLD_RUNS (default 5) and WARM_RUNS (default 20) set hyperfine's runs:
# a million articles take minutes a run, so
#   COLD_RUNS=1 WARM_RUNS=3 CORPUS=/tmp/c1m scripts/bench-check.sh 1000000
# (the 4 GB target of issue 17 is the "no cache" line of the peak memory).
# Needs ripgrep, hyperfine and GNU time; installs them from Debian's
# packages when missing and running as root (apt-get install ripgrep
# hyperfine time). Set CORPUS=DIR to reuse a corpus; by default one is
# generated into a temporary folder and removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

articles="${1:-10000}"
cold_runs="${COLD_RUNS:-5}"
warm_runs="${WARM_RUNS:-20}"
# Warm-up runs only where there are runs enough to spare them.
cold_warmup=$(( cold_runs > 1 ? 1 : 0 ))
warm_warmup=$(( warm_runs > 3 ? 3 : 1 ))
missing=()
command -v rg >/dev/null || missing+=(ripgrep)
command -v hyperfine >/dev/null || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "missing: ${missing[*]} (install them, e.g. apt-get install ${missing[*]})" >&2
    exit 2
  fi
fi

cargo build --release --locked -p newsmark -p newsmark-corpus
newsmark="$PWD/target/release/newsmark"

if [ -n "${CORPUS:-}" ]; then
  corpus="$CORPUS"
  [ -d "$corpus/articles" ] || target/release/newsmark-corpus "$corpus" "$articles"
else
  corpus="$(mktemp -d)"
  trap 'rm -rf "$corpus"' EXIT
  target/release/newsmark-corpus "$corpus" "$articles"
fi
cache="$corpus/.newsmark_cache"
bytes=$(find "$corpus" -name '*.nmk' -type f -printf '%s\n' | awk '{s += $1} END {print s}')
files=$(find "$corpus" -name '*.nmk' -type f | wc -l)
echo "corpus: $files files, $bytes bytes ($(awk "BEGIN {printf \"%.1f\", $bytes / 1e6}") MB), $(nproc) cores"

json="$(mktemp)"
mbps() { # mean seconds of command $1 in $json -> MB/s
  python3 -c "import json,sys; r=json.load(open('$json'))['results'][$1]; print(f\"{r['command']}: mean {r['mean']*1000:.0f} ms ± {(r['stddev'] or 0)*1000:.0f}, median {r['median']*1000:.0f} ms, {$bytes/1e6/r['mean']:.1f} MB/s\")"
}

echo
echo "== cold: no cache, and a first run that writes the cache"
hyperfine --warmup "$cold_warmup" --runs "$cold_runs" -i --export-json "$json" \
  --prepare "rm -rf '$cache'" \
  "$newsmark check '$corpus' --no-cache --output-format concise" \
  "$newsmark check '$corpus' --output-format concise"
mbps 0
mbps 1

echo
echo "== warm re-run (cache) against rg -c @, same invocation"
"$newsmark" check "$corpus" --output-format concise >/dev/null || true
hyperfine --warmup "$warm_warmup" --runs "$warm_runs" -i --export-json "$json" \
  "rg -c @ '$corpus'" \
  "$newsmark check '$corpus' --output-format concise" \
  "$newsmark check '$corpus' --output-format json" \
  "$newsmark check '$corpus'"
python3 -c "
import json
r = json.load(open('$json'))['results']
rg = r[0]['mean']
for x in r:
    print(f\"{x['command']}: mean {x['mean']*1000:.0f} ms ({x['mean']/rg:.2f}x rg)\")
"

echo
echo "== a registry changed: findings recomputed from cached summaries"
registry="$corpus/entities/registry-0.nmk"
cp "$registry" "$registry.orig"
hyperfine --runs "$cold_runs" -i --export-json "$json" \
  --prepare "cp '$registry.orig' '$registry' && echo \"@bench-\$RANDOM\$RANDOM: Bench entity\" >> '$registry' && $newsmark check '$corpus' >/dev/null; echo '@bench-changed: Changed' >> '$registry'" \
  "$newsmark check '$corpus' --output-format concise"
mbps 0
mv "$registry.orig" "$registry"

echo
echo "== peak memory (maximum resident set size)"
rm -rf "$cache"
for run in "no cache:--no-cache" "cold, writing the cache:" "warm:"; do
  label="${run%%:*}"
  flag="${run#*:}"
  /usr/bin/time -f "$label: %M KB, %e s wall, %U s user, %S s system" \
    "$newsmark" check "$corpus" $flag --output-format concise >/dev/null || true
done
rm -f "$json"
