import Foundation
import Testing

/// `fashionclip --version` prints the package's one version constant, `MAJOR.MINOR.PATCH`, and exits 0.
@Suite struct VersionTests {
    @Test func versionIsPrinted() throws {
        let out = try CommandRunner.run(["--version"])
        #expect(out.status == 0, "\(out.stderr)")
        let version = out.text.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(version.range(of: #"^[0-9]+\.[0-9]+\.[0-9]+$"#, options: .regularExpression) != nil, "\(out.text)")
        let source = try String(
            contentsOf: CommandRunner.root.appendingPathComponent("Sources/FashionCLIP/FashionCLIPVersion.swift"), encoding: .utf8)
        #expect(source.contains("current = \"\(version)\""), "the CLI prints \(version), not the constant")
    }
}
