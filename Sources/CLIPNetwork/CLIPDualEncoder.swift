import Foundation
import TensorKernels

/// A loaded CLIP checkpoint: the text tower, the vision tower (either may be left out) and the
/// learned logit scale.
///
/// Mirrors `CLIPModel` of transformers' `modeling_clip.py` (5.x); also opens
/// `CLIPTextModelWithProjection` and `CLIPVisionModelWithProjection` checkpoints (one tower, no
/// logit scale). Immutable after loading and safe to share between threads.
public struct CLIPDualEncoder: Sendable {
    /// Which towers to load.
    public struct Towers: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// `text_model` and `text_projection`.
        public static let text = Towers(rawValue: 1)
        /// `vision_model` and `visual_projection`.
        public static let vision = Towers(rawValue: 2)
        /// Both.
        public static let all: Towers = [.text, .vision]
    }

    /// The decoded `config.json`.
    public let configuration: CLIPConfiguration
    /// The text tower, when requested and present in the checkpoint.
    public let textTower: CLIPTextTower?
    /// The vision tower, when requested and present in the checkpoint.
    public let visionTower: CLIPVisionTower?
    /// `exp(logit_scale)`: the factor that turns cosines into logits (nil for one-tower checkpoints).
    public let logitScale: Float?

    /// Opens `config.json` and `model.safetensors` in `directory`; `precision` is how the encoder
    /// layers' and projections' linear weights are stored and multiplied (fp32 by default).
    /// - Throws: `CLIPNetworkError` naming the file, tensor key or field at fault.
    public init(directory: URL, towers: Towers = .all, precision: LinearWeights.Precision = .float32) throws {
        let configuration = try CLIPConfiguration(contentsOf: directory.appendingPathComponent("config.json"))
        let file = try SafeTensorsFile(contentsOf: directory.appendingPathComponent("model.safetensors"))
        try self.init(configuration: configuration, weights: file, towers: towers, precision: precision)
    }

    /// Builds the requested towers from `weights` (a `SafeTensorsFile`, or any other source of
    /// Hugging Face-keyed tensors), strictly: every tensor of the source must be used (tensors of a
    /// tower that was not requested, and `*.position_ids` buffers, are skipped).
    public init(
        configuration: CLIPConfiguration, weights source: some CLIPTensorSource, towers: Towers = .all,
        precision: LinearWeights.Precision = .float32
    ) throws {
        // No silent fallback: bf16 asked for on a CPU without its instructions is an error.
        guard Kernels.supportedPrecisions.contains(precision) else {
            throw CLIPNetworkError.unsupportedPrecision(
                requested: precision.rawValue, supported: Kernels.supportedPrecisions.map(\.rawValue),
                reason: "bf16 needs AVX-512 with AVX512_BF16 (vdpbf16ps), which this CPU lacks")
        }
        self.configuration = configuration
        let weights = CLIPWeights(source: source, precision: precision)
        let root = weights.root
        let (textModel, textProjection) = ("text_model", "text_projection")
        let (visionModel, visionProjection) = ("vision_model", "visual_projection")
        let hasText = configuration.architecture != .visionWithProjection
        let hasVision = configuration.architecture != .textWithProjection
        if hasText && towers.contains(.text) {
            textTower = try CLIPTextTower(
                model: root.scope(textModel), projection: root.scope(textProjection),
                configuration: configuration.text, projectionDimension: configuration.projectionDimension)
        } else {
            textTower = nil
            weights.skip(prefix: textModel + ".")
            weights.skip(prefix: textProjection + ".")
        }
        if hasVision && towers.contains(.vision) {
            visionTower = try CLIPVisionTower(
                model: root.scope(visionModel), projection: root.scope(visionProjection),
                configuration: configuration.vision, projectionDimension: configuration.projectionDimension)
        } else {
            visionTower = nil
            weights.skip(prefix: visionModel + ".")
            weights.skip(prefix: visionProjection + ".")
        }
        if configuration.architecture == .dualEncoder && (source.requiresLogitScale || weights.contains("logit_scale")) {
            // CLIPModel.logit_scale: a 0-d parameter holding log(scale).
            logitScale = expf(try root.tensor("logit_scale", shape: [])[0])
        } else {
            logitScale = nil
        }
        try weights.finish()
        // The heap pages freed by loading (each tensor's converted copy, dropped once packed) go
        // back to the system instead of staying resident for the life of the process.
        Kernels.releaseFreedMemory()
    }

    /// Projected, unnormalised text features (`get_text_features`): `[n, projection]`.
    public func textFeatures(_ sequences: [[Int]], batching: TextBatching = .exactLength) throws -> Matrix {
        try requireText().features(sequences, batching: batching)
    }

    /// L2-normalised text embeddings (`text_embeds`): `[n, projection]`.
    public func textEmbeddings(_ sequences: [[Int]], batching: TextBatching = .exactLength) throws -> Matrix {
        try requireText().embeddings(sequences, batching: batching)
    }

    /// Projected, unnormalised image features (`get_image_features`): `[n, channels · size · size]`
    /// → `[n, projection]`.
    public func imageFeatures(_ pixelValues: Matrix) throws -> Matrix {
        try requireVision().features(pixelValues)
    }

    /// L2-normalised image embeddings (`image_embeds`): `[n, channels · size · size]` → `[n, projection]`.
    public func imageEmbeddings(_ pixelValues: Matrix) throws -> Matrix {
        try requireVision().embeddings(pixelValues)
    }

    /// `logits_per_image = exp(logit_scale) · image · textᵀ` for L2-normalised embeddings:
    /// `[images, d] × [texts, d] → [images, texts]` (transpose for `logits_per_text`).
    /// - Throws: `.towerNotLoaded` without a logit scale, `.embeddingDimensionMismatch`.
    public func logitsPerImage(imageEmbeddings: Matrix, textEmbeddings: Matrix) throws -> Matrix {
        try logitsPerImage(imageEmbeddings: imageEmbeddings, textEmbeddings: textEmbeddings, recorder: nil)
    }

    package func logitsPerImage(imageEmbeddings: Matrix, textEmbeddings: Matrix, recorder: ActivationRecorder?) throws -> Matrix {
        guard let logitScale else { throw CLIPNetworkError.towerNotLoaded(tower: "logit_scale (dual-encoder)") }
        guard imageEmbeddings.columns == textEmbeddings.columns else {
            throw CLIPNetworkError.embeddingDimensionMismatch(image: imageEmbeddings.columns, text: textEmbeddings.columns)
        }
        var logits = Kernels.matmulTransposed(imageEmbeddings, textEmbeddings)
        for i in logits.values.indices { logits.values[i] *= logitScale }
        recorder?.record("logits_per_image", logits)
        return logits
    }

    func requireText() throws -> CLIPTextTower {
        guard let textTower else { throw CLIPNetworkError.towerNotLoaded(tower: "text") }
        return textTower
    }

    func requireVision() throws -> CLIPVisionTower {
        guard let visionTower else { throw CLIPNetworkError.towerNotLoaded(tower: "vision") }
        return visionTower
    }
}
