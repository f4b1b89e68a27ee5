import Synchronization
import TimeSeries

/// The values of each (measurement, tag key) in string order, sorted once per index snapshot
/// instead of once per SHOW TAG VALUES: Grafana asks the same template-variable query on every
/// dashboard load, and sorting 2 000 host names was the largest part of answering it. Also the
/// values a tag regex matches, found once per snapshot and pattern: a chained template variable
/// (`WHERE "host" =~ /^$host$/`) otherwise touched every host name on every dashboard load.
final class SortedTagValues: Sendable {
    private let cache = Mutex<[String: [String: [String]]]>([:])
    private let matches = Mutex<[MatchKey: [String]]>([:])

    private struct MatchKey: Hashable {
        var measurement: String
        var key: String
        var pattern: String
    }

    /// At most this many patterns are remembered per snapshot (then they are all forgotten).
    static let matchLimit = 1_024

    /// The sorted values of `key` in `measurement`, computed by `sort` on first use.
    func values(_ measurement: String, _ key: String, sort: () -> [String]) -> [String] {
        if let hit = cache.withLock({ $0[measurement]?[key] }) { return hit }
        let sorted = sort()
        cache.withLock { $0[measurement, default: [:]][key] = sorted }
        return sorted
    }

    /// The values of `key` in `measurement` that `pattern` matches, computed by `find` on first use.
    func matching(_ measurement: String, _ key: String, _ pattern: String, find: () -> [String]) -> [String] {
        let k = MatchKey(measurement: measurement, key: key, pattern: pattern)
        if let hit = matches.withLock({ $0[k] }) { return hit }
        let found = find()
        matches.withLock {
            if $0.count >= Self.matchLimit { $0.removeAll() }
            $0[k] = found
        }
        return found
    }
}

extension SeriesIndex {
    /// SHOW TAG VALUES from the postings: per measurement (in order) the tags whose key
    /// `keyMatches` among the series `predicate` selects, by key and then value in string order.
    /// A (key, value) pair is one postings entry, so no set is needed to make them unique.
    func sortedTagValues(_ filter: MeasurementFilter, _ predicate: TagPredicate,
                         keyMatches: (String) -> Bool) -> [(measurement: String, tags: [Tag])] {
        var out: [(measurement: String, tags: [Tag])] = []
        for m in measurements(filter) {
            guard let byKey = postings[m] else { continue }
            let selected = select(m, predicate)
            if selected?.isEmpty == true { continue }
            var tags: [Tag] = []
            // A WHERE that keeps few of the measurement's series (a template variable chained to
            // another: `WHERE "host" =~ /^$host$/`) reads those series' own tags; otherwise each
            // value's postings are searched for a selected series.
            let fromSelected = selected.map { $0.count * 4 < (byMeasurement[m]?.count ?? 0) } ?? false
            for key in byKey.keys.sorted() where keyMatches(key) {
                let postings = byKey[key]!
                let values = sortedValues.values(m, key) { postings.keys.sorted() }
                if let selected, fromSelected {
                    var present = Set<String>()
                    for id in selected {
                        if let value = table[id]?[tag: key] { present.insert(value) }
                    }
                    for value in values where present.contains(value) { tags.append(Tag(key, value)) }
                } else if let selected {
                    for value in values {
                        for id in postings[value]! where selected.contains(id) {
                            tags.append(Tag(key, value))
                            break
                        }
                    }
                } else {
                    tags.reserveCapacity(tags.count + values.count)
                    for value in values { tags.append(Tag(key, value)) }
                }
            }
            if !tags.isEmpty { out.append((m, tags)) }
        }
        return out
    }
}
