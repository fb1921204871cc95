import TensorKernels

/// The text half of CLIP: token ids → projected text features.
///
/// Mirrors `CLIPTextEmbeddings`, `CLIPTextModel` and `CLIPModel.get_text_features` of transformers'
/// `modeling_clip.py` (5.x). By default each sequence runs unpadded and sequences of equal length
/// are batched (`TextBatching`). Because attention is causal and pooling reads the end-of-text
/// position, this equals the reference's padded batch for every token up to the pooled one.
///
/// Dynamic-int8 ONNX exports quantize each GEMM's whole input with one scale (onnxruntime's
/// `DynamicQuantizeLinear`), so a text's result depends on the texts that share its call: with
/// `.exactLength`, the other sequences of its length (onnxruntime's padded batch would also count
/// the padding). One text per call gives onnxruntime's single-text output.
public struct CLIPTextTower: Sendable {
    /// The tower's hyper-parameters.
    public let configuration: CLIPTextConfiguration
    /// `[vocab, hidden]`: `embeddings.token_embedding.weight`, left in the file when it is mapped
    /// (`EmbeddingTable`).
    let tokenEmbedding: EmbeddingTable
    /// `[maxPositions, hidden]`: `embeddings.position_embedding.weight`.
    let positionEmbedding: [Float]
    let layers: [CLIPEncoderLayer]
    let finalLayerNorm: LayerNormParameters
    /// `text_projection`, `[projection, hidden]`, no bias.
    let projection: CLIPLinear

    /// Whether the token embedding is read from the weight file's mapping (`EmbeddingTable`) rather
    /// than held in memory.
    package var readsTokenEmbeddingFromFile: Bool { tokenEmbedding.isMapped }

    /// Width of the features this tower returns.
    public var projectionDimension: Int { projection.outFeatures }

    /// Loads `model` (`text_model`) and `projection` (`text_projection`).
    init(model: WeightScope, projection: WeightScope, configuration: CLIPTextConfiguration, projectionDimension: Int) throws {
        let c = configuration
        self.configuration = c
        let embeddings = model.scope("embeddings")
        tokenEmbedding = try model.weights.embeddingTable(
            embeddings.scope("token_embedding").key("weight"),
            rows: c.vocabularySize, width: c.hiddenSize)
        positionEmbedding = try embeddings.scope("position_embedding").tensor("weight", shape: [c.maxPositions, c.hiddenSize])
        layers = try CLIPEncoderLayer.stack(
            scope: model.scope("encoder").scope("layers"), count: c.layerCount, hiddenSize: c.hiddenSize,
            intermediateSize: c.intermediateSize, heads: c.attentionHeads, activation: c.activation,
            layerNormEpsilon: c.layerNormEpsilon)
        finalLayerNorm = try model.scope("final_layer_norm").layerNorm(width: c.hiddenSize, epsilon: c.layerNormEpsilon)
        self.projection = try projection.linear(outFeatures: projectionDimension, inFeatures: c.hiddenSize, bias: false)
    }

    /// Checks lengths (1...maxPositions) and ids (0..<vocab).
    /// - Throws: `.invalidSequenceLength` or `.invalidTokenID` naming the sequence and position.
    public func validate(_ sequences: [[Int]]) throws {
        for (index, ids) in sequences.enumerated() {
            guard (1...configuration.maxPositions).contains(ids.count) else {
                throw CLIPNetworkError.invalidSequenceLength(sequence: index, length: ids.count, maximum: configuration.maxPositions)
            }
            if let position = ids.firstIndex(where: { $0 < 0 || $0 >= configuration.vocabularySize }) {
                throw CLIPNetworkError.invalidTokenID(
                    sequence: index, position: position, id: ids[position], vocabularySize: configuration.vocabularySize)
            }
        }
    }

    /// Projected, unnormalised features (`get_text_features`): `n` sequences → `[n, projection]`.
    public func features(_ sequences: [[Int]], batching: TextBatching = .exactLength) throws -> Matrix {
        try features(sequences, batching: batching, recorder: nil)
    }

    /// L2-normalised features (`text_embeds` of `CLIPModel.forward`): `[n, projection]`.
    public func embeddings(_ sequences: [[Int]], batching: TextBatching = .exactLength) throws -> Matrix {
        try embeddings(sequences, batching: batching, recorder: nil)
    }

    package func embeddings(
        _ sequences: [[Int]], batching: TextBatching = .exactLength,
        recorder: ActivationRecorder?
    ) throws -> Matrix {
        let normalized = Kernels.l2NormalizeRows(try features(sequences, batching: batching, recorder: recorder))
        recorder?.record("text.embeds_normalized", normalized)
        return normalized
    }

