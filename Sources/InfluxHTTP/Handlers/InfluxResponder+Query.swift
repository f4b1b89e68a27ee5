import Foundation
import InfluxQL
import Hummingbird
import QueryEngine
import TimeSeries

extension InfluxResponder {
    /// `GET|POST /query`: parameters from the URL and, for POST forms, the body.
    func query(_ request: inout Request) async -> Reply {
        if request.method == .options { return .preflight }
        guard request.method == .get || request.method == .post else { return .methodNotAllowed(allow: "OPTIONS, GET, POST") }
        let format = Self.format(accept: request.headers[.accept])
        var form: [UInt8]?
        var rawQuery: String?
        if request.method == .post, let kind = QueryBody(contentType: request.headers[.contentType]) {
            switch await readBody(&request) {
            case .success(let bytes):
                (form, rawQuery) = kind.read(bytes)
            case .failure(let error):
                return error.reply
            }
        }
        let params = Parameters(query: request.uri.query, form: form)
        let (denied, caller) = await authenticate(request, params)
        if let denied { return denied }
        var q: QueryRequest
        switch Self.queryRequest(params: params, rawQuery: rawQuery, format: format, caller: caller, readOnly: request.method == .get) {
        case .success(let built): q = built
        case .failure(let error): return error.reply
        }
        q.bodyTarget = .buffer(gzip: Self.acceptsGzip(request.headers[.acceptEncoding]))
        let started = ContinuousClock.now
        let (result, chunks) = await queries.respond(q)
        metrics.recordQuery(duration: ContinuousClock.now - started, status: result.status)
        var reply = Self.queryReply(result, format: format)
        reply.chunks = chunks
        return reply
    }

    /// A query's answer as a reply in the requested format.
    static func queryReply(_ answer: QueryReply, format: QueryRequest.Format) -> Reply {
        Reply(status: answer.status, contentType: contentType(format), body: answer.body,
              buffer: answer.buffer, gzipped: answer.gzipped, headers: Reply.errorHeader(answer.error))
    }

    /// What a POSTed `/query` body is, by its content type; nil for a body that is not read.
    enum QueryBody {
        /// `application/x-www-form-urlencoded`: parameters, added to the URL's.
        case form
        /// `application/vnd.influxql`: the query itself.
        case influxQL
        /// `multipart/form-data` with this boundary (`curl -F "q=@queries.txt"`): fields, added
        /// to the URL's, and a file `q` as the query when no field `q` is given.
        case multipart(boundary: String)

        init?(contentType: String?) {
            let type = contentType?.lowercased() ?? ""
            if type.hasPrefix("application/x-www-form-urlencoded") {
                self = .form
            } else if type.hasPrefix("application/vnd.influxql") {
                self = .influxQL
            } else if let boundary = MultipartForm.boundary(contentType: contentType) {
                self = .multipart(boundary: boundary)
            } else {
                return nil
            }
        }

        /// The form or the query text the body holds. A malformed multipart body adds nothing
        /// (InfluxDB then finds no `q`).
        func read(_ bytes: [UInt8]) -> (form: [UInt8]?, rawQuery: String?) {
            switch self {
            case .form: (bytes, nil)
            case .influxQL: (nil, String(decoding: bytes, as: UTF8.self))
            case .multipart(let boundary): (MultipartForm.parse(bytes, boundary: boundary).map(MultipartForm.form), nil)
            }
        }
    }

    /// The query a `/query` request asks for, from its parameters (URL and form) or its
    /// `application/vnd.influxql` body; the 400 reply when `q` is missing.
    static func queryRequest(params: Parameters, rawQuery: String?, format: QueryRequest.Format, caller: Caller, readOnly: Bool) -> Result<QueryRequest, ReplyError> {
        // As InfluxDB: the text without surrounding white space (parse errors count from there);
        // only white space is no query.
        let text = InfluxQLParser.trimmingSpace(rawQuery ?? params["q"] ?? "")
        guard !text.isEmpty else {
            return .failure(ReplyError(queryError(400, "missing required parameter \"q\"", format: format)))
        }
        var bound: [String: BoundParameter] = [:]
        if let raw = params.nonEmpty("params") {
            switch BoundParameters.decode(raw) {
            case .success(let values): bound = values
            case .failure(let refusal): return .failure(ReplyError(queryError(400, refusal.message, format: format)))
            }
        }
        var request = QueryRequest(
            query: text,
            database: params.nonEmpty("db"),
            retentionPolicy: params.nonEmpty("rp"),
            epoch: params.nonEmpty("epoch"),
            format: format,
            pretty: params.flag("pretty"),
            chunked: params.flag("chunked"),
            // As InfluxDB: a size that is not a positive integer means the default.
            chunkSize: params.nonEmpty("chunk_size").flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil },
            user: caller.user?.name,
            authorization: caller.authorization,
            readOnly: readOnly
        )
        request.params = bound
        return .success(request)
    }

    /// A refused query in CSV, or as `{"error": …}` (which `Reply.formatted` writes in MessagePack
    /// when the client asks for it).
    static func queryError(_ status: Int, _ message: String, format: QueryRequest.Format) -> Reply {
        format == .csv ? Reply(status: status, contentType: "text/csv", body: JSONText.csvError(message), headers: Reply.errorHeader(message))
            : .error(status, message)
    }

    /// The answer's format by `Accept`, compared whole as InfluxDB 1.6.7 compares it:
    /// `application/csv` or `text/csv` select CSV, `application/x-msgpack` MessagePack, anything
    /// else (a list, parameters, another case) JSON.
    static func format(accept: String?) -> QueryRequest.Format {
        switch accept {
        case "application/csv", "text/csv": .csv
        case Self.msgpackType: .msgpack
        default: .json
        }
    }

    static let msgpackType = "application/x-msgpack"

    static func contentType(_ format: QueryRequest.Format) -> String {
        switch format {
        case .json: "application/json"
        case .csv: "text/csv"
        case .msgpack: msgpackType
        }
    }
}
