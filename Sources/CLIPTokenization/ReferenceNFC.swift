/// Unicode NFC with the reference's Unicode data, as `tokenizers`' `NFC` normaliser computes it.
///
/// The reference (`unicode-normalization-alignments`) predates Unicode 10: marks assigned since (U+1DF9,
/// U+1AC0…) are starters there and never reordered, newer composites are not formed. The standard
/// library's and Foundation's NFC follow newer Unicode (and Foundation on Linux misses Hangul LV + T),
/// so we run the algorithm (UAX #15: full decomposition, canonical ordering, canonical composition)
/// over tables generated from the reference (`ReferenceUnicodeData`).
enum ReferenceNFC {
    private static let sBase: UInt32 = 0xAC00, lBase: UInt32 = 0x1100, vBase: UInt32 = 0x1161, tBase: UInt32 = 0x11A7
    private static let lCount: UInt32 = 19, vCount: UInt32 = 21, tCount: UInt32 = 28, sCount: UInt32 = 11172

    private static let classes: [UInt32: UInt8] = {
        let flat = ReferenceUnicodeData.combiningClasses
        var map: [UInt32: UInt8] = [:]
        for k in stride(from: 0, to: flat.count, by: 2) { map[flat[k]] = UInt8(flat[k + 1]) }
        return map
    }()

    private static let decompositions: [UInt32: [UInt32]] = {
        let flat = ReferenceUnicodeData.decompositions
        var map: [UInt32: [UInt32]] = [:]
        var k = 0
        while k < flat.count {
            let count = Int(flat[k + 1])
            map[flat[k]] = Array(flat[k + 2..<k + 2 + count])
            k += 2 + count
        }
        return map
    }()

    private static let compositions: [UInt64: UInt32] = {
        let flat = ReferenceUnicodeData.compositions
        var map: [UInt64: UInt32] = [:]
        for k in stride(from: 0, to: flat.count, by: 3) { map[UInt64(flat[k]) << 32 | UInt64(flat[k + 1])] = flat[k + 2] }
        return map
    }()

    @inline(__always)
    private static func combiningClass(_ scalar: UInt32) -> UInt8 {
        scalar < 0x300 ? 0 : classes[scalar] ?? 0
    }

    /// Appends the NFC of the UTF-8 text `raw[range]` (valid UTF-8) to `out`.
    static func normalize(_ raw: [UInt8], _ range: Range<Int>, into out: inout [UInt8]) {
        var scalars: [UInt32] = []
        scalars.reserveCapacity(range.count)
        var i = range.lowerBound
        while i < range.upperBound {
            let (value, length) = UTF8Bytes.decode(raw, at: i)
            decompose(value, into: &scalars)
            i += length
        }
        reorder(&scalars)
        compose(&scalars)
        for value in scalars { UTF8Bytes.append(Unicode.Scalar(value)!, to: &out) }
    }

    private static func decompose(_ value: UInt32, into scalars: inout [UInt32]) {
        if value &- sBase < sCount {
            let index = value - sBase
            scalars.append(lBase + index / (vCount * tCount))
            scalars.append(vBase + (index % (vCount * tCount)) / tCount)
            if index % tCount != 0 { scalars.append(tBase + index % tCount) }
        } else if value >= 0xC0, let parts = decompositions[value] {
            scalars.append(contentsOf: parts)
        } else {
            scalars.append(value)
        }
    }

    /// Canonical ordering: stable sort of each run of non-starters by combining class.
    private static func reorder(_ scalars: inout [UInt32]) {
        guard scalars.count > 1 else { return }
        for i in 1..<scalars.count {
            let cc = combiningClass(scalars[i])
            guard cc != 0 else { continue }
            var j = i
            while j > 0, combiningClass(scalars[j - 1]) > cc {
                scalars.swapAt(j - 1, j)
                j -= 1
            }
        }
    }

    /// Canonical composition: each unblocked character joins the last starter when a primary composite exists.
    private static func compose(_ scalars: inout [UInt32]) {
        var out: [UInt32] = []
        out.reserveCapacity(scalars.count)
        var starter: Int?
        var lastClass: UInt8 = 0
        for value in scalars {
            let cc = combiningClass(value)
            if let s = starter {
                let adjacent = out.count - 1 == s
                if adjacent || (lastClass != 0 && lastClass < cc), let composite = composite(out[s], value) {
                    out[s] = composite
                    continue
                }
            }
            if cc == 0 { starter = out.count }
            lastClass = cc
            out.append(value)
        }
        scalars = out
    }

    private static func composite(_ first: UInt32, _ second: UInt32) -> UInt32? {
        if first &- lBase < lCount, second &- vBase < vCount {
            return sBase + ((first - lBase) * vCount + (second - vBase)) * tCount
        }
        if first &- sBase < sCount, (first - sBase) % tCount == 0, second &- tBase &- 1 < tCount - 1 {
            return first + (second - tBase)
        }
        return compositions[UInt64(first) << 32 | UInt64(second)]
    }
}
