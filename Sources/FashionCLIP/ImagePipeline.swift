import CLIPImageProcessing
import Dispatch
import Foundation

/// Decodes and preprocesses images on worker threads, one batch ahead of the network, so decoding
/// overlaps with compute while at most two batches of pixels are held in memory.
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
    let threads: Int

    /// Preprocesses `inputs[range]` in parallel.
    func prepare(_ inputs: [ImageInput], _ range: Range<Int>) -> Batch {
        let slots = LockedSlots<Result<[Float], ImageEmbeddingError>>(count: range.count)
        let work: @Sendable (Int) -> Void = { offset in
            let input = inputs[range.lowerBound + offset]
            slots[offset] = Result { try self.pixelValues(of: input) }
                .mapError { ImageEmbeddingError(input: input.name, underlying: $0) }
        }
        if threads <= 1 || range.count == 1 {
            for offset in 0..<range.count { work(offset) }
        } else {
            DispatchQueue.concurrentPerform(iterations: range.count) { work($0) }
        }
        var batch = Batch(pixels: [], ok: [], failures: [])
        batch.pixels.reserveCapacity(range.count * valuesPerImage)
        for (offset, slot) in slots.snapshot().enumerated() {
            switch slot {
            case .success(let values)?:
                batch.pixels.append(contentsOf: values)
                batch.ok.append(range.lowerBound + offset)
            case .failure(let error)?:
                batch.failures.append((range.lowerBound + offset, error))
            case nil:
                preconditionFailure("ImagePipeline: slot \(offset) was never written")
            }
        }
        return batch
    }

    private func pixelValues(of input: ImageInput) throws -> [Float] {
        let values: [Float]
        switch input {
        case .file(let url): values = try processor.preprocess(fileAt: url)
        case .data(let data, let name): values = processor.preprocess(try processor.decode(data: data, source: name))
        case .image(let image, _): values = processor.preprocess(image)
        }
        guard values.count == valuesPerImage else {
            let side = Int(Double(valuesPerImage / 3).squareRoot())
            throw FashionCLIPError.invalidArgument(
                name: "preprocessor_config.json", expected: "[3, \(side), \(side)] pixel values for the vision tower",
                found: "\(values.count) values (check crop_size against the model's image_size)")
        }
        return values
    }

    /// Runs `body` on each batch of `batchSize` inputs in order, preparing batch k+1 on a worker thread
    /// while `body` handles batch k.
    func forEachBatch(of inputs: [ImageInput], batchSize: Int, _ body: (Batch) -> Void) {
        let ranges = stride(from: 0, to: inputs.count, by: batchSize).map { $0..<min($0 + batchSize, inputs.count) }
        guard let first = ranges.first else { return }
        var current = prepare(inputs, first)
        for k in ranges.indices {
            let ahead = LockedSlots<Batch>(count: 1)
            let group = DispatchGroup()
            if k + 1 < ranges.count {
                let range = ranges[k + 1]
                DispatchQueue.global(qos: .userInitiated).async(group: group) {
                    ahead[0] = self.prepare(inputs, range)
                }
            }
            body(current)
            group.wait()
            if let next = ahead[0] { current = next }
        }
    }
}