    /// `threads`: how many slices of each batch run side by side (tests vary it; the pool's own
    /// thread count decides how many threads actually run them).
    package func features(
        _ sequences: [[Int]], batching: TextBatching = .exactLength,
        recorder: ActivationRecorder?, threads: Int = Kernels.threadCount
    ) throws -> Matrix {
        try validate(sequences)
        let pooledPositions = sequences.map { configuration.pooling.position(in: $0) }
        var output = Matrix(zeros: sequences.count, columns: projectionDimension)
        func run(_ members: [Int], length: Int, inputs: [[Int]]) {
            let positions = members.map { pooledPositions[$0] }
            let batch: Matrix
            if recorder == nil, let slices = BatchSlices(count: members.count, threads: threads, maximumSize: nil) {
                batch = encode(inputs, length: length, pooledPositions: positions, slices: slices)
            } else {
                batch = encode(inputs, length: length, pooledPositions: positions, recorder: recorder, context: .shared)
            }
            for (row, index) in members.enumerated() {
                output.values.replaceSubrange(index * projectionDimension..<(index + 1) * projectionDimension, with: batch.row(row))
            }
        }
        switch batching {
        case .exactLength:
            let groups = Dictionary(grouping: sequences.indices, by: { sequences[$0].count })
            for length in groups.keys.sorted() {
                let members = groups[length]!
                run(members, length: length, inputs: members.map { sequences[$0] })
            }
        case .padded:
            guard !sequences.isEmpty else { break }
            // Tokens after the pooled one cannot reach it through the causal mask: cut them, then pad
            // with the last kept token (any valid id would do) to the longest.
            let length = pooledPositions.max()! + 1
            let inputs = sequences.indices.map { index in
                let kept = sequences[index][...pooledPositions[index]]
                return Array(kept) + Array(repeating: kept.last!, count: length - kept.count)
            }
            run(Array(sequences.indices), length: length, inputs: inputs)
        }
        if let bad = (0..<output.rows).first(where: { row in output.row(row).contains { !$0.isFinite } }) {
            throw CLIPNetworkError.nonFiniteOutput(name: "text features", row: bad)
        }
        return output
    }

    /// `encode` of each slice of the sequences, the slices side by side on the pool's threads.
    private func encode(_ sequences: [[Int]], length: Int, pooledPositions: [Int], slices: BatchSlices) -> Matrix {
        let results = SliceResults<Matrix>(count: slices.count)
        let run: @Sendable (Int, KernelContext) -> Void = { slice, context in
            let range = slices[slice]
            results.store(
                encode(
                    Array(sequences[range]), length: length, pooledPositions: Array(pooledPositions[range]),
                    recorder: nil, context: context), at: slice)
        }
        Kernels.forEachSlice(slices.concurrentCount) { run($0, .serial) }
        for slice in slices.concurrentCount..<slices.count { run(slice, .shared) }
        return Matrix(rows: sequences.count, columns: projectionDimension, values: results.values.flatMap { $0!.values })
    }

    /// Runs validated sequences that all have `length` tokens and pools row `pooledPositions[b]` of
    /// sequence `b`: `[batch, projection]`.
    private func encode(
        _ sequences: [[Int]], length: Int, pooledPositions: [Int], recorder: ActivationRecorder?,
        context: KernelContext
    ) -> Matrix {
        let hidden = configuration.hiddenSize
        let batch = sequences.count
        // CLIPTextEmbeddings: token_embedding(ids) + position_embedding(arange(length)).
        var x = Matrix(zeros: batch * length, columns: hidden)
        for (b, ids) in sequences.enumerated() {
            for (position, id) in ids.enumerated() {
                let row = (b * length + position) * hidden
                tokenEmbedding.copyRow(id, into: &x.values, at: row)
                for j in 0..<hidden { x.values[row + j] += positionEmbedding[position * hidden + j] }
            }
        }
        recorder?.record("text.embeddings", x)
        let gathered = layers.pooledOutput(
            &x, positions: pooledPositions, batch: batch, sequenceLength: length,
            causal: true, recorder: recorder, prefix: "text", context: context)
        // final_layer_norm is row-wise, so it runs on the pooled rows only (all rows when recording).
        recorder?.record("text.final_layer_norm", finalLayerNorm(x))
        let pooled = finalLayerNorm(gathered, context: context)
        recorder?.record("text.pooled", pooled)
        let projected = projection(pooled, context: context)
        recorder?.record("text.embeds", projected)
        return projected
    }
}
