#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import TimeSeries

/// The `SeriesStore` on SQLite: one file per database under a data directory, an in-memory
/// head per series field, a batch log row per flush (the durability point) and compressed chunks.
///
/// One process writes (`readOnly: false`); any number of processes may read (`readOnly: true`)
/// and see everything durable: sealed chunks plus the log rows of the last flushes.
public final class SQLiteStore: SeriesStore, StatsProvider {
    /// Tuning; durations in seconds unless noted.
    public struct Options: Sendable {
        /// How often the owner calls `flush()` (the store has no timer of its own).
        public var flushInterval: Double
        /// At most this many samples per sealed chunk.
        public var chunkSize: Int
        /// An open chunk is sealed once its encoded samples reach this many bytes, and compaction
        /// merges adjacent smaller chunks up to it (a bound for noisy series; most chunks end at
        /// their window first).
        public var chunkBytes: Int
        /// Chunks are cut at multiples of this many nanoseconds since the epoch: a chunk holds the
        /// samples of one window (plus, when sealed by crossing it, the first sample after it).
        /// Cuts then depend on timestamps only, so series written together are cut alike and
        /// share one clock (`times`); a 10 s series fills one row per window (2 160 samples).
        public var chunkWindow: Int64
        /// Chunks of fewer samples keep their own timestamps (a clock row would cost more than
        /// they save); tests lower it to exercise clocks with tiny chunks.
        public var clockMinimumSamples: Int
        /// Float chunks of at least this many samples store a `ChunkSummary` (smaller ones decode
        /// faster than a summary saves); tests lower it.
        public var summaryMinimumSamples: Int
        /// An open chunk older than this (wall time since its first sample) is sealed at the next flush.
        public var maxChunkAge: Double
        /// The duration of `autogen` in nanoseconds for databases the store creates (and for files
        /// from before retention policies, at their migration); nil keeps samples forever.
        /// Afterwards each policy's own duration applies (ALTER RETENTION POLICY changes it).
        public var defaultRetention: Int64?

        public init(flushInterval: Double = 1, chunkSize: Int = 8192, chunkBytes: Int = 8192, maxChunkAge: Double = 3600,
                    chunkWindow: Int64 = 6 * 3_600_000_000_000, clockMinimumSamples: Int = 8, summaryMinimumSamples: Int = 32,
                    defaultRetention: Int64? = nil) {
            self.clockMinimumSamples = clockMinimumSamples
            self.summaryMinimumSamples = summaryMinimumSamples
            self.flushInterval = flushInterval
            self.chunkSize = chunkSize
            self.chunkBytes = chunkBytes
            self.chunkWindow = chunkWindow
            self.maxChunkAge = maxChunkAge
            self.defaultRetention = defaultRetention
        }
    }

    public let dataDirectory: String
    public let readOnly: Bool
    let options: Options
    private let databasesByName = Mutex<[String: StoreDatabase]>([:])
    /// Held while a database file is opened, created or removed. A query opening a new file
    /// while the collectd writer created it made two schemas at once; the loser's resolve
    /// failed ("table meta already exists") and cost that identity's values.
    private let opening = Mutex<Void>(())
    private let isClosed = Atomic<Bool>(false)
    private let generation = Atomic<UInt64>(0)
    /// `catalogVersion`: moved by every database's index changes and by databases opened,
    /// created and dropped.
    private let catalog = CatalogClock()
    /// Tokens of open databases are unique in the process, so a ref of a dropped (and
    /// recreated) database is never mistaken for one of the new file.
    private static let nextToken = Atomic<UInt32>(1)

    /// Opens the store; the writer creates `dataDirectory` when missing. Database files open lazily.
    public init(dataDirectory: String, options: Options = .init(), readOnly: Bool = false) throws {
        self.dataDirectory = dataDirectory
        self.options = options
        self.readOnly = readOnly
        if !readOnly { try FileSystem.makeDirectory(dataDirectory) }
    }

    public func databases() throws -> [String] {
        let open = databasesByName.withLock { Array($0.keys) }
        return Set(databaseFiles() + open).sorted()
    }

    /// The directory's last listing of database files and its modification time then.
    private let listing = Mutex<(modified: Int64, names: [String])?>(nil)

