#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The single-writer lock of a data directory: `<dir>/collectlite.lock`, held with `flock`
/// and holding the owner's PID.
///
/// The kernel drops a `flock` when its process ends however it ends, so a lock file left
/// behind by a killed server is recognised as stale (the lock can be taken) and reused;
/// only a live holder makes `acquire` fail. Readers (`collectlite query`) never lock.
final class DataDirectoryLock {
    static let fileName = "collectlite.lock"

    let path: String
    /// The PID a previous holder left behind when it ended without releasing (a stale lock).
    let stalePID: Int32?
    private var descriptor: Int32

    /// Takes the lock of `directory`, which must exist.
    /// - Throws: `ConfigurationError.directoryInUse` when a live process holds it,
    ///   `.notWritable` when the lock file cannot be created or opened for writing.
    init(directory: String) throws(ConfigurationError) {
        let path = directory.hasSuffix("/") ? directory + Self.fileName : directory + "/" + Self.fileName
        self.path = path
        // Retried when the file was replaced between open and flock (a holder releasing).
        for _ in 0..<10 {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                let code = errno
                if code == EACCES || code == EROFS || code == EPERM {
                    throw .notWritable(path: directory, what: "data directory", reason: ConfigurationError.reason(errno: code))
                }
                throw .notWritable(path: path, what: "lock file", reason: ConfigurationError.reason(errno: code))
            }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                let code = errno
                let holder = Self.readPID(fd)
                close(fd)
                if code == EWOULDBLOCK {
                    throw .directoryInUse(directory: directory, lockFile: path, pid: holder)
                }
                throw .notWritable(path: path, what: "lock file", reason: ConfigurationError.reason(errno: code))
            }
            guard Self.isSameFile(fd, path) else {
                close(fd)
                continue
            }
            let previous = Self.readPID(fd)
            guard Self.writePID(fd) else {
                let code = errno
                close(fd)
                throw .notWritable(path: path, what: "lock file", reason: ConfigurationError.reason(errno: code))
            }
            self.stalePID = previous == getpid() ? nil : previous
            self.descriptor = fd
            return
        }
        throw .directoryInUse(directory: directory, lockFile: path, pid: nil)
    }

    deinit { release() }

    /// Removes the lock file and drops the lock; later calls do nothing.
    func release() {
        guard descriptor >= 0 else { return }
        // Unlinking before unlocking: a process that opened the old file sees it replaced.
        unlink(path)
        close(descriptor)
        descriptor = -1
    }

    private static func isSameFile(_ fd: Int32, _ path: String) -> Bool {
        var open = stat()
        var named = stat()
        guard fstat(fd, &open) == 0, stat(path, &named) == 0 else { return false }
        return open.st_dev == named.st_dev && open.st_ino == named.st_ino
    }

    /// The decimal PID at the start of the file, if any.
    private static func readPID(_ fd: Int32) -> Int32? {
        var bytes = [UInt8](repeating: 0, count: 32)
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        let text = String(decoding: bytes[0..<n], as: UTF8.self)
        return Int32(text.prefix { $0.isNumber })
    }

    private static func writePID(_ fd: Int32) -> Bool {
        let text = Array("\(getpid())\n".utf8)
        guard ftruncate(fd, 0) == 0 else { return false }
        let n = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return n == text.count
    }
}
