import CLIPNetwork
import Foundation
import TensorKernels

/// A parsed ONNX file (`ModelProto`): opset imports and the graph, with tensor bytes left in the
/// memory-mapped file (or in external data files next to it) until they are converted.
///
/// Mirrors `onnx.proto` `ModelProto` fields 1 `ir_version`, 2 `producer_name`, 3 `producer_version`,
/// 7 `graph`, 8 `opset_import` (`OperatorSetIdProto`: 1 `domain`, 2 `version`). A hand-written reader
/// rather than swift-protobuf: six read-only messages, zero-copy access to `raw_data` of a mapped
/// file (swift-protobuf decodes a 600 MB model into copied `Data` fields), and no generated code or
/// plugin build to keep in step with `onnx.proto`.
public struct ONNXModel: Sendable {
    /// The file, used in error messages and to resolve external data locations.
    public let url: URL
    public let irVersion: Int
    public let producerName: String
    public let producerVersion: String
    /// `opset_import` as domain → version (`""` is the default `ai.onnx` domain).
    public let opsets: [String: Int]
    public let graph: ONNXGraph
    /// The file's bytes: a mapping of the file (`MappedFile`), or bytes held in memory.
    let data: Data
    /// Whether `data` is a mapping whose pages can be dropped after use.
    let isMapped: Bool

    /// Maps and parses the file at `url`.
    /// - Throws: `ONNXError` naming the file and what is wrong with it.
    public init(contentsOf url: URL) throws {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ONNXError.fileNotFound(path: url.path, hint: "Expected an ONNX export such as onnx/model.onnx.")
        }
        let data: Data
        do { data = try MappedFile.map(url) } catch {
            throw ONNXError.unreadableFile(path: url.path, reason: error.reason)
        }
        try self.init(data: data, url: url, isMapped: !data.isEmpty)
    }

    /// Parses ONNX bytes held in memory; `url` names them and locates external data.
    public init(data: Data, url: URL) throws {
        try self.init(data: data, url: url, isMapped: false)
    }

    private init(data: Data, url: URL, isMapped: Bool) throws {
        self.isMapped = isMapped
        let path = url.path
        var r = ProtobufReader(data: data, range: 0..<data.count, message: "ModelProto", path: path)
        var irVersion = 0
        var producerName = "", producerVersion = ""
        var opsets: [String: Int] = [:]
        var graph: ONNXGraph?
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: irVersion = Int(truncatingIfNeeded: try r.int64())
            case 2: producerName = try r.string()
            case 3: producerVersion = try r.string()
            case 7: graph = try ONNXGraph(reader: r.reader(for: try r.lengthDelimited(), message: "GraphProto"))
            case 8:
                var entry = r.reader(for: try r.lengthDelimited(), message: "OperatorSetIdProto")
                var domain = "", version = 0
                while let (f, w) = try entry.nextField() {
                    switch f {
                    case 1: domain = try entry.string()
                    case 2: version = Int(truncatingIfNeeded: try entry.int64())
                    default: try entry.skip(w)
                    }
                }
                opsets[domain == "ai.onnx" ? "" : domain] = version
            default: try r.skip(wire)
            }
        }
        guard let graph else {
            throw ONNXError.malformedProtobuf(path: path, message: "ModelProto", offset: data.count, reason: "no graph (field 7)")
        }
        self.url = url
        self.data = data
        self.irVersion = irVersion
        self.producerName = producerName
        self.producerVersion = producerVersion
        self.opsets = opsets
        self.graph = graph
    }

    /// The version of the default (`ai.onnx`) opset.
    public var defaultOpset: Int { opsets[""] ?? 0 }
}
