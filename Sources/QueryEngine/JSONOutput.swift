/// A byte buffer that writes the response model as InfluxDB's JSON.
struct JSONOutput {
    var bytes: [UInt8] = []
    let epoch: Epoch?
    /// The zone of the series being written (`tz()`): RFC 3339 times carry its offset.
    var zone: ZoneInfo?

    /// Where full pieces go (`ResultWriter.json(_:epoch:into:pieceBytes:)`); nil: `bytes` holds the
    /// whole answer.
    var sink: (any BodySink)?
    /// `bytes` is handed to `sink` at the next row or series boundary past this many bytes.
    var pieceBytes = Int.max
    /// Rows per round of parallel encoding into a sink (a few MB of JSON at most).
    var roundRows = 65_536

    init(epoch: Epoch?) {
        self.epoch = epoch
        bytes.reserveCapacity(4096)
    }

    /// Hands a full piece to the sink.
    @inline(__always) mutating func spill() {
        if bytes.count >= pieceBytes { drain() }
    }

    /// Hands what is encoded so far to the sink.
    mutating func drain() {
        guard let sink, !bytes.isEmpty else { return }
        bytes.withUnsafeBytes { sink.write($0) }
        bytes.removeAll(keepingCapacity: true)
    }

    mutating func response(_ r: QueryResponse) {
        if let error = r.parseError {
            raw("{\"error\":")
            string(error)
            raw("}")
            return
        }
        // Go leaves out an empty `results` (a text of comments or semicolons only).
        if r.results.isEmpty {
            raw("{}")
            return
        }
        raw("{\"results\":[")
        for (i, result) in r.results.enumerated() {
            if i > 0 { raw(",") }
            statement(result)
        }
        raw("]}")
    }

    mutating func statement(_ r: StatementResult) {
        raw("{\"statement_id\":")
        NumberFormat.integer(r.statementID, into: &bytes)
        if !r.series.isEmpty {
            raw(",\"series\":[")
            seriesList(r.series)
            raw("]")
        }
        if let messages = r.messages, !messages.isEmpty {
            raw(",\"messages\":[")
            for (i, m) in messages.enumerated() {
                if i > 0 { raw(",") }
                raw("{\"level\":")
                string(m.level)
                raw(",\"text\":")
                string(m.text)
                raw("}")
            }
            raw("]")
        }
        if r.partial { raw(",\"partial\":true") }
        if let error = r.error {
            raw(",\"error\":")
            string(error)
        }
        raw("}")
    }

    /// Series separated by commas. A large answer (a fleet panel: thousands of rows) is encoded in
    /// contiguous runs of series on every core and joined in order, so the bytes are the same.
    mutating func seriesList(_ list: [ResultSeries], workers: Int = ParallelWork.workers, parallelRows: Int = JSONOutput.parallelRows) {
        let rows = list.reduce(0) { $0 + $1.rowCount }
        let pieces = min(list.count, workers * 2)
        guard workers > 1, pieces > 1, rows >= parallelRows else {
            for (i, s) in list.enumerated() {
                if i > 0 { raw(",") }
                series(s)
            }
            return
        }
        // With a sink, the list goes in rounds of about `roundRows` rows, so only one round's
        // bytes exist at a time.
        var start = 0
        while start < list.count {
            var end = list.count
            if sink != nil {
                end = start
                var taken = 0
                while end < list.count && (end == start || taken + list[end].rowCount <= roundRows) {
                    taken += list[end].rowCount
                    end += 1
                }
            }
            encodeInParallel(list, start..<end, pieces: min(end - start, workers * 2), workers: workers)
            start = end
        }
    }

    /// Series `range` of `list`, comma-led except the list's first, in `pieces` runs on `workers` cores.
    private mutating func encodeInParallel(_ list: [ResultSeries], _ range: Range<Int>, pieces: Int, workers: Int) {
        let epoch = self.epoch
        let encoded = try? ParallelWork.map(pieces, workers: workers) { p in
            var out = JSONOutput(epoch: epoch)
            for i in (range.lowerBound + range.count * p / pieces)..<(range.lowerBound + range.count * (p + 1) / pieces) {
                if i > 0 { out.raw(",") }
                out.series(list[i])
            }
            return out.bytes
        }
        for piece in encoded ?? [] {
            // With a sink, each piece goes to it as it is (copying it into `bytes` first copied
            // every byte of a large answer twice).
            if let sink {
                drain()
                piece.withUnsafeBytes { sink.write($0) }
            } else {
                bytes += piece
            }
        }
    }

    /// Rows from which a statement's series are encoded in parallel.
    static let parallelRows = 2_000

