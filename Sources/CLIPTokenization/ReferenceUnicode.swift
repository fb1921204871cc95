/// Look-ups over `ReferenceUnicodeData` (generated from the reference): character class and lowercase
/// of non-ASCII scalars. A 64 K table answers the Basic Multilingual Plane; other planes use binary search.
enum ReferenceUnicode {
    private static let classMask: UInt8 = 0b011
    private static let lowercaseFlag: UInt8 = 0b100

    /// Per BMP scalar: the `ScalarClass` raw value in bits 0–1, bit 2 set when lowercasing changes it.
    private static let bmp: [UInt8] = {
        var table = [UInt8](repeating: ScalarClass.other.rawValue, count: 0x10000)
        let classes: [([UInt32], ScalarClass)] = [
            (ReferenceUnicodeData.letterRanges, .letter), (ReferenceUnicodeData.numberRanges, .number),
            (ReferenceUnicodeData.spaceRanges, .space)
        ]
        for (ranges, scalarClass) in classes {
            for k in stride(from: 0, to: ranges.count, by: 2) where ranges[k] < 0x10000 {
                for v in ranges[k]...min(ranges[k + 1], 0xFFFF) { table[Int(v)] = scalarClass.rawValue }
            }
        }
        let pairs = ReferenceUnicodeData.lowercasePairs
        for k in stride(from: 0, to: pairs.count, by: 2) where pairs[k] < 0x10000 {
            table[Int(pairs[k])] |= lowercaseFlag
        }
        for v in ReferenceUnicodeData.lowercaseExpansions.keys where v < 0x10000 { table[Int(v)] |= lowercaseFlag }
        for v in 0..<0x80 { table[v] = ScalarClass.ofASCII(UInt32(v)).rawValue }
        return table
    }()

    static func scalarClass(_ value: UInt32) -> ScalarClass {
        if value < 0x10000 { return ScalarClass(rawValue: bmp[Int(value)] & classMask)! }
        if inRanges(ReferenceUnicodeData.letterRanges, value) { return .letter }
        if inRanges(ReferenceUnicodeData.numberRanges, value) { return .number }
        if inRanges(ReferenceUnicodeData.spaceRanges, value) { return .space }
        return .other
    }

    /// Appends the UTF-8 of the lowercase of `value` (itself when it has none).
    static func appendLowercase(_ value: UInt32, to out: inout [UInt8]) {
        if value < 0x10000 && bmp[Int(value)] & lowercaseFlag == 0 {
            return UTF8Bytes.append(Unicode.Scalar(value)!, to: &out)
        }
        if let expansion = ReferenceUnicodeData.lowercaseExpansions[value] {
            for v in expansion { UTF8Bytes.append(Unicode.Scalar(v)!, to: &out) }
            return
        }
        let pairs = ReferenceUnicodeData.lowercasePairs
        var low = 0
        var high = pairs.count / 2
        while low < high {
            let mid = (low + high) / 2
            if pairs[2 * mid] < value { low = mid + 1 } else { high = mid }
        }
        let mapped = low < pairs.count / 2 && pairs[2 * low] == value ? pairs[2 * low + 1] : value
        UTF8Bytes.append(Unicode.Scalar(mapped)!, to: &out)
    }

    /// Whether `value` lies in one of the inclusive `[first, last]` pairs of `ranges` (sorted).
    private static func inRanges(_ ranges: [UInt32], _ value: UInt32) -> Bool {
        var low = 0
        var high = ranges.count / 2
        while low < high {
            let mid = (low + high) / 2
            if ranges[2 * mid + 1] < value { low = mid + 1 } else { high = mid }
        }
        return low < ranges.count / 2 && ranges[2 * low] <= value
    }
}
