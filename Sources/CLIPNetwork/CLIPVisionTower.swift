import TensorKernels

/// The vision half of CLIP: pixel values → projected image features.
///
/// Mirrors `CLIPVisionEmbeddings`, `CLIPVisionModel` and `CLIPModel.get_image_features` of
/// transformers' `modeling_clip.py` (5.x), without `interpolate_pos_encoding` (inputs must have the
/// configured size).
public struct CLIPVisionTower: Sendable {
    /// The tower's hyper-parameters.
    public let configuration: CLIPVisionConfiguration
    /// `embeddings.patch_embedding` (a stride-`patch` convolution without bias) as a GEMM over
    /// flattened patches: `[hidden, channels · patch · patch]`, columns in `[c, ky, kx]` order — the
    /// conv weight `[hidden, channels, patch, patch]` unchanged. (A dynamic-int8 export's
    /// `ConvInteger` quantizes all pixel values of the batch; with stride = kernel and the image a
    /// whole number of patches, the flattened patches hold exactly those values.)
    let patchEmbedding: CLIPLinear
    /// `[hidden]`: `embeddings.class_embedding`.
    let classEmbedding: [Float]
    /// `[tokens, hidden]`: `embeddings.position_embedding.weight`.
    let positionEmbedding: [Float]
    let preLayerNorm: LayerNormParameters
    let layers: [CLIPEncoderLayer]
    let postLayerNorm: LayerNormParameters
    /// `visual_projection`, `[projection, hidden]`, no bias.
    let projection: CLIPLinear

    /// Width of the features this tower returns.
    public var projectionDimension: Int { projection.outFeatures }

    /// Whether some layer quantizes its input per tensor (an int8 ONNX export), tying each image's
    /// result to the rest of its batch.
    private var quantizesAcrossRows: Bool {
        patchEmbedding.quantizesAcrossRows || projection.quantizesAcrossRows
            || layers.contains { [$0.qkv, $0.outProjection, $0.fc1, $0.fc2].contains { $0.quantizesAcrossRows } }
    }

    /// Loads `model` (`vision_model`) and `projection` (`visual_projection`).
    init(model: WeightScope, projection: WeightScope, configuration: CLIPVisionConfiguration, projectionDimension: Int) throws {
        let c = configuration
        self.configuration = c
        let embeddings = model.scope("embeddings")
        classEmbedding = try embeddings.tensor("class_embedding", shape: [c.hiddenSize])
        let patchWidth = c.channels * c.patchSize * c.patchSize
        // fp32 under `precision: .int8` unless the file stores it int8 (the first layer is the most
        // sensitive to a per-row int8 scale); bf16 under `.bfloat16`.
        patchEmbedding = try CLIPLinear(
            parts: [embeddings.scope("patch_embedding")], outFeatures: [c.hiddenSize], inFeatures: patchWidth, bias: false,
            weightShape: [c.hiddenSize, c.channels, c.patchSize, c.patchSize], requantizes: false)
        positionEmbedding = try embeddings.scope("position_embedding").tensor("weight", shape: [c.tokenCount, c.hiddenSize])
        // The attribute is spelt `pre_layrnorm` in modeling_clip.py and in every checkpoint.
        preLayerNorm = try model.scope("pre_layrnorm").layerNorm(width: c.hiddenSize, epsilon: c.layerNormEpsilon)
        layers = try CLIPEncoderLayer.stack(
            scope: model.scope("encoder").scope("layers"), count: c.layerCount, hiddenSize: c.hiddenSize,
            intermediateSize: c.intermediateSize, heads: c.attentionHeads, activation: c.activation,
            layerNormEpsilon: c.layerNormEpsilon)
        postLayerNorm = try model.scope("post_layernorm").layerNorm(width: c.hiddenSize, epsilon: c.layerNormEpsilon)
        self.projection = try projection.linear(outFeatures: projectionDimension, inFeatures: c.hiddenSize, bias: false)
    }

    /// Checks that each row of `pixelValues` is one `[channels, imageSize, imageSize]` image.
    /// - Throws: `.invalidPixelValues`.
    public func validate(_ pixelValues: Matrix) throws {
        let c = configuration
        guard pixelValues.columns == c.valuesPerImage else {
            throw CLIPNetworkError.invalidPixelValues(
                expectedColumns: c.valuesPerImage, foundColumns: pixelValues.columns, imageSize: c.imageSize, channels: c.channels)
        }
    }

    /// Projected, unnormalised features (`get_image_features`): `[n, channels · size · size]` (each row
    /// one preprocessed image, `[channels, size, size]` row-major) → `[n, projection]`.
    public func features(_ pixelValues: Matrix) throws -> Matrix {
        try features(pixelValues, recorder: nil)
    }

    /// L2-normalised features (`image_embeds` of `CLIPModel.forward`): `[n, projection]`.
    public func embeddings(_ pixelValues: Matrix) throws -> Matrix {
        try embeddings(pixelValues, recorder: nil)
    }

    package func embeddings(_ pixelValues: Matrix, recorder: ActivationRecorder?) throws -> Matrix {
        let normalized = Kernels.l2NormalizeRows(try features(pixelValues, recorder: recorder))
        recorder?.record("vision.embeds_normalized", normalized)
        return normalized
    }

    /// Images per pass through the tower: a batch runs in chunks of at most this many, so its
    /// activations (`[images · tokens, intermediate]` and the like) take a chunk's memory, not the
    /// batch's, while the GEMMs keep hundreds of rows. With several threads the chunks run side by
    /// side, one thread each, as far as the batch divides among the threads (`BatchSlices`). Every
    /// image's features are the same either way (no kernel mixes rows), except under onnxruntime's
    /// per-tensor activation quantisation (`CLIPLinear.quantizesAcrossRows`), whose scale spans the
    /// whole batch: that runs unchunked.
    package static let imagesPerChunk = 4

