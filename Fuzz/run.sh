#!/usr/bin/env bash
# Runs one libFuzzer harness for a number of seconds, starting from its seed corpus in
# Fuzz/Corpus/<Name>/ (copied, so the committed seeds stay as they are). Crashes, leaks and hangs
# (over 10 s for one input) stop the run with a non-zero exit and leave the input in the corpus folder.
#   Fuzz/run.sh IDXFuzzer 60
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
name="${1:?usage: Fuzz/run.sh NAME SECONDS (names: $(ls "$root/Fuzz/Harnesses" | sed 's/.swift//' | tr '\n' ' '))}"
seconds="${2:-60}"
binary="$root/.build-fuzz/$name"
[ -x "$binary" ] || { echo "$binary is not built: run Fuzz/build.sh" >&2; exit 1; }
corpus="$root/.build-fuzz/corpus/$name"
mkdir -p "$corpus"
cp -n "$root/Fuzz/Corpus/$name/"* "$corpus/" 2>/dev/null || true
log="$root/.build-fuzz/$name.log"
set +e
"$binary" "$corpus" -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=10 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$root/.build-fuzz/$name-" >"$log" 2>&1
status=$?
set -e
grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb|SUMMARY|INFO: Seed)|ERROR|crash-|leak-|timeout-" "$log" || true
[ "$status" -eq 0 ] || echo "$name failed (exit $status); full output in $log" >&2
exit "$status"
