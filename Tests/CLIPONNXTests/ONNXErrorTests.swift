import CLIPNetwork
import CLIPONNX
import Foundation
import Testing

/// Broken and foreign files give typed errors that name the file, tensor or node, never a crash.
@Suite struct ONNXErrorTests {
    let url = URL(fileURLWithPath: "/tmp/test.onnx")

    func mapping(_ data: Data) throws {
        _ = try ONNXModel(data: data, url: url).clipWeights()
    }

    @Test func truncatedFilesAreMalformedProtobuf() throws {
        let data = try Data(contentsOf: ONNXFixture.folder("openai-bf16").appendingPathComponent("onnx/vision_model.onnx"))
        for cut in [1, 7, 100, data.count / 2, data.count - 3] {
            #expect(throws: ONNXError.self) { try ONNXModel(data: data.prefix(cut), url: url) }
            do { _ = try ONNXModel(data: data.prefix(cut), url: url) } catch let error as ONNXError {
                if case .malformedProtobuf(let path, _, _, _) = error {
                    #expect(path == url.path)
                } else {
                    Issue.record("cut at \(cut): \(error)")
                }
            }
        }
    }

    @Test func garbageIsMalformedProtobuf() {
        let garbage = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 13) })
        #expect(throws: ONNXError.self) { try ONNXModel(data: garbage, url: url) }
        #expect(throws: ONNXError.self) { try ONNXModel(data: Data("not an onnx file".utf8), url: url) }
        #expect(throws: ONNXError.self) { try ONNXModel(data: Data(), url: url) }
    }

    @Test func missingFileIsNamed() {
        #expect(throws: ONNXError.fileNotFound(path: "/nonexistent/model.onnx", hint: "Expected an ONNX export such as onnx/model.onnx.")) {
            try ONNXModel(contentsOf: URL(fileURLWithPath: "/nonexistent/model.onnx"))
        }
        #expect(throws: ONNXError.self) { try ONNXExport.locate(in: URL(fileURLWithPath: "/nonexistent")) }
    }

    @Test func rawDataOfTheWrongSizeIsReported() throws {
        let weight = ProtobufWriter.tensor(name: "w", dims: [4, 4], dataType: 1, raw: floatBytes([1, 2, 3]))
        let model = try ONNXModel(data: ProtobufWriter.model(nodes: [], initializers: [weight]), url: url)
        #expect(throws: ONNXError.tensorDataSize(path: url.path, tensor: "w", shape: [4, 4], dataType: "FLOAT", expectedBytes: 64, foundBytes: 12)) {
            try model.floats(of: model.graph.initializers[0])
        }
    }

    @Test func wrongDataTypesAreReported() throws {
        let ids = ProtobufWriter.tensor(name: "ids", dims: [2], dataType: 7, raw: Array(repeating: 0, count: 16))
        let model = try ONNXModel(data: ProtobufWriter.model(nodes: [], initializers: [ids]), url: url)
        #expect(throws: ONNXError.wrongDataType(path: url.path, tensor: "ids", expected: ["FLOAT", "FLOAT16", "BFLOAT16", "DOUBLE"], found: "INT64")) {
            try model.floats(of: model.graph.initializers[0])
        }
        let unknown = ProtobufWriter.tensor(name: "odd", dims: [1], dataType: 99, raw: [0])
        #expect(throws: ONNXError.unsupportedDataType(path: url.path, tensor: "odd", dataType: 99)) {
            try ONNXModel(data: ProtobufWriter.model(nodes: [], initializers: [unknown]), url: url)
        }
        let floatIDs = ProtobufWriter.model(nodes: [], inputs: [ProtobufWriter.input("input_ids", elementType: 1)])
        #expect(throws: ONNXError.inputType(path: url.path, input: "input_ids", expected: ["INT64", "INT32"], found: "FLOAT")) {
            try ONNXModel(data: floatIDs, url: url).checkCLIPInputs()
        }
    }

    @Test func unsupportedOperatorsNameNodeOpAndOpset() throws {
        let lstm = ProtobufWriter.model(nodes: [ProtobufWriter.node("LSTM", name: "/text_model/lstm/LSTM", inputs: ["x"], outputs: ["y"])])
        #expect(throws: ONNXError.unsupportedOperator(path: url.path, node: "/text_model/lstm/LSTM", opType: "LSTM", domain: "", opset: 18)) {
            try mapping(lstm)
        }
        let fused = ProtobufWriter.model(nodes: [ProtobufWriter.node("Attention", name: "Attention_0", inputs: ["x"], outputs: ["y"], domain: "com.microsoft")])
        #expect(throws: ONNXError.unsupportedOperator(path: url.path, node: "Attention_0", opType: "Attention", domain: "com.microsoft", opset: 18)) {
            try mapping(fused)
        }
        #expect(throws: ONNXError.unsupportedOpset(path: url.path, domain: "", version: 7, supported: 9...23)) {
            try mapping(ProtobufWriter.model(opset: 7, nodes: []))
        }
    }

    @Test func unscopedWeightsAreAnUnrecognisedGraph() throws {
        let weight = ProtobufWriter.tensor(name: "onnx::MatMul_7", dims: [2, 2], dataType: 1, raw: floatBytes([1, 2, 3, 4]))
        let model = ProtobufWriter.model(
            nodes: [ProtobufWriter.node("MatMul", name: "MatMul_3", inputs: ["x", "onnx::MatMul_7"], outputs: ["y"])],
            initializers: [weight])
        do {
            try mapping(model)
            Issue.record("expected an error")
        } catch let ONNXError.unrecognizedGraph(path, node, opType, opset, reason) {
            #expect(path == url.path && node == "MatMul_3" && opType == "MatMul" && opset == 18)
            #expect(reason.contains("onnx::MatMul_7") && reason.contains("no module scope"))
        }
    }

    @Test func initializerRanksMustFitTheirRole() throws {
        let weight = ProtobufWriter.tensor(name: "onnx::MatMul_7", dims: [4], dataType: 1, raw: floatBytes([1, 2, 3, 4]))
        let model = ProtobufWriter.model(
            nodes: [ProtobufWriter.node("MatMul", name: "/text_model/encoder/layers.0/mlp/fc1/MatMul", inputs: ["x", "onnx::MatMul_7"], outputs: ["y"])],
            initializers: [weight])
        #expect(
            throws: ONNXError.initializerShape(
                path: url.path, tensor: "onnx::MatMul_7", node: "/text_model/encoder/layers.0/mlp/fc1/MatMul",
                expected: "rank 2 for MatMul", found: [4])
        ) {
            try mapping(model)
        }
    }

    @Test func missingExternalDataIsNamed() throws {
        let folder = try ONNXFixture.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = ONNXFixture.folder("openai-bf16")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("onnx"), withIntermediateDirectories: true)
        for file in ["config.json", "onnx/text_model.onnx"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: folder.appendingPathComponent(file))
        }
        let export = try ONNXExport.locate(in: folder)
        do {
            _ = try export.loadNetwork(towers: .text)
            Issue.record("expected an error")
        } catch let ONNXError.missingExternalData(_, _, location) {
            #expect(location == "text_model.onnx_data")
        }
        // A truncated external file.
        let data = try Data(contentsOf: source.appendingPathComponent("onnx/text_model.onnx_data"))
        try data.prefix(data.count / 2).write(to: folder.appendingPathComponent("onnx/text_model.onnx_data"))
        #expect(throws: ONNXError.self) { try export.loadNetwork(towers: .text) }
    }

    @Test func configurationMismatchesAreTyped() throws {
        let folder = try ONNXFixture.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = ONNXFixture.folder("openai-bf16")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("onnx"), withIntermediateDirectories: true)
        for file in ["onnx/vision_model.onnx"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: folder.appendingPathComponent(file))
        }
        // The graph computes quick_gelu; laion's config.json says gelu.
        try FileManager.default.copyItem(
            at: ONNXFixture.folder("laion-f16").appendingPathComponent("config.json"),
            to: folder.appendingPathComponent("config.json"))
        do {
            _ = try ONNXExport.locate(in: folder).loadNetwork(towers: .vision)
            Issue.record("expected an error")
        } catch let ONNXError.activationMismatch(_, scope, graph, configuration) {
            #expect(scope.hasPrefix("vision_model") && graph == "quick_gelu" && configuration == "gelu")
        }
        // Initializer shapes that disagree with config.json: a wider vision tower.
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: source.appendingPathComponent("config.json"))) as! [String: Any]
        var vision = config["vision_config"] as! [String: Any]
        vision["intermediate_size"] = 64
        config["vision_config"] = vision
        try JSONSerialization.data(withJSONObject: config).write(to: folder.appendingPathComponent("config.json"))
        #expect(throws: CLIPNetworkError.self) { try ONNXExport.locate(in: folder).loadNetwork(towers: .vision) }
    }
}

extension ONNXErrorTests {
    @Test func absurdDimensionsAreRejected() {
        let url = URL(fileURLWithPath: "/tmp/test.onnx")
        for dims in [[-1, 4], [1 << 30, 1 << 30, 1 << 30]] {
            let tensor = ProtobufWriter.tensor(name: "w", dims: dims, dataType: 1, raw: [])
            #expect(throws: ONNXError.self) { try ONNXModel(data: ProtobufWriter.model(nodes: [], initializers: [tensor]), url: url) }
        }
    }
}
