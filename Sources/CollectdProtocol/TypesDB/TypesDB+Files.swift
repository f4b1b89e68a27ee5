import Foundation

extension TypesDB {
    /// Loads a types.db file, or every regular file below a directory (recursively, in
    /// path order), over the current definitions.
    /// - Throws: `CollectdProtocolError.unreadableFile` or `.typesDB` (file, line, reason).
    public mutating func load(path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CollectdProtocolError.unreadableFile(path: path, reason: "no such file or directory")
        }
        if !isDirectory.boolValue {
            try load(file: path)
            return
        }
        for file in try Self.regularFiles(under: path) {
            try load(file: file)
        }
    }

    private mutating func load(file: String) throws {
        let text: String
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            text = String(decoding: data, as: UTF8.self)
        } catch {
            throw CollectdProtocolError.unreadableFile(path: file, reason: "\(error.localizedDescription)")
        }
        try load(text: text, file: file)
    }

    /// Regular files below `directory`, sorted by path; hidden files are skipped.
    static func regularFiles(under directory: String) throws -> [String] {
        let manager = FileManager.default
        guard let enumerator = manager.enumerator(atPath: directory) else {
            throw CollectdProtocolError.unreadableFile(path: directory, reason: "cannot list directory")
        }
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let name = relative.split(separator: "/").last.map(String.init) ?? relative
            if name.hasPrefix(".") { continue }
            var isDirectory: ObjCBool = false
            let full = base + relative
            if manager.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(full)
            }
        }
        return files.sorted()
    }
}

extension TypesDB {
    /// Loads a file or directory like `load(path:)`, but goes on past malformed lines and
    /// returns every problem found (for validating files). Valid lines are loaded.
    public mutating func loadReportingAll(path: String) -> [CollectdProtocolError] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return [.unreadableFile(path: path, reason: "no such file or directory")]
        }
        let files: [String]
        do {
            files = isDirectory.boolValue ? try Self.regularFiles(under: path) : [path]
        } catch {
            return [error as? CollectdProtocolError ?? .unreadableFile(path: path, reason: "\(error)")]
        }
        var problems: [CollectdProtocolError] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                problems.append(.unreadableFile(path: file, reason: "cannot read"))
                continue
            }
            problems += loadReportingAll(text: String(decoding: data, as: UTF8.self), file: file)
        }
        return problems
    }

    /// Loads text like `load(text:file:)`, but goes on past malformed lines and returns
    /// every problem found.
    public mutating func loadReportingAll(text: String, file: String) -> [CollectdProtocolError] {
        var problems: [CollectdProtocolError] = []
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            do {
                if let (name, sources) = try Self.parseLine(line, file: file, line: lineNumber) {
                    define(name, sources)
                }
            } catch {
                problems.append(error as? CollectdProtocolError ?? .typesDB(file: file, line: lineNumber, reason: "\(error)"))
            }
        }
        return problems
    }
}
