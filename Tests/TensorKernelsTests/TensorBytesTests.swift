import Foundation
import TensorKernels
import Testing

/// `TensorBytes` (the safetensors and ONNX readers' byte conversions) against naive decoders that
/// assemble each little-endian value from its bytes, at every misalignment and inside `Data` slices
/// whose `startIndex` is not 0.
@Suite struct TensorBytesTests {
    static let counts = [0, 1, 7, 49, 50, 77, 768]

    /// `count` random bytes behind `prefix` bytes of padding, as a slice of a larger `Data`.
    static func bytes(_ count: Int, prefix: Int, seed: UInt64) -> (data: Data, offset: Int) {
        var rng = SeededGenerator(seed: seed)
        let all = Data((0..<(3 + prefix + count + 5)).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        return (all[3...], prefix)  // startIndex 3
    }

    /// The little-endian unsigned value of `width` bytes at `offset` of `data` (from its startIndex).
    static func word(_ data: Data, _ offset: Int, _ width: Int) -> UInt64 {
        (0..<width).reduce(UInt64(0)) { $0 | UInt64(data[data.startIndex + offset + $1]) << (8 * $1) }
    }

    /// binary16 → Float through Double arithmetic: (−1)^s · 2^(e−15) · (1 + m/1024), subnormals m · 2^−24.
    static func naiveHalf(_ bits: UInt16) -> Float {
        let sign: Double = bits & 0x8000 != 0 ? -1 : 1
        let exponent = Int(bits >> 10) & 0x1F, mantissa = Double(bits & 0x3FF)
        switch exponent {
        case 0: return Float(sign * mantissa * 0x1p-24)
        case 0x1F: return mantissa == 0 ? Float(sign * .infinity) : .nan
        default: return Float(sign * (1 + mantissa / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1))
        }
    }

    @Test func everyHalfWidensExactly() {
        for bits in 0...UInt16.max {
            let value = TensorBytes.floatFromHalf(bits), expected = Self.naiveHalf(bits)
            if expected.isNaN {
                #expect(value.isNaN && value.bitPattern >> 31 == UInt32(bits >> 15), "0x\(String(bits, radix: 16))")
                #expect(value.bitPattern & 0x1FFF == 0 && (value.bitPattern >> 13) & 0x3FF == UInt32(bits & 0x3FF), "NaN payload kept")
            } else {
                #expect(value.bitPattern == expected.bitPattern, "0x\(String(bits, radix: 16))")
            }
        }
    }

    @Test(arguments: [TensorBytes.Element.float32, .float64, .float16, .bfloat16])
    func floatsMatchTheNaiveDecoder(_ element: TensorBytes.Element) {
        let width = element.byteSize
        for count in Self.counts {
            for prefix in 0..<8 {
                let (data, offset) = Self.bytes(count * width, prefix: prefix, seed: UInt64(count * 8 + prefix))
                let expected = (0..<count).map { i -> Float in
                    let bits = Self.word(data, offset + width * i, width)
                    switch element {
                    case .float32: return Float(bitPattern: UInt32(bits))
                    case .float64: return Float(Double(bitPattern: bits))
                    case .float16: return Self.naiveHalf(UInt16(bits))
                    default: return Float(bitPattern: UInt32(bits) << 16)
                    }
                }
                let values = TensorBytes.floats(data, offset: offset, count: count, element: element)
                // Bit for bit (NaNs: the naive half decoder gives the canonical NaN, checked exactly above).
                #expect(
                    values.count == count
                        && zip(values, expected).allSatisfy {
                            $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN)
                        }, "\(element) × \(count) at +\(prefix)")
                var destination = [Float](repeating: 42, count: count + 3)
                TensorBytes.copyFloats(data, offset: offset, count: count, element: element, into: &destination, at: 2)
                #expect(destination[0..<2] == [42, 42] && destination.last == 42, "nothing written outside")
                #expect(zip(destination[2..<2 + count], values).allSatisfy { $0.bitPattern == $1.bitPattern })
            }
        }
    }

    @Test(arguments: [TensorBytes.Element.int8, .uint8, .int16, .uint16, .int32, .int64])
    func integersMatchTheNaiveDecoder(_ element: TensorBytes.Element) {
        let width = element.byteSize
        for count in Self.counts {
            for prefix in [0, 1, 3, 5] {
                let (data, offset) = Self.bytes(count * width, prefix: prefix, seed: UInt64(1000 + count * 8 + prefix))
                let expected = (0..<count).map { i -> Int in
                    let bits = Self.word(data, offset + width * i, width)
                    switch element {
                    case .int8: return Int(Int8(truncatingIfNeeded: bits))
                    case .int16: return Int(Int16(truncatingIfNeeded: bits))
                    case .int32: return Int(Int32(truncatingIfNeeded: bits))
                    case .int64: return Int(Int64(bitPattern: bits))
                    default: return Int(bits)
                    }
                }
                #expect(TensorBytes.integers(data, offset: offset, count: count, element: element) == expected, "\(element) × \(count)")
            }
        }
    }

    @Test func int8ValuesAndDequantisationMatchTheNaiveDecoder() {
        for count in Self.counts {
            for prefix in [0, 1, 3] {
                let (data, offset) = Self.bytes(count, prefix: prefix, seed: UInt64(2000 + count * 8 + prefix))
                let stored = (0..<count).map { data[data.startIndex + offset + $0] }
                #expect(TensorBytes.bytes(data, offset: offset, count: count) == stored)
                #expect(TensorBytes.int8s(data, offset: offset, count: count) == stored.map { Int8(bitPattern: $0) })
                for (signed, zeroPoint, scale) in [(true, 0, Float(0.01)), (true, -3, 1.5), (false, 128, 0.003), (false, 0, -2)] {
                    let expected = stored.map { Float((signed ? Int(Int8(bitPattern: $0)) : Int($0)) - zeroPoint) * scale }
                    let values = TensorBytes.dequantized(data, offset: offset, count: count, signed: signed, zeroPoint: zeroPoint, scale: scale)
                    #expect(values.map(\.bitPattern) == expected.map(\.bitPattern), "signed \(signed), zero point \(zeroPoint) × \(count)")
                }
            }
        }
    }

    @Test func transposeMatchesTheNaiveTranspose() {
        for (rows, columns) in [(1, 1), (1, 77), (77, 1), (7, 49), (65, 130), (50, 768)] {
            let (data, offset) = Self.bytes(4 * rows * columns, prefix: 1, seed: UInt64(rows * 1000 + columns))
            let stored = TensorBytes.floats(data, offset: offset, count: rows * columns, element: .float32)
            let expected = (0..<(rows * columns)).map { stored[($0 % rows) * columns + $0 / rows] }
            let transposed = TensorBytes.transposedFloat32(data, offset: offset, rows: rows, columns: columns)
            #expect(transposed.map(\.bitPattern) == expected.map(\.bitPattern), "[\(rows), \(columns)]")
        }
    }
}
