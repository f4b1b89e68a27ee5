import TimeSeries

/// The batch log row format: every sample one writer flush committed, in write order.
///
/// ```
/// row    := version:u8 (= 1) record*
/// record := header:u8, varint zigzag(series id − previous series id),
///           varint field id, varint zigzag((time − previous time) / 10^(3·scale)), value
/// header := kind (bits 0–2: FieldType raw value) | scale << 3 (bits 3–4: ns, µs, ms, s)
///           | form << 5 (bit 5)
/// value  := float:   form 1: varint zigzag(Int64(v)) when v is a whole number that converts
///                    back bit-exactly (collectd counters); form 0: 8 bytes little-endian bits
///           integer: varint zigzag(v); unsigned: varint v; boolean: nothing (form = value);
///           string:  varint byte count, UTF-8 bytes
/// ```
/// Deltas run from the previous record of the row (the first from 0); a collectd flush costs
/// about 6–12 bytes per sample. Replay applies records in order, so overwrites stay overwrites.
enum BatchLog {
    static let version: UInt8 = 1
    private static let scales: [Int64] = [1, 1_000, 1_000_000, 1_000_000_000]

    /// Samples of one series field in write order, as a reader groups a row.
    struct Group {
        var key: HeadKey
        var times: [Int64]
        var values: [FieldValue]
    }

    /// Encodes records as the writer receives samples.
    struct Writer {
        private(set) var bytes: [UInt8] = [BatchLog.version]
        private var lastSeries: Int64 = 0
        private var lastTime: Int64 = 0

        var isEmpty: Bool { bytes.count == 1 }

        mutating func reset() {
            bytes.removeAll(keepingCapacity: true)
            bytes.append(BatchLog.version)
            lastSeries = 0
            lastTime = 0
        }

        @inline(__always)
        mutating func append(_ key: HeadKey, time: Int64, value: FieldValue) {
            let delta = time &- lastTime
            var scale = 3
            while scale > 0 && delta % BatchLog.scales[scale] != 0 { scale -= 1 }
            var form: UInt8 = 0
            var integral: Int64 = 0
            switch value {
            case .float(let v):
                if let i = Int64(exactly: v), Double(i).bitPattern == v.bitPattern {
                    form = 1
                    integral = i
                }
            case .boolean(let v): form = v ? 1 : 0
            default: break
            }
            bytes.append(value.type.rawValue | UInt8(scale) << 3 | form << 5)
            Varint.write(zigzag(key.series &- lastSeries), to: &bytes)
            Varint.write(UInt64(bitPattern: key.field), to: &bytes)
            Varint.write(zigzag(delta / BatchLog.scales[scale]), to: &bytes)
            switch value {
            case .float(let v):
                if form == 1 {
                    Varint.write(zigzag(integral), to: &bytes)
                } else {
                    withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
                }
            case .integer(let v): Varint.write(zigzag(v), to: &bytes)
            case .unsigned(let v): Varint.write(v, to: &bytes)
            case .boolean: break
            case .string(let s):
                Varint.write(UInt64(s.utf8.count), to: &bytes)
                bytes.append(contentsOf: s.utf8)
            }
            lastSeries = key.series
            lastTime = time
        }
    }

    /// Decodes a log row into per-series-field groups (first appearance order); a damaged row
    /// throws `corruptData` naming the file and sequence number.
    static func decode(_ bytes: [UInt8], seq: Int64, file: String) throws(SQLiteStoreError) -> [Group] {
        var reader = ByteReader(bytes[...])
        guard reader.readByte() == version else {
            throw .corruptData(file: file, reason: "log row \(seq) has an unknown format version")
        }
        var groups: [Group] = []
        var positions: [HeadKey: Int] = [:]
        var lastSeries: Int64 = 0
        var lastTime: Int64 = 0
        while let header = reader.readByte() {
            let scale = Int(header >> 3 & 3)
            let form = header >> 5 & 1
            guard header >> 6 == 0, let type = FieldType(rawValue: header & 7),
                  let series = reader.readVarint(), let field = reader.readVarint(), let delta = reader.readVarint() else {
                throw .corruptData(file: file, reason: "log row \(seq) has a damaged record")
            }
            lastSeries = lastSeries &+ unzigzag(series)
            lastTime = lastTime &+ unzigzag(delta) &* scales[scale]
            let value: FieldValue
            switch type {
            case .float:
                if form == 1 {
                    guard let v = reader.readVarint() else { throw .corruptData(file: file, reason: "log row \(seq) is truncated") }
                    value = .float(Double(unzigzag(v)))
                } else {
                    guard let raw = reader.readFixed64() else { throw .corruptData(file: file, reason: "log row \(seq) is truncated") }
                    value = .float(Double(bitPattern: raw))
                }
            case .integer:
                guard let v = reader.readVarint() else { throw .corruptData(file: file, reason: "log row \(seq) is truncated") }
                value = .integer(unzigzag(v))
            case .unsigned:
                guard let v = reader.readVarint() else { throw .corruptData(file: file, reason: "log row \(seq) is truncated") }
                value = .unsigned(v)
            case .boolean:
                value = .boolean(form == 1)
            case .string:
                guard let s = reader.readString() else { throw .corruptData(file: file, reason: "log row \(seq) is truncated") }
                value = .string(s)
            }
            let key = HeadKey(series: lastSeries, field: Int64(bitPattern: field))
            if let index = positions[key] {
                groups[index].times.append(lastTime)
                groups[index].values.append(value)
            } else {
                positions[key] = groups.count
                groups.append(Group(key: key, times: [lastTime], values: [value]))
            }
        }
        return groups
    }
}

@inline(__always)
func zigzag(_ v: Int64) -> UInt64 {
    UInt64(bitPattern: (v << 1) ^ (v >> 63))
}

@inline(__always)
func unzigzag(_ v: UInt64) -> Int64 {
    Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1)
}
