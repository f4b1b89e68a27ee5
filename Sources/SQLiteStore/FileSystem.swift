#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small file-system helpers over the C library (the module does not use Foundation).
enum FileSystem {
    /// Sizes of a database file and its WAL, 0 for missing files.
    static func size(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// Names in `directory` ending in `suffix`, without the suffix.
    static func names(in directory: String, suffix: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        // The name is read where it lies: an entry is only as long as its name (`d_reclen`), so
        // loading the whole `dirent` (`entry.pointee`) reads past the last entry of the buffer,
        // which crashed a listing of a few hundred databases.
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        while let entry = readdir(dir) {
            let name = String(cString: (UnsafeRawPointer(entry) + nameOffset).assumingMemoryBound(to: CChar.self))
            if name.hasSuffix(suffix) && name.count > suffix.count && !name.hasPrefix(".") {
                names.append(String(name.dropLast(suffix.count)))
            }
        }
        return names
    }

    /// The directory's modification time in ns, nil when it cannot be read.
    static func modificationTime(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }

    static func makeDirectory(_ path: String) throws(SQLiteStoreError) {
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw .fileSystem(path: path, errno: errno, operation: "mkdir")
        }
    }

    static func remove(_ path: String) throws(SQLiteStoreError) {
        if unlink(path) != 0 && errno != ENOENT {
            throw .fileSystem(path: path, errno: errno, operation: "unlink")
        }
    }
}