    /// The database files in the data directory (another process may have made one): listed
    /// again only when the directory changed, one `stat` otherwise. A listing is kept only once
    /// its modification time is a second old, as a change within the file system's clock tick
    /// would not move it.
    private func databaseFiles() -> [String] {
        guard let modified = FileSystem.modificationTime(dataDirectory) else {
            return FileSystem.names(in: dataDirectory, suffix: ".sqlite")
        }
        if let kept = listing.withLock({ $0 }), kept.modified == modified { return kept.names }
        let names = FileSystem.names(in: dataDirectory, suffix: ".sqlite")
        if Int64(time(nil)) - modified / 1_000_000_000 > 1 { listing.withLock { $0 = (modified, names) } }
        return names
    }

    /// The writer's catalog version (`SeriesQuerier.catalogVersion`). A read-only store has none:
    /// another process changes its files, and its snapshots follow the file's `index_version`.
    public var catalogVersion: UInt64? { readOnly ? nil : catalog.version }

    /// An open database exists; others are looked for on disk (another process may have made one).
    public func databaseExists(_ name: String) throws -> Bool {
        if databasesByName.withLock({ $0[name] != nil }) { return true }
        return try databases().contains(name)
    }

    public func createDatabase(_ name: String) throws {
        try requireWritable()
        _ = try database(name, create: true)
    }

    public func dropDatabase(_ name: String) throws {
        try requireWritable()
        try Self.validate(name)
        try opening.withLock { _ throws in
            let removed = databasesByName.withLock { $0.removeValue(forKey: name) }
            generation.add(1, ordering: .relaxed)
            catalog.advance()
            removed?.closeConnections()
            let path = filePath(name)
            for suffix in ["", "-wal", "-shm"] { try FileSystem.remove(path + suffix) }
        }
    }

    public var appendGeneration: UInt64 { generation.load(ordering: .relaxed) }

    public func resolve(database: String, policy: String?, key: SeriesKey, fields: [FieldSpec]) throws -> FieldResolution {
        try requireWritable()
        guard let db = try self.database(database, create: true) else { throw SeriesStoreError.databaseNotFound(database) }
        return try db.resolve(key, fields, policy: policy)
    }

    public func continuousQueries(database: String) throws -> ContinuousQueries {
        try existing(database).currentIndex().index.continuousQueries
    }

    public func updateContinuousQueries(database: String, _ change: (inout ContinuousQueries) throws -> Void) throws {
        try requireWritable()
        try existing(database).updateContinuousQueries(change)
    }

    public func retentionPolicies(database: String) throws -> RetentionPolicies {
        try existing(database).currentIndex().index.policies
    }

    public func updateRetentionPolicies(database: String, createDatabase: Bool,
                                        _ change: (inout RetentionPolicies) throws -> Void) throws {
        try requireWritable()
        if let db = try self.database(database, create: false) {
            if try db.updatePolicies(fresh: false, change) { generation.add(1, ordering: .relaxed) }
            return
        }
        guard createDatabase else { throw SeriesStoreError.databaseNotFound(database) }
        // Validate against no policies before the file exists: a refused change creates nothing.
        var trial = RetentionPolicies()
        try change(&trial)
        guard let db = try self.database(database, create: true) else { throw SeriesStoreError.databaseNotFound(database) }
        if try db.updatePolicies(fresh: true, change) { generation.add(1, ordering: .relaxed) }
    }

    public func append(_ batch: ColumnBatch) throws -> AppendResult {
        try requireWritable()
        guard let first = batch.refs.first else { return AppendResult() }
        // Nearly always one database per batch: append it whole without grouping.
        if batch.refs.allSatisfy({ $0.database == first.database }) {
            let db = databasesByName.withLock { dbs in dbs.values.first { $0.token == first.database } }
            guard let db else { return AppendResult(dropped: batch.count) }
            return try db.append(batch)
        }
        let open = databasesByName.withLock { dbs in Dictionary(dbs.values.map { ($0.token, $0) }, uniquingKeysWith: { a, _ in a }) }
        var rowsByToken: [UInt32: [Int]] = [:]
        for (row, ref) in batch.refs.enumerated() { rowsByToken[ref.database, default: []].append(row) }
        var total = AppendResult()
        for (token, rows) in rowsByToken {
            guard let db = open[token] else {
                total.dropped += rows.count
                continue
            }
            let result = try db.append(batch, rows: rows)
            total.appended += result.appended
            total.dropped += result.dropped
        }
        return total
    }

