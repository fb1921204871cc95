import CLIPNetwork
import Foundation
import TensorKernels
import Testing

/// One tiny model folder of Fixtures/models/ written by Scripts/reference/generate_models.py.
struct ModelFixture: CustomStringConvertible, Sendable {
    /// The `fixture_version` the tests were written against.
    static let fixtureVersion = "1"
    static let variants = ["fashionclip-f32", "laion-f16", "openai-bf16"]

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    let name: String
    var directory: URL { Self.repositoryRoot.appendingPathComponent("Fixtures/models/\(name)") }
    var description: String { name }

    /// The reference inputs and activations, after checking the fixture exists and is current.
    func expected() throws -> SafeTensorsFile {
        let url = directory.appendingPathComponent("expected.safetensors")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw FixtureError("\(url.path) is missing: run make goldens")
        }
        let file = try SafeTensorsFile(contentsOf: url)
        guard file.metadata["fixture_version"] == Self.fixtureVersion else {
            throw FixtureError(
                "\(url.path) has fixture_version \(file.metadata["fixture_version"] ?? "none"), tests expect \(Self.fixtureVersion): run make goldens")
        }
        return file
    }

    /// The token sequences `input_ids.{k}` of the expected file.
    func sequences(_ expected: SafeTensorsFile) throws -> [[Int]] {
        let count = Int(expected.metadata["sequences"] ?? "") ?? 0
        return try (0..<count).map { try expected.integers("input_ids.\($0)") }
    }

    /// `pixel_values` as `[n, 3 · size · size]`.
    func pixelValues(_ expected: SafeTensorsFile) throws -> Matrix {
        let info = try expected.info("pixel_values")
        let perImage = info.shape.dropFirst().reduce(1, *)
        return Matrix(rows: info.shape[0], columns: perImage, values: try expected.floats("pixel_values"))
    }

    func load(towers: CLIPDualEncoder.Towers = .all) throws -> CLIPDualEncoder {
        try CLIPDualEncoder(directory: directory, towers: towers)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Compares activations: `max |ours − reference| ≤ tolerance · max |reference|`.
struct ActivationComparison {
    let name: String
    let maxError: Float
    let scale: Float
    var relativeError: Float { maxError / max(scale, .leastNormalMagnitude) }

    init(name: String, ours: [Float], reference: [Float]) {
        precondition(ours.count == reference.count, "\(name): \(ours.count) values vs \(reference.count)")
        self.name = name
        var maxError: Float = 0
        var scale: Float = 0
        for (a, b) in zip(ours, reference) {
            maxError = max(maxError, abs(a - b).isNaN ? .infinity : abs(a - b))
            scale = max(scale, abs(b))
        }
        self.maxError = maxError
        self.scale = scale
    }
}
