/// One tag: a key and a value, both non-empty in stored series.
public struct Tag: Sendable, Hashable, Comparable {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }

    public static func < (lhs: Tag, rhs: Tag) -> Bool {
        lhs.key == rhs.key ? lhs.value < rhs.value : lhs.key < rhs.key
    }
}

/// A series identity: measurement plus its tag set, tags sorted by key with unique keys.
public struct SeriesKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let measurement: String
    public let tags: [Tag]

    /// Creates a key; tags are sorted by key, empty values removed, and a repeated key keeps its last value.
    public init(measurement: String, tags: [Tag]) {
        self.measurement = measurement
        var byKey: [String: String] = [:]
        for tag in tags where !tag.value.isEmpty && !tag.key.isEmpty { byKey[tag.key] = tag.value }
        self.tags = byKey.map { Tag($0.key, $0.value) }.sorted()
    }

    /// Creates a key from tags already sorted, unique and non-empty (no checks).
    public init(measurement: String, sortedTags: [Tag]) {
        self.measurement = measurement
        self.tags = sortedTags
    }

    public subscript(tag key: String) -> String? {
        tags.first { $0.key == key }?.value
    }

    /// The canonical text form InfluxDB prints in `SHOW SERIES`: `m,k1=v1,k2=v2` with
    /// line-protocol escaping (`,` ` ` in measurement; `,` `=` ` ` in keys and values).
    public var description: String {
        // Byte by byte, as InfluxDB escapes (the escaped characters are ASCII, so no UTF-8
        // sequence contains them); built once into one buffer (queries sort thousands of keys).
        var bytes: [UInt8] = []
        bytes.reserveCapacity(measurement.utf8.count + tags.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count + 2 } + 8)
        Self.appendEscaped(measurement, equalsSign: false, to: &bytes)
        for tag in tags {
            bytes.append(UInt8(ascii: ","))
            Self.appendEscaped(tag.key, equalsSign: true, to: &bytes)
            bytes.append(UInt8(ascii: "="))
            Self.appendEscaped(tag.value, equalsSign: true, to: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @inline(__always)
    static func appendEscaped(_ text: String, equalsSign: Bool, to bytes: inout [UInt8]) {
        @inline(__always) func escaped(_ b: UInt8) -> Bool {
            b == UInt8(ascii: ",") || b == UInt8(ascii: " ") || (equalsSign && b == UInt8(ascii: "="))
        }
        // Nearly every name and tag value needs no escape: checked in place and copied at once
        // (an append per byte was 4 000 instructions a key, and fleet queries sort hundreds).
        let copied = text.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            guard !utf8.contains(where: escaped) else { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if copied == true { return }
        for b in text.utf8 {
            if escaped(b) { bytes.append(UInt8(ascii: "\\")) }
            bytes.append(b)
        }
    }

    public static func < (lhs: SeriesKey, rhs: SeriesKey) -> Bool {
        lhs.description < rhs.description
    }
}
