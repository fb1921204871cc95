import Foundation
import TensorKernels

/// A CLIP `config.json`: both towers' hyper-parameters, the projection width and the logit scale's
/// initial value.
///
/// Mirrors `CLIPConfig` of transformers' `configuration_clip.py` (5.x), including its legacy
/// `text_config_dict` / `vision_config_dict` keys, which replace the whole tower configuration (the
/// reference rebuilds it from the dict with defaults and overwrites every field). A `config.json` of a
/// `CLIPTextModelWithProjection` (`model_type: clip_text_model`) or `CLIPVisionModelWithProjection`
/// (`clip_vision_model`) holds one tower at its root; the other tower then keeps defaults and is
/// unavailable.
public struct CLIPConfiguration: Sendable, Equatable {
    /// What kind of checkpoint the configuration describes.
    public enum Architecture: String, Sendable, Equatable, CaseIterable {
        /// `CLIPModel` (`model_type: clip`): both towers, both projections, `logit_scale`.
        case dualEncoder = "clip"
        /// `CLIPTextModelWithProjection` (`model_type: clip_text_model`).
        case textWithProjection = "clip_text_model"
        /// `CLIPVisionModelWithProjection` (`model_type: clip_vision_model`).
        case visionWithProjection = "clip_vision_model"
    }

    /// The kind of checkpoint.
    public var architecture: Architecture = .dualEncoder
    /// `text_config`.
    public var text = CLIPTextConfiguration()
    /// `vision_config`.
    public var vision = CLIPVisionConfiguration()
    /// `projection_dim` (512): width of the shared embedding space.
    public var projectionDimension = 512
    /// `logit_scale_init_value` (2.6592 = ln(1/0.07)); the trained value lives in the checkpoint.
    public var logitScaleInitValue: Float = 2.6592

    /// transformers' defaults: a ViT-B/32 CLIP.
    public init() {}

    /// Reads and validates `config.json`.
    /// - Throws: `CLIPNetworkError.fileNotFound`, `.invalidConfiguration` naming the field, or
    ///   `.unsupportedActivation`.
    public init(contentsOf url: URL) throws {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CLIPNetworkError.fileNotFound(path: url.path, hint: "A model folder needs the config.json saved with its weights.")
        }
        let data: Data
        do {
            try MappedFile.requireRegularFile(url)  // a FIFO would block the read forever
            data = try Data(contentsOf: url)
        } catch let failure as MappedFile.Failure {
            throw CLIPNetworkError.unreadableFile(path: url.path, reason: failure.reason)
        } catch {
            throw CLIPNetworkError.unreadableFile(path: url.path, reason: "\(error)")
        }
        try self.init(json: data, path: url.path)
    }

    /// Decodes the bytes of a `config.json`; `path` names it in errors.
    public init(json data: Data, path: String = "config.json") throws {
        do {
            self = try JSONDecoder().decode(CLIPConfiguration.self, from: data)
        } catch let error as CLIPNetworkError {
            throw error
        } catch let error as DecodingError {
            throw CLIPNetworkError.invalidConfiguration(path: path, field: error.fieldPath, reason: error.reason)
        } catch {
            throw CLIPNetworkError.invalidConfiguration(path: path, field: "(root)", reason: "\(error)")
        }
    }
}

extension CLIPConfiguration: Codable {
    enum CodingKeys: String, CodingKey {
        case modelType = "model_type"
        case text = "text_config"
        case textDict = "text_config_dict"
        case vision = "vision_config"
        case visionDict = "vision_config_dict"
        case projectionDimension = "projection_dim"
        case logitScaleInitValue = "logit_scale_init_value"
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let modelType = try c.decodeIfPresent(String.self, forKey: .modelType) ?? Architecture.dualEncoder.rawValue
        guard let architecture = Architecture(rawValue: modelType) else {
            throw DecodingError.dataCorruptedError(
                forKey: .modelType, in: c,
                debugDescription: "expected \"clip\", \"clip_text_model\" or \"clip_vision_model\", found \"\(modelType)\"")
        }
        self.architecture = architecture
        switch architecture {
        case .dualEncoder:
            text =
                try c.decodeIfPresent(CLIPTextConfiguration.self, forKey: .textDict)
                ?? c.decodeIfPresent(CLIPTextConfiguration.self, forKey: .text) ?? text
            vision =
                try c.decodeIfPresent(CLIPVisionConfiguration.self, forKey: .visionDict)
                ?? c.decodeIfPresent(CLIPVisionConfiguration.self, forKey: .vision) ?? vision
            projectionDimension = try c.decodePositive(.projectionDimension) ?? projectionDimension
            logitScaleInitValue = try c.decodeIfPresent(Float.self, forKey: .logitScaleInitValue) ?? logitScaleInitValue
        case .textWithProjection:
            text = try CLIPTextConfiguration(from: decoder)
            projectionDimension = text.projectionDimension
        case .visionWithProjection:
            vision = try CLIPVisionConfiguration(from: decoder)
            projectionDimension = vision.projectionDimension
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch architecture {
        case .dualEncoder:
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(architecture.rawValue, forKey: .modelType)
            try c.encode(text, forKey: .text)
            try c.encode(vision, forKey: .vision)
            try c.encode(projectionDimension, forKey: .projectionDimension)
            try c.encode(logitScaleInitValue, forKey: .logitScaleInitValue)
        case .textWithProjection:
            try text.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(architecture.rawValue, forKey: .modelType)
        case .visionWithProjection:
            try vision.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(architecture.rawValue, forKey: .modelType)
        }
    }
}

extension DecodingError {
    /// The dotted JSON path of the offending field, e.g. `text_config.hidden_act`.
    var fieldPath: String {
        let path: [any CodingKey]
        switch self {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            path = context.codingPath
        case .keyNotFound(let key, let context):
            path = context.codingPath + [key]
        @unknown default:
            path = []
        }
        let names = path.map { $0.intValue.map(String.init) ?? $0.stringValue }
        return names.isEmpty ? "(root)" : names.joined(separator: ".")
    }

    /// What went wrong, without the coding path.
    var reason: String {
        switch self {
        case .typeMismatch(let type, let context): return "expected \(type): \(context.debugDescription)"
        case .valueNotFound(let type, let context): return "expected \(type): \(context.debugDescription)"
        case .keyNotFound(_, let context): return context.debugDescription
        case .dataCorrupted(let context):
            let underlying = context.underlyingError.map { " (\($0.localizedDescription))" } ?? ""
            return context.debugDescription + underlying
        @unknown default: return "\(self)"
        }
    }
}
