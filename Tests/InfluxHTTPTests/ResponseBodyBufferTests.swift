import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import QueryEngine
import Testing
import TestSupport
import TimeSeries
@testable import InfluxHTTP

/// A JSON answer written straight into the response buffer (gzipped or not, `bodyTarget`) is the
/// answer encoded into an array, byte for byte, once unzipped.
@Suite struct ResponseBodyBufferTests {
    static let statements = ChunkedStreamTests.queries + [
        "SHOW TAG VALUES FROM m WITH KEY = host", "SHOW SERIES", "SELECT value FROM m; SELECT counter FROM nothing", "SELECT bad syntax",
    ]

    @Test func bufferedAnswersAreTheArrayAnswers() throws {
        let engine = EngineQueries(executor: QueryExecutor(store: try ChunkedStreamTests.store(seed: 2)))
        for q in Self.statements {
            for epoch in ["ms", nil] as [String?] {
                let request = QueryRequest(query: q, database: "db", epoch: epoch)
                let array = try #require(engine.respondNow(request, inline: false)).reply
                #expect(array.buffer == nil)
                for gzip in [false, true] {
                    var buffered = request
                    buffered.bodyTarget = .buffer(gzip: gzip)
                    let reply = try #require(engine.respondNow(buffered, inline: false)).reply
                    #expect(reply.status == array.status, "\(q)")
                    #expect(reply.plainBody == array.body, "\(q) gzip \(gzip)")
                    // Parse errors (400) keep their small array body.
                    #expect(reply.buffer != nil || reply.status != 200, "\(q)")
                    #expect(reply.gzipped == (gzip && reply.status == 200), "\(q)")
                }
            }
        }
    }

    /// Pieces of every size gathered and compressed whole, or through one pooled zlib stream once
    /// past the limit, the stream then reused for the next body.
    @Test func gzipPiecesMakeOneMemberAndTheStreamIsReused() throws {
        let pool = GzipPool(capacity: 1)
        var rng = SeededGenerator(seed: 7)
        // Rounds 3 and 4 pass the whole-body limit on the way: what was gathered goes through
        // the zlib stream, and the rest after it.
        for round in 0..<5 {
            var plain: [UInt8] = []
            let sink = ResponseBodyBuffer(gzip: true, pool: pool, wholeLimit: round < 3 ? ResponseBodyBuffer.defaultWholeLimit : [4096, 100_000][round - 3])
            for size in [0, 1, 17, 4096, 32 * 1024, 200_000, 3] {
                let piece = (0..<size).map { _ in UInt8(ascii: "0") + UInt8(rng.next() % (round == 1 ? 2 : 10)) }
                plain += piece
                piece.withUnsafeBytes { sink.write($0) }
            }
            let body = try #require(sink.finish())
            #expect(Array(try body.gunzipped().readableBytesView) == plain)
        }
    }

    /// Through the server, with `Accept-Encoding: gzip` as Grafana sends it, and without.
    @Test func servedAnswersUnzipToThePlainOnes() async throws {
        let engine = EngineQueries(executor: QueryExecutor(store: try ChunkedStreamTests.store(seed: 3)))
        try await Harness(queries: engine).run { client async throws in
            for q in ["SELECT * FROM m", "SELECT mean(value) FROM m WHERE time >= 0s AND time < 10m GROUP BY time(1m), *"] {
                let uri = "/query?db=db&epoch=ms&q=" + q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let plain = try await client.execute(uri: uri, method: .get)
                #expect(plain.headers[.contentEncoding] == nil)
                let zipped = try await client.execute(uri: uri, method: .get, headers: [.acceptEncoding: "gzip"])
                #expect(zipped.headers[.contentEncoding] == "gzip")
                #expect(String(buffer: try zipped.body.gunzipped()) == String(buffer: plain.body))
                #expect(String(buffer: plain.body).hasPrefix(#"{"results":[{"statement_id":0,"series":[{"name":"m""#))
            }
        }
    }

    /// The event loop's lane: inline answers and thread-pool answers alike.
    @Test func laneAnswersUnzipToThePlainOnes() async throws {
        let engine = EngineQueries(executor: QueryExecutor(store: try ChunkedStreamTests.store(seed: 4)))
        let responder = FastLaneTests.responder(queries: engine)
        for q in ["SELECT * FROM m", "SELECT mean(value) FROM m WHERE time >= 0s AND time < 10m GROUP BY time(1m), *", "SHOW TAG KEYS"] {
            var bodies: [String] = []
            for gzip in [false, true] {
                let target = "/query?db=db&epoch=ms&q=" + q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let request = FastLaneTests.get(target, headers: gzip ? [.acceptEncoding: "gzip"] : [:])
                let answer: (HTTPResponse, ByteBuffer)
                switch responder.answerNow(request, date: "d", on: MultiThreadedEventLoopGroup.singleton.next()) {
                case .declined: Issue.record("declined \(q)"); return
                case .now(let a): answer = a
                case .later(let future): answer = try await future.get()
                }
                #expect(answer.0.headerFields[.contentEncoding] == (gzip ? "gzip" : nil), "\(q)")
                #expect(answer.0.headerFields[.contentLength] == String(answer.1.readableBytes))
                bodies.append(String(buffer: gzip ? try answer.1.gunzipped() : answer.1))
            }
            #expect(bodies[0] == bodies[1], "\(q)")
            #expect(bodies[0].hasPrefix(#"{"results":[{"statement_id":0,"series":["#), "\(q)")
        }
    }
}
