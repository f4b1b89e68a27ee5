import TimeSeries

extension SQLiteStore {
    /// One `store` group per open database: series, chunks, file bytes (database + WAL), WAL
    /// bytes, WAL truncations, chunks removed by compaction, head samples and bytes, log rows,
    /// samples written (a read-only store reports the file's series, chunks and log rows).
    public func stats() -> [StatsGroup] {
        openDatabases().sorted { $0.name < $1.name }.map { db in
            var (chunks, logRows, compacted, truncations, clocks) = db.writer.withLock { w in (w.chunkCount, w.logRows, w.compactedChunks, w.walTruncations, w.clocksWritten) }
            var series = db.registry.withLock { $0.index.table.count }
            if readOnly {
                // A reader has no writer state: read the figures the writer keeps in the file.
                series = (try? db.currentIndex().index.table.count) ?? 0
                chunks = Int((try? db.withReader { try $0.scalar("SELECT value FROM meta WHERE key = 'chunks'") }) ?? 0)
                logRows = Int((try? db.withReader { try $0.scalar("SELECT count(*) FROM log") }) ?? 0)
            }
            let (headSamples, headBytes) = db.head.withLock { h in
                h.heads.reduce((0, 0)) { ($0.0 + $1.count, $0.1 + $1.memoryBytes) }
            }
            let wal = FileSystem.size(db.path + "-wal")
            let bytes = FileSystem.size(db.path) + wal
            return StatsGroup(name: "store", tags: [Tag("database", db.name)], values: [
                ("series", Double(series)),
                ("chunks", Double(chunks)),
                ("file_bytes", Double(bytes)),
                ("wal_bytes", Double(wal)),
                ("wal_truncations_total", Double(truncations)),
                ("compacted_chunks_total", Double(compacted)),
                ("clocks_written_total", Double(clocks)),
                ("head_samples", Double(headSamples)),
                ("head_bytes", Double(headBytes)),
                ("log_rows", Double(logRows)),
                ("samples_written_total", Double(db.samplesWritten.load(ordering: .relaxed))),
            ])
        }
    }
}
