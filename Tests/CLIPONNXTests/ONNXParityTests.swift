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

    @Test func dynamicInt8IsCloseToOnnxruntimeInt8() throws {
        let export = try ONNXExport.locate(in: ONNXFixture.folder("fashionclip-f32"), variant: .int8)
        #expect(export.combined?.lastPathComponent == "model_quantized.onnx")
        let network = try export.loadNetwork()
        let expected = try ONNXFixture.expected("fashionclip-f32", "int8")
        let sequences = try ONNXFixture.sequences(expected)
        // One text per call, as onnxruntime ran them: dynamic quantization takes one scale per GEMM
        // input, so results depend on what else is in the batch (there as here).
        for (k, ids) in sequences.enumerated() {
            let text = try network.textEmbeddings([ids])
            let cosine = ONNXFixture.cosine(Array(text.row(0)), try expected.floats("seq\(k)/text_embeds"))
            #expect(cosine >= 0.9999, "text \(k): cosine \(cosine) to onnxruntime's int8 output")
        }
        let images = try network.imageEmbeddings(try ONNXFixture.pixels("fashionclip-f32"))
        let reference = try expected.floats("image_embeds")
        for row in 0..<images.rows {
            let cosine = ONNXFixture.cosine(Array(images.row(row)), Array(reference[row * images.columns ..< (row + 1) * images.columns]))
            #expect(cosine >= 0.9999, "image \(row): cosine \(cosine) to onnxruntime's int8 output")
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
    }
}
