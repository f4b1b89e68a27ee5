#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ZoneDatabase {
    /// The system's tz database, searched where Go searches it: `$ZONEINFO`, then
    /// /usr/share/zoneinfo, /usr/share/lib/zoneinfo and /usr/lib/locale/TZ. The server's zone
    /// is `$TZ` (empty: UTC) or /etc/localtime.
    public static let system = ZoneDatabase(
        load: { name in
            var dirs = ["/usr/share/zoneinfo/", "/usr/share/lib/zoneinfo/", "/usr/lib/locale/TZ/"]
            if let z = getenv("ZONEINFO"), z.pointee != 0 { dirs.insert(String(cString: z) + "/", at: 0) }
            for dir in dirs {
                if let bytes = readFile(dir + name) { return bytes }
            }
            return nil
        },
        local: {
            guard let tz = getenv("TZ") else { return readFile("/etc/localtime") }
            var name = String(cString: tz)
            if name.isEmpty || name == "UTC" { return nil }
            if name.hasPrefix(":") { name.removeFirst() }
            if name.hasPrefix("/") { return readFile(name) }
            return readFile("/usr/share/zoneinfo/" + name)
        })

    /// A whole regular file, at most 1 MiB (TZif files are a few kilobytes).
    static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65_536)
        while out.count <= 1 << 20 {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            out.append(contentsOf: buf[0..<n])
        }
        return out.count <= 1 << 20 ? out : nil
    }
}
