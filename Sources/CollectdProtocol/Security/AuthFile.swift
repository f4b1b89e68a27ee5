import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// collectd's auth file: one `user: password` per line (`#` comments and blank lines are
/// ignored). The file is read at init and read again when its modification time changes,
/// as collectd does.
public final class AuthFile: Sendable {
    public let path: String

    private struct State {
        var modification: Modification
        var passwords: [String: String]
    }

    private struct Modification: Equatable {
        var seconds: Int
        var nanoseconds: Int
        var size: Int
    }

    private let state: Mutex<State>

    /// Reads the file.
    /// - Throws: `CollectdProtocolError.unreadableFile` when it cannot be read.
    public init(path: String) throws {
        self.path = path
        guard let modification = Self.modification(of: path) else {
            throw CollectdProtocolError.unreadableFile(path: path, reason: "no such file")
        }
        let passwords = try Self.read(path: path)
        state = Mutex(State(modification: modification, passwords: passwords))
    }

    /// The password of `user`, or `nil` when the user is not listed. Re-reads the file
    /// first if it changed; if it became unreadable the previous contents stay in use.
    public func password(for user: String) -> String? {
        let current = Self.modification(of: path)
        return state.withLock { state in
            if let current, current != state.modification,
                let passwords = try? Self.read(path: path)
            {
                state.modification = current
                state.passwords = passwords
            }
            return state.passwords[user]
        }
    }

    /// Users listed in the file (as last read).
    public var users: [String] {
        state.withLock { $0.passwords.keys.sorted() }
    }

    /// Parses auth-file text: `user: password`; whitespace around the user and before the
    /// password is ignored, the password runs to the end of the line.
    public static func parse(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = rawLine.drop(while: { $0 == " " || $0 == "\t" })
            guard !line.isEmpty, !line.hasPrefix("#"), let colon = line.firstIndex(of: ":") else {
                continue
            }
            let user = line[..<colon].trimmingCharacters(in: .whitespaces)
            var password = line[line.index(after: colon)...].drop(while: { $0 == " " || $0 == "\t" })
            while password.last == "\r" { password = password.dropLast() }
            guard !user.isEmpty else { continue }
            result[user] = String(password)
        }
        return result
    }

    private static func read(path: String) throws -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CollectdProtocolError.unreadableFile(path: path, reason: "cannot read")
        }
        return parse(String(decoding: data, as: UTF8.self))
    }

    private static func modification(of path: String) -> Modification? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
        return Modification(
            seconds: Int(info.st_mtimespec.tv_sec), nanoseconds: Int(info.st_mtimespec.tv_nsec),
            size: Int(info.st_size))
        #else
        return Modification(
            seconds: Int(info.st_mtim.tv_sec), nanoseconds: Int(info.st_mtim.tv_nsec), size: Int(info.st_size))
        #endif
    }
}
