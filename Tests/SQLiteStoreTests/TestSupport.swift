#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import TimeSeries

/// Everything a store answers for one database, with series identified by key (ids differ between stores).
struct StoreSnapshot: Equatable, CustomStringConvertible {
    var measurements: [String]
    var series: [SeriesKey]
    var fieldKeys: [String: [FieldKey]]
    var samples: [String: [Sample]]
    var policies: RetentionPolicies

    init(_ store: any SeriesStore, database: String, fields: [String]) throws {
        measurements = try store.measurements(database: database, filter: .all)
        let entries = try store.series(database: database, filter: .all, where: .always)
        series = entries.map(\.key)
        fieldKeys = [:]
        for m in measurements { fieldKeys[m] = try store.fieldKeys(database: database, measurement: m) }
        samples = [:]
        let policies = try store.retentionPolicies(database: database)
        self.policies = policies
        for policy in policies.policies {
            for entry in entries {
                for field in fields {
                    let ascending = try store.samples(database: database, policy: policy.name, series: entry.id, field: field)
                    let descending = try store.samples(database: database, policy: policy.name, series: entry.id, field: field, descending: true)
                    #expect(descending == ascending.reversed(), "descending scan of \(entry.key) \(field)")
                    if !ascending.isEmpty { samples["\(policy.name) \(entry.key) \(field)"] = ascending }
                }
            }
        }
    }

    var description: String {
        "policies \(policies)\nmeasurements \(measurements)\nseries \(series)\nfields \(fieldKeys)\n" + samples.keys.sorted().map { "\($0): \(samples[$0]!.map { "\($0.time)=\($0.value)" })" }.joined(separator: "\n")
    }
}

/// The series id a store gives `key`.
func seriesID(_ store: any SeriesStore, _ database: String, _ key: SeriesKey) throws -> UInt64? {
    try store.series(database: database, filter: .names([key.measurement]), where: .always).first { $0.key == key }?.id
}
