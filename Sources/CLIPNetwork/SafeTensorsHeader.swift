import Foundation

/// The parsed and validated header of a safetensors file.
///
/// Layout (https://github.com/huggingface/safetensors): an unsigned little-endian 64-bit header length
/// `n`, `n` bytes of a JSON object mapping tensor names to `{dtype, shape, data_offsets}` plus an
/// optional `__metadata__` string→string map, then the data section. Validation follows the reference
/// implementation's rules: offsets inside the data section, `shape` product × dtype size equal to the
/// range's length, and ranges that tile the data section without overlap or holes.
struct SafeTensorsHeader {
    /// The header limit of the reference implementation (100 MB).
    static let maximumHeaderLength: UInt64 = 100_000_000

    let metadata: [String: String]
    let tensors: [String: SafeTensorInfo]
    /// Offset of the data section from the start of the file (`8 + n`).
    let dataStart: Int

    /// Parses `bytes`, the whole file; `path` names the file in errors.
    init(bytes: Data, path: String) throws {
        let size = bytes.count
        guard size >= 8 else { throw CLIPNetworkError.safeTensorsTooSmall(path: path, size: size) }
        var length: UInt64 = 0
        for (shift, byte) in bytes.prefix(8).enumerated() { length |= UInt64(byte) << (8 * UInt64(shift)) }
        guard length <= Self.maximumHeaderLength, length <= UInt64(size - 8) else {
            throw CLIPNetworkError.safeTensorsHeaderLength(path: path, headerLength: length, fileSize: size)
        }
        dataStart = 8 + Int(length)
        let json = bytes.subdata(in: bytes.startIndex + 8..<bytes.startIndex + dataStart)
        guard json.first == UInt8(ascii: "{") else {
            throw CLIPNetworkError.safeTensorsHeader(path: path, reason: "expected a JSON object starting with '{'")
        }
        let raw: RawHeader
        do {
            raw = try JSONDecoder().decode(RawHeader.self, from: json)
        } catch let error as DecodingError {
            let key = error.fieldPath.split(separator: ".").first.map(String.init) ?? "(root)"
            if key == "(root)" || key == RawHeader.metadataKey {
                throw CLIPNetworkError.safeTensorsHeader(path: path, reason: "\(key): \(error.reason)")
            }
            throw CLIPNetworkError.safeTensorsEntry(path: path, tensor: key, reason: error.reason)
        } catch {
            throw CLIPNetworkError.safeTensorsHeader(path: path, reason: "\(error)")
        }
        metadata = raw.metadata
        tensors = try Self.validate(raw.entries, dataSize: size - dataStart, path: path)
    }

    private static func validate(_ entries: [String: RawEntry], dataSize: Int, path: String) throws -> [String: SafeTensorInfo] {
        var tensors: [String: SafeTensorInfo] = [:]
        for (name, entry) in entries {
            guard let dtype = SafeTensorDType(rawValue: entry.dtype) else {
                throw CLIPNetworkError.unknownDType(path: path, tensor: name, dtype: entry.dtype)
            }
            guard entry.shape.allSatisfy({ $0 >= 0 }) else {
                throw CLIPNetworkError.safeTensorsEntry(path: path, tensor: name, reason: "negative dimension in shape \(entry.shape)")
            }
            guard entry.dataOffsets.count == 2 else {
                throw CLIPNetworkError.safeTensorsEntry(
                    path: path, tensor: name, reason: "data_offsets must be [begin, end], found \(entry.dataOffsets)")
            }
            let (begin, end) = (entry.dataOffsets[0], entry.dataOffsets[1])
            guard begin >= 0, begin <= end, end <= dataSize else {
                throw CLIPNetworkError.offsetsOutOfRange(path: path, tensor: name, begin: begin, end: end, dataSize: dataSize)
            }
            var bytes = dtype.byteSize
            for dimension in entry.shape {
                let (product, overflow) = bytes.multipliedReportingOverflow(by: dimension)
                guard !overflow else {
                    throw CLIPNetworkError.safeTensorsEntry(path: path, tensor: name, reason: "shape \(entry.shape) overflows")
                }
                bytes = product
            }
            guard bytes == end - begin else {
                throw CLIPNetworkError.byteLengthMismatch(
                    path: path, tensor: name, shape: entry.shape, dtype: dtype.rawValue, expectedBytes: bytes, foundBytes: end - begin)
            }
            tensors[name] = SafeTensorInfo(name: name, dtype: dtype, shape: entry.shape, dataOffsets: begin..<end)
        }
        let ordered = tensors.values.sorted {
            ($0.dataOffsets.lowerBound, $0.dataOffsets.upperBound, $0.name) < ($1.dataOffsets.lowerBound, $1.dataOffsets.upperBound, $1.name)
        }
        var covered = 0
        var previous: String?
        for info in ordered {
            if info.dataOffsets.lowerBound < covered, let previous {
                throw CLIPNetworkError.overlappingTensors(path: path, first: previous, second: info.name)
            }
            if info.dataOffsets.lowerBound > covered {
                throw CLIPNetworkError.uncoveredBytes(path: path, begin: covered, end: info.dataOffsets.lowerBound)
            }
            covered = info.dataOffsets.upperBound
            previous = info.name
        }
        if covered != dataSize { throw CLIPNetworkError.uncoveredBytes(path: path, begin: covered, end: dataSize) }
        return tensors
    }
}

/// The header JSON before validation.
private struct RawHeader: Decodable {
    static let metadataKey = "__metadata__"
    var metadata: [String: String] = [:]
    var entries: [String: RawEntry] = [:]

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        for key in c.allKeys {
            if key.stringValue == Self.metadataKey {
                metadata = try c.decode([String: String].self, forKey: key)
            } else {
                entries[key.stringValue] = try c.decode(RawEntry.self, forKey: key)
            }
        }
    }
}

private struct RawEntry: Decodable {
    let dtype: String
    let shape: [Int]
    let dataOffsets: [Int]

    enum CodingKeys: String, CodingKey {
        case dtype, shape
        case dataOffsets = "data_offsets"
    }
}
