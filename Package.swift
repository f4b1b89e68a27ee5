// swift-tools-version:6.2
import PackageDescription

let nio = "swift-nio"

let package = Package(
    name: "collectlite",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "collectlite", targets: ["collectlite"]),
        .executable(name: "collectlite-bench", targets: ["CollectliteBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // No traits: the default two (ConfigurationSupport, FullFoundation) reach swiftc as -D
        // flags in a random order whenever SwiftPM re-plans (swift build ↔ swift test, a file
        // added), which made every such build recompile the whole Hummingbird stack. We use
        // neither (no swift-configuration, no URLEncodedForm).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // Pure core
        .target(name: "TimeSeries"),
        .target(name: "ChunkEncoding"),
        .target(name: "InfluxQL"),
        .target(name: "LineProtocol", dependencies: ["TimeSeries"]),
        .target(name: "QueryEngine", dependencies: ["InfluxQL", "TimeSeries"]),
        .target(
            name: "CollectdProtocol",
            dependencies: [
                .product(name: "NIOCore", package: nio),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // Storage
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // SQLite's allocator: a small-block pool (the system SQLite has no lookaside memory)
        .target(name: "CSQLitePool", dependencies: ["CSQLite"]),
        .target(name: "SQLiteStore", dependencies: ["TimeSeries", "ChunkEncoding", "CSQLite", "CSQLitePool"]),
        // recvmmsg for the collectd socket reader (needs _GNU_SOURCE)
        .target(name: "CUDP"),
        // Shells
        .target(
            name: "CollectdReceiver",
            dependencies: [
                "CollectdProtocol", "TimeSeries", "CUDP",
                .product(name: "NIOCore", package: nio),
                .product(name: "NIOPosix", package: nio),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "InfluxHTTP",
            dependencies: [
                "TimeSeries", "LineProtocol", "QueryEngine",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: nio),
                .product(name: "NIOPosix", package: nio),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "collectlite",
            dependencies: [
                "TimeSeries", "CollectdProtocol", "CollectdReceiver", "SQLiteStore", "InfluxQL",
                "QueryEngine", "InfluxHTTP", "LineProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: nio),
                .product(name: "NIOPosix", package: nio),
                .product(name: "NIOHTTP1", package: nio),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(name: "StoreCrashWriter", dependencies: ["SQLiteStore", "TimeSeries"]),
        .executableTarget(
            name: "CollectliteBench",
            dependencies: [
                "CollectdProtocol", "TimeSeries", "ChunkEncoding", "SQLiteStore", "QueryEngine", "InfluxQL", "LineProtocol",
                .product(name: "NIOCore", package: nio),
            ],
            path: "Benchmarks/CollectliteBench"
        ),
        // Tests
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "TimeSeriesTests", dependencies: ["TimeSeries"]),
        .testTarget(name: "ChunkEncodingTests", dependencies: ["ChunkEncoding", "TestSupport"]),
        .testTarget(name: "InfluxQLTests", dependencies: ["TestSupport", "InfluxQL"], exclude: ["Fixtures"]),
        .testTarget(name: "LineProtocolTests", dependencies: ["LineProtocol", "TimeSeries"]),
        .testTarget(name: "QueryEngineTests", dependencies: ["TestSupport", "QueryEngine", "InfluxQL", "TimeSeries"], exclude: ["Fixtures"]),
        .testTarget(
            name: "CollectdProtocolTests",
            dependencies: ["CollectdProtocol", .product(name: "NIOCore", package: nio)],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "SQLiteStoreTests", dependencies: ["SQLiteStore", "CSQLitePool", "TimeSeries", "StoreCrashWriter", "TestSupport"]),
        .testTarget(
            name: "CollectdReceiverTests",
            dependencies: [
                "TestSupport",
                "CollectdReceiver", "CollectdProtocol", "TimeSeries",
                .product(name: "NIOCore", package: nio),
                .product(name: "NIOPosix", package: nio),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "InfluxHTTPTests",
            dependencies: [
                "InfluxHTTP", "TimeSeries", "LineProtocol", "QueryEngine",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "DashboardTests", dependencies: ["TestSupport", "TimeSeries", "CollectdProtocol", "CollectdReceiver", "QueryEngine", "InfluxQL"]),
        .testTarget(name: "collectliteTests", dependencies: ["collectlite"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport", "collectlite", "SQLiteStore", "TimeSeries", "CollectdProtocol", "CollectdReceiver"]),
    ]
)
