import CLIPImageProcessing
import CLIPNetwork
import CLIPONNX
import CLIPTokenization
import FashionCLIPHub
import Foundation

/// A CLIP checkpoint ready to embed texts and images: the network, its tokenizer and its image
/// processor, opened from a Hugging Face model folder.
///
/// ```swift
/// let model = try FashionCLIPModel("patrickjohncyh/fashion-clip")   // or a folder path
/// let texts = try model.embedTexts(["a red dress", "white sneakers"])   // [2][512], L2-normalised
/// let images = model.embedImages([.file(url)])                           // per-item results
/// ```
///
/// Immutable after opening: one instance may serve any number of concurrent callers.
public final class FashionCLIPModel: Sendable {
    /// The model folder (a Hugging Face cache snapshot when opened by repo id).
    public let folder: URL
    /// The options it was opened with.
    public let options: ModelOptions
    /// Width of the shared embedding space (`projection_dim`; 512 for ViT-B/32).
    public let embeddingDimension: Int
    /// `exp(logit_scale)`: cosine → logit factor (100 for OpenAI CLIP); nil for one-tower checkpoints.
    public let logitScale: Float?
    /// Most token ids a text may have, BOS and EOS included (`max_position_embeddings`, 77).
    public let maxTextLength: Int

    let network: CLIPDualEncoder
    let tokenizer: CLIPTokenizer?
    let imageProcessor: CLIPImageProcessor?

    /// Opens `reference`: a folder path, or a Hugging Face id `ORG/NAME[@REVISION]` found in the local
    /// Hugging Face cache (see `ModelLocator`).
    /// - Throws: `HubError` when the reference resolves to nothing, then as `init(folder:options:)`.
    public convenience init(
        _ reference: String, options: ModelOptions = ModelOptions(),
        locator: ModelLocator = ModelLocator()
    ) throws {
        try self.init(folder: try locator.locate(reference).folder, options: options)
    }

    /// Opens the model folder at `folder`, checking up front that every file the requested towers need
    /// is there. A folder without `model.safetensors` may hold an ONNX export instead (itself, or in
    /// its `onnx/` subfolder; see `ONNXExport`); `options.onnxVariant` picks an export explicitly.
    /// - Throws: `FashionCLIPError.missingFile` / `.pickleWeightsOnly` naming the file, `ONNXError.noModel`
    ///   when the requested ONNX variant is absent, then the
    ///   loaders' typed errors (`CLIPNetworkError`, `ONNXError`, `TokenizerError`, `ImageProcessingError`).
    public init(folder: URL, options: ModelOptions = ModelOptions()) throws {
        // ONNX-only folders (`onnx/model.onnx` or split exports, no model.safetensors): the network
        // comes from the export, tokenizer and preprocessor files from the folder beside its config.json.
        let onnx = try ONNXExport.select(in: folder, variant: options.onnxVariant)
        let assets = onnx?.assetsDirectory ?? folder
        let files = ModelLocator.files(in: assets)
        let folderPath = assets.path
        func require(_ file: String, for purpose: String) throws {
            guard files.contains(file) else {
                throw FashionCLIPError.missingFile(folder: folderPath, file: file, needed: purpose)
            }
        }
        try require("config.json", for: "the architecture")
        if onnx == nil && !files.contains("model.safetensors") {
            let pickle = folder.appendingPathComponent("pytorch_model.bin").path
            if FileManager.default.fileExists(atPath: pickle) {
                throw FashionCLIPError.pickleWeightsOnly(folder: folderPath)
            }
            try require("model.safetensors", for: "the weights")
        }
        let wantsText = options.towers != .visionOnly
        let wantsVision = options.towers != .textOnly
        if wantsText && !files.contains("tokenizer.json") {
            try require("vocab.json", for: "the tokenizer (or tokenizer.json)")
            try require("merges.txt", for: "the tokenizer (or tokenizer.json)")
        }
        if wantsVision {
            try require("preprocessor_config.json", for: "image preprocessing")
        }
        let towers: CLIPDualEncoder.Towers = wantsText && wantsVision ? .all : (wantsText ? .text : .vision)
        network =
            try onnx.map { try $0.loadNetwork(towers: towers, precision: options.precision) }
            ?? CLIPDualEncoder(directory: folder, towers: towers, precision: options.precision ?? .float32)
        tokenizer = wantsText ? try CLIPTokenizer(folder: assets) : nil
        imageProcessor =
            wantsVision
            ? try CLIPImageProcessor(
                configURL: assets.appendingPathComponent("preprocessor_config.json"), options: options.imageDecoding)
            : nil
        self.folder = folder
        self.options = options
        embeddingDimension = network.configuration.projectionDimension
        logitScale = network.logitScale
        maxTextLength = min(CLIPTokenizer.defaultMaxLength, network.configuration.text.maxPositions)
    }

    /// The decoded `config.json`.
    public var configuration: CLIPConfiguration { network.configuration }

    /// Whether texts can be embedded: the text tower and the tokenizer are loaded.
    public var embedsTexts: Bool { network.textTower != nil && tokenizer != nil }

    /// Whether images can be embedded: the vision tower and the image processor are loaded.
    public var embedsImages: Bool { network.visionTower != nil && imageProcessor != nil }

    /// `exp(logit_scale) · cosine` for two L2-normalised embeddings.
    /// - Throws: `FashionCLIPError.towerUnavailable` for one-tower checkpoints (no logit scale).
    public func logit(cosine: Float) throws -> Float {
        guard let logitScale else {
            throw FashionCLIPError.towerUnavailable(
                folder: folder.path, tower: "logit scale", reason: "a one-tower checkpoint has no logit_scale")
        }
        return logitScale * cosine
    }
}
