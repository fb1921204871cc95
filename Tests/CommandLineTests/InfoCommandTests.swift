import Foundation
import Testing

/// `fashionclip info` on folders that hold only an ONNX export (Fixtures/onnx), text and `--json`.
@Suite struct InfoCommandTests {
    static func onnxFolder(_ name: String) -> String { CommandRunner.root.appendingPathComponent("Fixtures/onnx/\(name)").path }

    @Test func combinedFP32ExportIsDescribed() throws {
        let out = try CommandRunner.run(["info", "--model", Self.onnxFolder("fashionclip-f32")])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.text.contains("ONNX export:") && out.text.contains("(combined, fp32); runs in float32"), "\(out.text)")
        #expect(out.text.contains("onnx/model.onnx:") && out.text.contains("opset 18"), "\(out.text)")
        #expect(out.text.contains("model_quantized.onnx"), "the int8 file is listed as present")
        #expect(!out.text.contains("unusable"), "\(out.text)")

        // The same parameter count as the model's safetensors checkpoint.
        let json = try #require(
            try CommandRunner.run(["info", "--model", Self.onnxFolder("fashionclip-f32"), "--json", "--verify"]).json()
                as? [String: Any])
        let onnx = try #require(json["onnx"] as? [String: Any])
        #expect(onnx["layout"] as? String == "combined" && onnx["variant"] as? String == "fp32" && onnx["precision"] as? String == "float32")
        #expect(onnx["verified"] as? Bool == true)
        let file = try #require((onnx["files"] as? [[String: Any]])?.first)
        let native = try #require(try CommandRunner.run(["info", "--model", CommandRunner.model, "--json"]).json() as? [String: Any])
        let nativeWeights = try #require(native["weights"] as? [String: Any])
        #expect(file["parameter_count"] as? Int == nativeWeights["parameterCount"] as? Int)
        #expect(file["opset"] as? Int == 18 && (file["outputs"] as? [String])?.contains("logits_per_image") == true)
        #expect((json["configuration"] as? [String: Any]) != nil && json["weights_error"] == nil)
        let kernels = try #require(native["kernels"] as? [String: Any])
        #expect((kernels["precisions"] as? [String])?.contains("float32") == true && (kernels["threads"] as? Int ?? 0) >= 1)
        #expect(["avx512", "avx2", "scalar"].contains(kernels["isa"] as? String ?? ""), "isa \(kernels["isa"] ?? "none")")
    }

    @Test func dynamicInt8ExportRunsInInt8() throws {
        // A folder holding only the int8 file (and config.json).
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("info-int8-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = URL(fileURLWithPath: Self.onnxFolder("fashionclip-f32"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("onnx"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: source.appendingPathComponent("config.json"), to: folder.appendingPathComponent("config.json"))
        try FileManager.default.copyItem(
            at: source.appendingPathComponent("onnx/model_quantized.onnx"),
            to: folder.appendingPathComponent("onnx/model_quantized.onnx"))
        let text = try CommandRunner.run(["info", "--model", folder.path])
        #expect(text.status == 0 && text.text.contains("(combined, int8); runs in int8"), "\(text.text)\(text.stderr)")
        let json = try #require(try CommandRunner.run(["info", "--model", folder.path, "--json"]).json() as? [String: Any])
        let onnx = try #require(json["onnx"] as? [String: Any])
        #expect(onnx["variant"] as? String == "int8" && onnx["precision"] as? String == "int8")
        let file = try #require((onnx["files"] as? [[String: Any]])?.first)
        #expect(file["dynamic_int8"] as? Bool == true && (file["producer"] as? String)?.hasPrefix("onnx.quantize") == true)
        let types = try #require(file["weight_types"] as? [String: Int])
        #expect((types["INT8"] ?? 0) >= 19, "every linear layer stored int8: \(types)")
    }

    @Test func splitExportListsBothFiles() throws {
        let json = try #require(try CommandRunner.run(["info", "--model", Self.onnxFolder("openai-bf16"), "--json"]).json() as? [String: Any])
        let onnx = try #require(json["onnx"] as? [String: Any])
        #expect(onnx["layout"] as? String == "split")
        let names = (onnx["files"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == ["onnx/text_model.onnx", "onnx/vision_model.onnx"])
    }

    @Test func onnxOptionPicksTheVariant() throws {
        let folder = Self.onnxFolder("fashionclip-f32")
        let int8 = try CommandRunner.run(["info", "--model", folder, "--onnx", "int8"])
        #expect(int8.status == 0 && int8.text.contains("(combined, int8); runs in int8"), "\(int8.text)\(int8.stderr)")
        let missing = try CommandRunner.run(["info", "--model", folder, "--onnx", "fp16"])
        #expect(missing.status != 0 && missing.stderr.contains("model_fp16.onnx"), "\(missing.stderr)")
        let unknown = try CommandRunner.run(["info", "--model", folder, "--onnx", "q4"])
        #expect(unknown.status != 0 && unknown.stderr.contains("Please provide one of 'fp32', 'fp16' or 'int8'"), "\(unknown.stderr)")
    }
}
