#!/usr/bin/env bash
# Builds the ChunkDecoder libFuzzer target with swiftc -sanitize=fuzzer,address and runs it.
#
# The ChunkEncoding sources and the harness are compiled together as one module. A seed
# corpus of valid chunks is written by MakeSeeds.swift (compiled without sanitizers).
# Everything lives under /tmp.
#
# Usage: run.sh SECONDS [extra libFuzzer flags]
set -euo pipefail
seconds=${1:?usage: run.sh SECONDS [libFuzzer flags]}
shift
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=${FUZZ_WORK:-/tmp/collectlite-fuzz-chunks}
mkdir -p "$work/build" "$work/corpus" "$work/artifacts"
(cd "$work/build" &&
    swiftc -swift-version 6 -parse-as-library -O -module-name MakeSeeds \
        "$root"/Sources/ChunkEncoding/*.swift "$here/MakeSeeds.swift" -o make-seeds &&
    swiftc -swift-version 6 -parse-as-library -sanitize=fuzzer,address -O -g -module-name FuzzChunkDecoder \
        "$root"/Sources/ChunkEncoding/*.swift "$here/FuzzChunkDecoder.swift" -o fuzz-chunks)
"$work/build/make-seeds" "$work/corpus"
echo "fuzzing for $seconds s; corpus $work/corpus, crashes in $work/artifacts"
exec "$work/build/fuzz-chunks" "$work/corpus" -max_total_time="$seconds" -max_len=4096 \
    -artifact_prefix="$work/artifacts/" -print_final_stats=1 "$@"
