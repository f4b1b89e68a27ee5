#!/usr/bin/env bash
# Builds the PatternProgram libFuzzer target with swiftc -sanitize=fuzzer,address and runs it.
#
# PatternProgram.swift (it stands alone) and the harness are compiled together as one module;
# the seed corpus is the patterns Grafana and the dashboards write. Everything lives under /tmp.
#
# Usage: run.sh SECONDS [extra libFuzzer flags]
set -euo pipefail
seconds=${1:?usage: run.sh SECONDS [libFuzzer flags]}
shift
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=${FUZZ_WORK:-/tmp/collectlite-fuzz-patterns}
mkdir -p "$work/build" "$work/corpus" "$work/artifacts"
(cd "$work/build" &&
    swiftc -swift-version 6 -parse-as-library -sanitize=fuzzer,address -O -g -module-name FuzzPatternProgram \
        "$root/Sources/TimeSeries/PatternProgram.swift" "$here/FuzzPatternProgram.swift" -o fuzz-patterns)
n=0
for seed in '^host050$' '^(a|bb|ccc)$' '^h1[0-9]$' '.*' 'eth' '^(?:sd[a-z]|nvme\d+n\d+)$' 'a{2,3}' '[^a-c]' \
    '\.' '^\w+\s\d$' '^(ab)+$' '(a*)*b' 'x*?y' '^[\d.]+$' '[]a]'; do
    printf '%s\0%s' "$seed" "host050 sda1 ab_1 7 10.0.0.1" > "$work/corpus/seed-$n"
    n=$((n + 1))
done
echo "fuzzing for $seconds s; corpus $work/corpus, crashes in $work/artifacts"
exec "$work/build/fuzz-patterns" "$work/corpus" -max_total_time="$seconds" -max_len=512 -timeout=5 \
    -artifact_prefix="$work/artifacts/" -print_final_stats=1 "$@"
