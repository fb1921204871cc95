import CLIPNetwork
import CLIPONNX
import Foundation
import TensorKernels
import Testing

/// The folder named by `FASHIONCLIP_MODEL_DIR`, if it holds an ONNX export (itself or in `onnx/`).
let fullSizeONNXFolder: URL? = ProcessInfo.processInfo.environment["FASHIONCLIP_MODEL_DIR"]
    .map { URL(fileURLWithPath: $0) }
    .flatMap { ONNXExport.find(in: $0) != nil ? $0 : nil }

/// Opt-in checks on a full-size export, e.g. `make_onnx_fixtures.py --full-size MODEL_DIR OUT_DIR`
/// (model.onnx, model_quantized.onnx, split files): fp32 equals model.safetensors when the folder has
/// one, int8 stays close to fp32 on either kernels, and the timings are printed.
/// Run in release: `FASHIONCLIP_MODEL_DIR=… swift test -c release --filter ONNXFullSizeTests`.
@Suite(.enabled(if: fullSizeONNXFolder != nil, "set FASHIONCLIP_MODEL_DIR to a folder with an ONNX export"))
struct ONNXFullSizeTests {
    static func timed<T>(_ label: String, _ body: () throws -> T) rethrows -> T {
        let clock = ContinuousClock()
        let start = clock.now
        let value = try body()
        print("ONNXFullSizeTests: \(label): \(clock.now - start)")
        return value
    }

    @Test func fp32MatchesSafetensorsAndInt8StaysClose() throws {
        let folder = try #require(fullSizeONNXFolder)
        let export = try #require(ONNXExport.find(in: folder, variant: .fp32))
        if let combined = export.combined {
            let model = try Self.timed("parse \(combined.lastPathComponent)") { try ONNXModel(contentsOf: combined) }
            let weights = try Self.timed("recognise the graph") { try ONNXCLIPWeights(models: [model]) }
            try Self.timed("convert all \(weights.tensorKeys.count) weights") { for key in weights.tensorKeys { _ = try weights.floats(key) } }
        }
        let onnx = try Self.timed("load \(export.combined?.lastPathComponent ?? "split files")") { try export.loadNetwork() }
        let size = onnx.configuration.vision.imageSize
        #if DEBUG
        let count = 2
        #else
        let count = 16
        #endif
        // The same pseudo-random pixels in −2 … 2 on every run.
        let pixels = Matrix(
            rows: count, columns: 3 * size * size,
            values: (0..<(count * 3 * size * size)).map { i in
                let x = sin(Double(i) * 12.9898) * 43758.5453
                return Float(4 * (x - x.rounded(.down)) - 2)
            })
        let texts: [[Int]] = [[49406, 320, 1125, 539, 320, 2360, 49407], [49406, 1579, 3940, 49407]]
        _ = try onnx.imageEmbeddings(pixels)  // warm-up (thread pool, page faults)
        let onnxImages = try Self.timed("\(count) images (ONNX fp32)") { try onnx.imageEmbeddings(pixels) }
        let onnxTexts = try onnx.textEmbeddings(texts)
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent("model.safetensors").path) {
            let native = try Self.timed("load model.safetensors") { try CLIPDualEncoder(directory: folder) }
            let images = try Self.timed("\(count) images (safetensors)") { try native.imageEmbeddings(pixels) }
            _ = try Self.timed("\(count) images (ONNX fp32, again)") { try onnx.imageEmbeddings(pixels) }
            #expect(images.values == onnxImages.values)
            #expect(try native.textEmbeddings(texts).values == onnxTexts.values)
            // Split exports (text_model.onnx / vision_model.onnx, as Scripts/bench exports them) carry no logit_scale.
            #expect(native.logitScale == onnx.logitScale || (export.combined == nil && onnx.logitScale == nil))
        }
        if let quantized = ONNXExport.find(in: folder, variant: .int8) {
            let int8 = try Self.timed("load int8") { try quantized.loadNetwork() }
            _ = try int8.imageEmbeddings(pixels)  // warm-up
            let images = try Self.timed("\(count) images (int8 export, int8 kernels)") { try int8.imageEmbeddings(pixels) }
            let simulated = try quantized.loadNetwork(towers: .vision, precision: .float32)
            let fp32Kernels = try Self.timed("\(count) images (int8 export, fp32 kernels)") { try simulated.imageEmbeddings(pixels) }
            // The same integers up to the fp32 rounding of the simulation's products, which moves an
            // activation across a quantisation boundary now and then; over 12 layers of uniform random
            // pixels that leaves the two at cosine 0.99990–0.99993 (max difference 0.0024 of a unit
            // vector's component), against 0.9995 between int8 and fp32.
            print(
                "ONNXFullSizeTests: int8 kernels vs fp32 simulation: max difference "
                    + "\(ONNXFixture.relativeError(images.values, fp32Kernels.values))")
            for row in 0..<images.rows {
                let cosine = ONNXFixture.cosine(Array(images.row(row)), Array(onnxImages.row(row)))
                let simulation = ONNXFixture.cosine(Array(images.row(row)), Array(fp32Kernels.row(row)))
                print("ONNXFullSizeTests: image \(row) int8 vs fp32 cosine \(cosine), int8 kernels vs simulation \(simulation)")
                #expect(cosine >= 0.99)
                #expect(simulation >= 0.9998)
            }
        }
    }
}
