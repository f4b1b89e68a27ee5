#!/usr/bin/env bash
# Builds the LineProtocol libFuzzer target with swiftc -sanitize=fuzzer,address and runs it.
#
# TimeSeries is compiled as its own module; the LineProtocol sources and the harness are
# compiled together (so the harness sees the parser without an import). Everything lives
# under /tmp. The seed corpus is a few hand-written lines covering every escape rule.
#
# Usage: run.sh SECONDS [extra libFuzzer flags]
set -euo pipefail
seconds=${1:?usage: run.sh SECONDS [libFuzzer flags]}
shift
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=${FUZZ_WORK:-/tmp/collectlite-fuzz-lineprotocol}
mkdir -p "$work/build" "$work/corpus" "$work/artifacts"
flags=(-swift-version 6 -parse-as-library -sanitize=fuzzer,address -O -g)
(cd "$work/build" &&
    swiftc "${flags[@]}" -emit-module -emit-object -module-name TimeSeries -whole-module-optimization \
        "$root"/Sources/TimeSeries/*.swift -o TimeSeries.o &&
    swiftc "${flags[@]}" -I . -module-name FuzzLineProtocol \
        "$root"/Sources/LineProtocol/*.swift "$here/FuzzLineProtocol.swift" TimeSeries.o -o fuzz-lineprotocol)
i=0
while IFS= read -r line; do
    printf '%b' "$line" > "$work/corpus/seed-$i"
    i=$((i + 1))
done <<'SEEDS'
cpu,host=a,dc=x value=1.5 1700000000000000000
my\\ cpu,t\\,k=v\\=1 f\\ k=1i,b=true,s="a \\"q\\" b",u=3u -5
m s="two\\nlines" 5\\nbad line\\n# comment\\nm v=1e3,w=-.5 6
disk,host=a used=1i,free=2.5,ok=t,name="x" 100\\r\\n  m v=4 4  
SEEDS
echo "fuzzing for $seconds s; corpus $work/corpus, crashes in $work/artifacts"
exec "$work/build/fuzz-lineprotocol" "$work/corpus" -max_total_time="$seconds" -max_len=4096 \
    -artifact_prefix="$work/artifacts/" -print_final_stats=1 "$@"