    public func write(_ points: [Point], database: String, policy: String?) throws {
        try requireWritable()
        guard try self.database(database, create: true) != nil else { return }
        var writer = PointWriter(database: database, policy: policy)
        try writer.write(points, into: self)
    }

    public func measurements(database: String, filter: MeasurementFilter) throws -> [String] {
        try existing(database).currentIndex().index.measurements(filter)
    }

    public func unorderedSeries(database: String, filter: MeasurementFilter, where predicate: TagPredicate) throws -> [SeriesEntry] {
        try existing(database).currentIndex().index.unorderedSeries(filter, predicate)
    }

    public func tagValues(database: String, filter: MeasurementFilter, where predicate: TagPredicate,
                          keyMatches: (String) -> Bool) throws -> [String: Set<Tag>] {
        try existing(database).currentIndex().index.tagValues(filter, predicate, keyMatches: keyMatches)
    }

    public func sortedTagValues(database: String, filter: MeasurementFilter, where predicate: TagPredicate,
                                keyMatches: (String) -> Bool) throws -> [(measurement: String, tags: [Tag])] {
        try existing(database).currentIndex().index.sortedTagValues(filter, predicate, keyMatches: keyMatches)
    }

    public func tagKeys(database: String, filter: MeasurementFilter, where predicate: TagPredicate) throws -> [String: Set<String>] {
        try existing(database).currentIndex().index.tagKeys(filter, predicate)
    }

    public func series(database: String, filter: MeasurementFilter, where predicate: TagPredicate) throws -> [SeriesEntry] {
        try existing(database).currentIndex().index.series(filter, predicate)
    }

    public func fieldKeys(database: String, policy: String?, measurement: String) throws -> [FieldKey] {
        let snapshot = try existing(database).currentIndex()
        guard let policy else { return snapshot.index.fieldKeys(measurement, policy: nil) }
        guard let id = try? snapshot.index.policyID(policy) else { return [] }
        return snapshot.index.fieldKeys(measurement, policy: id)
    }

    public func scan(database: String, policy: String?, series: UInt64, field: String, range: TimeRange, descending: Bool) throws -> any SampleCursor {
        try existing(database).scan(series: Int64(bitPattern: series), field: field, policy: policy, range: range, descending: descending)
    }

    public func scan(database: String, policy: String?, series: [UInt64], field: String, range: TimeRange, descending: Bool) throws -> [any SampleCursor] {
        guard !series.isEmpty else { return [] }
        return try existing(database).scan(series: series.map { Int64(bitPattern: $0) }, field: field, policy: policy, range: range,
                                           descending: descending)
    }

    public func dropMeasurement(database: String, name: String) throws {
        try requireWritable()
        guard let db = try self.database(database, create: false) else { return }
        defer { generation.add(1, ordering: .relaxed) }
        try db.dropMeasurement(name)
    }

    public func dropSeries(database: String, ids: [UInt64]) throws {
        try requireWritable()
        guard let db = try self.database(database, create: false) else { return }
        defer { generation.add(1, ordering: .relaxed) }
        try db.dropSeries(ids.map { Int64(bitPattern: $0) })
    }

    public func deleteSamples(database: String, series ids: [UInt64], range: TimeRange) throws {
        try requireWritable()
        guard let db = try self.database(database, create: false) else { return }
        try db.deleteSamples(ids.map { Int64(bitPattern: $0) }, range: range)
    }

    /// Commits the samples written since the last flush (one log row per database) and seals
    /// full or old open chunks. The owner calls this every `flushInterval`.
    public func flush() throws {
        guard !readOnly, !isClosed.load(ordering: .sequentiallyConsistent) else { return }
        for db in openDatabases() { try db.flush(.due) }
    }

    /// Commits what was written to `database` since the last flush as one log row now (no
    /// sealing, no head scan): the durability point of an HTTP `/write`.
    public func commit(database name: String) throws {
        guard !readOnly, !isClosed.load(ordering: .sequentiallyConsistent) else { return }
        try database(name, create: false)?.flush(.logOnly)
    }