    /// The images per call that give each image the features it has alone, with a pass's memory
    /// per thread: callers that prepare images ahead of the tower (the facade's pipeline) feed it
    /// this many at a time. nil when a layer's per-tensor quantisation ties each image to its batch.
    package var independentPassSize: Int? {
        quantizesAcrossRows ? nil : Self.imagesPerChunk * max(1, Kernels.threadCount)
    }

    /// `threads`: how many slices of the batch run side by side (tests vary it; the pool's own
    /// thread count decides how many threads actually run them).
    package func features(_ pixelValues: Matrix, recorder: ActivationRecorder?, threads: Int = Kernels.threadCount) throws -> Matrix {
        try validate(pixelValues)
        guard recorder == nil, !quantizesAcrossRows,
            let slices = BatchSlices(count: pixelValues.rows, threads: threads, maximumSize: Self.imagesPerChunk)
        else { return try forward(pixelValues, images: 0..<pixelValues.rows, recorder: recorder, context: .shared) }
        let results = SliceResults<Result<Matrix, CLIPNetworkError>>(count: slices.count)
        let run: @Sendable (Int, KernelContext) -> Void = { slice, context in
            results.store(
                Result { () throws(CLIPNetworkError) in
                    try forward(pixelValues, images: slices[slice], recorder: nil, context: context)
                }, at: slice)
        }
        Kernels.forEachSlice(slices.concurrentCount) { run($0, .serial) }
        for slice in slices.concurrentCount..<slices.count { run(slice, .shared) }
        var out = Matrix(zeros: pixelValues.rows, columns: projectionDimension)
        for (slice, result) in results.values.enumerated() {
            let range = slices[slice]
            let features: Matrix
            switch result! {
            case .success(let value): features = value
            case .failure(.nonFiniteOutput(let name, let row)): throw CLIPNetworkError.nonFiniteOutput(name: name, row: range.lowerBound + row)
            case .failure(let error): throw error
            }
            out.values.replaceSubrange(
                range.lowerBound * projectionDimension..<range.upperBound * projectionDimension,
                with: features.values)
        }
        return out
    }

    /// `features` of one pass over rows `images` of `pixelValues` `[n, channels · size · size]`:
    /// `[images.count, projection]` (a non-finite row is reported relative to `images`).
    private func forward(
        _ pixelValues: Matrix, images: Range<Int>, recorder: ActivationRecorder?,
        context: KernelContext
    ) throws(CLIPNetworkError) -> Matrix {
        let batch = images.count
        let hidden = configuration.hiddenSize
        let tokens = configuration.tokenCount
        let columns = Self.patches(of: pixelValues, images: images, configuration: configuration)
        let patches = patchEmbedding(columns, context: context)
        // CLIPVisionEmbeddings: [class_embedding; patches] + position_embedding(arange(tokens)).
        var x = Matrix(zeros: batch * tokens, columns: hidden)
        for b in 0..<batch {
            for t in 0..<tokens {
                let row = (b * tokens + t) * hidden
                let source = t == 0 ? nil : (b * (tokens - 1) + t - 1) * hidden
                for j in 0..<hidden {
                    let value = source.map { patches.values[$0 + j] } ?? classEmbedding[j]
                    x.values[row + j] = value + positionEmbedding[t * hidden + j]
                }
            }
        }
        recorder?.record("vision.embeddings", x)
        x = preLayerNorm(x, context: context)
        recorder?.record("vision.pre_layrnorm", x)
        // Token 0 (the class token) → post_layernorm → visual_projection.
        let classTokens = layers.pooledOutput(
            &x, positions: [Int](repeating: 0, count: batch), batch: batch,
            sequenceLength: tokens, causal: false, recorder: recorder, prefix: "vision",
            context: context)
        let pooled = postLayerNorm(classTokens, context: context)
        recorder?.record("vision.pooled", pooled)
        let projected = projection(pooled, context: context)
        recorder?.record("vision.embeds", projected)
        if let bad = (0..<batch).first(where: { row in projected.row(row).contains { !$0.isFinite } }) {
            throw CLIPNetworkError.nonFiniteOutput(name: "image features", row: bad)
        }
        return projected
    }

    /// im2col of rows `images` (all by default): `[n, channels · size · size]` →
    /// `[images.count · grid², channels · patch · patch]`, patches in row-major grid order
    /// (`flatten(2).transpose(1, 2)` of the conv output), each flattened in `[c, ky, kx]` order to
    /// match the conv weight.
    package static func patches(of pixelValues: Matrix, images: Range<Int>? = nil, configuration c: CLIPVisionConfiguration) -> Matrix {
        let (p, grid, size) = (c.patchSize, c.gridSize, c.imageSize)
        let width = c.channels * p * p
        let images = images ?? 0..<pixelValues.rows
        var out = Matrix(zeros: images.count * grid * grid, columns: width)
        for (image, row) in images.enumerated() {
            let imageBase = row * pixelValues.columns
            for py in 0..<grid {
                for px in 0..<grid {
                    let rowBase = ((image * grid + py) * grid + px) * width
                    for channel in 0..<c.channels {
                        for ky in 0..<p {
                            let source = imageBase + (channel * size + py * p + ky) * size + px * p
                            let target = rowBase + (channel * p + ky) * p
                            out.values.replaceSubrange(target..<target + p, with: pixelValues.values[source..<source + p])
                        }
                    }
                }
            }
        }
        return out
    }
}
