import ChunkEncoding
import TimeSeries

/// The batch log row format: all samples one writer flush committed, grouped per series field.
///
/// `version (1 byte = 1)` then, per group, `varint series id`, `varint field id`,
/// `varint byte count`, and that many bytes of one `ChunkEncoding` chunk holding the group's
/// samples in write order (times may repeat or go backwards; replay applies them in order).
enum BatchLog {
    static let version: UInt8 = 1

    struct Group {
        var key: HeadKey
        var times: [Int64]
        var values: [FieldValue]
    }

    static func encode(_ groups: [(key: HeadKey, chunk: [UInt8])]) -> [UInt8] {
        var out: [UInt8] = [version]
        out.reserveCapacity(groups.reduce(1) { $0 + $1.chunk.count + 8 })
        for group in groups {
            Varint.write(UInt64(group.key.series), to: &out)
            Varint.write(UInt64(group.key.field), to: &out)
            Varint.write(UInt64(group.chunk.count), to: &out)
            out.append(contentsOf: group.chunk)
        }
        return out
    }

    /// Decodes a log row; a damaged row throws `corruptData` naming the file and sequence number.
    static func decode(_ bytes: [UInt8], seq: Int64, file: String) throws(SQLiteStoreError) -> [Group] {
        var reader = ByteReader(bytes[...])
        guard reader.readByte() == version else {
            throw .corruptData(file: file, reason: "log row \(seq) has an unknown format version")
        }
        var groups: [Group] = []
        while !reader.isAtEnd {
            guard let series = reader.readVarint(), let field = reader.readVarint(), let chunk = reader.readBytes() else {
                throw .corruptData(file: file, reason: "log row \(seq) is truncated")
            }
            let decoded: (times: [Int64], values: [ChunkValue])
            do {
                decoded = try ChunkCodec.decode(Array(chunk))
            } catch {
                throw .corruptData(file: file, reason: "log row \(seq): \(error)")
            }
            let key = HeadKey(series: Int64(bitPattern: series), field: Int64(bitPattern: field))
            groups.append(Group(key: key, times: decoded.times, values: decoded.values.map(FieldValue.init)))
        }
        return groups
    }
}
