import Foundation
import Testing

/// The reference outputs written by `Scripts/reference/make_facade_goldens.py`.
struct FacadeGoldens: Decodable {
    let fixture_version: String
    let texts: [String]
    let token_ids: [[Int]]
    let text_features: [[Float]]
    let text_embeds: [[Float]]
    let images: [String]
    let image_features: [[Float]]
    let image_embeds: [[Float]]
    let logit_scale: Float
    let labels: [String]
    let pipeline_probabilities: [[Double]]
    let templates: [String]
    let ensemble_probabilities: [[Double]]

    static let expectedVersion = "1"
}

enum FacadeFixture {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func modelFolder(_ name: String) -> URL {
        root.appendingPathComponent("Fixtures/models/\(name)")
    }

    static func goldens(_ name: String) throws -> FacadeGoldens {
        try load(root.appendingPathComponent("Fixtures/facade/\(name).json"))
    }

    static func load(_ url: URL) throws -> FacadeGoldens {
        let data = try #require(FileManager.default.contents(atPath: url.path), "missing \(url.path): run make goldens")
        let goldens = try JSONDecoder().decode(FacadeGoldens.self, from: data)
        try #require(
            goldens.fixture_version == FacadeGoldens.expectedVersion,
            "\(url.lastPathComponent) is fixture_version \(goldens.fixture_version), expected \(FacadeGoldens.expectedVersion): run make goldens")
        return goldens
    }

    /// Paths of the golden images (relative to the repo root unless absolute).
    static func imageURL(_ path: String) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appendingPathComponent(path)
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0, na = 0.0, nb = 0.0
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y)
            na += Double(x) * Double(x)
            nb += Double(y) * Double(y)
        }
        return dot / (na.squareRoot() * nb.squareRoot())
    }

    /// max |a − b| relative to max |b|.
    static func relativeError(_ a: [Float], _ b: [Float]) -> Double {
        let scale = b.map { Double(abs($0)) }.max() ?? 1
        return zip(a, b).map { Double(abs($0 - $1)) }.max().map { $0 / max(scale, 1e-12) } ?? 0
    }

    /// A temporary folder removed by the caller.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fashionclip-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
