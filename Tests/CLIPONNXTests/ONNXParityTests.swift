import CLIPNetwork
import CLIPONNX
import Foundation
import TensorKernels
import Testing

/// Our network loaded from the ONNX exports against onnxruntime's outputs for the same exports.
@Suite struct ONNXParityTests {
    @Test func combinedFP32MatchesOnnxruntime() throws {
        let export = try #require(ONNXExport.find(in: ONNXFixture.folder("fashionclip-f32")))
        #expect(export.variant == .fp32 && export.combined?.lastPathComponent == "model.onnx")
        let network = try export.loadNetwork()
        let expected = try ONNXFixture.expected("fashionclip-f32", "fp32")
        let sequences = try ONNXFixture.sequences(expected)
        #expect(sequences.count == 8)
        let texts = try network.textEmbeddings(sequences)
        for (k, _) in sequences.enumerated() {
            let error = ONNXFixture.relativeError(Array(texts.row(k)), try expected.floats("seq\(k)/text_embeds"))
            #expect(error <= 1e-5, "text_embeds of sequence \(k): max |Δ| \(error)")
        }
        let images = try network.imageEmbeddings(try ONNXFixture.pixels("fashionclip-f32"))
        #expect(ONNXFixture.relativeError(images.values, try expected.floats("image_embeds")) <= 1e-5)
        let logits = try network.logitsPerImage(imageEmbeddings: images, textEmbeddings: texts)
        for k in sequences.indices {
            let column = (0..<logits.rows).map { logits.values[$0 * logits.columns + k] }
            let error = ONNXFixture.relativeError(column, try expected.floats("seq\(k)/logits_per_image"))
            #expect(error <= 1e-5, "logits_per_image of sequence \(k): \(error)")
        }
    }

    @Test func combinedFP32EqualsSafetensors() throws {
        let onnx = try ONNXExport.locate(in: ONNXFixture.folder("fashionclip-f32")).loadNetwork()
        let native = try CLIPDualEncoder(directory: ONNXFixture.safetensorsFolder("fashionclip-f32"))
        let sequences = try ONNXFixture.sequences(try ONNXFixture.expected("fashionclip-f32", "fp32"))
        #expect(try onnx.textFeatures(sequences).values == native.textFeatures(sequences).values)
        let pixels = try ONNXFixture.pixels("fashionclip-f32")
        #expect(try onnx.imageFeatures(pixels).values == native.imageFeatures(pixels).values)
        #expect(onnx.logitScale == native.logitScale)
    }

    /// The int8 export on the int8 kernels (the default) and on the fp32 kernels with the input
    /// quantization simulated (`precision: .float32`), against onnxruntime's int8 outputs.
    @Test(arguments: [nil, LinearWeights.Precision.float32])
    func dynamicInt8MatchesOnnxruntimeInt8(precision: LinearWeights.Precision?) throws {
        let export = try ONNXExport.locate(in: ONNXFixture.folder("fashionclip-f32"), variant: .int8)
        #expect(export.combined?.lastPathComponent == "model_quantized.onnx")
        let network = try export.loadNetwork(precision: precision)
        let expected = try ONNXFixture.expected("fashionclip-f32", "int8")
        let sequences = try ONNXFixture.sequences(expected)
        let label = precision.map { "\($0)" } ?? "int8 kernels"
        var worstCosine: Float = 1, worstError: Float = 0
        // One text per call, as onnxruntime ran them: dynamic quantization takes one scale per GEMM
        // input, so results depend on what else is in the batch (there as here).
        for (k, ids) in sequences.enumerated() {
            let text = Array(try network.textEmbeddings([ids]).row(0))
            let reference = try expected.floats("seq\(k)/text_embeds")
            let cosine = ONNXFixture.cosine(text, reference)
            #expect(cosine >= 0.9999, "\(label) text \(k): cosine \(cosine) to onnxruntime's int8 output")
            worstCosine = min(worstCosine, cosine)
            worstError = max(worstError, ONNXFixture.relativeError(text, reference))
        }
        let images = try network.imageEmbeddings(try ONNXFixture.pixels("fashionclip-f32"))
        let reference = try expected.floats("image_embeds")
        for row in 0..<images.rows {
            let expectedRow = Array(reference[row * images.columns..<(row + 1) * images.columns])
            let cosine = ONNXFixture.cosine(Array(images.row(row)), expectedRow)
            #expect(cosine >= 0.9999, "\(label) image \(row): cosine \(cosine) to onnxruntime's int8 output")
            worstCosine = min(worstCosine, cosine)
            worstError = max(worstError, ONNXFixture.relativeError(Array(images.row(row)), expectedRow))
        }
        print("ONNXParityTests: int8 export on \(label): min cosine \(worstCosine), max |Δ| \(worstError) to onnxruntime")
    }

