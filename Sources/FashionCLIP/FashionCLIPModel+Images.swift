import CLIPNetwork
import Foundation
import TensorKernels

extension FashionCLIPModel {
    /// Embeddings of `inputs`, in order; each item succeeds or fails on its own.
    ///
    /// Decoding and preprocessing (Pillow-exact, see `CLIPImageProcessor`) run on worker threads one
    /// pass ahead of the vision tower; at most two passes of pixels are in memory. A pass is the
    /// tower's own pass of 4 images (each image's embedding does not depend on the others), or
    /// `options.batchSize` images for a dynamic-int8 ONNX export, whose per-tensor quantisation spans
    /// the batch as in onnxruntime.
    /// - Parameters:
    ///   - normalized: L2-normalised `image_embeds` (default) or unnormalised `get_image_features`.
    ///   - progress: called after each batch with (images done, images in all).
    /// - Returns: `[inputs.count]` results of `[embeddingDimension]` vectors; a failure is an
    ///   `ImageEmbeddingError` naming the input.
    public func embedImages(
        _ inputs: [ImageInput], normalized: Bool = true,
        progress: ((Int, Int) -> Void)? = nil
    ) -> [Result<[Float], ImageEmbeddingError>] {
        var results = [Result<[Float], ImageEmbeddingError>?](repeating: nil, count: inputs.count)
        guard let tower = network.visionTower, let imageProcessor else {
            let error = FashionCLIPError.towerUnavailable(
                folder: folder.path, tower: "vision", reason: "not loaded (options.towers) or absent from the checkpoint")
            return inputs.map { .failure(ImageEmbeddingError(input: $0.name, underlying: error)) }
        }
        let pipeline = ImagePipeline(
            processor: imageProcessor, valuesPerImage: tower.configuration.valuesPerImage,
            threads: options.preprocessingThreads == 0 ? ProcessInfo.processInfo.activeProcessorCount : options.preprocessingThreads)
        var done = 0
        let pass = tower.independentPassSize.map { min($0, options.batchSize) } ?? options.batchSize
        pipeline.forEachBatch(of: inputs, batchSize: pass) { batch in
            for failure in batch.failures { results[failure.index] = .failure(failure.error) }
            if !batch.ok.isEmpty {
                let pixels = Matrix(rows: batch.ok.count, columns: tower.configuration.valuesPerImage, values: batch.pixels)
                do {
                    let output = normalized ? try tower.embeddings(pixels) : try tower.features(pixels)
                    for (row, index) in batch.ok.enumerated() {
                        let values = Array(output.row(row))
                        results[index] =
                            values.allSatisfy(\.isFinite)
                            ? .success(values)
                            : .failure(
                                ImageEmbeddingError(
                                    input: inputs[index].name, underlying: FashionCLIPError.nonFiniteEmbedding(input: inputs[index].name)))
                    }
                } catch {
                    for index in batch.ok { results[index] = .failure(ImageEmbeddingError(input: inputs[index].name, underlying: error)) }
                }
            }
            done += batch.ok.count + batch.failures.count
            progress?(done, inputs.count)
        }
        return results.map { $0! }
    }

    /// Embedding of one image.
    /// - Throws: `ImageEmbeddingError` naming the input.
    public func embedImage(_ input: ImageInput, normalized: Bool = true) throws -> [Float] {
        try embedImages([input], normalized: normalized)[0].get()
    }
}
