// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "collectlite",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "collectlite", targets: ["collectlite"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(name: "TimeSeries"),
        .executableTarget(
            name: "collectlite",
            dependencies: [
                "TimeSeries",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "TimeSeriesTests", dependencies: ["TimeSeries"]),
    ]
)