    mutating func series(_ s: ResultSeries) {
        zone = s.zone
        raw("{")
        var first = true
        func comma(_ w: inout JSONOutput) {
            if !first { w.raw(",") }
            first = false
        }
        if !s.name.isEmpty {
            comma(&self)
            raw("\"name\":")
            string(s.name)
        }
        if !s.tags.isEmpty {
            comma(&self)
            raw("\"tags\":{")
            // Go marshals map keys sorted.
            let tags = s.tags.count > 1 ? s.tags.sorted(by: { $0.key < $1.key }) : s.tags
            for (i, tag) in tags.enumerated() {
                if i > 0 { raw(",") }
                string(tag.key)
                raw(":")
                string(tag.value)
            }
            raw("}")
        }
        if !s.columns.isEmpty {
            comma(&self)
            raw("\"columns\":[")
            for (i, c) in s.columns.enumerated() {
                if i > 0 { raw(",") }
                string(c)
            }
            raw("]")
        }
        switch s.rows {
        case .timed(let points) where !points.isEmpty:
            comma(&self)
            raw("\"values\":[")
            timedRows(points)
            raw("]")
        case .cells(let rows) where !rows.isEmpty:
            comma(&self)
            raw("\"values\":[")
            cellRows(rows)
            raw("]")
        default:
            break
        }
        if s.partial {
            comma(&self)
            raw("\"partial\":true")
        }
        raw("}")
    }

