import Foundation
import Testing
@testable import Console

/// The embedded console matches its sources in Console/ (regenerate with Console/generate.sh),
/// and every reference between its files resolves to an embedded file of the same version.
@Suite struct ConsoleAssetsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func source(of path: String) -> URL {
        switch path {
        case "host-dashboard.json": root.appendingPathComponent("dashboards/collectd-host.json")
        default: root.appendingPathComponent("Console").appendingPathComponent(path)
        }
    }

    static func text(_ asset: ConsoleAssets.Asset) -> String { String(decoding: asset.body, as: UTF8.self) }

    @Test(arguments: ConsoleAssets.paths)
    func embeddedFileMatchesSource(path: String) throws {
        let onDisk = try String(contentsOf: Self.source(of: path), encoding: .utf8)
        let asset = try #require(ConsoleAssets.asset(forPath: ConsoleAssets.prefix + path))
        #expect(Self.text(asset) == onDisk, "\(path) differs from its source: run Console/generate.sh")
        #expect(asset.immutable)
    }

    @Test func everyScriptIsEmbedded() throws {
        let dir = Self.root.appendingPathComponent("Console/js")
        let scripts = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".js") }
        #expect(!scripts.isEmpty)
        for name in scripts { #expect(ConsoleAssets.paths.contains("js/" + name), "js/\(name) not embedded") }
    }

    @Test func pageMatchesSourceWithThisVersion() throws {
        let template = try String(contentsOf: Self.root.appendingPathComponent("Console/index.html"), encoding: .utf8)
        let page = Self.text(try #require(ConsoleAssets.asset(forPath: "/")))
        #expect(page == template.replacingOccurrences(of: "@VERSION@", with: ConsoleAssets.version))
        #expect(!page.contains("@VERSION@"))
        #expect(ConsoleAssets.index.immutable == false)
    }

    @Test func pageReferencesResolve() throws {
        let page = Self.text(ConsoleAssets.index)
        let references = page.matches(of: /(?:src|href)="(\/console\/[^"]+)"/).map { String($0.1) }
        #expect(references.count >= 5)
        for reference in references {
            #expect(ConsoleAssets.asset(forPath: reference) != nil, "\(reference) is not served")
        }
    }

    @Test func scriptImportsResolve() throws {
        for path in ConsoleAssets.paths where path.hasPrefix("js/") {
            let text = Self.text(try #require(ConsoleAssets.asset(forPath: ConsoleAssets.prefix + path)))
            for match in text.matches(of: /from "\.\/([\w-]+\.js)"/) {
                #expect(ConsoleAssets.paths.contains("js/" + match.1), "\(path) imports missing \(match.1)")
            }
            for match in text.matches(of: /new URL\("\.\.\/([\w.-]+)", import\.meta\.url\)/) {
                #expect(ConsoleAssets.paths.contains(String(match.1)), "\(path) fetches missing \(match.1)")
            }
        }
    }

    @Test func versionIsAHashOfTheFiles() {
        #expect(ConsoleAssets.version.count == 12)
        #expect(ConsoleAssets.version.allSatisfy { $0.isHexDigit })
        #expect(ConsoleAssets.prefix == "/console/\(ConsoleAssets.version)/")
    }

    @Test(arguments: ["/console/000000000000/js/app.js", "/console/js/app.js", "/index.html", "/console/", "/x", ""])
    func otherPathsAreNotTheConsoles(path: String) {
        #expect(ConsoleAssets.asset(forPath: path) == nil)
    }

    @Test func contentTypes() throws {
        #expect(try #require(ConsoleAssets.asset(forPath: ConsoleAssets.prefix + "js/app.js")).contentType.hasPrefix("text/javascript"))
        #expect(try #require(ConsoleAssets.asset(forPath: ConsoleAssets.prefix + "console.css")).contentType.hasPrefix("text/css"))
        #expect(ConsoleAssets.index.contentType.hasPrefix("text/html"))
    }

    @Test func chartLibraryIsDebiansDygraphsWithItsLicence() throws {
        let version = try String(contentsOf: Self.root.appendingPathComponent("Console/vendor/VERSION"), encoding: .utf8)
        #expect(version.hasPrefix("2.2.1"))
        let licence = Self.text(try #require(ConsoleAssets.asset(forPath: ConsoleAssets.prefix + "vendor/dygraphs-LICENSE.txt")))
        #expect(licence.contains("MIT"))
        #expect(licence.contains("dygraphs 2.2.1"))
        let library = Self.text(try #require(ConsoleAssets.asset(forPath: ConsoleAssets.prefix + "vendor/dygraph.min.js")))
        #expect(library.hasPrefix("/*! @license"))
        #expect(!library.contains("sourceMappingURL"))
    }

    @Test func replacingVersionReplacesEveryMarker() {
        #expect("a@VERSION@b@VERSION@".replacingVersion(with: "v1") == "av1bv1")
        #expect("@VERSION".replacingVersion(with: "v1") == "@VERSION")
        #expect("ünï @VERSION@".replacingVersion(with: "x") == "ünï x")
    }
}
