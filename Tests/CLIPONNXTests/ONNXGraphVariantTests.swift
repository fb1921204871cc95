import CLIPNetwork
import CLIPONNX
import Foundation
import Testing

/// Graph shapes other exporters produce.
@Suite struct ONNXGraphVariantTests {
    @Test func constantFoldedLogitScaleIsRecovered() throws {
        let url = URL(fileURLWithPath: "/tmp/folded.onnx")
        let scale = ProtobufWriter.tensor(name: "/Exp_output_0", dims: [], dataType: 1, raw: floatBytes([100]))
        let data = ProtobufWriter.model(
            nodes: [ProtobufWriter.node("Mul", name: "/Mul", inputs: ["/MatMul_output_0", "/Exp_output_0"], outputs: ["logits_per_text"])],
            initializers: [scale])
        let mapped = try #require(try ONNXModel(data: data, url: url).clipWeights()["logit_scale"])
        #expect(mapped.shape == [])
        #expect(abs(mapped.values[0] - logf(100)) < 1e-6)
    }
}

extension ONNXGraphVariantTests {
    /// onnxconverter_common's float16 graph (initializers consumed in fp16, fp16 compute) loads into
    /// the fp32 network with the weights widened exactly: the fp32 reference on the same rounded weights.
    @Test func fp16ComputeGraphLoads() throws {
        let export = try ONNXExport.locate(in: ONNXFixture.folder("laion-f16").appendingPathComponent("onnx-fp16-compute"))
        #expect(export.variant == .fp16 && export.vision != nil && export.text == nil)
        let network = try export.loadNetwork(towers: .vision)
        let reference = try SafeTensorsFile(contentsOf: ONNXFixture.safetensorsFolder("laion-f16").appendingPathComponent("expected.safetensors"))
        let features = try network.imageFeatures(try ONNXFixture.pixels("laion-f16"))
        #expect(ONNXFixture.relativeError(features.values, try reference.floats("vision.embeds")) <= 1e-5)
    }
}

extension ONNXGraphVariantTests {
    /// A constant-folded causal mask is not a weight; any other unexplained constant is an error.
    @Test func foldedMasksAreAllowedOtherConstantsAreNot() throws {
        let url = URL(fileURLWithPath: "/tmp/mask.onnx")
        let mask = ProtobufWriter.tensor(
            name: "onnx::Add_9", dims: [1, 1, 2, 2], dataType: 1,
            raw: floatBytes([0, -Float.greatestFiniteMagnitude, 0, 0]))
        let node = ProtobufWriter.node("Add", name: "/text_model/encoder/layers.0/self_attn/Add", inputs: ["scores", "onnx::Add_9"], outputs: ["masked"])
        #expect(try ONNXModel(data: ProtobufWriter.model(nodes: [node], initializers: [mask]), url: url).clipWeights().isEmpty)
        let other = ProtobufWriter.tensor(name: "onnx::Add_9", dims: [1, 1, 2, 2], dataType: 1, raw: floatBytes([0.5, 2, 3, 4]))
        #expect(throws: ONNXError.self) { try ONNXModel(data: ProtobufWriter.model(nodes: [node], initializers: [other]), url: url).clipWeights() }
    }
}
