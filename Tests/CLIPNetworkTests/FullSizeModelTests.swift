import CLIPNetwork
import Foundation
import TensorKernels
import Testing

/// The folder named by `FASHIONCLIP_MODEL_DIR`, if set.
let fullSizeModelDirectory: URL? = ProcessInfo.processInfo.environment["FASHIONCLIP_MODEL_DIR"].map { URL(fileURLWithPath: $0) }

/// Opt-in checks on a full-size model folder named by `FASHIONCLIP_MODEL_DIR`, e.g. the random
/// ViT-B/32 written by `generate_models.py --full-size models/vit-b32-random`, or real weights.
/// With an `expected.safetensors` in the folder, embeddings must reach cosine ≥ 0.99999.
/// Run in release: `FASHIONCLIP_MODEL_DIR=… swift test -c release --filter FullSizeModelTests`.
@Suite(.enabled(if: fullSizeModelDirectory != nil, "set FASHIONCLIP_MODEL_DIR to a model folder"))
struct FullSizeModelTests {
    static var directory: URL? { fullSizeModelDirectory }

    static func cosine(_ a: some Collection<Float>, _ b: some Collection<Float>) -> Double {
        var (dot, na, nb) = (0.0, 0.0, 0.0)
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y)
            na += Double(x) * Double(x)
            nb += Double(y) * Double(y)
        }
        return dot / (na.squareRoot() * nb.squareRoot())
    }

    @Test func loadsAndMatchesTheReference() throws {
        let directory = try #require(Self.directory)
        let clock = ContinuousClock()
        let start = clock.now
        let model = try CLIPDualEncoder(directory: directory)
        let loadTime = clock.now - start
        print("FullSizeModelTests: loaded \(directory.lastPathComponent) in \(loadTime)")
        #expect(loadTime < .seconds(30), "loading took \(loadTime)")

        let expectedURL = directory.appendingPathComponent("expected.safetensors")
        guard FileManager.default.fileExists(atPath: expectedURL.path) else {
            let embeddings = try model.textEmbeddings([[49406, 320, 49407]])
            #expect(abs(Self.cosine(embeddings.row(0), embeddings.row(0)) - 1) < 1e-6)
            return
        }
        let expected = try SafeTensorsFile(contentsOf: expectedURL)
        let count = Int(expected.metadata["sequences"] ?? "") ?? 0
        let sequences = try (0..<count).map { try expected.integers("input_ids.\($0)") }
        var timer = clock.now
        let texts = try model.textFeatures(sequences)
        print("FullSizeModelTests: \(count) texts in \(clock.now - timer)")
        for k in 0..<count {
            let cosine = Self.cosine(texts.row(k), try expected.floats("seq\(k)/text.embeds"))
            print("FullSizeModelTests: text \(k) (\(sequences[k].count) tokens) cosine \(cosine)")
            #expect(cosine >= 0.99999, "text \(k): cosine \(cosine)")
        }
        let info = try expected.info("pixel_values")
        let pixels = Matrix(rows: info.shape[0], columns: info.elementCount / info.shape[0], values: try expected.floats("pixel_values"))
        timer = clock.now
        let images = try model.imageFeatures(pixels)
        print("FullSizeModelTests: \(pixels.rows) images in \(clock.now - timer)")
        let reference = try expected.floats("vision.embeds")
        for i in 0..<images.rows {
            let cosine = Self.cosine(images.row(i), reference[i * images.columns..<(i + 1) * images.columns])
            print("FullSizeModelTests: image \(i) cosine \(cosine)")
            #expect(cosine >= 0.99999, "image \(i): cosine \(cosine)")
        }
    }
}
