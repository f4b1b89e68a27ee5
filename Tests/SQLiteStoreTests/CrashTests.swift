#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization
import Testing
import TimeSeries
@testable import SQLiteStore
import TestSupport

/// The child process `StoreCrashWriter` (built beside the test bundle) writes batch i of every
/// series with value `s * 1_000_000 + i` and reports each completed flush.
enum CrashWriter {
    static var executable: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // On macOS the test binary sits inside an .xctest bundle.
        while directory.path.contains(".xctest") { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent("StoreCrashWriter").path
    }

    static func start(directory: String, series: Int, batches: Int, chunkSize: Int) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [directory, String(series), String(batches), String(chunkSize)]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        return (process, pipe)
    }

    static func key(_ s: Int) -> SeriesKey { SeriesKey(measurement: "cpu_value", tags: [Tag("host", "h\(s)")]) }

    /// Checks that every series holds exactly batches 0...m for one common m (or nothing) with
    /// the right values; returns m + 1 (with `live`, the smallest count seen).
    static func verify(_ store: any SeriesStore, series: Int, file: String, live: Bool = false) throws -> Int {
        guard try store.databases().contains("crash") else { return 0 }
        do {
            _ = try store.measurements(database: "crash", filter: .all)
        } catch SeriesStoreError.databaseNotFound {
            return 0  // the writer is still creating the file
        }
        var counts = Set<Int>()
        for s in 0..<series {
            guard let id = try seriesID(store, "crash", key(s)) else {
                counts.insert(0)
                continue
            }
            let samples = try store.samples(database: "crash", series: id, field: "value")
            let expected = samples.indices.map { Sample(time: Int64($0) * 1_000_000_000, value: .float(Double(s * 1_000_000 + $0))) }
            #expect(samples == expected, "series \(s) in \(file) is not a contiguous prefix")
            counts.insert(samples.count)
        }
        // Each scan is its own snapshot, so with a live writer series may differ by a few batches.
        #expect(live || counts.count == 1, "series disagree on the last durable batch: \(counts.sorted())")
        return live ? counts.min() ?? 0 : counts.max() ?? 0
    }
}

@Suite(.serialized) struct CrashTests {
    @Test func executableIsBuilt() {
        #expect(FileManager.default.isExecutableFile(atPath: CrashWriter.executable), "missing \(CrashWriter.executable)")
    }

    /// SIGKILL at random moments; each reopen finds every reported flush and a sound file.
    @Test(arguments: [UInt64(11), 12, 13])
    func killedWriterLosesNothingFlushed(seed: UInt64) throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        var rng = SeededGenerator(seed: seed)
        let series = 40
        for round in 0..<4 {
            let (process, pipe) = try CrashWriter.start(directory: directory.path, series: series, batches: 100_000, chunkSize: Int.random(in: 3...16, using: &rng))
            let killAfter = Int.random(in: 1...60, using: &rng)
            var lastFlushed = -1
            var buffer = ""
            let handle = pipe.fileHandleForReading
            while lastFlushed + 1 < killAfter {
                let data = handle.availableData
                if data.isEmpty { break }
                buffer += String(decoding: data, as: UTF8.self)
                while let newline = buffer.firstIndex(of: "\n") {
                    let line = buffer[..<newline]
                    if line.hasPrefix("flushed "), let n = Int(line.dropFirst(8)) { lastFlushed = n }
                    #expect(!line.hasPrefix("error"), "writer failed: \(line)")
                    buffer = String(buffer[buffer.index(after: newline)...])
                }
            }
            // A random extra delay moves the kill to an arbitrary point inside later flushes and seals.
            usleep(UInt32.random(in: 0...3000, using: &rng))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal, "round \(round): writer ended on its own")

            let file = directory.path + "/crash.sqlite"
            let check = try SQLiteConnection(path: file, readOnly: true)
            let statement = try check.prepare("PRAGMA integrity_check")
            #expect(try statement.step())
            #expect(statement.text(0) == "ok")
            statement.reset()
            check.close()

            let reader = try SQLiteStore(dataDirectory: directory.path, readOnly: true)
            let readable = try CrashWriter.verify(reader, series: series, file: file)
            let store = try SQLiteStore(dataDirectory: directory.path)
            let durable = try CrashWriter.verify(store, series: series, file: file)
            #expect(durable > lastFlushed, "round \(round): flush \(lastFlushed) reported but only \(durable) batches present")
            #expect(readable == durable, "a read-only reader sees \(readable) batches, the writer \(durable)")
            // The writer starts again from batch 0: rewrites replace identical samples.
            if Bool.random(using: &rng) { try store.close() }
        }
    }
}

@Suite struct ConcurrentReaderTests {
    /// Readers in this process (the writer's store and a read-only store) scan while batches are
    /// written, flushed and sealed; every answer is a contiguous prefix of the batches.
    @Test func readersSeeConsistentPrefixesWhileWriting() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let store = try SQLiteStore(dataDirectory: directory.path, options: .init(chunkSize: 5))
        let series = 12
        let batches = 400
        try store.createDatabase("crash")
        let done = Flag()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for batch in 0..<batches {
                    let points = (0..<series).map { s in
                        Point(key: CrashWriter.key(s), fields: [Field("value", .float(Double(s * 1_000_000 + batch)))], time: Int64(batch) * 1_000_000_000)
                    }
                    try store.write(points, database: "crash")
                    if batch % 3 == 0 { try store.flush() }
                    if batch % 97 == 0 { try store.checkpoint() }
                }
                try store.flush()
                done.value.store(true, ordering: .releasing)
            }
            group.addTask {
                let reader = try SQLiteStore(dataDirectory: directory.path, readOnly: true)
                var scans = 0
                while !done.value.load(ordering: .acquiring) || scans == 0 {
                    for s in 0..<series {
                        for source in [store, reader] as [any SeriesStore] {
                            guard let id = try seriesID(source, "crash", CrashWriter.key(s)) else { continue }
                            let samples = try source.samples(database: "crash", series: id, field: "value")
                            let expected = samples.indices.map { Sample(time: Int64($0) * 1_000_000_000, value: .float(Double(s * 1_000_000 + $0))) }
                            #expect(samples == expected)
                        }
                    }
                    scans += 1
                }
                #expect(try CrashWriter.verify(reader, series: series, file: "reader") == batches)
            }
            try await group.waitForAll()
        }
        #expect(try CrashWriter.verify(store, series: series, file: "writer") == batches)
        try store.close()
    }

    /// A reader in this process follows a writer in another process.
    @Test func readerInAnotherProcessSeesPrefixes() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let series = 10
        let batches = 300
        let (process, _) = try CrashWriter.start(directory: directory.path, series: series, batches: batches, chunkSize: 7)
        let reader = try SQLiteStore(dataDirectory: directory.path, readOnly: true)
        var last = 0
        while process.isRunning {
            let seen = try CrashWriter.verify(reader, series: series, file: "reader", live: true)
            #expect(seen >= last, "the reader went back in time")
            last = seen
        }
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(try CrashWriter.verify(reader, series: series, file: "reader") == batches)
    }
}

final class Flag: Sendable {
    let value = Atomic<Bool>(false)
}