    /// The int8 export's linear layers run on the int8 kernels with per-tensor input quantization
    /// (none round-trips its input in fp32); `precision: .float32` runs them all in fp32 instead.
    @Test func dynamicInt8RunsOnTheInt8Kernels() throws {
        let export = try ONNXExport.locate(in: ONNXFixture.folder("fashionclip-f32"), variant: .int8)
        let layers = try export.loadNetwork().linearLayers
        #expect(layers.count == (2 + 2) * 4 + 2 + 1, "two layers per tower, two projections, the patch embedding")
        for layer in layers {
            #expect(
                layer.weights.precision == .int8 && layer.weights.activationQuantization == .perTensor && !layer.roundTripsInput,
                "\(layer.name): \(layer.weights.precision), \(String(describing: layer.weights.activationQuantization))")
        }
        for layer in try export.loadNetwork(precision: .float32).linearLayers {
            #expect(layer.weights.precision == .float32 && layer.roundTripsInput, "\(layer.name)")
        }
        // An fp32 export under the default stays fp32, without the round trip.
        for layer in try ONNXExport.locate(in: ONNXFixture.folder("fashionclip-f32")).loadNetwork().linearLayers {
            #expect(layer.weights.precision == .float32 && !layer.roundTripsInput, "\(layer.name)")
        }
    }

    @Test(arguments: [("openai-bf16", "fp32", ONNXExport.Variant.fp32), ("laion-f16", "fp16", .fp16)])
    func splitExportsMatchOnnxruntime(name: String, variant: String, kind: ONNXExport.Variant) throws {
        let export = try ONNXExport.locate(in: ONNXFixture.folder(name))
        #expect(export.variant == kind && export.combined == nil && export.text != nil && export.vision != nil)
        let network = try export.loadNetwork()
        #expect(network.logitScale == nil)
        let expected = try ONNXFixture.expected(name, variant)
        let sequences = try ONNXFixture.sequences(expected)
        let texts = try network.textFeatures(sequences)
        for k in sequences.indices {
            let error = ONNXFixture.relativeError(Array(texts.row(k)), try expected.floats("seq\(k)/text_embeds"))
            #expect(error <= 1e-5, "\(name) text_embeds of sequence \(k): \(error)")
        }
        let images = try network.imageFeatures(try ONNXFixture.pixels(name))
        #expect(ONNXFixture.relativeError(images.values, try expected.floats("image_embeds")) <= 1e-5)
    }

    @Test func oneTowerOfASplitExport() throws {
        let export = try ONNXExport.locate(in: ONNXFixture.folder("openai-bf16"))
        let vision = try export.loadNetwork(towers: .vision)
        #expect(vision.textTower == nil && vision.visionTower != nil)
        let text = try export.loadNetwork(towers: .text)
        #expect(text.textTower != nil && text.visionTower == nil)
        // The Gather table stays in the export's mapping (CLIPNetwork's EmbeddingTable).
        #expect(text.textTower?.readsTokenEmbeddingFromFile == true)
    }
}
