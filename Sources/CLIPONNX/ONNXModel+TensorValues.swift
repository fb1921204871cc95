import CLIPNetwork
import Foundation
import TensorKernels

extension ONNXModel {
    /// The values of a floating-point tensor (FLOAT, FLOAT16, BFLOAT16, DOUBLE) as `Float`,
    /// row-major in its shape. FLOAT16 widens exactly; BFLOAT16 by a 16-bit shift.
    /// - Throws: `.wrongDataType`, `.tensorDataSize`, `.missingExternalData`, `.externalDataOutOfRange`.
    public func floats(of tensor: ONNXTensor) throws -> [Float] {
        defer { releasePages(of: tensor) }
        let count = tensor.elementCount
        switch (tensor.dataType, tensor.storage) {
        case (.float, .floats(let values)): return try checked(values, tensor)
        case (.double, .doubles(let values)): return try checked(values.map { Float($0) }, tensor)
        case (.float16, .int32s(let bits)):
            return try checked(bits.map { TensorBytes.floatFromHalf(UInt16(truncatingIfNeeded: $0)) }, tensor)
        case (.bfloat16, .int32s(let bits)):
            return try checked(bits.map { Float(bitPattern: UInt32(UInt16(truncatingIfNeeded: $0)) << 16) }, tensor)
        case (.float, _), (.double, _), (.float16, _), (.bfloat16, _):
            let (bytes, range) = try rawBytes(of: tensor)
            // ONNX raw_data is little-endian.
            let element: TensorBytes.Element =
                switch tensor.dataType {
                case .float: .float32
                case .double: .float64
                case .float16: .float16
                default: .bfloat16
                }
            return TensorBytes.floats(bytes, offset: range.lowerBound, count: count, element: element)
        default:
            throw ONNXError.wrongDataType(
                path: url.path, tensor: tensor.name, expected: ["FLOAT", "FLOAT16", "BFLOAT16", "DOUBLE"],
                found: tensor.dataType.name)
        }
    }

    /// A FLOAT, FLOAT16 or BFLOAT16 tensor left in its file's mapping (`raw_data` of a mapped model,
    /// or external data), for tables read a few rows at a time; nil when its values are held in
    /// memory (typed fields, a model read from bytes) or of another type.
    /// - Throws: as `floats(of:)` for a tensor whose bytes do not match its shape.
    package func mappedTensor(of tensor: ONNXTensor) throws -> MappedTensor? {
        let element: MappedTensor.Element
        switch tensor.dataType {
        case .float: element = .float32
        case .float16: element = .float16
        case .bfloat16: element = .bfloat16
        default: return nil
        }
        switch tensor.storage {
        case .raw where isMapped, .external:
            let (bytes, range) = try rawBytes(of: tensor)
            return MappedTensor(storage: bytes, offset: range.lowerBound, count: tensor.elementCount, element: element)
        default:
            return nil
        }
    }

    /// The values of an integer tensor (INT8, UINT8, INT16, INT32, INT64, BOOL) such as zero points
    /// or shape constants.
    public func integers(of tensor: ONNXTensor) throws -> [Int] {
        defer { releasePages(of: tensor) }
        let count = tensor.elementCount
        switch tensor.storage {
        case .int32s(let values) where [.int8, .uint8, .int16, .uint16, .int32, .bool].contains(tensor.dataType):
            let signed: [Int] = values.map { v in
                switch tensor.dataType {
                case .int8: return Int(Int8(truncatingIfNeeded: v))
                case .uint8, .bool: return Int(UInt8(truncatingIfNeeded: v))
                case .int16: return Int(Int16(truncatingIfNeeded: v))
                case .uint16: return Int(UInt16(truncatingIfNeeded: v))
                default: return Int(Int32(truncatingIfNeeded: v))
                }
            }
            return try checked(signed, tensor)
        case .int64s(let values) where tensor.dataType == .int64: return try checked(values.map { Int($0) }, tensor)
        default: break
        }
        guard [.int8, .uint8, .int16, .uint16, .int32, .int64, .bool].contains(tensor.dataType) else {
            throw ONNXError.wrongDataType(
                path: url.path, tensor: tensor.name, expected: ["INT8", "UINT8", "INT16", "INT32", "INT64"],
                found: tensor.dataType.name)
        }
        let (bytes, range) = try rawBytes(of: tensor)
        let element: TensorBytes.Element =
            switch tensor.dataType {
            case .int8: .int8
            case .uint8, .bool: .uint8
            case .int16: .int16
            case .uint16: .uint16
            case .int32: .int32
            default: .int64
            }
        return TensorBytes.integers(bytes, offset: range.lowerBound, count: count, element: element)
    }

    /// `(q − zeroPoint) · scale` for an INT8 or UINT8 tensor with one scale and zero point, in one
    /// pass over its bytes (the weights of `quantize_dynamic` exports). Nil for other storage.
    func dequantized(_ tensor: ONNXTensor, scale: Float, zeroPoint: Int) throws -> [Float]? {
        defer { releasePages(of: tensor) }
        guard tensor.dataType == .int8 || tensor.dataType == .uint8 else { return nil }
        switch tensor.storage {
        case .raw, .external: break
        default: return nil
        }
        let (bytes, range) = try rawBytes(of: tensor)
        return TensorBytes.dequantized(
            bytes, offset: range.lowerBound, count: range.count, signed: tensor.dataType == .int8,
            zeroPoint: zeroPoint, scale: scale)
    }

