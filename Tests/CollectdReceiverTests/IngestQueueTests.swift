import Testing
import TimeSeries

@testable import CollectdReceiver

@Suite struct IngestQueueTests {
    static func batch(_ n: Int, start: Int64 = 0) -> IngestBatch {
        IngestBatch(points: (0..<n).map { Point(measurement: "m", fields: [Field("value", .float(1))], time: start + Int64($0)) }, values: n)
    }

    @Test func batchesComeOutMergedInOrder() async {
        let queue = IngestQueue(capacity: 100)
        #expect(queue.offer(Self.batch(3, start: 0)))
        #expect(queue.offer(Self.batch(2, start: 10)))
        #expect(queue.depth == 5)
        let merged = await queue.next()
        #expect(merged?.points.map(\.time) == [0, 1, 2, 10, 11])
        #expect(merged?.values == 5)
        #expect(queue.depth == 0)
    }

    @Test func aFullQueueRefusesWithoutWaiting() {
        let queue = IngestQueue(capacity: 5)
        #expect(queue.offer(Self.batch(4)))
        #expect(!queue.offer(Self.batch(2)))
        #expect(queue.offer(Self.batch(1)))
        #expect(queue.depth == 5)
    }

    @Test func anEmptyQueueTakesABatchLargerThanItsCapacity() {
        let queue = IngestQueue(capacity: 5)
        #expect(queue.offer(Self.batch(8)))
        #expect(!queue.offer(Self.batch(1)))
    }

    @Test func finishDrainsThenEnds() async {
        let queue = IngestQueue(capacity: 10)
        #expect(queue.offer(Self.batch(2)))
        queue.finish()
        #expect(!queue.offer(Self.batch(1)))
        #expect(await queue.next()?.points.count == 2)
        #expect(await queue.next() == nil)
    }

    @Test func aWaitingConsumerGetsTheNextBatch() async {
        let queue = IngestQueue(capacity: 10)
        async let received = queue.next()
        // The consumer may or may not be suspended yet; both paths must deliver.
        #expect(queue.offer(Self.batch(3)))
        let batch = await received
        #expect(batch?.points.count == 3)
    }

    @Test func aWaitingConsumerEndsAtFinish() async {
        let queue = IngestQueue(capacity: 10)
        async let received = queue.next()
        queue.finish()
        #expect(await received == nil)
    }
}

extension IngestBatch: Equatable {
    public static func == (a: IngestBatch, b: IngestBatch) -> Bool { a.points == b.points && a.values == b.values && a.notifications == b.notifications }
}
