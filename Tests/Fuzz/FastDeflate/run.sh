#!/bin/bash
# Fuzzes FastDeflate's gzip encoder: every input (expanded into repetitive data) is encoded,
# inflated by the system zlib and compared; a mismatch traps. Builds the FastDeflate sources
# with the harness under libFuzzer and ASan, then runs for SECONDS (default 300).
# Usage: Tests/Fuzz/FastDeflate/run.sh [SECONDS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../../.."
secs=${1:-300}
work="${TMPDIR:-/tmp}/fuzz-fastdeflate"
mkdir -p "$work/corpus"
swiftc -sanitize=fuzzer,address -parse-as-library -O -I "$root/Tests/CZlibRef" -lz \
    "$root"/Sources/FastDeflate/*.swift "$here/FuzzFastDeflate.swift" -o "$work/fuzz"
"$work/fuzz" -max_total_time="$secs" -max_len=32768 -rss_limit_mb=4096 -print_final_stats=1 \
    "$work/corpus" "$here/seeds"
