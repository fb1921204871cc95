/// How `encodeBatch` pads its sequences (on the right, with `padTokenID`, attention mask 0).
public enum PaddingStrategy: Sendable, Equatable {
    /// Ragged: each sequence keeps its own length (`padding=False`).
    case none
    /// To the longest sequence of the batch (`padding="longest"` / `True`).
    case longest
    /// To `maxLength` (`padding="max_length"`).
    case maxLength
}

/// Ids and attention masks of a batch: `[batch][length]`, rows of equal length unless padding is `.none`.
public struct BatchEncoding: Sendable, Equatable {
    public var ids: [[Int32]]
    public var attentionMask: [[Int32]]
}

extension CLIPTokenizer {
    /// Encodes several texts, truncates each to `maxLength` and pads.
    ///
    /// Runs on the calling thread: at well under a microsecond per product title, spreading a batch over
    /// threads costs more in piece-cache lock contention than it gains. `encode` may be called concurrently.
    ///
    /// - Precondition: `padding == .maxLength` needs a `maxLength`.
    /// - Returns: `ids` and `attentionMask`, each `[texts.count][L]`.
    public func encodeBatch(
        _ texts: [String], padding: PaddingStrategy = .none,
        maxLength: Int? = CLIPTokenizer.defaultMaxLength
    ) -> BatchEncoding {
        precondition(padding != .maxLength || maxLength != nil, "padding to max length needs a maxLength")
        var ids = texts.map { encode($0, maxLength: maxLength) }
        let target: Int
        switch padding {
        case .none: target = 0
        case .longest: target = ids.map(\.count).max() ?? 0
        case .maxLength: target = maxLength!
        }
        var masks: [[Int32]] = []
        masks.reserveCapacity(ids.count)
        for row in ids.indices {
            let length = ids[row].count
            var mask = [Int32](repeating: 1, count: length)
            if length < target {
                ids[row].append(contentsOf: repeatElement(padTokenID, count: target - length))
                mask.append(contentsOf: repeatElement(0, count: target - length))
            }
            masks.append(mask)
        }
        return BatchEncoding(ids: ids, attentionMask: masks)
    }
}
