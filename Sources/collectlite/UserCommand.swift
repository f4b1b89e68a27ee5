import ArgumentParser
import Foundation
import InfluxHTTP

/// `collectlite user add NAME`: adds a user with a salted PBKDF2 hash to the HTTP users file.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage the users file of the HTTP API (--http-auth-file).",
        subcommands: [Add.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user; the password is prompted for, or read from standard input when it is not a terminal."
        )

        @Argument(help: "User name (letters, digits, . _ -).") var name: String
        @Option(name: [.customLong("auth-file"), .customLong("http-auth-file")], help: "Users file (created with mode 0600 when missing).")
        var authFile: String = "./users"
        @Flag(help: "Replace the password of an existing user.") var replace = false

        func run() throws {
            var file = FileManager.default.fileExists(atPath: authFile) ? try UserFile.load(path: authFile) : UserFile()
            let password = try readPassword()
            guard !password.isEmpty else { throw InfluxHTTPError.emptyPassword }
            try file.add(name: name, hash: try PasswordHash(password: password), replace: replace)
            try file.save(path: authFile)
            print("user \(name) added to \(authFile)")
        }

        func readPassword() throws -> String {
            if isatty(0) == 1 {
                let first = String(cString: getpass("Password: "))
                let second = String(cString: getpass("Retype password: "))
                guard first == second else { throw ValidationError("passwords do not match") }
                return first
            }
            // One line from stdin (scripts: `echo pw | collectlite user add NAME`).
            return readLine(strippingNewline: true) ?? ""
        }
    }
}
