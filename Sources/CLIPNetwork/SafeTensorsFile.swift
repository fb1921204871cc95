import Foundation
import TensorKernels

/// A memory-mapped, validated safetensors file.
///
/// Opening validates the whole header (see `SafeTensorsHeader`) and touches no tensor data; each
/// `floats(_:)` call converts one tensor from the mapped bytes (`TensorBytes`, in TensorKernels,
/// which holds the package's raw memory access).
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
        MappedFile.releasePages(of: storage, bytes: offset..<offset + count)
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
        let element: TensorBytes.Element
        switch info.dtype {
        case .float32: element = .float32
        case .float16: element = .float16
        case .bfloat16: element = .bfloat16
        default:
            throw CLIPNetworkError.unsupportedDType(tensor: name, dtype: info.dtype.rawValue, supported: ["F32", "F16", "BF16"])
        }
        let offset = dataStart + info.dataOffsets.lowerBound
        defer { releasePages(offset: offset, count: info.dataOffsets.count) }
        return TensorBytes.floats(storage, offset: offset, count: info.elementCount, element: element)
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
        let element: TensorBytes.Element
        switch info.dtype {
        case .int64: element = .int64
        case .int32: element = .int32
        case .int16: element = .int16
        case .uint8: element = .uint8
        case .int8: element = .int8
        default:
            throw CLIPNetworkError.unsupportedDType(tensor: name, dtype: info.dtype.rawValue, supported: ["I64", "I32", "I16", "I8", "U8"])
        }
        return TensorBytes.integers(storage, offset: dataStart + info.dataOffsets.lowerBound, count: info.elementCount, element: element)
    }
}
