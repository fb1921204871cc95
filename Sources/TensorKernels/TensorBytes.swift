#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Tensor values stored as little-endian bytes (a weight file's mapping, or bytes held in memory)
/// converted into Swift arrays: what the safetensors and ONNX readers do with their tensors' data.
///
/// Offsets count bytes from `bytes.startIndex`. Every function checks that the bytes it reads lie
/// inside `bytes` (a programmer error otherwise: the readers validate their headers first) and reads
/// them unaligned, so a tensor may start at any byte. Floating-point widening is exact: `float16`
/// as IEEE binary16, `bfloat16` by a 16-bit shift, `float64` rounded to the nearest `Float`.
package enum TensorBytes {
    /// A little-endian element type.
    package enum Element: Sendable, CaseIterable {
        case float32, float64, float16, bfloat16
        case int8, uint8, int16, uint16, int32, int64

        /// Bytes per element.
        package var byteSize: Int {
            switch self {
            case .int8, .uint8: return 1
            case .float16, .bfloat16, .int16, .uint16: return 2
            case .float32, .int32: return 4
            case .float64, .int64: return 8
            }
        }

        /// Whether the values convert to `Float` (`floats`); the others are integers (`integers`).
        package var isFloatingPoint: Bool {
            switch self {
            case .float32, .float64, .float16, .bfloat16: return true
            default: return false
            }
        }
    }

    /// The `count` values of floating-point `element` at byte `offset` of `bytes`, as `Float`.
    /// - Precondition: `element.isFloatingPoint`; the bytes lie inside `bytes`.
    package static func floats(_ bytes: Data, offset: Int, count: Int, element: Element) -> [Float] {
        precondition(count >= 0, "TensorBytes.floats: \(count) values")
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            convert(bytes, offset: offset, element: element, into: out)
            initialized = count
        }
    }

    /// `floats(bytes, offset:count:element:)` written to `destination[index ..< index + count]`.
    /// - Precondition: as `floats`, and the values fit in `destination` from `index`.
    package static func copyFloats(
        _ bytes: Data, offset: Int, count: Int, element: Element, into destination: inout [Float],
        at index: Int
    ) {
        precondition(
            count >= 0 && index >= 0 && count <= destination.count - index,
            "TensorBytes.floats: \(count) values at \(index) of \(destination.count)")
        destination.withUnsafeMutableBufferPointer { all in
            convert(bytes, offset: offset, element: element, into: UnsafeMutableBufferPointer(rebasing: all[index..<index + count]))
        }
    }

    /// Fills `out` with the `out.count` values of `element` at byte `offset` of `bytes`.
    private static func convert(_ bytes: Data, offset: Int, element: Element, into out: UnsafeMutableBufferPointer<Float>) {
        precondition(element.isFloatingPoint, "TensorBytes.floats: \(element) is not a floating-point type")
        let count = out.count
        withBytes(bytes, offset: offset, count: count, element: element) { raw in
            switch element {
            case .float32 where 1.littleEndian == 1:
                UnsafeMutableRawBufferPointer(out).copyMemory(from: raw)
            case .float32:
                for i in 0..<count { out[i] = Float(bitPattern: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self).littleEndian) }
            case .float64:
                for i in 0..<count {
                    out[i] = Float(Double(bitPattern: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self).littleEndian))
                }
            case .float16:
                for i in 0..<count { out[i] = floatFromHalf(raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self).littleEndian) }
            default:
                for i in 0..<count {
                    out[i] = Float(bitPattern: UInt32(raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self).littleEndian) << 16)
                }
            }
        }
    }

    /// The `count` values of integer `element` at byte `offset` of `bytes`, as `Int`.
    /// - Precondition: `!element.isFloatingPoint`; the bytes lie inside `bytes`.
    package static func integers(_ bytes: Data, offset: Int, count: Int, element: Element) -> [Int] {
        precondition(!element.isFloatingPoint, "TensorBytes.integers: \(element) is not an integer type")
        return withBytes(bytes, offset: offset, count: count, element: element) { raw in
            switch element {
            case .int8: return (0..<count).map { Int(Int8(bitPattern: raw[$0])) }
            case .uint8: return (0..<count).map { Int(raw[$0]) }
            case .int16: return (0..<count).map { Int(raw.loadUnaligned(fromByteOffset: 2 * $0, as: Int16.self).littleEndian) }
            case .uint16: return (0..<count).map { Int(raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self).littleEndian) }
            case .int32: return (0..<count).map { Int(raw.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self).littleEndian) }
            default: return (0..<count).map { Int(raw.loadUnaligned(fromByteOffset: 8 * $0, as: Int64.self).littleEndian) }
            }
        }
    }

    /// The `count` bytes at `offset` of `bytes` (int8 / uint8 tensors, decoded by the caller).
    /// - Precondition: they lie inside `bytes`.
    package static func bytes(_ bytes: Data, offset: Int, count: Int) -> [UInt8] {
        checkRange(bytes, offset: offset, byteCount: count)
        return Array(bytes[(bytes.startIndex + offset)..<(bytes.startIndex + offset + count)])  // one memcpy
    }

    /// The `count` bytes at `offset` of `bytes` as `Int8` bit patterns (an int8 tensor as stored).
    /// - Precondition: they lie inside `bytes`.
    package static func int8s(_ bytes: Data, offset: Int, count: Int) -> [Int8] {
        withBytes(bytes, offset: offset, count: count, element: .int8) { raw in
            [Int8](unsafeUninitializedCapacity: count) { out, initialized in
                UnsafeMutableRawBufferPointer(out).copyMemory(from: raw)
                initialized = count
            }
        }
    }

    /// `Float(q − zeroPoint) · scale` for the `count` int8 (`signed`) or uint8 values `q` at
    /// `offset` of `bytes`, in one pass (ONNX `DequantizeLinear` with one scale and zero point; a
    /// copy then a map costs 1.7× as much on 150 M values).
    /// - Precondition: they lie inside `bytes`.
    package static func dequantized(_ bytes: Data, offset: Int, count: Int, signed: Bool, zeroPoint: Int, scale: Float) -> [Float] {
        withBytes(bytes, offset: offset, count: count, element: signed ? .int8 : .uint8) { raw in
            [Float](unsafeUninitializedCapacity: count) { out, initialized in
                if signed {
                    for i in 0..<count { out[i] = Float(Int(Int8(bitPattern: raw[i])) - zeroPoint) * scale }
                } else {
                    for i in 0..<count { out[i] = Float(Int(raw[i]) - zeroPoint) * scale }
                }
                initialized = count
            }
        }
    }

    /// The transpose `[columns, rows]` of the float32 matrix `[rows, columns]` at byte `offset` of
    /// `bytes`, in one pass over the stored values (ONNX `MatMul` weights `[in, out]` → `[out, in]`).
    /// - Precondition: the `rows · columns` values lie inside `bytes`.
    package static func transposedFloat32(_ bytes: Data, offset: Int, rows: Int, columns: Int) -> [Float] {
        precondition(rows >= 0 && columns >= 0, "TensorBytes.transposedFloat32: shape [\(rows), \(columns)]")
        return withBytes(bytes, offset: offset, count: rows * columns, element: .float32) { raw in
            [Float](unsafeUninitializedCapacity: rows * columns) { out, initialized in
                // 64×64 tiles keep both sides in cache.
                for r0 in stride(from: 0, to: rows, by: 64) {
                    for c0 in stride(from: 0, to: columns, by: 64) {
                        for r in r0..<min(r0 + 64, rows) {
                            for c in c0..<min(c0 + 64, columns) {
                                let bits = raw.loadUnaligned(fromByteOffset: 4 * (r * columns + c), as: UInt32.self).littleEndian
                                out[c * rows + r] = Float(bitPattern: bits)
                            }
                        }
                    }
                }
                initialized = rows * columns
            }
        }
    }

    /// IEEE 754 binary16 → binary32, exact for every value including subnormals, infinities and NaN.
    package static func floatFromHalf(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits) & 0x3FF
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa · 2⁻²⁴, exact in binary32.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign != 0 ? -magnitude : magnitude
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        default:
            return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
        }
    }

    /// `body` on the `count · element.byteSize` bytes at `offset` of `bytes`, after the bounds check.
    static func withBytes<R>(
        _ bytes: Data, offset: Int, count: Int, element: Element,
        _ body: (UnsafeRawBufferPointer) throws -> R
    ) rethrows -> R {
        precondition(count >= 0, "TensorBytes: \(count) elements")
        let byteCount = count * element.byteSize
        checkRange(bytes, offset: offset, byteCount: byteCount)
        return try bytes.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[offset..<offset + byteCount]))
        }
    }

    private static func checkRange(_ bytes: Data, offset: Int, byteCount: Int) {
        precondition(
            offset >= 0 && byteCount >= 0 && byteCount <= bytes.count - offset,
            "TensorBytes: \(byteCount) bytes at \(offset) of \(bytes.count)")
    }
}
