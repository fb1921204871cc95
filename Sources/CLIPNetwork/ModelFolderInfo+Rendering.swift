import Foundation

extension ModelFolderInfo {
    /// A human-readable report, one fact per line.
    public func rendered() -> String {
        var lines = ["Model folder: \(directory)"]
        if let c = configuration {
            let kind: String
            switch c.architecture {
            case .dualEncoder: kind = "CLIPModel (text + vision)"
            case .textWithProjection: kind = "CLIPTextModelWithProjection (text only)"
            case .visionWithProjection: kind = "CLIPVisionModelWithProjection (vision only)"
            }
            lines.append("Architecture: \(kind), projection \(c.projectionDimension), logit_scale init \(c.logitScaleInitValue)")
            if c.architecture != .visionWithProjection {
                let t = c.text
                let pooling =
                    t.pooling == .highestTokenID
                    ? "highest token id (legacy eos_token_id 2)" : "first eos_token_id \(t.eosTokenID)"
                lines.append(
                    "Text tower:   \(t.layerCount) layers, hidden \(t.hiddenSize), \(t.attentionHeads) heads, "
                        + "intermediate \(t.intermediateSize), \(t.activation.rawValue), \(t.maxPositions) positions, "
                        + "vocab \(t.vocabularySize), pooling: \(pooling)")
            }
            if c.architecture != .textWithProjection {
                let v = c.vision
                lines.append(
                    "Vision tower: \(v.layerCount) layers, hidden \(v.hiddenSize), \(v.attentionHeads) heads, "
                        + "intermediate \(v.intermediateSize), \(v.activation.rawValue), image \(v.imageSize), "
                        + "patch \(v.patchSize) (\(v.tokenCount) tokens), \(v.channels) channels")
            }
        } else if let configurationError {
            lines.append("Configuration: unusable: \(configurationError)")
        }
        if let w = weights {
            let dtypes = w.dtypes.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
            let megabytes = String(format: "%.1f", Double(w.fileBytes) / 1_000_000)
            lines.append("Weights:      \(Self.grouped(w.parameterCount)) parameters in \(w.tensorCount) tensors (\(dtypes)), \(megabytes) MB")
            if !w.metadata.isEmpty {
                lines.append("Metadata:     " + w.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))
            }
        }
        if let weightsError {
            lines.append("Weights:      unusable: \(weightsError)")
        } else if verified {
            lines.append("Verified:     every tensor loaded strictly into both towers")
        }
        lines.append("Files:")
        for file in files {
            lines.append("  [\(file.present ? "x" : " ")] \(file.name.padding(toLength: 26, withPad: " ", startingAt: 0)) \(file.role)")
        }
        return lines.joined(separator: "\n")
    }

    /// The report as pretty-printed JSON (configuration fields use Hugging Face names).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// `151277313` → `151,277,313` (also for `CLIPONNX`'s `ONNXExportInfo`).
    package static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }
}
