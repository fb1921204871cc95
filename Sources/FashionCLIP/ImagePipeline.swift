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

    /// Preprocesses `inputs[range]` in parallel, each image written straight into its place in the
    /// batch (no per-image array to concatenate: the batch is the only copy of its pixels).
    func prepare(_ inputs: [ImageInput], _ range: Range<Int>) -> Batch {
        let errors = LockedSlots<ImageEmbeddingError>(count: range.count)
        let perImage = valuesPerImage
        var pixels = [Float](unsafeUninitializedCapacity: range.count * perImage) { buffer, initialized in
            let batch = BatchBuffer(base: buffer.baseAddress)
            let work: @Sendable (Int) -> Void = { offset in
                let input = inputs[range.lowerBound + offset]
                let slot = UnsafeMutableBufferPointer(start: batch.base.map { $0 + offset * perImage }, count: perImage)
                do { try self.write(input, into: slot) } catch {
                    errors[offset] = ImageEmbeddingError(input: input.name, underlying: error)
                }
            }
            if threads <= 1 || range.count == 1 {
                for offset in 0..<range.count { work(offset) }
            } else {
                DispatchQueue.concurrentPerform(iterations: range.count) { work($0) }
            }
            initialized = range.count * perImage
        }
        // Close the gaps that failed inputs left, in place.
        var batch = Batch(pixels: [], ok: [], failures: [])
        for (offset, error) in errors.snapshot().enumerated() {
            if let error {
                batch.failures.append((range.lowerBound + offset, error))
                continue
            }
            let to = batch.ok.count * perImage, from = offset * perImage
            if to != from {
                pixels.withUnsafeMutableBufferPointer { ($0.baseAddress! + to).update(from: $0.baseAddress! + from, count: perImage) }
            }
            batch.ok.append(range.lowerBound + offset)
        }
        pixels.removeLast((range.count - batch.ok.count) * perImage)
        batch.pixels = pixels
        return batch
    }

    /// Decodes (where needed) and preprocesses `input` into `slot` (one image's pixel values).
    private func write(_ input: ImageInput, into slot: UnsafeMutableBufferPointer<Float>) throws {
        let image: RGBImage
        switch input {
        case .file(let url): image = try processor.decode(fileAt: url)
        case .data(let data, let name): image = try processor.decode(data: data, source: name)
        case .image(let value, _): image = value
        }
        guard processor.preprocess(image, into: slot) else {
            let side = Int(Double(valuesPerImage / 3).squareRoot())
            let size = processor.outputSize(width: image.width, height: image.height)
            throw FashionCLIPError.invalidArgument(
                name: "preprocessor_config.json", expected: "[3, \(side), \(side)] pixel values for the vision tower",
                found: "\(3 * size.height * size.width) values (check crop_size against the model's image_size)")
        }
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

/// The batch buffer that `prepare`'s workers fill, each its own image's floats.
private struct BatchBuffer: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>?
}
