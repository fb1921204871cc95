import CLIPNetwork
import Foundation
import TensorKernels
import Testing

/// Paths and expected values of Fixtures/onnx (written by Scripts/reference/make_onnx_fixtures.py).
enum ONNXFixture {
    static let fixtureVersion = "1"

    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `Fixtures/onnx/<name>` (a folder holding config.json and onnx/).
    static func folder(_ name: String) -> URL { root.appendingPathComponent("Fixtures/onnx/\(name)") }

    /// `Fixtures/models/<name>` (the same model as safetensors).
    static func safetensorsFolder(_ name: String) -> URL { root.appendingPathComponent("Fixtures/models/\(name)") }

    /// onnxruntime's outputs for model `name`, variant `fp32` / `int8` / `fp16`.
    static func expected(_ name: String, _ variant: String) throws -> SafeTensorsFile {
        let url = folder(name).appendingPathComponent("expected_\(variant).safetensors")
        guard FileManager.default.fileExists(atPath: url.path) else {
            Issue.record("\(url.path) is missing: run make goldens (Scripts/reference/make_onnx_fixtures.py)")
            throw CancellationError()
        }
        let file = try SafeTensorsFile(contentsOf: url)
        guard file.metadata["fixture_version"] == fixtureVersion else {
            Issue.record("\(url.path) has fixture_version \(file.metadata["fixture_version"] ?? "none"), expected \(fixtureVersion): run make goldens")
            throw CancellationError()
        }
        return file
    }

    /// The token sequences the outputs were recorded for.
    static func sequences(_ file: SafeTensorsFile) throws -> [[Int]] {
        let count = Int(file.metadata["sequences"] ?? "0") ?? 0
        return try (0..<count).map { try file.integers("input_ids.\($0)") }
    }

    /// The pixel values of Fixtures/models/<name>/expected.safetensors as `[n, 3·32·32]`.
    static func pixels(_ name: String) throws -> Matrix {
        let file = try SafeTensorsFile(contentsOf: safetensorsFolder(name).appendingPathComponent("expected.safetensors"))
        let shape = try file.info("pixel_values").shape
        return Matrix(rows: shape[0], columns: shape[1...].reduce(1, *), values: try file.floats("pixel_values"))
    }

    /// max |a − b| / max(1, max |b|).
    static func relativeError(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "compared \(a.count) with \(b.count) values")
        let scale = max(1, b.map(abs).max() ?? 0)
        return zip(a, b).map { abs($0 - $1) }.max().map { $0 / scale } ?? 0
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        let dot = zip(a, b).map { $0 * $1 }.reduce(0, +)
        let na = a.map { $0 * $0 }.reduce(0, +).squareRoot(), nb = b.map { $0 * $0 }.reduce(0, +).squareRoot()
        return dot / (na * nb)
    }

    /// A scratch folder removed by the caller.
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("clip-onnx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
