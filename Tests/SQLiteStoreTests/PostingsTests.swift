import Testing
@testable import SQLiteStore
import TestSupport
import TimeSeries

/// The tag postings index against brute force: every predicate evaluated series by series.
struct PostingsTests {
    static let measurements = ["cpu", "load", "if"]
    static let tagKeys = ["host", "instance", "type"]
    static let tagValues = ["", "a", "b", "ab", "c1", "x y"]

    static func randomKey(_ rng: inout SeededGenerator) -> SeriesKey {
        var tags: [TimeSeries.Tag] = []
        for key in tagKeys where Bool.random(using: &rng) {
            let value = tagValues.randomElement(using: &rng)!
            if !value.isEmpty { tags.append(Tag(key, value)) }
        }
        return SeriesKey(measurement: measurements.randomElement(using: &rng)!, tags: tags)
    }

    static func randomPredicate(_ rng: inout SeededGenerator, depth: Int = 0) throws -> TagPredicate {
        let key = tagKeys.randomElement(using: &rng)!
        let value = tagValues.randomElement(using: &rng)!
        let roll = Int.random(in: 0..<(depth < 2 ? 9 : 7), using: &rng)
        switch roll {
        case 0: return .always
        case 1: return .never
        case 2: return .equal(key: key, value: value)
        case 3: return .notEqual(key: key, value: value)
        case 4: return .matches(key: key, try PatternRegex(["^a", "b$", "^$", ".*", "c|x"].randomElement(using: &rng)!))
        case 5: return .notMatches(key: key, try PatternRegex(["^a", "b$", "^$", ".*", "c|x"].randomElement(using: &rng)!))
        case 6: return .equal(key: key, value: "")
        case 7: return .and(try randomPredicate(&rng, depth: depth + 1), try randomPredicate(&rng, depth: depth + 1))
        default: return .or(try randomPredicate(&rng, depth: depth + 1), try randomPredicate(&rng, depth: depth + 1))
        }
    }

    /// Removes a random series (one time in `removalOdds`) or adds a random new one.
    static func change(_ index: inout SeriesIndex, _ next: inout Int64, removalOdds: Int, _ rng: inout SeededGenerator) {
        if Int.random(in: 0..<removalOdds, using: &rng) == 0, let victim = index.table.entries.randomElement(using: &rng)?.id {
            index.remove(id: victim)
        } else {
            let key = randomKey(&rng)
            if index.table.id(of: key) == nil {
                index.add(id: next, key: key)
                next += 1
            }
        }
    }

    /// Measurements in order, each one's tags by key, then value.
    static func sorted(_ values: [String: Set<TimeSeries.Tag>]) -> [String] {
        values.keys.sorted().flatMap { m in
            values[m]!.sorted { ($0.key, $0.value) < ($1.key, $1.value) }.map { "\(m) \($0.key)=\($0.value)" }
        }
    }

    static func flat(_ lists: [(measurement: String, tags: [TimeSeries.Tag])]) -> [String] {
        lists.flatMap { list in list.tags.map { "\(list.measurement) \($0.key)=\($0.value)" } }
    }

