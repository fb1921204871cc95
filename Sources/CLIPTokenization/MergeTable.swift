/// The BPE merge table: `(left id, right id)` → `(rank, merged id)`, as an open-addressing hash table
/// with a multiplicative hash (a `Dictionary` with SipHash was a third of the cost of uncached pieces).
struct MergeTable: Sendable {
    /// Keys `left << 32 | right`; `UInt64.max` marks an empty slot (ids are below 2³¹).
    private var keys: [UInt64]
    /// `rank << 32 | merged id`.
    private var values: [UInt64]
    private let shift: UInt64
    private(set) var count = 0

    init(capacity: Int) {
        var bits: UInt64 = 4
        while (1 << bits) < 2 * max(capacity, 1) { bits += 1 }
        keys = [UInt64](repeating: .max, count: 1 << bits)
        values = [UInt64](repeating: 0, count: 1 << bits)
        shift = 64 - bits
    }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// Sets `key`'s value; a later insert of the same pair replaces the earlier one (as `tokenizers` does).
    mutating func insert(_ key: UInt64, _ value: UInt64) {
        let mask = keys.count - 1
        var i = slot(key)
        while keys[i] != .max && keys[i] != key { i = (i + 1) & mask }
        if keys[i] == .max { count += 1 }
        keys[i] = key
        values[i] = value
    }

    @inline(__always)
    subscript(key: UInt64) -> UInt64? {
        let mask = keys.count - 1
        var i = slot(key)
        while true {
            let k = keys[i]
            if k == key { return values[i] }
            if k == .max { return nil }
            i = (i + 1) & mask
        }
    }
}
