/// Everything that can go wrong while reading a CLIP checkpoint or running its towers on user input.
///
/// Each message names the object (file, tensor key, input), what was expected, what was found, and a
/// next step. Programmer errors (mismatched shapes between our own layers) are preconditions instead.
public enum CLIPNetworkError: Error, Equatable, Sendable {
    // MARK: Files and configuration
    /// A required file of the model folder does not exist.
    case fileNotFound(path: String, hint: String)
    /// A file exists but could not be read.
    case unreadableFile(path: String, reason: String)
    /// `config.json` is not valid JSON or a field has the wrong type or an impossible value.
    case invalidConfiguration(path: String, field: String, reason: String)
    /// `hidden_act` names an activation this implementation does not provide.
    case unsupportedActivation(tower: String, name: String)
    /// A precision was asked for that this CPU cannot run (bf16 without AVX512_BF16).
    case unsupportedPrecision(requested: String, supported: [String], reason: String)

    // MARK: safetensors container
    /// The file is shorter than the 8-byte header length prefix.
    case safeTensorsTooSmall(path: String, size: Int)
    /// The header length prefix points outside the file.
    case safeTensorsHeaderLength(path: String, headerLength: UInt64, fileSize: Int)
    /// The header is not a JSON object of tensor entries (and an optional `__metadata__` string map).
    case safeTensorsHeader(path: String, reason: String)
    /// One tensor entry of the header is malformed.
    case safeTensorsEntry(path: String, tensor: String, reason: String)
    /// A dtype string that the safetensors format does not define.
    case unknownDType(path: String, tensor: String, dtype: String)
    /// `shape` × dtype size disagrees with the entry's byte range.
    case byteLengthMismatch(path: String, tensor: String, shape: [Int], dtype: String, expectedBytes: Int, foundBytes: Int)
    /// A byte range reaches past the end of the data section.
    case offsetsOutOfRange(path: String, tensor: String, begin: Int, end: Int, dataSize: Int)
    /// Two tensors share bytes.
    case overlappingTensors(path: String, first: String, second: String)
    /// The tensors do not cover the data section exactly (a hole, or trailing bytes).
    case uncoveredBytes(path: String, begin: Int, end: Int)
    /// A tensor is stored in a dtype that cannot be converted to what was asked.
    case unsupportedDType(tensor: String, dtype: String, supported: [String])
    /// A tensor key is not in the file.
    case tensorNotFound(path: String, tensor: String)

    // MARK: Strict weight loading
    /// The checkpoint lacks a tensor the architecture needs.
    case missingTensor(key: String, expectedShape: [Int])
    /// The checkpoint holds tensors the architecture does not use.
    case unexpectedTensors(keys: [String])
    /// A tensor has another shape than the configuration implies.
    case shapeMismatch(key: String, expected: [Int], found: [Int])
    /// A weight holds NaN or infinity.
    case nonFiniteWeight(key: String, index: Int)

    // MARK: Inputs
    /// A tower was used that was not loaded.
    case towerNotLoaded(tower: String)
    /// A token sequence is empty or longer than `max_position_embeddings`.
    case invalidSequenceLength(sequence: Int, length: Int, maximum: Int)
    /// A token id is negative or not below `vocab_size`.
    case invalidTokenID(sequence: Int, position: Int, id: Int, vocabularySize: Int)
    /// Pixel values do not have the `[n, channels · size · size]` layout of this model.
    case invalidPixelValues(expectedColumns: Int, foundColumns: Int, imageSize: Int, channels: Int)
    /// An output held NaN or infinity (the inputs or the weights are broken).
    case nonFiniteOutput(name: String, row: Int)
    /// Two sets of embeddings cannot be compared.
    case embeddingDimensionMismatch(image: Int, text: Int)
}
