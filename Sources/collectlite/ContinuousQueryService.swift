import Logging
import NIOPosix
import QueryEngine
import ServiceLifecycle

/// Runs continuous queries inside `serve`: every `checkInterval` (InfluxDB's run-interval,
/// 1 s) it asks the runner for due windows, on a thread of its own so a long CQ never holds
/// up queries or ingest. Each window run is logged; failures with their error.
///
/// In the ServiceGroup it comes after the store's maintenance service, so graceful shutdown
/// stops it before the store closes.
struct ContinuousQueryService: Service {
    let runner: ContinuousQueryRunner
    let checkInterval: Duration
    let logger: Logger
    let now: @Sendable () -> Int64

    init(runner: ContinuousQueryRunner, checkInterval: Duration = .seconds(1), logger: Logger,
         now: @escaping @Sendable () -> Int64 = StoreMaintenanceService.wallClock) {
        self.runner = runner
        self.checkInterval = checkInterval
        self.logger = logger
        self.now = now
    }

    func run() async throws {
        let (runner, logger, now, checkInterval) = (self.runner, self.logger, self.now, self.checkInterval)
        let threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let reports = try await threadPool.runIfActive { runner.tick(now: now()) }
                    for r in reports {
                        let metadata: Logger.Metadata = [
                            "database": "\(r.database)", "cq": "\(r.name)",
                            "window": "\(r.windowText)",
                        ]
                        if let error = r.error {
                            logger.error("continuous query failed", metadata: metadata.merging(["error": "\(error)"]) { a, _ in a })
                        } else {
                            logger.info("continuous query ran", metadata: metadata.merging(["written": "\(r.written ?? 0)"]) { a, _ in a })
                        }
                    }
                } catch {
                    break
                }
                do { try await Task.sleep(for: checkInterval) } catch { break }
            }
        }
        try? await threadPool.shutdownGracefully()
    }
}
