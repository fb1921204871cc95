import Synchronization

/// The images of one batch being decoded and preprocessed, claimed one at a time by whichever
/// thread is free: a background thread, the shared pool's threads, or both, side by side.
///
/// Each claimed image's pixel values (or its failure) go into its own slot; `batch` assembles the
/// slots in input order once every thread that ran `run` has returned.
final class BatchPreparation: Sendable {
    /// The inputs (indices into the whole input list) this batch holds.
    let range: Range<Int>
    /// The offset (into `range`) of the next image nobody has claimed.
    private let next = Atomic<Int>(0)
    /// One outcome per image, nil until its thread stores it.
    private let outcomes: Mutex<[Result<[Float], ImageEmbeddingError>?]>

    init(range: Range<Int>) {
        self.range = range
        outcomes = Mutex(Array(repeating: nil, count: range.count))
    }

    /// Claims images until none is left, storing `preprocess(index)` for each (`index` in `range`).
    /// Any number of threads may run it at once; each image is claimed by exactly one of them.
    func run(_ preprocess: (Int) -> Result<[Float], ImageEmbeddingError>) {
        while true {
            let offset = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard offset < range.count else { return }
            let outcome = preprocess(range.lowerBound + offset)
            outcomes.withLock { $0[offset] = outcome }
        }
    }

    /// The batch: the pixel values of the images that preprocessed, in input order, and the failures.
    /// - Precondition: every image has been preprocessed (the threads that ran `run` have returned).
    func batch(valuesPerImage: Int) -> ImagePipeline.Batch {
        let outcomes = self.outcomes.withLock { outcomes in
            defer { outcomes = [] }  // the per-image arrays go as the batch takes their values
            return outcomes
        }
        var batch = ImagePipeline.Batch(pixels: [], ok: [], failures: [])
        let succeeded = outcomes.count(where: { if case .success = $0 { true } else { false } })
        batch.pixels.reserveCapacity(succeeded * valuesPerImage)
        for (offset, outcome) in outcomes.enumerated() {
            switch outcome {
            case .success(let pixels):
                batch.pixels += pixels
                batch.ok.append(range.lowerBound + offset)
            case .failure(let error):
                batch.failures.append((range.lowerBound + offset, error))
            case nil:
                preconditionFailure("BatchPreparation: image \(range.lowerBound + offset) was never preprocessed")
            }
        }
        return batch
    }
}
