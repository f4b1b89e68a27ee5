import Foundation
import Testing

@testable import CollectdProtocol

@Suite("TypesDB")
struct TypesDBTests {
    static let reference = "/usr/share/collectd/types.db"

    @Test("the generated Swift source holds exactly typesdb/types.db")
    func embeddedInSync() throws {
        let file = try String(contentsOf: Repo.root.appendingPathComponent("typesdb/types.db"), encoding: .utf8)
        #expect(TypesDB.embeddedText + "\n" == file, "run typesdb/generate.sh")
    }

    @Test("our types.db defines collectd 5.12's types with identical data sources")
    func matchesCollectdReference() throws {
        guard FileManager.default.fileExists(atPath: Self.reference) else {
            #expect(!Repo.isCI, "\(Self.reference) is missing; CI must install collectd-core")
            return
        }
        var reference = TypesDB()
        try reference.load(path: Self.reference)
        let ours = TypesDB.embedded
        #expect(ours.names == reference.names)
        for name in reference.names {
            #expect(ours[name] == reference[name], "type \(name)")
        }
        #expect(ours.count == 366)
    }

    @Test("well-known types")
    func wellKnown() {
        let db = TypesDB.embedded
        #expect(db["if_octets"] == [
            DataSource(name: "rx", kind: .derive, min: 0, max: nil),
            DataSource(name: "tx", kind: .derive, min: 0, max: nil),
        ])
        #expect(db["load"]?.map(\.name) == ["shortterm", "midterm", "longterm"])
        #expect(db["load"]?.first?.max == 5000)
        #expect(db["absolute"]?.first?.kind == .absolute)
        #expect(db["processes"] == nil)
        #expect(db.names == db.names.sorted())
    }

    @Test("syntax: comments, blanks, commas, case-insensitive kinds, U, later definitions win")
    func syntax() throws {
        var db = TypesDB()
        try db.load(
            text: """
                # a comment
                   # indented comment

                a\tx:gauge:U:U
                b   r:Derive:0:U, w:COUNTER:-1.5:1e3,
                c x:absolute:0:U,y:GAUGE:0:100
                a   y:DERIVE:0:10\r
                """, file: "t.db")
        #expect(db.count == 3)
        #expect(db["a"] == [DataSource(name: "y", kind: .derive, min: 0, max: 10)])
        #expect(db["b"] == [
            DataSource(name: "r", kind: .derive, min: 0, max: nil),
            DataSource(name: "w", kind: .counter, min: -1.5, max: 1000),
        ])
        #expect(db["c"]?.map(\.kind) == [.absolute, .gauge])
    }

    @Test(
        "malformed lines are errors with file, line and reason",
        arguments: [
            ("ok value:GAUGE:0:U\nlonely\n", 2, "has no data sources"),
            ("x value:GAUGE:0\n", 1, "is not name:KIND:min:max"),
            ("x value:GAUGE:0:U:1\n", 1, "is not name:KIND:min:max"),
            ("\n\nx value:TEXT:0:U\n", 3, "unknown kind \"TEXT\""),
            ("x value:GAUGE:zero:U\n", 1, "bad minimum \"zero\""),
            ("x value:GAUGE:0:many\n", 1, "bad maximum \"many\""),
            ("x :GAUGE:0:U\n", 1, "empty name"),
        ])
    func errors(text: String, line: Int, reason: String) {
        var db = TypesDB()
        #expect {
            try db.load(text: text, file: "extra.db")
        } throws: { error in
            guard case .typesDB(let file, let l, let r) = error as? CollectdProtocolError else { return false }
            return file == "extra.db" && l == line && r.contains(reason)
                && "\(error)".hasPrefix("extra.db:\(line): ")
        }
    }

    @Test("files and directories load recursively over the embedded set")
    func loadPaths() throws {
        let top = try TemporaryFile("if_octets rx:GAUGE:0:U\n", name: "a.db")
        let directory = (top.path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory + "/sub/deeper", withIntermediateDirectories: true)
        try "mytype a:GAUGE:0:U, b:DERIVE:0:U\n".write(toFile: directory + "/sub/deeper/b.db", atomically: false, encoding: .utf8)
        try "not valid\n".write(toFile: directory + "/.hidden", atomically: false, encoding: .utf8)
        var db = TypesDB.embedded
        try db.load(path: directory)
        #expect(db.count == TypesDB.embedded.count + 1)
        #expect(db["mytype"]?.count == 2)
        #expect(db["if_octets"] == [DataSource(name: "rx", kind: .gauge, min: 0, max: nil)])

        try "broken line here\n".write(toFile: directory + "/sub/c.db", atomically: false, encoding: .utf8)
        #expect(throws: CollectdProtocolError.self) { try db.load(path: directory) }
        #expect(throws: CollectdProtocolError.unreadableFile(path: directory + "/missing", reason: "no such file or directory")) {
            try db.load(path: directory + "/missing")
        }
    }

    @Test("text output parses back to the same definitions")
    func textRoundTrip() throws {
        var again = TypesDB()
        try again.load(text: TypesDB.embedded.text, file: "out")
        for name in TypesDB.embedded.names {
            #expect(again[name] == TypesDB.embedded[name], "type \(name)")
        }
    }
}
