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
