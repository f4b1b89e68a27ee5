import Synchronization
import TimeSeries

/// The values of each (measurement, tag key) in string order, sorted once per index snapshot
/// instead of once per SHOW TAG VALUES: Grafana asks the same template-variable query on every
/// dashboard load, and sorting 2 000 host names was the largest part of answering it.
final class SortedTagValues: Sendable {
    private let cache = Mutex<[String: [String: [String]]]>([:])

    /// The sorted values of `key` in `measurement`, computed by `sort` on first use.
    func values(_ measurement: String, _ key: String, sort: () -> [String]) -> [String] {
        if let hit = cache.withLock({ $0[measurement]?[key] }) { return hit }
        let sorted = sort()
        cache.withLock { $0[measurement, default: [:]][key] = sorted }
        return sorted
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
                        if let value = keys[id]?[tag: key] { present.insert(value) }
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
