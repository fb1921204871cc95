import CLIPONNX
import Foundation
import FuzzSupport

// ONNX bytes through `ONNXModel(data:url:)` (the protobuf reader: ModelProto, GraphProto, NodeProto,
// TensorProto, attributes, value infos), every initializer read back as floats or integers, then the
// CLIP graph mapping (`ONNXCLIPWeights(models:)`) that loading runs. Each step succeeds or throws an
// `ONNXError`; anything else is a bug. External data resolves against an empty temporary folder.

let folder = FuzzDriver.temporaryFolder("onnx")
let url = folder.appendingPathComponent("model.onnx")

FuzzDriver.run { bytes in
    let model: ONNXModel
    do {
        model = try ONNXModel(data: bytes, url: url)
    } catch {
        FuzzDriver.expect(error, is: ONNXError.self)
        return
    }
    for tensor in model.graph.initializers {
        do {
            _ = try model.floats(of: tensor)
        } catch {
            FuzzDriver.expect(error, is: ONNXError.self)
            do { _ = try model.integers(of: tensor) } catch { FuzzDriver.expect(error, is: ONNXError.self) }
        }
    }
    do {
        _ = try ONNXCLIPWeights(models: [model])
    } catch {
        FuzzDriver.expect(error, is: ONNXError.self)
    }
}
