import Testing
import TimeSeries

@Suite struct SeriesKeyTests {
    @Test func tagsAreSortedDeduplicatedAndEmptyDropped() {
        let key = SeriesKey(measurement: "cpu_value", tags: [Tag("type", "cpu"), Tag("host", "a"), Tag("instance", ""), Tag("host", "b")])
        #expect(key.tags == [Tag("host", "b"), Tag("type", "cpu")])
        #expect(key[tag: "host"] == "b")
        #expect(key[tag: "instance"] == nil)
    }

    @Test(arguments: [
        (SeriesKey(measurement: "cpu", tags: [Tag("host", "a")]), "cpu,host=a"),
        (SeriesKey(measurement: "my m", tags: [Tag("k=1", "v,2 x")]), "my\\ m,k\\=1=v\\,2\\ x"),
    ])
    func canonicalText(key: SeriesKey, text: String) {
        #expect(key.description == text)
    }

    /// The text against the byte-by-byte escaping it is defined by, over random names and tags.
    @Test func textAsEscapedByteByByte() {
        func escaped(_ text: String, equalsSign: Bool) -> String {
            var out = ""
            for c in text.unicodeScalars {
                if c == "," || c == " " || (equalsSign && c == "=") { out.append("\\") }
                out.unicodeScalars.append(c)
            }
            return out
        }
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("ab=, é\\x1")
        func word() -> String { String((0..<Int.random(in: 1...8, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }) }
        for _ in 0..<5_000 {
            let key = SeriesKey(measurement: word(), tags: (0..<Int.random(in: 0...3, using: &rng)).map { _ in Tag(word(), word()) })
            let expected = escaped(key.measurement, equalsSign: false)
                + key.tags.map { "," + escaped($0.key, equalsSign: true) + "=" + escaped($0.value, equalsSign: true) }.joined()
            #expect(key.description == expected)
        }
    }
}

@Suite struct TagPredicateTests {
    let key = SeriesKey(measurement: "interface_rx", tags: [Tag("host", "web1.lan"), Tag("type", "if_octets")])

    @Test func comparisonsTreatMissingTagsAsEmpty() throws {
        #expect(TagPredicate.equal(key: "host", value: "web1.lan").evaluate(key))
        #expect(TagPredicate.equal(key: "instance", value: "").evaluate(key))
        #expect(TagPredicate.notEqual(key: "instance", value: "eth0").evaluate(key))
        #expect(!TagPredicate.notEqual(key: "host", value: "web1.lan").evaluate(key))
        #expect(try TagPredicate.matches(key: "host", PatternRegex("^web\\d\\.lan$")).evaluate(key))
        #expect(try !TagPredicate.notMatches(key: "host", PatternRegex("web")).evaluate(key))
        #expect(try TagPredicate.or(.never, .matches(key: "type", PatternRegex("octets"))).evaluate(key))
        #expect(!TagPredicate.and(.always, .never).evaluate(key))
    }
}

@Suite struct MemoryStoreTests {
    @Test func lastWriteWinsAndScanOrders() throws {
        let store = MemoryStore()
        let key = SeriesKey(measurement: "load_shortterm", tags: [Tag("host", "a")])
        try store.write([
            Point(key: key, fields: [Field("value", .float(2))], time: 20),
            Point(key: key, fields: [Field("value", .float(1))], time: 10),
            Point(key: key, fields: [Field("value", .float(3))], time: 20),
        ], database: "collectd")
        let entries = try store.series(database: "collectd", filter: .all, where: .always)
        #expect(entries.count == 1)
        let samples = try store.samples(database: "collectd", series: entries[0].id, field: "value")
        #expect(samples == [Sample(time: 10, value: .float(1)), Sample(time: 20, value: .float(3))])
        let desc = try store.samples(database: "collectd", series: entries[0].id, field: "value", range: TimeRange(min: 0, max: 15), descending: true)
        #expect(desc == [Sample(time: 10, value: .float(1))])
    }

    @Test func typeConflictRejectsOnlyTheConflictingPoint() throws {
        let store = MemoryStore()
        #expect(throws: SeriesStoreError.self) {
            try store.write([
                Point(measurement: "m", fields: [Field("f", .float(1))], time: 1),
                Point(measurement: "m", fields: [Field("f", .integer(1))], time: 2),
            ], database: "db")
        }
        #expect(try store.fieldKeys(database: "db", measurement: "m") == [FieldKey(name: "f", type: .float)])
        #expect(throws: SeriesStoreError.databaseNotFound("nope")) {
            _ = try store.measurements(database: "nope", filter: .all)
        }
    }
}