    /// `q − zeroPoint` of an INT8 or UINT8 tensor as `Int8`, the zero point per tensor (`[z]`) or per
    /// slice along `axis`; nil for other types or when a value falls outside −128…127.
    func centredInt8(_ tensor: ONNXTensor, zeroPoints: [Int], axis: Int) throws -> [Int8]? {
        defer { releasePages(of: tensor) }
        guard tensor.dataType == .int8 || tensor.dataType == .uint8 else { return nil }
        let shape = tensor.shape
        let inner = shape.count > axis + 1 ? shape[(axis + 1)...].reduce(1, *) : 1
        let channels = axis < shape.count ? shape[axis] : 1
        guard zeroPoints.count == 1 || zeroPoints.count == channels else { return nil }
        func centre(_ value: Int, _ i: Int) -> Int8? {
            Int8(exactly: value - zeroPoints[zeroPoints.count == 1 ? 0 : (i / inner) % channels])
        }
        switch tensor.storage {
        case .raw, .external:
            let (bytes, range) = try rawBytes(of: tensor)
            if tensor.dataType == .int8 && zeroPoints.allSatisfy({ $0 == 0 }) {
                return TensorBytes.int8s(bytes, offset: range.lowerBound, count: range.count)
            }
            let stored = TensorBytes.bytes(bytes, offset: range.lowerBound, count: range.count)
            var out = [Int8](repeating: 0, count: stored.count)
            for i in 0..<stored.count {
                let value = tensor.dataType == .int8 ? Int(Int8(bitPattern: stored[i])) : Int(stored[i])
                guard let centred = centre(value, i) else { return nil }
                out[i] = centred
            }
            return out
        default:
            var out: [Int8] = []
            for (i, value) in try integers(of: tensor).enumerated() {
                guard let centred = centre(value, i) else { return nil }
                out.append(centred)
            }
            return out
        }
    }

    /// The transpose of a 2-D FLOAT tensor stored as raw bytes, read in one pass (`MatMul` weights
    /// `[in, out]` → `nn.Linear` layout `[out, in]`). Nil for other tensors.
    func transposedFloats(of tensor: ONNXTensor) throws -> [Float]? {
        defer { releasePages(of: tensor) }
        guard tensor.dataType == .float, tensor.shape.count == 2 else { return nil }
        switch tensor.storage {
        case .raw, .external: break
        default: return nil
        }
        let (bytes, range) = try rawBytes(of: tensor)
        return TensorBytes.transposedFloat32(bytes, offset: range.lowerBound, rows: tensor.shape[0], columns: tensor.shape[1])
    }

    private func checked<T>(_ values: [T], _ tensor: ONNXTensor) throws -> [T] {
        guard values.count == tensor.elementCount else {
            throw ONNXError.tensorDataSize(
                path: url.path, tensor: tensor.name, shape: tensor.shape, dataType: tensor.dataType.name,
                expectedBytes: tensor.elementCount * (tensor.dataType.byteSize ?? 0),
                foundBytes: values.count * (tensor.dataType.byteSize ?? 0))
        }
        return values
    }

    /// The bytes holding `tensor`'s raw values: (buffer, range within it), size-checked.
    /// Drops the mapped pages of `tensor`'s raw data once it has been converted (`MappedFile`): the
    /// loader then holds the packed weights, not the packed weights plus the whole file. (External
    /// data is mapped per read and unmapped after it.)
    private func releasePages(of tensor: ONNXTensor) {
        guard isMapped, case .raw(let range) = tensor.storage else { return }
        MappedFile.releasePages(of: data, bytes: range)
    }

    private func rawBytes(of tensor: ONNXTensor) throws -> (Data, Range<Int>) {
        let expected = tensor.elementCount * (tensor.dataType.byteSize ?? 0)
        func sized(_ found: Int) throws {
            guard found == expected else {
                throw ONNXError.tensorDataSize(
                    path: url.path, tensor: tensor.name, shape: tensor.shape, dataType: tensor.dataType.name,
                    expectedBytes: expected, foundBytes: found)
            }
        }
        switch tensor.storage {
        case .raw(let range):
            try sized(range.count)
            return (data, range)
        case .none:
            try sized(0)
            return (data, 0..<0)
        case let .external(location, offset, length):
            let file = url.deletingLastPathComponent().appendingPathComponent(location)
            guard !location.hasPrefix("/"), !location.split(separator: "/").contains(".."),
                FileManager.default.fileExists(atPath: file.path)
            else {
                throw ONNXError.missingExternalData(path: url.path, tensor: tensor.name, location: location)
            }
            let bytes: Data
            do { bytes = try MappedFile.map(file) } catch {
                throw ONNXError.unreadableFile(path: file.path, reason: error.reason)
            }
            let count = length ?? expected
            try sized(count)
            guard offset <= bytes.count, count <= bytes.count - offset else {
                throw ONNXError.externalDataOutOfRange(
                    path: url.path, tensor: tensor.name, location: location, offset: offset,
                    length: count, fileSize: bytes.count)
            }
            return (bytes, offset..<offset + count)
        default:
            throw ONNXError.wrongDataType(
                path: url.path, tensor: tensor.name, expected: ["raw_data or a typed field matching data_type"],
                found: tensor.dataType.name)
        }
    }
}
