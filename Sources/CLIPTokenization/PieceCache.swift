import Foundation

/// A thread-safe cache of piece → ids, shared by all callers of one tokenizer.
///
/// Keys are the piece's bytes packed into three words, so pieces up to 24 bytes (nearly every word)
/// are cached without allocating; longer pieces are not cached. When `capacity` entries are stored the
/// cache stops growing (as `tokenizers`' BPE cache does), which bounds memory on adversarial input.
final class PieceCache: @unchecked Sendable {
    struct Key: Hashable {
        var w0: UInt64 = 0
        var w1: UInt64 = 0
        var w2: UInt64 = 0
        var count: Int = 0

        static let maxBytes = 24

        /// `nil` when the piece is longer than `maxBytes`.
        @inline(__always)
        init?(_ bytes: [UInt8], _ range: Range<Int>) {
            guard range.count <= Self.maxBytes else { return nil }
            count = range.count
            var i = range.lowerBound
            var shift: UInt64 = 0
            var word = 0
            while i < range.upperBound {
                let b = UInt64(bytes[i]) << shift
                switch word {
                case 0: w0 |= b
                case 1: w1 |= b
                default: w2 |= b
                }
                shift += 8
                if shift == 64 {
                    shift = 0
                    word += 1
                }
                i += 1
            }
        }
    }

    private let lock = NSLock()
    private var table: [Key: [Int32]] = [:]
    let capacity: Int

    init(capacity: Int = 65_536) {
        self.capacity = capacity
    }

    @inline(__always)
    func lookup(_ key: Key) -> [Int32]? {
        lock.lock()
        defer { lock.unlock() }
        return table[key]
    }

    func insert(_ key: Key, _ ids: [Int32]) {
        lock.lock()
        defer { lock.unlock() }
        if table.count < capacity { table[key] = ids }
    }

    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return table.count
    }
}
