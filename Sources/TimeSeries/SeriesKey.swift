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
        var s = Self.escape(measurement, special: [",", " "])
        for tag in tags {
            s += ","
            s += Self.escape(tag.key, special: [",", "=", " "])
            s += "="
            s += Self.escape(tag.value, special: [",", "=", " "])
        }
        return s
    }

    public static func < (lhs: SeriesKey, rhs: SeriesKey) -> Bool {
        lhs.description < rhs.description
    }

    static func escape(_ text: String, special: Set<Character>) -> String {
        guard text.contains(where: { special.contains($0) }) else { return text }
        var out = ""
        for ch in text {
            if special.contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }
}
