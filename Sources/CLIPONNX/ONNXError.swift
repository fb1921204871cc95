/// Everything that can go wrong while reading an ONNX export of CLIP.
///
/// Each message names the file and the object (tensor, node), what was expected, what was found,
/// and a next step (see `ONNXError+Description.swift`).
public enum ONNXError: Error, Equatable, Sendable {
    // MARK: Files
    /// No ONNX export in the folder (or its `onnx/` subfolder).
    case noModel(folder: String, lookedFor: [String])
    /// A file is missing (the model, or `config.json`).
    case fileNotFound(path: String, hint: String)
    /// A file exists but could not be read.
    case unreadableFile(path: String, reason: String)

    // MARK: Protobuf and tensors
    /// The bytes are not a valid protobuf message (truncated, or not an ONNX file).
    case malformedProtobuf(path: String, message: String, offset: Int, reason: String)
    /// A protobuf feature ONNX allows that this reader does not implement.
    case unsupportedFeature(path: String, feature: String)
    /// A `TensorProto.data_type` this reader does not know.
    case unsupportedDataType(path: String, tensor: String, dataType: Int)
    /// A tensor's fields contradict each other.
    case invalidTensor(path: String, tensor: String, reason: String)
    /// The stored bytes disagree with shape × element size.
    case tensorDataSize(path: String, tensor: String, shape: [Int], dataType: String, expectedBytes: Int, foundBytes: Int)
    /// A tensor stored in an external file that does not exist.
    case missingExternalData(path: String, tensor: String, location: String)
    /// A tensor's external byte range reaches past the end of its file.
    case externalDataOutOfRange(path: String, tensor: String, location: String, offset: Int, length: Int, fileSize: Int)
    /// A tensor has a data type that cannot be used where it is.
    case wrongDataType(path: String, tensor: String, expected: [String], found: String)

    // MARK: Graph
    /// The model imports an opset version outside what this loader knows.
    case unsupportedOpset(path: String, domain: String, version: Int, supported: ClosedRange<Int>)
    /// A node uses an operator that CLIP exports do not contain.
    case unsupportedOperator(path: String, node: String, opType: String, domain: String, opset: Int)
    /// The graph is not a CLIP export this loader recognises.
    case unrecognizedGraph(path: String, node: String, opType: String, opset: Int, reason: String)
    /// An initializer's shape disagrees with how the graph uses it.
    case initializerShape(path: String, tensor: String, node: String, expected: String, found: [Int])
    /// Two initializers map to the same checkpoint key.
    case duplicateWeight(path: String, key: String, first: String, second: String)
    /// The graph's MLP activation is not the one `config.json` names.
    case activationMismatch(path: String, scope: String, graph: String, configuration: String)
    /// A graph input has another element type than CLIP's (`input_ids` INT64, `pixel_values` FLOAT).
    case inputType(path: String, input: String, expected: [String], found: String)
}
