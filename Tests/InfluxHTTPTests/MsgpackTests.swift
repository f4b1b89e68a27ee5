import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TimeSeries
@testable import InfluxHTTP

/// `Accept: application/x-msgpack` (influxdb-python 5.3, Debian's python3-influxdb, asks for it on
/// every request): answers byte for byte as InfluxDB 1.6.7 gave them for the same points
/// (recorded with its HTTP API; times as extension 5, integers in their smallest signed form,
/// floats as float64, failed statements as `{"error"}` alone, chunks back to back).
@Suite struct MsgpackTests {
    static let points = """
        mp,host=a,dc=x f=1.5,i=3i,s="str",b=true 1000000000
        mp,host=a,dc=x f=2,i=-300i,b=false 2000000000
        mp,host=b f=1e300,i=70000i,s="" 3000000123
        mp,host=b i=5000000000i 4000000000
        neg v=1 -1
        """

    /// (query, extra parameters, status, body in hex) from influxd 1.6.7.
    static let recorded: [(String, String, Int, String)] = [
        ("SELECT * FROM mp", "", 200, "81a7726573756c74739182ac73746174656d656e745f696400a67365726965739183a46e616d65a26d70a7636f6c756d6e7397a474696d65a162a26463a166a4686f7374a169a173a676616c7565739497c70c05000000000000000100000000c3a178cb3ff8000000000000a16103a373747297c70c05000000000000000200000000c2a178cb4000000000000000a161d1fed4c097c70c0500000000000000030000007bc0c0cb7e37e43c8800759ca162d200011170a097c70c05000000000000000400000000c0c0c0a162d3000000012a05f200c0"),
        ("SELECT * FROM mp", "epoch=ms&", 200, "81a7726573756c74739182ac73746174656d656e745f696400a67365726965739183a46e616d65a26d70a7636f6c756d6e7397a474696d65a162a26463a166a4686f7374a169a173a676616c7565739497d103e8c3a178cb3ff8000000000000a16103a373747297d107d0c2a178cb4000000000000000a161d1fed4c097d10bb8c0c0cb7e37e43c8800759ca162d200011170a097d10fa0c0c0c0a162d3000000012a05f200c0"),
        ("SELECT mean(f), sum(i) FROM mp GROUP BY host", "", 200, "81a7726573756c74739182ac73746174656d656e745f696400a67365726965739284a46e616d65a26d70a47461677381a4686f7374a161a7636f6c756d6e7393a474696d65a46d65616ea373756da676616c7565739193c70c05000000000000000000000000cb3ffc000000000000d1fed784a46e616d65a26d70a47461677381a4686f7374a162a7636f6c756d6e7393a474696d65a46d65616ea373756da676616c7565739193c70c05000000000000000000000000cb7e37e43c8800759cd3000000012a070370"),
        ("SELECT * FROM nope", "", 200, "81a7726573756c74739182ac73746174656d656e745f696400a673657269657390"),
        ("SELEC x", "", 400, "81a56572726f72d9896572726f722070617273696e672071756572793a20666f756e642053454c45432c2065787065637465642053454c4543542c2044454c4554452c2053484f572c204352454154452c2044524f502c204558504c41494e2c204752414e542c205245564f4b452c20414c5445522c205345542c204b494c4c206174206c696e6520312c20636861722031"),
        ("SELECT * FROM mp; SHOW TAG KEYS ON nodb", "", 200, "81a7726573756c74739282ac73746174656d656e745f696400a67365726965739183a46e616d65a26d70a7636f6c756d6e7397a474696d65a162a26463a166a4686f7374a169a173a676616c7565739497c70c05000000000000000100000000c3a178cb3ff8000000000000a16103a373747297c70c05000000000000000200000000c2a178cb4000000000000000a161d1fed4c097c70c0500000000000000030000007bc0c0cb7e37e43c8800759ca162d200011170a097c70c05000000000000000400000000c0c0c0a162d3000000012a05f200c081a56572726f72b86461746162617365206e6f7420666f756e643a206e6f6462"),
        ("SELECT i FROM mp WHERE i < 0 OR i > 100", "epoch=ns&", 200, "81a7726573756c74739182ac73746174656d656e745f696400a67365726965739183a46e616d65a26d70a7636f6c756d6e7392a474696d65a169a676616c7565739392d277359400d1fed492d300000000b2d05e7bd20001117092d300000000ee6b2800d3000000012a05f200"),
        ("SELECT * FROM mp", "chunked=true&chunk_size=2&", 200, "81a7726573756c74739183ac73746174656d656e745f696400a67365726965739184a46e616d65a26d70a7636f6c756d6e7397a474696d65a162a26463a166a4686f7374a169a173a676616c7565739297c70c05000000000000000100000000c3a178cb3ff8000000000000a16103a373747297c70c05000000000000000200000000c2a178cb4000000000000000a161d1fed4c0a77061727469616cc3a77061727469616cc381a7726573756c74739182ac73746174656d656e745f696400a67365726965739183a46e616d65a26d70a7636f6c756d6e7397a474696d65a162a26463a166a4686f7374a169a173a676616c7565739297c70c0500000000000000030000007bc0c0cb7e37e43c8800759ca162d200011170a097c70c05000000000000000400000000c0c0c0a162d3000000012a05f200c0"),
        ("SELECT mean(f) FROM mp WHERE time >= 0 AND time < 4s GROUP BY time(1s)", "", 200, "81a7726573756c74739182ac73746174656d656e745f696400a67365726965739183a46e616d65a26d70a7636f6c756d6e7392a474696d65a46d65616ea676616c7565739492c70c05000000000000000000000000c092c70c05000000000000000100000000cb3ff800000000000092c70c05000000000000000200000000cb400000000000000092c70c05000000000000000300000000cb7e37e43c8800759c"),
        ("SELECT v FROM neg", "", 200, "81a7726573756c74739182ac73746174656d656e745f696400a67365726965739183a46e616d65a36e6567a7636f6c756d6e7392a474696d65a176a676616c7565739192c70c05ffffffffffffffff3b9ac9ffcb3ff0000000000000"),
        ("SELECT * FROM mp LIMIT 1; CREATE DATABASE collectd", "", 200, "81a7726573756c74739282ac73746174656d656e745f696400a67365726965739183a46e616d65a26d70a7636f6c756d6e7397a474696d65a162a26463a166a4686f7374a169a173a676616c7565739197c70c05000000000000000100000000c3a178cb3ff8000000000000a16103a373747283ac73746174656d656e745f696401a86d657373616765739182a56c6576656ca77761726e696e67a474657874d9666465707265636174656420757365206f66202743524541544520444154414241534520636f6c6c656374642720696e20612072656164206f6e6c7920636f6e746578742c20706c6561736520757365206120504f5354207265717565737420696e7374656164a673657269657390"),
        ("SHOW TAG VALUES FROM mp WITH KEY = host", "", 200, "81a7726573756c74739182ac73746174656d656e745f696400a67365726965739183a46e616d65a26d70a7636f6c756d6e7392a36b6579a576616c7565a676616c7565739292a4686f7374a16192a4686f7374a162"),
        ("SELECT -1 * i FROM mp", "epoch=ns&", 200, "81a7726573756c74739182ac73746174656d656e745f696400a67365726965739183a46e616d65a26d70a7636f6c756d6e7392a474696d65a169a676616c7565739492d23b9aca00fd92d277359400d1012c92d300000000b2d05e7bd2fffeee9092d300000000ee6b2800d3fffffffed5fa0e00"),
        ("SELECT i * 100000 FROM mp", "epoch=u&", 200, "81a7726573756c74739182ac73746174656d656e745f696400a67365726965739183a46e616d65a26d70a7636f6c756d6e7392a474696d65a169a676616c7565739492d2000f4240d2000493e092d2001e8480d2fe363c8092d2002dc6c0d300000001a13b860092d2003d0900d30001c6bf52634000"),
    ]

