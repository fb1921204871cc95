extension ONNXError: CustomStringConvertible {
    /// A sentence naming the object, what was expected, what was found, and what to do next.
    public var description: String {
        switch self {
        case let .noModel(folder, lookedFor):
            return "\(folder): no ONNX export found; looked for \(lookedFor.joined(separator: ", ")) here and in its onnx/ subfolder."
        case let .fileNotFound(path, hint):
            return "\(path): file not found. \(hint)"
        case let .unreadableFile(path, reason):
            return "\(path): cannot be read (\(reason))."
        case let .malformedProtobuf(path, message, offset, reason):
            return "\(path): not a valid ONNX protobuf: \(message) at byte \(offset): \(reason). The file is truncated or not an ONNX model; download it again."
        case let .unsupportedFeature(path, feature):
            return "\(path): uses \(feature), which this loader does not read. Re-export the model with torch.onnx.export or optimum."
        case let .unsupportedDataType(path, tensor, dataType):
            return
                "\(path): tensor \"\(tensor)\" has data_type \(dataType), which this loader does not know (expected FLOAT, FLOAT16, BFLOAT16, DOUBLE or an integer type)."
        case let .invalidTensor(path, tensor, reason):
            return "\(path): tensor \"\(tensor)\": \(reason)."
        case let .tensorDataSize(path, tensor, shape, dataType, expected, found):
            return "\(path): tensor \"\(tensor)\" (\(dataType) \(shape)) needs \(expected) bytes but holds \(found). The file is damaged; download it again."
        case let .missingExternalData(path, tensor, location):
            return "\(path): tensor \"\(tensor)\" is stored in the external file \"\(location)\", which is missing. Download it next to the model."
        case let .externalDataOutOfRange(path, tensor, location, offset, length, size):
            return
                "\(path): tensor \"\(tensor)\" reads bytes \(offset)..<\(offset + length) of \"\(location)\", which has \(size) bytes. The external data file is truncated; download it again."
        case let .wrongDataType(path, tensor, expected, found):
            return "\(path): tensor \"\(tensor)\" is \(found); expected \(expected.joined(separator: " or "))."
        case let .unsupportedOpset(path, domain, version, supported):
            return
                "\(path): imports opset \(version) of domain \"\(domain.isEmpty ? "ai.onnx" : domain)\"; supported: \(supported.lowerBound)...\(supported.upperBound)."
        case let .unsupportedOperator(path, node, opType, domain, opset):
            return
                "\(path): node \"\(node)\" uses operator \(domain.isEmpty ? "" : domain + ".")\(opType) (opset \(opset)), which CLIP exports do not contain. Export without graph optimisations (optimum-cli export onnx, or torch.onnx.export)."
        case let .unrecognizedGraph(path, node, opType, opset, reason):
            return "\(path): node \"\(node)\" (\(opType), opset \(opset)): \(reason). This graph is not a CLIP export this loader recognises."
        case let .initializerShape(path, tensor, node, expected, found):
            return "\(path): initializer \"\(tensor)\" used by node \"\(node)\" has shape \(found); expected \(expected)."
        case let .duplicateWeight(path, key, first, second):
            return "\(path): both \"\(first)\" and \"\(second)\" map to the weight \(key)."
        case let .activationMismatch(path, scope, graph, configuration):
            return "\(path): the graph computes \(graph) in \(scope), but config.json names \(configuration). Use the config.json that belongs to this export."
        case let .inputType(path, input, expected, found):
            return "\(path): graph input \"\(input)\" is \(found); expected \(expected.joined(separator: " or "))."
        }
    }
}