    @Test("SHOW TAG VALUES / TAG KEYS from postings equal the series-by-series answer", arguments: 0..<12)
    func postingsMatchBruteForce(seed: UInt64) throws {
        var rng = SeededGenerator(seed: 900 + seed)
        var index = SeriesIndex()
        var next: Int64 = 1
        // Adds, and some removals, as writes and drops make them.
        for _ in 0..<200 { Self.change(&index, &next, removalOdds: 5, &rng) }
        for round in 0..<60 {
            let predicate = try Self.randomPredicate(&rng)
            let filter: MeasurementFilter = Bool.random(using: &rng) ? .all : .names([Self.measurements.randomElement(using: &rng)!, "missing"])
            let keyMatches: (String) -> Bool = Bool.random(using: &rng) ? { _ in true } : { $0 == "host" || $0 == "type" }
            var expectedValues: [String: Set<TimeSeries.Tag>] = [:]
            var expectedKeys: [String: Set<String>] = [:]
            for key in index.table.entries.map(\.key) where filter.matches(key.measurement) && predicate.evaluate(key) {
                for t in key.tags where keyMatches(t.key) { expectedValues[key.measurement, default: []].insert(t) }
                expectedKeys[key.measurement, default: []].formUnion(key.tags.map(\.key))
            }
            #expect(index.tagValues(filter, predicate, keyMatches: keyMatches) == expectedValues, "\(predicate) \(filter)")
            let sorted = Self.sorted(expectedValues)
            #expect(Self.flat(index.sortedTagValues(filter, predicate, keyMatches: keyMatches)) == sorted, "\(predicate) \(filter)")
            // The sorted values are cached per snapshot: a change to the index must not show in
            // a snapshot taken before it, nor a stale order in the changed index.
            if round % 6 == 5 {
                let snapshot = index
                for _ in 0..<3 { Self.change(&index, &next, removalOdds: 2, &rng) }
                var changed: [String: Set<TimeSeries.Tag>] = [:]
                for key in index.table.entries.map(\.key) where filter.matches(key.measurement) && predicate.evaluate(key) {
                    for t in key.tags where keyMatches(t.key) { changed[key.measurement, default: []].insert(t) }
                }
                #expect(Self.flat(index.sortedTagValues(filter, predicate, keyMatches: keyMatches)) == Self.sorted(changed))
                #expect(Self.flat(snapshot.sortedTagValues(filter, predicate, keyMatches: keyMatches)) == sorted)
                continue
            }
            let keys = index.tagKeys(filter, predicate).filter { !$0.value.isEmpty }
            #expect(keys == expectedKeys.filter { !$0.value.isEmpty }, "\(predicate) \(filter)")
            let listed = Set(index.unorderedSeries(filter, predicate).map(\.id))
            let bruteForce = Set(index.table.entries.filter { filter.matches($0.key.measurement) && predicate.evaluate($0.key) }.map { UInt64($0.id) })
            #expect(listed == bruteForce, "\(predicate) \(filter)")
            #expect(index.series(filter, predicate).count == bruteForce.count)
            for m in Self.measurements {
                let selected = index.select(m, predicate) ?? Set(index.byMeasurement[m] ?? [])
                let brute = Set(index.table.entries.filter { $0.key.measurement == m && predicate.evaluate($0.key) }.map(\.id))
                #expect(selected == brute, "\(m) \(predicate)")
            }
        }
        // Removing every series leaves no postings behind.
        for id in index.table.entries.map(\.id) { index.remove(id: id) }
        #expect(index.postings.isEmpty)
        #expect(index.byMeasurement.isEmpty)
    }
}

/// The values a regex matched are remembered per index snapshot; a series added or removed
/// afterwards is seen by the next query, and an older snapshot keeps its own answer.
struct RegexMatchCacheTests {
    @Test func addedAndRemovedSeriesAreSeen() throws {
        var index = SeriesIndex()
        let key = { (h: String) in SeriesKey(measurement: "cpu", tags: [Tag("host", h)]) }
        index.add(id: 1, key: key("h1"))
        index.add(id: 2, key: key("h2"))
        index.add(id: 3, key: key("x3"))
        let predicate = TagPredicate.matches(key: "host", try PatternRegex("^h"))
        #expect(index.select("cpu", predicate) == [1, 2])
        #expect(index.select("cpu", predicate) == [1, 2])
        let snapshot = index
        index.add(id: 4, key: key("h4"))
        #expect(index.select("cpu", predicate) == [1, 2, 4])
        index.remove(id: 1)
        #expect(index.select("cpu", predicate) == [2, 4])
        #expect(index.select("cpu", .notMatches(key: "host", try PatternRegex("^h"))) == [3])
        #expect(snapshot.select("cpu", predicate) == [1, 2])
    }
}
