import CLIPNetwork
import Foundation

/// Writes safetensors bytes from tensor entries, to derive broken files from good ones in tests.
struct SafeTensorsBuilder {
    struct Entry {
        var name: String
        var dtype: String
        var shape: [Int]
        var bytes: Data
    }

    var metadata: [String: String] = [:]
    var entries: [Entry] = []

    init() {}

    /// Every tensor of a valid file, in data order.
    init(reading url: URL) throws {
        let raw = try Data(contentsOf: url)
        let file = try SafeTensorsFile(data: raw, path: url.path)
        let headerLength = raw.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let dataStart = 8 + headerLength
        metadata = file.metadata
        entries = file.tensors.values.sorted { $0.dataOffsets.lowerBound < $1.dataOffsets.lowerBound }.map { info in
            Entry(
                name: info.name, dtype: info.dtype.rawValue, shape: info.shape,
                bytes: raw.subdata(in: dataStart + info.dataOffsets.lowerBound..<dataStart + info.dataOffsets.upperBound))
        }
    }

    subscript(name: String) -> Entry? {
        get { entries.first { $0.name == name } }
        set {
            if let index = entries.firstIndex(where: { $0.name == name }) {
                if let newValue { entries[index] = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append(newValue)
            }
        }
    }

    /// The header as a JSON-ready dictionary and the data section, laid out contiguously.
    func parts() -> (header: [String: Any], data: Data) {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var data = Data()
        for entry in entries {
            header[entry.name] = ["dtype": entry.dtype, "shape": entry.shape, "data_offsets": [data.count, data.count + entry.bytes.count]]
            data.append(entry.bytes)
        }
        return (header, data)
    }

    func encoded() throws -> Data {
        let (header, data) = parts()
        return try Self.encode(header: header, data: data)
    }

    /// `u64 length | JSON header | data`.
    static func encode(header: [String: Any], data: Data) throws -> Data {
        let json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        return encode(rawHeader: json, data: data)
    }

    static func encode(rawHeader json: Data, data: Data, declaredLength: UInt64? = nil) -> Data {
        var out = Data()
        var length = (declaredLength ?? UInt64(json.count)).littleEndian
        withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
        out.append(json)
        out.append(data)
        return out
    }

    /// `count` little-endian F32 values.
    static func float32Bytes(_ values: [Float]) -> Data {
        var data = Data()
        for value in values {
            var bits = value.bitPattern.littleEndian
            withUnsafeBytes(of: &bits) { data.append(contentsOf: $0) }
        }
        return data
    }
}

/// A temporary copy of a model folder (config.json + model.safetensors) that tests may break.
struct ScratchModelFolder {
    let url: URL

    init(copying source: URL) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("clipnetwork-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for name in ["config.json", "model.safetensors"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: url.appendingPathComponent(name))
        }
    }

    var weights: URL { url.appendingPathComponent("model.safetensors") }
    var config: URL { url.appendingPathComponent("config.json") }

    func write(weights data: Data) throws { try data.write(to: weights) }
    func write(config text: String) throws { try Data(text.utf8).write(to: config) }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
