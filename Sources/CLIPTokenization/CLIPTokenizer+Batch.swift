import Foundation

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
    /// Encodes several texts (in parallel for large batches), truncates to `maxLength` and pads.
    ///
    /// - Precondition: `padding == .maxLength` needs a `maxLength`.
    /// - Returns: `ids` and `attentionMask`, each `[texts.count][L]`.
    public func encodeBatch(_ texts: [String], padding: PaddingStrategy = .none,
                            maxLength: Int? = CLIPTokenizer.defaultMaxLength) -> BatchEncoding {
        precondition(padding != .maxLength || maxLength != nil, "padding to max length needs a maxLength")
        var ids = encodeAll(texts, maxLength: maxLength)
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

    /// `encode` over many texts; chunks run concurrently when the batch is large enough to pay for it.
    func encodeAll(_ texts: [String], maxLength: Int?) -> [[Int32]] {
        let chunkSize = 256
        guard texts.count >= 2 * chunkSize else { return texts.map { encode($0, maxLength: maxLength) } }
        let chunks = (texts.count + chunkSize - 1) / chunkSize
        let results = ChunkResults(count: chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = chunk * chunkSize..<min(texts.count, (chunk + 1) * chunkSize)
            results.store(chunk, texts[range].map { encode($0, maxLength: maxLength) })
        }
        return results.joined()
    }
}

/// Per-chunk results written by concurrent workers (each chunk once, under a lock).
private final class ChunkResults: @unchecked Sendable {
    private let lock = NSLock()
    private var chunks: [[[Int32]]]

    init(count: Int) { chunks = Array(repeating: [], count: count) }

    func store(_ index: Int, _ rows: [[Int32]]) {
        lock.lock()
        chunks[index] = rows
        lock.unlock()
    }

    func joined() -> [[Int32]] {
        lock.lock()
        defer { lock.unlock() }
        return Array(chunks.joined())
    }
}
