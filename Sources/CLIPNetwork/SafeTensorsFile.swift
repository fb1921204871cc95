import Foundation

/// A memory-mapped, validated safetensors file.
///
/// Opening validates the whole header (see `SafeTensorsHeader`) and touches no tensor data; each
/// `floats(_:)` call converts one tensor from the mapped bytes. This is the only file of the module
/// that reads raw memory.
public struct SafeTensorsFile: Sendable {
    /// The file's path (or a name given for in-memory bytes), used in error messages.
    public let path: String
    /// The `__metadata__` map (empty when absent).
    public let metadata: [String: String]
    /// Every tensor of the file by name.
    public let tensors: [String: SafeTensorInfo]
    /// The file's bytes: a mapping of the file, or owned bytes.
    private let storage: Data
    /// Offset of the data section in `storage`.
    private let dataStart: Int
    /// Whether `storage` is a read-only private mapping of the file (whose pages can be dropped).
    private let isMapped: Bool

    /// Maps and validates the file at `url`.
    /// - Throws: `CLIPNetworkError` naming the file and what is wrong with it.
    public init(contentsOf url: URL) throws {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CLIPNetworkError.fileNotFound(
                path: url.path, hint: "Expected the weights as model.safetensors (pytorch_model.bin is not read; convert it with safetensors).")
        }
        let data: Data
        do { data = try MappedFile.map(url) } catch {
            throw CLIPNetworkError.unreadableFile(path: url.path, reason: error.reason)
        }
        try self.init(data: data, path: url.path, isMapped: !data.isEmpty)
    }

    /// Validates safetensors bytes held in memory; `path` names them in errors.
    public init(data: Data, path: String) throws {
        try self.init(data: data, path: path, isMapped: false)
    }

    private init(data: Data, path: String, isMapped: Bool) throws {
        let header = try SafeTensorsHeader(bytes: data, path: path)
        self.path = path
        self.storage = data
        self.metadata = header.metadata
        self.tensors = header.tensors
        self.dataStart = header.dataStart
        self.isMapped = isMapped
    }

    /// Drops the mapped pages of bytes [offset, offset + count) of `storage` once a tensor has been
    /// converted (see `MappedFile`). Nothing happens for bytes held in memory.
    private func releasePages(offset: Int, count: Int) {
        guard isMapped else { return }
        MappedFile.releasePages(of: storage, bytes: offset ..< offset + count)
    }

    /// All tensor names, sorted.
    public var tensorNames: [String] { tensors.keys.sorted() }

    /// The header entry of `name`.
    /// - Throws: `CLIPNetworkError.tensorNotFound`.
    public func info(_ name: String) throws -> SafeTensorInfo {
        guard let info = tensors[name] else { throw CLIPNetworkError.tensorNotFound(path: path, tensor: name) }
        return info
    }

    /// The values of tensor `name` as `Float`, row-major in its stored shape.
    ///
    /// `F32` is copied, `F16` widened exactly (IEEE binary16), `BF16` widened by a 16-bit shift.
    /// - Throws: `.tensorNotFound`, or `.unsupportedDType` for any other dtype.
    public func floats(_ name: String) throws -> [Float] {
        let info = try info(name)
        let count = info.elementCount
        let start = storage.startIndex + dataStart + info.dataOffsets.lowerBound
        defer { releasePages(offset: start - storage.startIndex, count: info.dataOffsets.count) }
        switch info.dtype {
        case .float32:
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                storage.withUnsafeBytes { raw in
                    let source = UnsafeRawBufferPointer(rebasing: raw[start - storage.startIndex ..< start - storage.startIndex + count * 4])
                    UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source)
                }
                initialized = count
            }
        case .float16, .bfloat16:
            let isHalf = info.dtype == .float16
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                storage.withUnsafeBytes { raw in
                    let base = start - storage.startIndex
                    for i in 0..<count {
                        let bits = raw.loadUnaligned(fromByteOffset: base + 2 * i, as: UInt16.self).littleEndian
                        buffer[i] = isHalf ? Self.floatFromHalf(bits) : Float(bitPattern: UInt32(bits) << 16)
                    }
                }
                initialized = count
            }
        default:
            throw CLIPNetworkError.unsupportedDType(tensor: name, dtype: info.dtype.rawValue, supported: ["F32", "F16", "BF16"])
        }
    }

    /// Tensor `name` left in the file's mapping (`MappedTensor`); nil for bytes held in memory or a
    /// dtype other than `F32`, `F16` and `BF16`.
    /// - Throws: `.tensorNotFound`.
    package func mappedTensor(_ name: String) throws -> MappedTensor? {
        let info = try info(name)
        guard isMapped else { return nil }
        let element: MappedTensor.Element
        switch info.dtype {
        case .float32: element = .float32
        case .float16: element = .float16
        case .bfloat16: element = .bfloat16
        default: return nil
        }
        return MappedTensor(storage: storage, offset: dataStart + info.dataOffsets.lowerBound, count: info.elementCount, element: element)
    }

    /// The values of an integer tensor (`I64`, `I32`, `U8`…) such as token ids or `position_ids`.
    /// - Throws: `.tensorNotFound`, or `.unsupportedDType` for floating-point dtypes.
    package func integers(_ name: String) throws -> [Int] {
        let info = try info(name)
        let base = storage.startIndex + dataStart + info.dataOffsets.lowerBound - storage.startIndex
        return try storage.withUnsafeBytes { raw in
            try (0..<info.elementCount).map { i in
                switch info.dtype {
                case .int64: return Int(raw.loadUnaligned(fromByteOffset: base + 8 * i, as: Int64.self).littleEndian)
                case .int32: return Int(raw.loadUnaligned(fromByteOffset: base + 4 * i, as: Int32.self).littleEndian)
                case .int16: return Int(raw.loadUnaligned(fromByteOffset: base + 2 * i, as: Int16.self).littleEndian)
                case .uint8: return Int(raw.load(fromByteOffset: base + i, as: UInt8.self))
                case .int8: return Int(raw.load(fromByteOffset: base + i, as: Int8.self))
                default:
                    throw CLIPNetworkError.unsupportedDType(tensor: name, dtype: info.dtype.rawValue, supported: ["I64", "I32", "I16", "I8", "U8"])
                }
            }
        }
    }

    /// IEEE 754 binary16 → binary32, exact for every value including subnormals, infinities and NaN.
    /// (Also used by the ONNX reader for fp16 initializers.)
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
}
