import CLIPONNX
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

    @Test func onnxVariantPicksTheExport() throws {
        let root = try ONNXFixture.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let both = try onnxFolder("fashionclip-f32", files: ["model.onnx", "model_quantized.onnx"], in: root.appendingPathComponent("both"))
        let int8Only = try onnxFolder("fashionclip-f32", files: ["model_quantized.onnx"], in: root.appendingPathComponent("int8"))
        let texts = ["a red dress", "white leather sneakers"]
        let fp32 = try FashionCLIPModel(folder: both).embedTexts(texts)
        let int8 = try FashionCLIPModel(folder: int8Only).embedTexts(texts)
        #expect(fp32 != int8, "the int8 export gives other embeddings")
        // Both files present: fp32 by default, the int8 file when asked for.
        #expect(try FashionCLIPModel(folder: both, options: ModelOptions(onnxVariant: .fp32)).embedTexts(texts) == fp32)
        #expect(try FashionCLIPModel(folder: both, options: ModelOptions(onnxVariant: .int8)).embedTexts(texts) == int8)
        #expect(ModelOptions.ONNXVariant(name: "int8") == .int8 && ModelOptions.ONNXVariant.fp16.name == "fp16" && ModelOptions.ONNXVariant(name: "q8") == nil)
        // A variant the folder lacks is an error naming the files looked for.
        let missing = #expect(throws: ONNXError.self) { try FashionCLIPModel(folder: both, options: ModelOptions(onnxVariant: .fp16)) }
        guard case .noModel(_, let lookedFor)? = missing else {
            Issue.record("got \(String(describing: missing))")
            return
        }
        #expect(lookedFor == ["model_fp16.onnx", "text_model_fp16.onnx", "vision_model_fp16.onnx"])
    }
}
