#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The `--http-auth-file`: one user a line, `name:<PasswordHash.encoded>`; `#` comments.
public struct UserFile: Sendable, Hashable {
    public private(set) var users: [String: PasswordHash]
    private var order: [String]

    public init() {
        users = [:]
        order = []
    }

    /// Parses file text; a malformed line is an error naming its line number.
    public init(text: String, path: String = "<auth file>") throws(InfluxHTTPError) {
        self.init()
        var number = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let trimmed = line.trimmingASCIIWhitespace
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let colon = trimmed.firstIndex(of: ":"),
                  let hash = PasswordHash(encoded: trimmed[trimmed.index(after: colon)...]) else {
                throw .authFile(path: path, reason: "line \(number): expected name:pbkdf2-sha256$rounds$salt$hash")
            }
            let name = String(trimmed[..<colon])
            guard Self.isValidName(name) else { throw .authFile(path: path, reason: "line \(number): invalid user name") }
            if users[name] == nil { order.append(name) }
            users[name] = hash
        }
    }

    /// Reads and parses the file at `path`.
    public static func load(path: String) throws(InfluxHTTPError) -> UserFile {
        guard let text = FileIO.read(path) else { throw .authFile(path: path, reason: "cannot read (\(FileIO.lastError()))") }
        return try UserFile(text: text, path: path)
    }

    /// Adds a user; an existing name is an error unless `replace`.
    public mutating func add(name: String, hash: PasswordHash, replace: Bool = false) throws(InfluxHTTPError) {
        guard Self.isValidName(name) else { throw .invalidUserName(name) }
        if users[name] != nil && !replace { throw .userExists(name) }
        if users[name] == nil { order.append(name) }
        users[name] = hash
    }

    /// User names in file order.
    public var names: [String] { order }

    public var text: String {
        order.map { "\($0):\(users[$0]!.encoded)\n" }.joined()
    }

    /// Writes the file (mode 0600) via a temporary file and rename.
    public func save(path: String) throws(InfluxHTTPError) {
        guard FileIO.writeAtomically(path, text, mode: 0o600) else {
            throw .authFile(path: path, reason: "cannot write (\(FileIO.lastError()))")
        }
    }

    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "_" || $0 == "-"
        }
    }
}

extension StringProtocol {
    var trimmingASCIIWhitespace: Substring {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return s
    }
}

/// Small POSIX file helpers (no Foundation in the auth path).
enum FileIO {
    static func read(_ path: String) -> String? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
            if n < chunk.count { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func writeAtomically(_ path: String, _ text: String, mode: mode_t) -> Bool {
        let temp = path + ".tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, mode)
        guard fd >= 0 else { return false }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let ok = written == bytes.count && fsync(fd) == 0
        close(fd)
        guard ok, rename(temp, path) == 0 else {
            unlink(temp)
            return false
        }
        return true
    }

    static func lastError() -> String {
        String(cString: strerror(errno))
    }
}
