import CLIPImageProcessing
import Dispatch
import TensorKernels

/// Decodes and preprocesses images one batch ahead of the network, so decoding overlaps with compute
/// while at most two batches of pixels are held in memory (and, while a batch is assembled, its
/// images' own arrays).
///
/// A batch's images are claimed one at a time by whichever thread is free (`BatchPreparation`). The
/// first batch runs on the shared pool (`Kernels.forEachSlice`). Each later one starts on a single
/// background thread while the vision tower runs the current batch on the pool (a second pool job
/// would either find the pool busy or take it first, and then the tower would run its whole pass on
/// one thread); once the tower is done, the pool's threads join in on the images still unclaimed.
struct ImagePipeline: Sendable {
    /// One batch ready for the vision tower.
    struct Batch: Sendable {
        /// `[ok.count · valuesPerImage]`: pixel values of the inputs that preprocessed, in `ok` order.
        var pixels: [Float]
        /// Indices (into the whole input list) of the images in `pixels`.
        var ok: [Int]
        /// Inputs that failed, with why.
        var failures: [(index: Int, error: ImageEmbeddingError)]
    }

    let processor: CLIPImageProcessor
    let valuesPerImage: Int
    /// 1: each batch on one thread (the first on the calling thread, later ones on the background
    /// thread alone); otherwise the pool's threads (`Kernels.threadCount`) as well.
    let threads: Int

    /// Preprocesses `inputs[range]`, on the pool's threads unless `threads` is 1.
    func prepare(_ inputs: [ImageInput], _ range: Range<Int>) -> Batch {
        let preparation = BatchPreparation(range: range)
        runOnPool(preparation, inputs)
        return preparation.batch(valuesPerImage: valuesPerImage)
    }

    /// Runs `body` on each batch of `batchSize` inputs in order, preparing batch k+1 while `body`
    /// handles batch k.
    func forEachBatch(of inputs: [ImageInput], batchSize: Int, _ body: (Batch) -> Void) {
        let ranges = stride(from: 0, to: inputs.count, by: batchSize).map { $0..<min($0 + batchSize, inputs.count) }
        guard let first = ranges.first else { return }
        var current = prepare(inputs, first)
        for k in ranges.indices {
            guard k + 1 < ranges.count else { return body(current) }
            let ahead = BatchPreparation(range: ranges[k + 1])
            let group = DispatchGroup()
            DispatchQueue.global(qos: .userInitiated).async(group: group) {
                ahead.run { self.preprocessed(inputs[$0]) }
            }
            body(current)
            if threads > 1 { runOnPool(ahead, inputs) }
            group.wait()
            current = ahead.batch(valuesPerImage: valuesPerImage)
        }
    }

    /// Runs `preparation` on the pool's threads (the calling thread among them) until its images
    /// are all claimed; on the calling thread alone when `threads` is 1.
    private func runOnPool(_ preparation: BatchPreparation, _ inputs: [ImageInput]) {
        let work: @Sendable (Int) -> Void = { _ in preparation.run { self.preprocessed(inputs[$0]) } }
        guard threads > 1 else { return work(0) }
        Kernels.forEachSlice(min(preparation.range.count, Kernels.threadCount), work)
    }

    /// Decodes (where needed) and preprocesses `input`: its `valuesPerImage` pixel values.
    private func preprocessed(_ input: ImageInput) -> Result<[Float], ImageEmbeddingError> {
        do {
            let image: RGBImage
            switch input {
            case .file(let url): image = try processor.decode(fileAt: url)
            case .data(let data, let name): image = try processor.decode(data: data, source: name)
            case .image(let value, _): image = value
            }
            let size = processor.outputSize(width: image.width, height: image.height)
            guard 3 * size.height * size.width == valuesPerImage else {
                let side = Int(Double(valuesPerImage / 3).squareRoot())
                throw FashionCLIPError.invalidArgument(
                    name: "preprocessor_config.json", expected: "[3, \(side), \(side)] pixel values for the vision tower",
                    found: "\(3 * size.height * size.width) values (check crop_size against the model's image_size)")
            }
            return .success(processor.preprocess(image))
        } catch {
            return .failure(ImageEmbeddingError(input: input.name, underlying: error))
        }
    }
}
