extension CLIPNetworkError: CustomStringConvertible {
    /// A sentence naming the object, what was expected, what was found, and what to do next.
    public var description: String {
        switch self {
        case let .fileNotFound(path, hint):
            return "\(path): file not found. \(hint)"
        case let .unreadableFile(path, reason):
            return "\(path): cannot be read (\(reason))."
        case let .invalidConfiguration(path, field, reason):
            return "\(path): field `\(field)` is invalid: \(reason). Compare with the config.json that transformers' save_pretrained writes."
        case let .unsupportedActivation(tower, name):
            return "\(tower): hidden_act \"\(name)\" is not supported; expected \"quick_gelu\" or \"gelu\"."
        case let .unsupportedPrecision(requested, supported, reason):
            return "precision \(requested) is not available on this CPU: \(reason); use one of \(supported.joined(separator: ", "))"
        case let .safeTensorsTooSmall(path, size):
            return
                "\(path): \(size) bytes is too short for a safetensors file (needs at least the 8-byte header length). The file is truncated; download it again."
        case let .safeTensorsHeaderLength(path, length, size):
            return "\(path): header length \(length) does not fit in a file of \(size) bytes. The file is truncated or not safetensors."
        case let .safeTensorsHeader(path, reason):
            return "\(path): the safetensors header is invalid: \(reason)."
        case let .safeTensorsEntry(path, tensor, reason):
            return "\(path): tensor \"\(tensor)\": \(reason)."
        case let .unknownDType(path, tensor, dtype):
            return "\(path): tensor \"\(tensor)\" has dtype \"\(dtype)\", which safetensors does not define."
        case let .byteLengthMismatch(path, tensor, shape, dtype, expected, found):
            return "\(path): tensor \"\(tensor)\" of shape \(shape) and dtype \(dtype) needs \(expected) bytes, but its data_offsets span \(found)."
        case let .offsetsOutOfRange(path, tensor, begin, end, size):
            return
                "\(path): tensor \"\(tensor)\" data_offsets [\(begin), \(end)] lie outside the data section of \(size) bytes. The file is truncated or corrupt."
        case let .overlappingTensors(path, first, second):
            return "\(path): tensors \"\(first)\" and \"\(second)\" overlap in the data section."
        case let .uncoveredBytes(path, begin, end):
            return "\(path): bytes [\(begin), \(end)) of the data section belong to no tensor; safetensors requires the tensors to cover it exactly."
        case let .unsupportedDType(tensor, dtype, supported):
            return
                "tensor \"\(tensor)\" is stored as \(dtype); expected one of \(supported.joined(separator: ", ")). Convert the checkpoint (e.g. with safetensors in Python)."
        case let .tensorNotFound(path, tensor):
            return "\(path): no tensor named \"\(tensor)\"."
        case let .missingTensor(key, shape):
            return "checkpoint lacks \"\(key)\" (expected shape \(shape)). Is this a CLIPModel checkpoint matching config.json?"
        case let .unexpectedTensors(keys):
            let shown = keys.prefix(8).map { "\"\($0)\"" }.joined(separator: ", ")
            let more = keys.count > 8 ? " and \(keys.count - 8) more" : ""
            return "checkpoint holds \(keys.count) tensor(s) the architecture does not use: \(shown)\(more). Is config.json the one saved with these weights?"
        case let .shapeMismatch(key, expected, found):
            return "tensor \"\(key)\": expected shape \(expected) from config.json, found \(found)."
        case let .nonFiniteWeight(key, index):
            return "tensor \"\(key)\" holds NaN or infinity at element \(index). The checkpoint is corrupt."
        case let .towerNotLoaded(tower):
            return "the \(tower) tower was not loaded; open the model with that tower requested."
        case let .invalidSequenceLength(sequence, length, maximum):
            return "token sequence \(sequence) has \(length) tokens; expected 1...\(maximum). Truncate it with the tokenizer."
        case let .invalidTokenID(sequence, position, id, vocabularySize):
            return "token sequence \(sequence), position \(position): id \(id) is outside 0..<\(vocabularySize). Use the tokenizer that belongs to this model."
        case let .invalidPixelValues(expected, found, size, channels):
            return
                "pixel values have \(found) values per image; expected \(expected) = \(channels) × \(size) × \(size). Preprocess with this model's preprocessor_config.json."
        case let .nonFiniteOutput(name, row):
            return "\(name) of input \(row) is NaN or infinite. Check the input values."
        case let .embeddingDimensionMismatch(image, text):
            return "image embeddings have \(image) dimensions but text embeddings \(text); they must come from the same model."
        }
    }
}
