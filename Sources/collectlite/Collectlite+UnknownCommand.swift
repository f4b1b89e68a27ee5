/// The answer to a first argument that is no subcommand: its name and the closest one.
extension Collectlite {
    static var commandNames: [String] {
        configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
    }

    /// nil when `word` is an option or a subcommand; otherwise what to tell the user.
    static func unknownCommandMessage(_ word: String) -> String? {
        guard !word.hasPrefix("-"), !commandNames.contains(word) else { return nil }
        let names = commandNames.filter { $0 != "help" }
        let lowered = word.lowercased()
        let ranked = names.map { (name: $0, distance: editDistance(lowered, $0)) }.min { $0.distance < $1.distance }
        if let best = ranked, best.distance <= max(1, best.name.count / 2) {
            return "unknown command '\(word)'; did you mean '\(best.name)'?"
        }
        return "unknown command '\(word)'; the commands are \(names.joined(separator: ", "))"
    }

    /// Edits (insert, delete, substitute, swap of neighbours) that turn `a` into `b`.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty || y.isEmpty { return max(x.count, y.count) }
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[x.count][y.count]
    }
}