    /// Seals every open chunk into chunk rows and empties the batch log, without closing.
    public func checkpoint() throws {
        guard !readOnly else { return }
        for db in openDatabases() { try db.checkpoint() }
    }

    /// Deletes samples older than `now` minus their retention policy's duration (policies of
    /// duration 0 keep all).
    public func applyRetention(now: Int64) throws {
        try requireWritable()
        for name in try databases() {
            guard let db = try database(name, create: false) else { continue }
            try db.applyRetention(now: now)
        }
    }

    /// Compacts every database completely: overlapping chunks (left by late samples) become
    /// non-overlapping ones and adjacent small chunks are merged up to `chunkBytes`.
    public func compact() throws {
        try requireWritable()
        for db in openDatabases() { try db.compact() }
    }

    /// Truncates each open database's WAL when no reader needs it (see `StoreDatabase.truncateWAL`);
    /// returns how many were truncated.
    @discardableResult
    public func truncateWAL() -> Int {
        guard !readOnly, !isClosed.load(ordering: .sequentiallyConsistent) else { return 0 }
        return openDatabases().reduce(0) { $0 + ($1.truncateWAL() ? 1 : 0) }
    }

    /// One bounded background compaction step per open database (at most `keys` series fields
    /// each, resuming where the last step stopped); returns the chunks removed by merging.
    @discardableResult
    public func compactStep(keys: Int = 500) throws -> Int {
        guard !readOnly, !isClosed.load(ordering: .sequentiallyConsistent) else { return 0 }
        var merged = 0
        for db in openDatabases() { merged += try db.compactStep(keys: keys).merged }
        return merged
    }

    /// Seals everything and closes every file; the store cannot be used afterwards.
    public func close() throws {
        isClosed.store(true, ordering: .sequentiallyConsistent)
        let all = databasesByName.withLock { dbs in
            defer { dbs = [:] }
            return Array(dbs.values)
        }
        var firstError: Error?
        for db in all {
            do {
                if readOnly { db.closeConnections() } else { try db.close() }
            } catch {
                firstError = firstError ?? error
                db.closeConnections()
            }
        }
        if let firstError { throw firstError }
    }

    // MARK: - Databases

    func filePath(_ name: String) -> String {
        dataDirectory + "/" + name + ".sqlite"
    }

    func openDatabases() -> [StoreDatabase] {
        databasesByName.withLock { Array($0.values) }
    }

    private func existing(_ name: String) throws -> StoreDatabase {
        guard let db = try database(name, create: false) else { throw SeriesStoreError.databaseNotFound(name) }
        return db
    }

    /// The open database, opening its file when it exists (or, with `create`, creating it).
    private func database(_ name: String, create: Bool) throws -> StoreDatabase? {
        if isClosed.load(ordering: .sequentiallyConsistent) { throw SQLiteStoreError.closed(directory: dataDirectory) }
        // An open database's name was validated when it opened.
        if let open = databasesByName.withLock({ $0[name] }) { return open }
        try Self.validate(name)
        // One opening at a time; the database may have opened while this waited.
        return try opening.withLock { _ throws -> StoreDatabase? in
            if let open = databasesByName.withLock({ $0[name] }) { return open }
            let path = filePath(name)
            if !FileSystem.exists(path) {
                guard create else { return nil }
                try requireWritable()
            }
            // Another process (the CLI reading) may race the server creating the file: nothing to read yet.
            if readOnly && FileSystem.size(path) == 0 { return nil }
            let token = Self.nextToken.add(1, ordering: .relaxed).oldValue
            let opened = try StoreDatabase(token: token, name: name, path: path, options: options, readOnly: readOnly, catalog: catalog)
            databasesByName.withLock { $0[name] = opened }
            catalog.advance()
            return opened
        }
    }

    private func requireWritable() throws {
        if readOnly { throw SQLiteStoreError.readOnlyStore(directory: dataDirectory) }
    }

    /// Database names become file names: no path separators, NUL, or leading dot.
    static func validate(_ name: String) throws {
        if name.isEmpty || name.hasPrefix(".") || name.contains("/") || name.contains("\0") {
            throw SeriesStoreError.invalidName(name)
        }
    }
}
