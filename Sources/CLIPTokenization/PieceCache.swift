import Synchronization

/// A thread-safe cache of piece → ids, shared by all callers of one tokenizer.
///
/// Open addressing over keys that pack a piece's bytes into three words, so pieces up to 24 bytes
/// (nearly every word) are looked up without allocating or SipHash; ids live in one arena. Longer
/// pieces are not cached. At `capacity` entries the cache stops growing (as `tokenizers`' BPE cache
/// does), which bounds memory on adversarial input.
final class PieceCache: Sendable {
    struct Key: Equatable {
        var w0: UInt64 = 0
        var w1: UInt64 = 0
        var w2: UInt64 = 0
        /// Byte count; 0 marks an empty slot (pieces are never empty).
        var count: UInt64 = 0

        static let maxBytes = 24

        /// `nil` when the piece is longer than `maxBytes`.
        @inline(__always)
        init?(_ bytes: [UInt8], _ range: Range<Int>) {
            guard range.count <= Self.maxBytes else { return nil }
            count = UInt64(range.count)
            var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
            var shift: UInt64 = 0
            var word = 0
            for i in range {
                let b = UInt64(bytes[i]) << shift
                switch word {
                case 0: words.0 |= b
                case 1: words.1 |= b
                default: words.2 |= b
                }
                shift &+= 8
                if shift == 64 { (shift, word) = (0, word + 1) }
            }
            (w0, w1, w2) = words
        }

        init() {}

        @inline(__always)
        var hash: Int {
            var h = (w0 ^ count) &* 0x9E37_79B9_7F4A_7C15
            h = (h ^ w1 ^ (h >> 29)) &* 0xBF58_476D_1CE4_E5B9
            h = (h ^ w2 ^ (h >> 32)) &* 0x94D0_49BB_1331_11EB
            return Int(truncatingIfNeeded: h ^ (h >> 31))
        }
    }

    private struct Slot {
        var key = Key()
        var start: UInt32 = 0
        var length: UInt32 = 0
    }

    /// The table and its ids, behind one lock.
    private struct Table {
        var slots = [Slot](repeating: Slot(), count: 1024)
        var arena: [Int32] = []
        var count = 0
    }

    private let table = Mutex(Table())
    let capacity: Int

    init(capacity: Int = 65_536) {
        self.capacity = capacity
    }

    /// Appends the cached ids of `key` to `out`; `false` when the piece is not cached.
    @inline(__always)
    func append(_ key: Key, to out: inout [Int32]) -> Bool {
        table.withLock { table in
            let mask = table.slots.count - 1
            var i = key.hash & mask
            while true {
                let slot = table.slots[i]
                if slot.key.count == 0 { return false }
                if slot.key == key {
                    out.append(contentsOf: table.arena[Int(slot.start)..<Int(slot.start + slot.length)])
                    return true
                }
                i = (i + 1) & mask
            }
        }
    }

    func insert(_ key: Key, _ ids: ArraySlice<Int32>) {
        table.withLock { table in
            guard table.count < capacity else { return }
            if 2 * (table.count + 1) > table.slots.count { Self.grow(&table.slots) }
            let mask = table.slots.count - 1
            var i = key.hash & mask
            while table.slots[i].key.count != 0 {
                if table.slots[i].key == key { return }
                i = (i + 1) & mask
            }
            table.slots[i] = Slot(key: key, start: UInt32(table.arena.count), length: UInt32(ids.count))
            table.arena.append(contentsOf: ids)
            table.count += 1
        }
    }

    /// Doubles `slots`, rehashing every entry.
    private static func grow(_ slots: inout [Slot]) {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        let mask = slots.count - 1
        for slot in old where slot.key.count != 0 {
            var i = slot.key.hash & mask
            while slots[i].key.count != 0 { i = (i + 1) & mask }
            slots[i] = slot
        }
    }
}
