import Foundation

/// Where an interrupted `collectlite import` continues: a small JSON file next to the target,
/// rewritten (atomically) after every slice the target has made durable, and removed when the
/// import completes, so the next run starts over (and, writes replacing equal points,
/// changes nothing).
struct ImportState: Codable, Hashable, Sendable {
    /// Names the import (source, databases, options, target); a state file of another import
    /// is not resumed.
    var key: String
    /// The upper time bound of an InfluxDB import, fixed by the first run so a resumed run
    /// covers the same range.
    var end: Int64?
    /// Measurements (as `<database>.<policy>.<measurement>`) imported completely.
    var finished: [String] = []
    /// The measurement in progress and the time its next slice starts at.
    var current: String?
    var next: Int64?
    /// File imports: bytes of the (decompressed) input imported completely, always at a line start.
    var offset: Int64 = 0
    /// Values written so far, over every run.
    var values = 0

    init(key: String) {
        self.key = key
    }

    /// Where `measurement` starts: `from` for one not begun, the saved time for the one in
    /// progress, nil for one finished.
    func start(of measurement: String, from: Int64) -> Int64? {
        if finished.contains(measurement) { return nil }
        if current == measurement, let next { return max(from, next) }
        return from
    }

    /// Records a slice of `measurement` durable up to (excluding) `next`, with `values` values.
    mutating func completeSlice(of measurement: String, next: Int64, values: Int) {
        current = measurement
        self.next = next
        self.values += values
    }

    mutating func completeMeasurement(_ measurement: String) {
        if !finished.contains(measurement) { finished.append(measurement) }
        if current == measurement {
            current = nil
            next = nil
        }
    }

    /// Records the file durable up to byte `offset`.
    mutating func completeBytes(upTo offset: Int64, values: Int) {
        self.offset = max(self.offset, offset)
        self.values += values
    }

    var isFresh: Bool { finished.isEmpty && current == nil && offset == 0 }

    // MARK: - The file

    /// The state saved at `path` for the import `key`, or a fresh one (also when the file
    /// belongs to another import, or cannot be read).
    static func load(path: String, key: String) -> ImportState {
        guard let data = FileManager.default.contents(atPath: path),
              let state = try? JSONDecoder().decode(ImportState.self, from: data), state.key == key
        else { return ImportState(key: key) }
        return state
    }

    func save(path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    static func remove(path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// How an InfluxDB measurement is cut into time slices: each should hold about
/// `valuesPerSlice` values at the measurement's average density, so memory stays flat and an
/// interrupted import repeats little.
enum ImportSlicing {
    static let minimumWidth: Int64 = 1_000_000_000

    /// The width of the slices over `start...end` holding `count` values.
    static func width(start: Int64, end: Int64, count: Int, valuesPerSlice: Int) -> Int64 {
        let span = end.subtractingReportingOverflow(start)
        guard !span.overflow, span.partialValue > 0 else { return minimumWidth }
        guard count > valuesPerSlice else { return max(minimumWidth, span.partialValue + 1) }
        let slices = Double(count) / Double(max(1, valuesPerSlice))
        let width = ((Double(span.partialValue) + 1) / slices).rounded(.up)
        return max(minimumWidth, width >= Double(Int64.max) ? Int64.max : Int64(width))
    }

    /// The slices `[from, to)` from `start` until past `end`.
    static func slices(start: Int64, end: Int64, width: Int64) -> [(from: Int64, to: Int64)] {
        var out: [(Int64, Int64)] = []
        var from = start
        while from <= end {
            let (to, overflow) = from.addingReportingOverflow(width)
            if overflow || to > end {
                out.append((from, end == Int64.max ? end : end + 1))
                break
            }
            out.append((from, to))
            from = to
        }
        return out
    }
}
