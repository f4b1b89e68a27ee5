/// A query answer in InfluxDB 1.6.7's MessagePack (`Accept: application/x-msgpack`, which
/// influxdb-python 5.3 asks for on every request). Its shape, recorded from influxd:
/// - `{"results": [...]}`, or `{"error": …}` for an answer refused whole;
/// - a statement `{"statement_id", "messages"?, "series", "partial"?}` — `series` even when
///   empty — or only `{"error": …}` when it failed;
/// - a series `{"name"?, "tags"?, "columns", "values", "partial"?}`: an empty name or tag set
///   left out, empty values written;
/// - integers in the smallest signed form (positive fixint, int16, int32, int64; negative
///   fixint, int8 …), floats always float64, strings and containers in their smallest form;
/// - a time without `epoch` as extension type 5: 8 bytes of Unix seconds and 4 bytes of
///   nanoseconds (0 …< 10⁹), big-endian; with `epoch`, an integer in that unit.
struct MsgpackOutput {
    var bytes: [UInt8] = []
    let epoch: Epoch?

    init(epoch: Epoch?) {
        self.epoch = epoch
    }

    /// `{"error": message}`: an answer refused whole, or a failed statement.
    mutating func error(_ message: String) {
        mapHeader(1)
        string("error")
        string(message)
    }

    mutating func response(_ r: QueryResponse) {
        if let message = r.parseError {
            error(message)
            return
        }
        mapHeader(1)
        string("results")
        arrayHeader(r.results.count)
        for result in r.results { statement(result) }
    }

    mutating func statement(_ r: StatementResult) {
        if let message = r.error {
            error(message)
            return
        }
        let messages = r.messages ?? []
        mapHeader(2 + (messages.isEmpty ? 0 : 1) + (r.partial ? 1 : 0))
        string("statement_id")
        integer(Int64(r.statementID))
        if !messages.isEmpty {
            string("messages")
            arrayHeader(messages.count)
            for m in messages {
                mapHeader(2)
                string("level")
                string(m.level)
                string("text")
                string(m.text)
            }
        }
        string("series")
        arrayHeader(r.series.count)
        for s in r.series { series(s) }
        if r.partial {
            string("partial")
            bytes.append(0xc3)
        }
    }

    mutating func series(_ s: ResultSeries) {
        let parts = (s.name.isEmpty ? 0 : 1) + (s.tags.isEmpty ? 0 : 1) + 2 + (s.partial ? 1 : 0)
        mapHeader(parts)
        if !s.name.isEmpty {
            string("name")
            string(s.name)
        }
        if !s.tags.isEmpty {
            string("tags")
            mapHeader(s.tags.count)
            for tag in s.tags.sorted(by: { $0.key < $1.key }) {
                string(tag.key)
                string(tag.value)
            }
        }
        string("columns")
        arrayHeader(s.columns.count)
        for c in s.columns { string(c) }
        // Unlike JSON, empty values are written (`SHOW USERS` without users: `"values": []`).
        string("values")
        arrayHeader(s.rowCount)
        for row in s.values {
            arrayHeader(row.count)
            for v in row { value(v) }
        }
        if s.partial {
            string("partial")
            bytes.append(0xc3)
        }
    }

    mutating func value(_ v: ResultValue) {
        switch v {
        case .null: bytes.append(0xc0)
        case .boolean(let b): bytes.append(b ? 0xc3 : 0xc2)
        case .float(let d):
            bytes.append(0xcb)
            bigEndian(d.bitPattern, 8)
        case .integer(let i): integer(i)
        case .unsigned(let u):
            if u <= UInt64(Int64.max) {
                integer(Int64(u))
            } else {
                bytes.append(0xcf)
                bigEndian(u, 8)
            }
        case .string(let s): string(s)
        case .time(let t):
            if let epoch {
                integer(epoch.convert(t))
            } else {
                let (seconds, nanos) = TimeFormat.unix(t)
                bytes += [0xc7, 12, 5]
                bigEndian(UInt64(bitPattern: seconds), 8)
                bigEndian(UInt64(nanos), 4)
            }
        }
    }

    mutating func integer(_ i: Int64) {
        if i >= 0 {
            if i <= Int64(Int8.max) {
                bytes.append(UInt8(i))
            } else if i <= Int64(Int16.max) {
                bytes.append(0xd1)
                bigEndian(UInt64(i), 2)
            } else if i <= Int64(Int32.max) {
                bytes.append(0xd2)
                bigEndian(UInt64(i), 4)
            } else {
                bytes.append(0xd3)
                bigEndian(UInt64(i), 8)
            }
        } else if i >= -32 {
            bytes.append(UInt8(bitPattern: Int8(i)))
        } else if i >= Int64(Int8.min) {
            bytes += [0xd0, UInt8(bitPattern: Int8(i))]
        } else if i >= Int64(Int16.min) {
            bytes.append(0xd1)
            bigEndian(UInt64(bitPattern: i), 2)
        } else if i >= Int64(Int32.min) {
            bytes.append(0xd2)
            bigEndian(UInt64(bitPattern: i), 4)
        } else {
            bytes.append(0xd3)
            bigEndian(UInt64(bitPattern: i), 8)
        }
    }

    mutating func string(_ s: String) {
        let utf8 = s.utf8
        let n = utf8.count
        if n <= 31 {
            bytes.append(0xa0 | UInt8(n))
        } else if n <= 0xff {
            bytes += [0xd9, UInt8(n)]
        } else if n <= 0xffff {
            bytes.append(0xda)
            bigEndian(UInt64(n), 2)
        } else {
            bytes.append(0xdb)
            bigEndian(UInt64(n), 4)
        }
        bytes += utf8
    }

    mutating func arrayHeader(_ n: Int) { header(n, fixed: 0x90, sixteen: 0xdc) }

    mutating func mapHeader(_ n: Int) { header(n, fixed: 0x80, sixteen: 0xde) }

    /// A container of `n` entries: the fixed form up to 15, else 16 or 32 bits (the byte after
    /// `sixteen`).
    private mutating func header(_ n: Int, fixed: UInt8, sixteen: UInt8) {
        if n <= 15 {
            bytes.append(fixed | UInt8(n))
        } else if n <= 0xffff {
            bytes.append(sixteen)
            bigEndian(UInt64(n), 2)
        } else {
            bytes.append(sixteen + 1)
            bigEndian(UInt64(n), 4)
        }
    }

    /// The low `count` bytes of `v`, most significant first.
    @inline(__always) mutating func bigEndian(_ v: UInt64, _ count: Int) {
        for k in stride(from: count - 1, through: 0, by: -1) { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) }
    }
}

extension ResultWriter {
    /// InfluxDB 1.6.7's MessagePack answer (see `MsgpackOutput`).
    public static func msgpack(_ response: QueryResponse, epoch: Epoch?) -> [UInt8] {
        var w = MsgpackOutput(epoch: epoch)
        w.response(response)
        return w.bytes
    }

    /// `{"error": message}` in MessagePack: InfluxDB's answer to a refused request whose client
    /// asked for MessagePack.
    public static func msgpackError(_ message: String) -> [UInt8] {
        var w = MsgpackOutput(epoch: nil)
        w.error(message)
        return w.bytes
    }
}
