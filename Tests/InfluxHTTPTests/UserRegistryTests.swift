import Foundation
import InfluxQL
import QueryEngine
import Testing
@testable import InfluxHTTP

/// The InfluxQL users' file and the auth-file admins beside them.
@Suite struct UserRegistryTests {
    static func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("collectlite-users-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func usersGrantsAndPasswordsSurviveReopening() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try UserRegistry(directory: dir, rounds: 1000)
        try first.createUser(name: "admin", password: "a", admin: true)
        try first.createUser(name: "two words/é", password: "p w", admin: false)
        try first.setPrivilege(user: "two words/é", database: "my db", privilege: .read)
        try first.setPrivilege(user: "two words/é", database: "", privilege: .none)
        try first.setPassword(user: "admin", password: "b")

        let reopened = try UserRegistry(directory: dir, rounds: 1000)
        #expect(reopened.users() == first.users())
        #expect(reopened.users().map(\.name) == ["admin", "two words/é"])
        #expect(reopened.user(named: "two words/é")?.privileges == ["my db": .read, "": Privilege.none])
        #expect(reopened.authenticate(name: "admin", password: "b")?.admin == true)
        #expect(reopened.authenticate(name: "admin", password: "a") == nil)
        #expect(reopened.authenticate(name: "two words/é", password: "p w") != nil)
        #expect(reopened.adminExists)

        try reopened.removeDatabase("my db")
        try reopened.dropUser(name: "admin")
        let again = try UserRegistry(directory: dir, rounds: 1000)
        #expect(again.users() == [UserInfo(name: "two words/é", admin: false, privileges: ["": Privilege.none])])
        #expect(!again.adminExists)
    }

    @Test func authFileUsersAreAdminsManagedInTheFile() throws {
        var file = UserFile()
        try file.add(name: "ops", hash: PasswordHash(password: "pw", rounds: 1000))
        let registry = try UserRegistry(directory: nil, fileUsers: file, rounds: 1000)
        try registry.createUser(name: "viewer", password: "v", admin: false)
        #expect(registry.users() == [UserInfo(name: "ops", admin: true), UserInfo(name: "viewer", admin: false)])
        #expect(registry.adminExists)
        #expect(registry.authenticate(name: "ops", password: "pw")?.admin == true)
        #expect(throws: QueryError("user already exists")) { try registry.createUser(name: "ops", password: "pw", admin: true) }
        #expect(throws: QueryError.self) { try registry.dropUser(name: "ops") }
        #expect(throws: QueryError.self) { try registry.setAdmin(user: "ops", admin: false) }
        try registry.setAdmin(user: "ops", admin: true)
    }

    @Test func aDamagedFileIsAnErrorNamingTheLine() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "# x\nuser bob 2 nohash\n".write(toFile: dir + "/" + UserRegistry.fileName, atomically: true, encoding: .utf8)
        #expect(throws: InfluxHTTPError.authFile(path: dir + "/influxql-users",
                                                 reason: "line 2: expected `user NAME 0|1 HASH` or `grant NAME DATABASE 0-3`")) {
            _ = try UserRegistry(directory: dir)
        }
    }

    @Test(arguments: ["", "plain", "a b", "%", "é/ü\n"])
    func percentEncodingRoundTrips(_ text: String) {
        let encoded = Percent.encode(text)
        #expect(!encoded.contains(" ") && !encoded.contains("\n") && !encoded.isEmpty)
        #expect(Percent.decode(encoded) == text)
    }
}
