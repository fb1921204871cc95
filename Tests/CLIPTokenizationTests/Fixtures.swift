import CLIPTokenization
import Foundation
import Testing

/// Locates Fixtures/tokenizer (written by Scripts/reference/make_vocab.py and make_tokenizer_goldens.py).
enum Fixtures {
    static let expectedVersion = 2

    static let folder: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tokenizer")

    static func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    /// The goldens as parsed JSON; fails with "run make goldens" when missing or stale.
    static func goldens() throws -> [String: Any] {
        let url = url("goldens.json")
        guard let data = try? Data(contentsOf: url),
            let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            Issue.record("missing or unreadable \(url.path): run make goldens")
            throw FixtureError.missing
        }
        let version = json["fixture_version"] as? Int
        guard version == expectedVersion else {
            let found = version.map(String.init) ?? "none"
            Issue.record("\(url.path) has fixture_version \(found), tests expect \(expectedVersion): run make goldens")
            throw FixtureError.stale
        }
        return json
    }

    /// One tokenizer per process: loading parses 3.6 MB of JSON.
    static let tokenizer: CLIPTokenizer? = try? CLIPTokenizer(folder: folder)
    static let vocabMergesTokenizer: CLIPTokenizer? = try? CLIPTokenizer(
        vocabURL: url("vocab.json"), mergesURL: url("merges.txt"))

    static func loaded() throws -> CLIPTokenizer {
        try #require(tokenizer, "cannot load \(folder.path): run make goldens")
    }

    enum FixtureError: Error { case missing, stale }
}

func int32s(_ value: Any?) -> [Int32] { (value as? [Any] ?? []).map { Int32(($0 as! NSNumber).intValue) } }
func int32Rows(_ value: Any?) -> [[Int32]] { (value as? [Any] ?? []).map { int32s($0) } }
