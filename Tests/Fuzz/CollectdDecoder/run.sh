#!/usr/bin/env bash
# Builds the CollectdDecoder libFuzzer target with -sanitize=fuzzer,address and runs it.
#
# The harness and the CollectdProtocol sources are compiled by swiftc with
# `-sanitize=fuzzer,address -parse-as-library`; SwiftPM drives swiftc here only to build
# and link the module's dependencies (swift-nio's NIOCore, swift-crypto). Everything
# lives under /tmp. The seed corpus is the real collectd captures in the test fixtures.
#
# Usage: run.sh SECONDS [extra libFuzzer flags]
set -euo pipefail
seconds=${1:?usage: run.sh SECONDS [libFuzzer flags]}
shift
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=${FUZZ_WORK:-/tmp/collectlite-fuzz-collectd}
mkdir -p "$work/Sources/FuzzCollectdDecoder" "$work/corpus" "$work/artifacts"
ln -sfn "$root/Sources/CollectdProtocol" "$work/Sources/CollectdProtocol"
ln -sfn "$here/FuzzCollectdDecoder.swift" "$work/Sources/FuzzCollectdDecoder/FuzzCollectdDecoder.swift"
cat > "$work/Package.swift" <<'SWIFT'
// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "collectlite-fuzz-collectd",
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
    ],
    targets: [
        .target(
            name: "CollectdProtocol",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: [.unsafeFlags(["-sanitize=fuzzer,address"])]
        ),
        .executableTarget(
            name: "FuzzCollectdDecoder",
            dependencies: ["CollectdProtocol", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: [.unsafeFlags(["-sanitize=fuzzer,address", "-parse-as-library"])],
            linkerSettings: [.unsafeFlags(["-sanitize=fuzzer,address"])]
        ),
    ]
)
SWIFT
(cd "$work" && swift build -c release --product FuzzCollectdDecoder 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\] (Compiling|Write|Emitting)' )
binary="$work/.build/release/FuzzCollectdDecoder"
for mode in plain sign encrypt; do
    for f in "$root/Tests/CollectdProtocolTests/Fixtures/$mode"/*.bin; do
        cp "$f" "$work/corpus/$mode-$(basename "$f")"
    done
done
echo "fuzzing for $seconds s; corpus $work/corpus, crashes in $work/artifacts"
exec "$binary" "$work/corpus" -max_total_time="$seconds" -max_len=65535 \
    -artifact_prefix="$work/artifacts/" -print_final_stats=1 "$@"
