import TimeSeries

extension SQLiteStore {
    /// One `store` group per open database: series, chunks, file bytes, head samples, log rows,
    /// samples written.
    public func stats() -> [StatsGroup] {
        openDatabases().sorted { $0.name < $1.name }.map { db in
            let (series, chunks, logRows) = db.writer.withLock { w in (w.index.keys.count, w.chunkCount, w.logRows) }
            let (headSamples, headBytes) = db.head.withLock { h in
                h.heads.reduce((0, 0)) { ($0.0 + $1.count, $0.1 + $1.memoryBytes) }
            }
            let bytes = FileSystem.size(db.path) + FileSystem.size(db.path + "-wal")
            return StatsGroup(name: "store", tags: [Tag("database", db.name)], values: [
                ("series", Double(readOnly ? ((try? db.currentIndex().keys.count) ?? 0) : series)),
                ("chunks", Double(chunks)),
                ("file_bytes", Double(bytes)),
                ("head_samples", Double(headSamples)),
                ("head_bytes", Double(headBytes)),
                ("log_rows", Double(logRows)),
                ("samples_written_total", Double(db.samplesWritten.load(ordering: .relaxed))),
            ])
        }
    }
}
