import Foundation

/// Writes NumPy `.npy` files (format version 1.0, C order, little-endian), readable with `np.load`.
public enum NPYWriter {
    /// The `.npy` bytes of `values` shaped `shape` as `<f4`.
    public static func data(float32 values: [Float], shape: [Int]) -> Data {
        precondition(shape.reduce(1, *) == values.count, "NPYWriter: \(values.count) values for shape \(shape)")
        var bytes = [UInt8](repeating: 0, count: 4 * values.count)
        for (i, value) in values.enumerated() {
            let bits = value.bitPattern
            bytes[4 * i] = UInt8(truncatingIfNeeded: bits)
            bytes[4 * i + 1] = UInt8(truncatingIfNeeded: bits >> 8)
            bytes[4 * i + 2] = UInt8(truncatingIfNeeded: bits >> 16)
            bytes[4 * i + 3] = UInt8(truncatingIfNeeded: bits >> 24)
        }
        return header(descr: "<f4", shape: shape) + Data(bytes)
    }

    /// The `.npy` bytes of `values` shaped `shape` as `|u1`.
    public static func data(uint8 values: [UInt8], shape: [Int]) -> Data {
        precondition(shape.reduce(1, *) == values.count, "NPYWriter: \(values.count) values for shape \(shape)")
        return header(descr: "|u1", shape: shape) + Data(values)
    }

    /// Writes float32 `values` shaped `shape` to `url`.
    public static func write(float32 values: [Float], shape: [Int], to url: URL) throws {
        try data(float32: values, shape: shape).write(to: url)
    }

    /// Writes uint8 `values` shaped `shape` to `url`.
    public static func write(uint8 values: [UInt8], shape: [Int], to url: URL) throws {
        try data(uint8: values, shape: shape).write(to: url)
    }

    /// Magic, version 1.0, header length and the dict, padded with spaces and a newline to 64 bytes.
    static func header(descr: String, shape: [Int]) -> Data {
        let dims = shape.count == 1 ? "\(shape[0])," : shape.map(String.init).joined(separator: ", ")
        var dict = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(dims)), }"
        let unpadded = 10 + dict.utf8.count + 1
        dict += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var out = Data([0x93]) + Data("NUMPY".utf8) + Data([1, 0])
        let length = UInt16(dict.utf8.count)
        out.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        out.append(Data(dict.utf8))
        return out
    }
}
