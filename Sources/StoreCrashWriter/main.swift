// A child process for the SQLiteStore crash-safety and cross-process reader tests.
//
// Usage: StoreCrashWriter <data-dir> <series> <batches> [chunk-size]
// Writes batch i (time = i seconds) for every series `cpu_value,host=h<s>` with value
// `Double(s * 1_000_000 + i)`, flushes after each batch and prints "flushed <i>" once the
// flush returned (the durability point). The parent kills it with SIGKILL at any moment.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SQLiteStore
import TimeSeries

/// Writes a line to stdout unbuffered, so the parent sees it before a kill.
func say(_ line: String) {
    let text = line + "\n"
    _ = text.utf8CString.withUnsafeBufferPointer { write(1, $0.baseAddress, $0.count - 1) }
}

let arguments = CommandLine.arguments
guard arguments.count >= 4, let seriesCount = Int(arguments[2]), let batches = Int(arguments[3]) else {
    print("usage: StoreCrashWriter <data-dir> <series> <batches> [chunk-size]")
    exit(2)
}
let chunkSize = arguments.count > 4 ? Int(arguments[4]) ?? 8 : 8
do {
    let store = try SQLiteStore(dataDirectory: arguments[1], options: .init(chunkSize: chunkSize))
    let keys = (0..<seriesCount).map { SeriesKey(measurement: "cpu_value", tags: [Tag("host", "h\($0)")]) }
    for batch in 0..<batches {
        let points = keys.enumerated().map { s, key in
            Point(key: key, fields: [Field("value", .float(Double(s * 1_000_000 + batch)))], time: Int64(batch) * 1_000_000_000)
        }
        try store.write(points, database: "crash")
        try store.flush()
        say("flushed \(batch)")
    }
    try store.close()
    say("closed")
} catch {
    say("error: \(error)")
    exit(1)
}
