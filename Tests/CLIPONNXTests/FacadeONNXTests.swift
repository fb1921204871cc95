import FashionCLIP
import Foundation
import Testing

/// `FashionCLIPModel` opens folders that hold only an ONNX export, with the same results as the
/// safetensors folder of the same model.
@Suite struct FacadeONNXTests {
    /// A copy of a model zoo's `onnx/` folder: the export plus config, tokenizer and preprocessor files.
    func onnxFolder(_ name: String, files: [String], in root: URL) throws -> URL {
        let fm = FileManager.default
        let onnx = root.appendingPathComponent("onnx")
        try fm.createDirectory(at: onnx, withIntermediateDirectories: true)
        let source = ONNXFixture.folder(name)
        for file in files {
            try fm.copyItem(at: source.appendingPathComponent("onnx/\(file)"), to: onnx.appendingPathComponent(file))
        }
        for file in ["config.json", "preprocessor_config.json"] {
            try fm.copyItem(at: source.appendingPathComponent(file), to: onnx.appendingPathComponent(file))
        }
        for file in ["vocab.json", "merges.txt", "tokenizer.json", "tokenizer_config.json"] {
            try fm.copyItem(at: ONNXFixture.root.appendingPathComponent("Fixtures/tokenizer/\(file)"), to: onnx.appendingPathComponent(file))
        }
        return onnx
    }

    @Test func onnxFolderAloneIsEnough() throws {
        let root = try ONNXFixture.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let onnx = try onnxFolder("fashionclip-f32", files: ["model.onnx"], in: root)
        let native = try FashionCLIPModel(folder: ONNXFixture.safetensorsFolder("fashionclip-f32"))
        let texts = ["a red dress", "white leather sneakers", ""]
        let expected = try native.embedTexts(texts)
        // `--model path/to/onnx`, and the folder above it.
        for folder in [onnx, root] {
            let model = try FashionCLIPModel(folder: folder)
            #expect(try model.embedTexts(texts) == expected)
            #expect(model.logitScale == native.logitScale)
            #expect(model.embeddingDimension == native.embeddingDimension)
        }
    }

    @Test func splitExportsOpenWithoutALogitScale() throws {
        let root = try ONNXFixture.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let onnx = try onnxFolder("openai-bf16", files: ["text_model.onnx", "text_model.onnx_data", "vision_model.onnx"], in: root)
        let model = try FashionCLIPModel(folder: onnx)
        let native = try FashionCLIPModel(folder: ONNXFixture.safetensorsFolder("openai-bf16"))
        #expect(try model.embedTexts(["a blue shirt"]) == native.embedTexts(["a blue shirt"]))
        #expect(model.logitScale == nil)
    }
}
