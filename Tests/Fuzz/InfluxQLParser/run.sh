#!/usr/bin/env bash
# Builds the InfluxQL parser libFuzzer target with swiftc -sanitize=fuzzer,address and runs it.
#
# The InfluxQL sources and the harness are compiled together into one module (so the harness
# sees internal API without an import). Everything lives under /tmp. The seed corpus holds the
# inputs of Tests/InfluxQLTests/Fixtures/queries.txt and cq-inputs.txt (InfluxDB-recorded good
# and bad queries, retention-policy and continuous-query statements).
#
# Usage: run.sh SECONDS [extra libFuzzer flags]
set -euo pipefail
seconds=${1:?usage: run.sh SECONDS [libFuzzer flags]}
shift
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=${FUZZ_WORK:-/tmp/collectlite-fuzz-influxql}
mkdir -p "$work/build" "$work/corpus" "$work/artifacts"
flags=(-swift-version 6 -parse-as-library -sanitize=fuzzer,address -O -g)
(cd "$work/build" &&
    swiftc "${flags[@]}" -module-name FuzzInfluxQLParser \
        "$root"/Sources/InfluxQL/*.swift "$here/FuzzInfluxQLParser.swift" -o fuzz-influxql)
i=0
while IFS= read -r line; do
    case "$line" in "# "*|"") continue ;; esac
    printf '%s' "${line//⏎/$'\n'}" > "$work/corpus/seed-$i"
    i=$((i + 1))
done < "$root/Tests/InfluxQLTests/Fixtures/queries.txt"
# Retention-policy and continuous-query statements (recorded from InfluxDB 1.6.7 as well).
while IFS= read -r line; do
    case "$line" in "#"*|"") continue ;; esac
    printf '%s' "${line//⏎/$'\n'}" > "$work/corpus/seed-$i"
    i=$((i + 1))
done < "$root/Tests/InfluxQLTests/Fixtures/cq-inputs.txt"
# InfluxQL keywords and operators as a libFuzzer dictionary.
{
    for w in SELECT FROM WHERE GROUP BY fill ORDER LIMIT OFFSET SLIMIT SOFFSET tz INTO AS AND OR SHOW TAG KEYS \
        VALUES WITH KEY FIELD SERIES MEASUREMENTS MEASUREMENT RETENTION POLICIES ON DATABASE CREATE DROP DELETE \
        DISTINCT time now true false IN DESC ASC '::field' '::tag' '=~' '!~' '<>' '/*' '*/' '--' ms \
        ALTER CONTINUOUS QUERY QUERIES BEGIN END RESAMPLE EVERY FOR DURATION REPLICATION SHARD DEFAULT INF \
        ':MEASUREMENT'; do
        printf '"%s"\n' "$w"
    done
    printf '%s\n' '"\xC2\xB5s"'
} > "$work/influxql.dict"
echo "fuzzing for $seconds s; corpus $work/corpus, crashes in $work/artifacts"
exec "$work/build/fuzz-influxql" "$work/corpus" -dict="$work/influxql.dict" -max_total_time="$seconds" \
    -max_len=4096 -timeout=10 -artifact_prefix="$work/artifacts/" -print_final_stats=1 "$@"