    static func fetch(_ port: Int, _ path: String, method: String = "GET", body: Data? = nil, accept: String) async throws -> (Int, String?, Data) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.httpBody = body
        request.setValue(accept, forHTTPHeaderField: "Accept")
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        return (http.statusCode, http.value(forHTTPHeaderField: "Content-Type"), data)
    }

    static func hex(_ data: Data) -> String { data.map { String(format: "%02x", $0) }.joined() }

    @Test func answersAsInfluxDB167() async throws {
        try await LiveServer.with { server in
            let msgpack = "application/x-msgpack"
            let (created, _, _) = try await Self.fetch(server.port, "/query?q=CREATE%20DATABASE%20collectd", method: "POST", accept: msgpack)
            #expect(created == 200)
            let (written, _, _) = try await Self.fetch(server.port, "/write?db=collectd", method: "POST", body: Data(Self.points.utf8), accept: msgpack)
            #expect(written == 204)
            for (query, extra, status, body) in Self.recorded {
                let q = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let (code, type, data) = try await Self.fetch(server.port, "/query?db=collectd&\(extra)q=\(q)", accept: msgpack)
                #expect(code == status, "\(query) \(extra)")
                #expect(type == msgpack, "\(query)")
                #expect(Self.hex(data) == body, "\(query) \(extra)")
            }
            // Errors of /write too, as InfluxDB writes every error through its response formatter.
            let (refused, type, data) = try await Self.fetch(server.port, "/write?db=collectd", method: "POST", body: Data("bad line".utf8), accept: msgpack)
            #expect(refused == 400 && type == msgpack)
            #expect(Self.hex(data) == "81a56572726f72d93075" + Self.hex(Data("nable to parse 'bad line': invalid field format".utf8)))
            // Accept is compared whole, as 1.6.7 compares it: anything else is JSON.
            for other in ["application/x-msgpack, application/json", "APPLICATION/X-MSGPACK", "text/csv; charset=utf-8"] {
                let (_, type, _) = try await Self.fetch(server.port, "/query?db=collectd&q=SHOW%20DATABASES", accept: other)
                #expect(type == "application/json", "\(other)")
            }
        }
    }
}
