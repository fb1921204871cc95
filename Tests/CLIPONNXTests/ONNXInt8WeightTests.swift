import CLIPNetwork
import CLIPONNX
import Foundation
import TensorKernels
import Testing

/// How `ONNXCLIPWeights.storedLinearWeight` hands over `MatMulInteger` weights, and the fp32 fallback
/// of layers whose int8 values the int8 panels cannot hold.
@Suite struct ONNXInt8WeightTests {
    /// `DynamicQuantizeLinear` → `MatMulInteger` of fc1 with a `[2, 3]` (`[in, out]`) weight of
    /// `dataType` (2 UINT8, 3 INT8) and per-tensor zero point `zero`, scale 0.5.
    static func graph(dataType: Int, values: [UInt8], zero: UInt8) throws -> ONNXCLIPWeights {
        let scope = "/text_model/encoder/layers.0/mlp/fc1"
        let nodes = [
            ProtobufWriter.node(
                "DynamicQuantizeLinear", name: "\(scope)/x_QuantizeLinear", inputs: ["x"],
                outputs: ["x_quantized", "x_scale", "x_zero_point"]),
            ProtobufWriter.node(
                "MatMulInteger", name: "\(scope)/MatMul_quant",
                inputs: ["x_quantized", "W_quantized", "x_zero_point", "W_zero_point"], outputs: ["y"])
        ]
        let initializers = [
            ProtobufWriter.tensor(name: "W_quantized", dims: [2, 3], dataType: dataType, raw: values),
            ProtobufWriter.tensor(name: "W_scale", dims: [], dataType: 1, raw: floatBytes([0.5])),
            ProtobufWriter.tensor(name: "W_zero_point", dims: [], dataType: dataType, raw: [zero])
        ]
        let model = try ONNXModel(data: ProtobufWriter.model(nodes: nodes, initializers: initializers), url: URL(fileURLWithPath: "/tmp/int8.onnx"))
        return try ONNXCLIPWeights(models: [model])
    }

    static let key = "text_model.encoder.layers.0.mlp.fc1.weight"

    @Test func int8WeightsComeAsStored() throws {
        let weights = try Self.graph(dataType: 3, values: [0x80, 0xFF, 0, 1, 2, 0x7F], zero: 0)
        #expect(weights.shape(of: Self.key) == [3, 2])
        let stored = try #require(try weights.storedLinearWeight(Self.key))
        #expect(stored.layout == .inOut && stored.quantizesInput)
        guard case let .int8(values, scales) = stored.values else {
            Issue.record("expected int8, found \(stored.values)")
            return
        }
        #expect(values == [-128, -1, 0, 1, 2, 127] && scales == [0.5])
    }

    /// uint8 weights with zero point 128 centre into int8 exactly; with zero point 0 they do not,
    /// and come dequantized (fp32, still behind the dynamic input quantization).
    @Test func uint8WeightsCentreOrFallBack() throws {
        let centred = try #require(try Self.graph(dataType: 2, values: [0, 128, 255, 100, 130, 200], zero: 128).storedLinearWeight(Self.key))
        guard case let .int8(values, _) = centred.values else {
            Issue.record("expected int8, found \(centred.values)")
            return
        }
        #expect(values == [-128, 0, 127, -28, 2, 72])
        let wide = try #require(try Self.graph(dataType: 2, values: [0, 128, 255, 100, 130, 200], zero: 0).storedLinearWeight(Self.key))
        #expect(wide.quantizesInput && wide.layout == .inOut)
        guard case let .float32(floats) = wide.values else {
            Issue.record("expected fp32, found \(wide.values)")
            return
        }
        #expect(floats == [0, 64, 127.5, 50, 65, 100])
    }

    /// A source whose int8 weights for the vision tower's fc1 layers all come as the fallback would
    /// (dequantized fp32): those layers run on the fp32 kernels with the input round trip, the rest
    /// on the int8 kernels, and the network still gives onnxruntime's int8 output.
    @Test func fallbackLayersStillMatchOnnxruntime() throws {
        struct Dequantizing: CLIPTensorSource {
            let base: ONNXCLIPWeights
            var tensorKeys: [String] { base.tensorKeys }
            var requiresLogitScale: Bool { base.requiresLogitScale }
            func shape(of key: String) -> [Int]? { base.shape(of: key) }
            func floats(_ key: String) throws -> [Float] { try base.floats(key) }
            func storedLinearWeight(_ key: String) throws -> StoredLinearWeight? {
                guard let stored = try base.storedLinearWeight(key) else { return nil }
                guard key.hasPrefix("vision_model"), key.contains("fc1"), case let .int8(q, scales) = stored.values else { return stored }
                return StoredLinearWeight(values: .float32(q.map { Float($0) * scales[0] }), layout: stored.layout, quantizesInput: true)
            }
        }
        let export = try ONNXExport.locate(in: ONNXFixture.folder("fashionclip-f32"), variant: .int8)
        let model = try ONNXModel(contentsOf: try #require(export.combined))
        let configuration = try CLIPConfiguration(contentsOf: export.assetsDirectory.appendingPathComponent("config.json"))
        let network = try CLIPDualEncoder(
            configuration: configuration, weights: Dequantizing(base: try ONNXCLIPWeights(models: [model])),
            towers: .vision, precision: .int8)
        for layer in network.linearLayers {
            let fallback = layer.name.hasSuffix("fc1")
            #expect(layer.weights.precision == (fallback ? .float32 : .int8) && layer.roundTripsInput == fallback, "\(layer.name)")
        }
        let images = try network.imageEmbeddings(try ONNXFixture.pixels("fashionclip-f32"))
        let reference = try ONNXFixture.expected("fashionclip-f32", "int8").floats("image_embeds")
        for row in 0..<images.rows {
            let cosine = ONNXFixture.cosine(Array(images.row(row)), Array(reference[row * images.columns..<(row + 1) * images.columns]))
            #expect(cosine >= 0.9999, "image \(row): cosine \(cosine)")
        }
    }
}
