import TensorKernels

/// Strict, scoped access to the tensors of a checkpoint.
///
/// Every tensor is requested once by its full key with the shape the configuration implies; a
/// missing key or another shape throws at once, and `finish()` throws for every tensor nobody asked for.
/// Mirrors the strictness of candle's `VarBuilder` and mlx-swift's `verify: .all`, which transformers
/// does not have (it warns and initialises missing weights randomly).
final class CLIPWeights {
    /// Non-persistent buffers that older transformers versions wrote into checkpoints:
    /// `text_model.embeddings.position_ids` and `vision_model.embeddings.position_ids` (`arange`,
    /// usually `I64`). transformers ignores them on load (`persistent=False` since 4.31); so do we.
    static func isIgnorableBuffer(_ key: String) -> Bool { key.hasSuffix(".position_ids") }

    let source: any CLIPTensorSource
    private var consumed: Set<String> = []
    /// Key prefixes of parts deliberately not loaded (a tower that was not requested).
    private var skippedPrefixes: [String] = []

    /// How the linear layers built from these tensors store and multiply their weights.
    let precision: LinearWeights.Precision

    init(source: any CLIPTensorSource, precision: LinearWeights.Precision = .float32) {
        self.source = source
        self.precision = precision
    }

    /// The root scope (keys as written in the file).
    var root: WeightScope { WeightScope(weights: self, prefix: "") }

    /// Marks every key starting with `prefix` as deliberately unused.
    func skip(prefix: String) { skippedPrefixes.append(prefix) }

    /// The values of `key`, checked against `shape` and for NaN/infinity.
    func tensor(_ key: String, shape expected: [Int]) throws -> [Float] {
        try requireShape(key, expected)
        precondition(!consumed.contains(key), "CLIPWeights: \(key) requested twice")
        let values = try source.floats(key)
        if let bad = Kernels.firstNonFinite(values) {
            throw CLIPNetworkError.nonFiniteWeight(key: key, index: bad)
        }
        consumed.insert(key)
        return values
    }

    /// The embedding matrix `key` `[rows, width]`, checked like `tensor(_:shape:)`. A mapped source
    /// (`MappedTensorSource`) leaves it in the file: it is read once here for the check, its pages
    /// dropped again, and each lookup later reads its row.
    func embeddingTable(_ key: String, rows: Int, width: Int) throws -> EmbeddingTable {
        let expected = [rows, width]
        try requireShape(key, expected)
        guard let mapped = try (source as? any MappedTensorSource)?.mappedTensor(key) else {
            return EmbeddingTable(rows: rows, width: width, storage: .resident(try tensor(key, shape: expected)))
        }
        precondition(!consumed.contains(key), "CLIPWeights: \(key) requested twice")
        guard mapped.count == rows * width else { throw CLIPNetworkError.shapeMismatch(key: key, expected: expected, found: [mapped.count]) }
        defer { mapped.releasePages() }
        if let bad = mapped.firstNonFinite() { throw CLIPNetworkError.nonFiniteWeight(key: key, index: bad) }
        consumed.insert(key)
        return EmbeddingTable(rows: rows, width: width, storage: .mapped(mapped))
    }

    /// `key`'s stored form (`CLIPTensorSource.storedLinearWeight`), checked against `shape` and for
    /// NaN/infinity; nil when the source has none (then `tensor(_:shape:)` reads it).
    func storedLinearWeight(_ key: String, shape expected: [Int]) throws -> StoredLinearWeight? {
        try requireShape(key, expected)
        guard let stored = try source.storedLinearWeight(key) else { return nil }
        precondition(!consumed.contains(key), "CLIPWeights: \(key) requested twice")
        let count: Int
        switch stored.values {
        case .float32(let values): count = values.count
        case .int8(let values, _): count = values.count
        }
        guard count == expected.reduce(1, *) else {
            throw CLIPNetworkError.shapeMismatch(key: key, expected: expected, found: [count])
        }
        if let bad = stored.firstNonFinite { throw CLIPNetworkError.nonFiniteWeight(key: key, index: bad) }
        consumed.insert(key)
        return stored
    }

    /// Runs `body` on the fp32 tensors `keys` left in the file's mapping (for a linear layer to pack
    /// them with no intermediate copy, `LinearWeights.packing(mapped:…)`), each checked against its
    /// shape and for NaN/infinity like `tensor(_:shape:)`; their pages are dropped afterwards. Nil,
    /// with nothing consumed, unless the source maps every one of them as aligned fp32.
    func withMappedFloats<R>(_ keys: [String], shapes: [[Int]], _ body: ([MappedTensor]) throws -> R) throws -> R? {
        guard let source = source as? any MappedTensorSource else { return nil }
        for (key, shape) in zip(keys, shapes) { try requireShape(key, shape) }
        var tensors: [MappedTensor] = []
        for key in keys {
            guard let mapped = try source.mappedTensor(key), mapped.isAlignedFloat32 else { return nil }
            tensors.append(mapped)
        }
        defer { for tensor in tensors { tensor.releasePages() } }
        for (key, tensor) in zip(keys, tensors) {
            precondition(!consumed.contains(key), "CLIPWeights: \(key) requested twice")
            if let bad = tensor.firstNonFinite() { throw CLIPNetworkError.nonFiniteWeight(key: key, index: bad) }
        }
        consumed.formUnion(keys)
        return try body(tensors)
    }

    /// Throws `.missingTensor` or `.shapeMismatch` unless the source holds `key` with shape `expected`.
    private func requireShape(_ key: String, _ expected: [Int]) throws {
        guard let shape = source.shape(of: key) else { throw CLIPNetworkError.missingTensor(key: key, expectedShape: expected) }
        guard shape == expected else { throw CLIPNetworkError.shapeMismatch(key: key, expected: expected, found: shape) }
    }

    /// Whether the file holds `key` (for optional tensors such as `logit_scale`).
    func contains(_ key: String) -> Bool { source.shape(of: key) != nil }

    /// Throws `.unexpectedTensors` listing every key that was neither consumed, skipped nor ignorable.
    func finish() throws {
        let unused = source.tensorKeys.filter { key in
            !consumed.contains(key) && !Self.isIgnorableBuffer(key) && !skippedPrefixes.contains { key.hasPrefix($0) }
        }
        if !unused.isEmpty { throw CLIPNetworkError.unexpectedTensors(keys: unused.sorted()) }
    }
}