    /// Rows of cells. Rows of numbers are written one after another into a scratch buffer and
    /// appended to the answer a batch at a time (an append per row was a seventh of a panel's
    /// JSON). Rows are read in place (`enumerated()` retained and released each row).
    private mutating func cellRows(_ rows: [[ResultValue]]) {
        let epoch = self.epoch
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.rowBatchBytes) { scratch in
            var text = RowText(scratch)
            for i in rows.indices {
                rows[i].withUnsafeBufferPointer { row in
                    if row.count <= Self.fastRowWidth {
                        if text.count + row.count * RowText.valueBytes + 3 > scratch.count { flush(&text) }
                        if let epoch, Self.fastRow(row, epoch: epoch, comma: i > 0, into: &text) { return }
                    }
                    flush(&text)
                    if i > 0 { raw(",") }
                    raw("[")
                    for j in row.indices {
                        if j > 0 { raw(",") }
                        value(row[j])
                    }
                    raw("]")
                    spill()
                }
            }
            flush(&text)
        }
    }

    /// Rows of a time and one value each (`ResultRows.timed`): the same bytes as `cellRows`
    /// writes for `[.time(time), value]`, batched the same way.
    private mutating func timedRows(_ points: [TimedValue]) {
        let epoch = self.epoch
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.rowBatchBytes) { scratch in
            var text = RowText(scratch)
            points.withUnsafeBufferPointer { points in
                /// Point `i` through `value(_:)`: a string, a float `RowText` does not lay out, or
                /// a time as RFC 3339 text.
                func general(_ i: Int) {
                    flush(&text)
                    if i > 0 { raw(",") }
                    raw("[")
                    value(.time(points[i].time))
                    raw(",")
                    value(points[i].value)
                    raw("]")
                    spill()
                }
                guard let epoch else {
                    for i in points.indices { general(i) }
                    return
                }
                for i in points.indices {
                    if text.count + 2 * RowText.valueBytes + 3 > scratch.count { flush(&text) }
                    if !Self.fastPoint(points[i], epoch: epoch, comma: i > 0, into: &text) { general(i) }
                }
            }
            flush(&text)
        }
    }

    /// `[time,value]` through `RowText` (after a comma unless it is the first row), as
    /// `fastRow` writes it; false, with nothing written, for a value it leaves to `value(_:)`.
    @inline(__always)
    private static func fastPoint(_ point: TimedValue, epoch: Epoch, comma: Bool, into text: inout RowText) -> Bool {
        let start = text.count
        if comma { text.byte(UInt8(ascii: ",")) }
        text.byte(UInt8(ascii: "["))
        text.integer(epoch.convert(point.time))
        text.byte(UInt8(ascii: ","))
        if !text.cell(point.value, epoch: epoch) {
            text.truncate(to: start)
            return false
        }
        text.byte(UInt8(ascii: "]"))
        return true
    }

    /// The scratch buffer of a batch of rows, and the widest row it takes (32 values of at most
    /// `RowText.valueBytes`, with brackets and a comma).
    static let rowBatchBytes = 4096
    static let fastRowWidth = 32

    /// Appends the batch of rows written so far to the answer.
    private mutating func flush(_ text: inout RowText) {
        guard text.count > 0 else { return }
        bytes.append(contentsOf: text.written)
        text.removeAll()
        spill()
    }

    /// A row of numbers and nulls with epoch times (what panels ask for) through `RowText`, the
    /// same bytes as `value(_:)` writes (after a comma unless it is the first row); false, with
    /// nothing written, for any other row.
    /// Static: a method of the encoder, called inside the rows' closures, copied the encoder
    /// (its buffer retained and released) for every row.
    @inline(__always)
    private static func fastRow(_ row: UnsafeBufferPointer<ResultValue>, epoch: Epoch, comma: Bool, into text: inout RowText) -> Bool {
        let start = text.count
        if comma { text.byte(UInt8(ascii: ",")) }
        text.byte(UInt8(ascii: "["))
        for j in row.indices {
            if j > 0 { text.byte(UInt8(ascii: ",")) }
            if !text.cell(row[j], epoch: epoch) {
                text.truncate(to: start)
                return false
            }
        }
        text.byte(UInt8(ascii: "]"))
        return true
    }

    mutating func value(_ v: ResultValue) {
        switch v {
        case .null: raw("null")
        case .float(let d): NumberFormat.json(d, into: &bytes)
        case .integer(let i): NumberFormat.integer(i, into: &bytes)
        case .unsigned(let u): NumberFormat.integer(u, into: &bytes)
        case .string(let s): string(s)
        case .boolean(let b): raw(b ? "true" : "false")
        case .time(let t):
            if let epoch {
                NumberFormat.integer(epoch.convert(t), into: &bytes)
            } else {
                bytes.append(34)
                TimeFormat.rfc3339Nano(t, offsetSeconds: zone?.offsetSeconds(at: t) ?? 0, into: &bytes)
                bytes.append(34)
            }
        }
    }

    mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// A JSON string with Go's escaping (HTML-safe `<`, `>`, `&`, and U+2028/U+2029 as `\u` escapes).
    mutating func string(_ s: String) {
        bytes.append(34)
        // Most strings (names, tag values) need no escape: scan their bytes in place and copy
        // them whole.
        let copied = s.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            for b in utf8 where b < 32 || b == 34 || b == 92 || b == 60 || b == 62 || b == 38 || b == 0xE2 { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if copied == true {
            bytes.append(34)
            return
        }
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var it = s.utf8.makeIterator()
        var pending: [UInt8] = []
        while let b = it.next() {
            switch b {
            case 34: bytes.append(92); bytes.append(34)
            case 92: bytes.append(92); bytes.append(92)
            case 10: bytes.append(92); bytes.append(UInt8(ascii: "n"))
            case 13: bytes.append(92); bytes.append(UInt8(ascii: "r"))
            case 9: bytes.append(92); bytes.append(UInt8(ascii: "t"))
            case 0..<32, 60, 62, 38:
                bytes.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]])
            case 0xE2:
                // U+2028 / U+2029 are E2 80 A8 / E2 80 A9.
                pending = [b]
                if let b2 = it.next() {
                    pending.append(b2)
                    if b2 == 0x80, let b3 = it.next() {
                        if b3 == 0xA8 || b3 == 0xA9 {
                            bytes.append(contentsOf: Array("\\u202".utf8))
                            bytes.append(b3 == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9"))
                            pending = []
                        } else {
                            pending.append(b3)
                        }
                    }
                }
                bytes.append(contentsOf: pending)
                pending = []
            default: bytes.append(b)
            }
        }
        bytes.append(34)
    }

    /// Re-lays compact JSON out as `json.MarshalIndent(v, "", "    ")` would.
    static func indent(_ compact: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(compact.count * 2)
        var depth = 0
        var inString = false
        var escaped = false
        var i = 0
        func newline(_ out: inout [UInt8], _ depth: Int) {
            out.append(10)
            out.append(contentsOf: repeatElement(32, count: depth * 4))
        }
        while i < compact.count {
            let b = compact[i]
            if inString {
                out.append(b)
                if escaped { escaped = false } else if b == 92 { escaped = true } else if b == 34 { inString = false }
                i += 1
                continue
            }
            switch b {
            case 34:
                inString = true
                out.append(b)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                out.append(b)
                let close: UInt8 = b == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if i + 1 < compact.count && compact[i + 1] == close {
                    out.append(close)
                    i += 1
                } else {
                    depth += 1
                    newline(&out, depth)
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                newline(&out, depth)
                out.append(b)
            case UInt8(ascii: ","):
                out.append(b)
                newline(&out, depth)
            case UInt8(ascii: ":"):
                out.append(b)
                out.append(32)
            default:
                out.append(b)
            }
            i += 1
        }
        return out
    }
}
