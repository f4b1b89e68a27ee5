import Dispatch
import Testing
import TimeSeries

@testable import CollectdReceiver

@Suite struct IngestQueueTests {
    static let row = ColumnBatch.bytesPerRow

    /// `nextBlocking` on a thread of its own, as the store writer calls it.
    static func next(_ queue: IngestQueue) async -> [IngestBatch] {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: queue.nextBlocking()) }
        }
    }

    static func batch(_ n: Int, start: Int64 = 0) -> IngestBatch {
        var rows = ColumnBatch()
        for i in 0..<n { rows.append(FieldRef(database: 1, slot: 0), time: start + Int64(i), float: 1) }
        return IngestBatch(rows: rows, values: n)
    }

    @Test func batchesComeOutInOrder() async {
        let queue = IngestQueue(capacity: 100 * Self.row)
        #expect(queue.offer(Self.batch(3, start: 0)))
        #expect(queue.offer(Self.batch(2, start: 10)))
        #expect(queue.depth == 5)
        #expect(queue.depthBytes == 5 * Self.row)
        let batches = await Self.next(queue)
        #expect(batches.flatMap(\.rows.times) == [0, 1, 2, 10, 11])
        #expect(batches.map(\.values) == [3, 2])
        #expect(queue.depth == 0)
        #expect(queue.depthBytes == 0)
    }

    @Test func aFullQueueRefusesWithoutWaiting() {
        let queue = IngestQueue(capacity: 5 * Self.row)
        #expect(queue.offer(Self.batch(4)))
        #expect(!queue.offer(Self.batch(2)))
        #expect(queue.offer(Self.batch(1)))
        #expect(queue.depth == 5)
    }

    @Test func anEmptyQueueTakesABatchLargerThanItsCapacity() {
        let queue = IngestQueue(capacity: 5 * Self.row)
        #expect(queue.offer(Self.batch(8)))
        #expect(!queue.offer(Self.batch(1)))
    }

    @Test func finishDrainsThenEnds() async {
        let queue = IngestQueue(capacity: 10 * Self.row)
        #expect(queue.offer(Self.batch(2)))
        queue.finish()
        #expect(!queue.offer(Self.batch(1)))
        #expect(await Self.next(queue).map(\.rows.count) == [2])
        #expect(await Self.next(queue).isEmpty)
    }

    @Test func aWaitingConsumerGetsTheNextBatch() async {
        let queue = IngestQueue(capacity: 10 * Self.row)
        async let received = Self.next(queue)
        // The consumer may or may not be suspended yet; both paths must deliver.
        #expect(queue.offer(Self.batch(3)))
        let batches = await received
        #expect(batches.map(\.rows.count) == [3])
    }

    @Test func aWaitingConsumerEndsAtFinish() async {
        let queue = IngestQueue(capacity: 10 * Self.row)
        async let received = Self.next(queue)
        queue.finish()
        #expect(await received.isEmpty)
    }

    @Test func recycledBatchesComeBackEmptyWithTheirCapacity() async {
        let queue = IngestQueue(capacity: 100 * Self.row)
        #expect(queue.offer(Self.batch(50)))
        var batches = await Self.next(queue)
        queue.recycle(&batches)
        let reused = queue.emptyBatch()
        #expect(reused.isEmpty)
        #expect(reused.rows.refs.capacity >= 50)
    }
}
