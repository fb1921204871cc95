import TensorKernels
import Testing

@testable import CLIPNetwork

/// A batch cut into slices that run side by side (one thread each, serial kernels) gives every item
/// the features it has alone, bit for bit, whatever the thread count.
@Suite struct BatchSlicingTests {
    @Test("slices: a multiple of the threads side by side, the rest on the pool, at most the size limit")
    func slicePlans() throws {
        func plan(_ items: Int, _ threads: Int, _ limit: Int?) -> (sizes: [Int], concurrent: Int)? {
            BatchSlices(count: items, threads: threads, maximumSize: limit).map { ($0.ranges.map(\.count), $0.concurrentCount) }
        }
        #expect(plan(32, 2, 4)! == (Array(repeating: 4, count: 8), 8))
        #expect(plan(6, 2, 4)! == ([3, 3], 2))
        #expect(plan(5, 2, 4)! == ([2, 2, 1], 2))
        #expect(plan(10, 2, 4)! == ([3, 3, 2, 2], 4))
        #expect(plan(2, 2, 4)! == ([1, 1], 2))
        #expect(plan(7, 3, 4)! == ([2, 2, 2, 1], 3))
        #expect(plan(33, 2, nil)! == ([16, 16, 1], 2))
        #expect(plan(11, 1, 4)! == ([4, 4, 3], 0))
        #expect(plan(3, 4, 2)! == ([2, 1], 0))
        #expect(plan(1, 2, 4) == nil)
        #expect(plan(4, 1, 4) == nil)
        #expect(plan(0, 2, 4) == nil)
        for items in 0...40 {
            for threads in 1...5 {
                for limit in [1, 3, 4, nil] {
                    guard let slices = BatchSlices(count: items, threads: threads, maximumSize: limit) else { continue }
                    // Contiguous, covering, within the limit; the side-by-side part a multiple of the threads.
                    #expect(slices.ranges.first?.lowerBound == 0 && slices.ranges.last?.upperBound == items)
                    #expect(zip(slices.ranges, slices.ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
                    #expect(slices.ranges.allSatisfy { !$0.isEmpty && $0.count <= (limit ?? items) })
                    #expect(slices.concurrentCount % threads == 0)
                    let concurrent = slices.ranges.prefix(slices.concurrentCount).map(\.count)
                    #expect((concurrent.max() ?? 0) - (concurrent.min() ?? 0) <= 1)
                    let leftOver = items - (slices.ranges.prefix(slices.concurrentCount).last?.upperBound ?? 0)
                    #expect(threads == 1 || leftOver < threads)
                }
            }
        }
    }

    @Test("images: every slice plan gives each image its own features", arguments: [1, 2, 3])
    func slicedImages(threads: Int) throws {
        let fixture = ModelFixture(name: "fashionclip-f32")
        let vision = try #require(try fixture.load(towers: .vision).visionTower)
        let pixels = try fixture.pixelValues(try fixture.expected())
        // 11 images: with 2 threads, 10 in 4 slices side by side and 1 on the pool.
        let count = 11
        var values: [Float] = []
        for i in 0..<count {
            let sign: Float = (i / pixels.rows) % 2 == 0 ? 1 : -1
            values += pixels.row(i % pixels.rows).map { $0 * sign * (1 + Float(i) / 64) }
        }
        let batch = Matrix(rows: count, columns: pixels.columns, values: values)
        let features = try vision.features(batch, recorder: nil, threads: threads)
        for i in 0..<count {
            let single = try vision.features(Matrix(rows: 1, columns: pixels.columns, values: Array(batch.row(i))))
            #expect(Array(features.row(i)) == single.values, "image \(i) of \(count), \(threads) threads")
        }
    }

    @Test("images: a non-finite result is reported at its row in the whole batch", arguments: [1, 2, 3])
    func slicedNonFiniteRow(threads: Int) throws {
        let vision = try #require(try ModelFixture(name: "laion-f16").load(towers: .vision).visionTower)
        var pixels = Matrix(zeros: 9, columns: vision.configuration.valuesPerImage)
        pixels[6, 17] = .infinity
        pixels[8, 3] = .nan
        #expect(throws: CLIPNetworkError.nonFiniteOutput(name: "image features", row: 6)) {
            try vision.features(pixels, recorder: nil, threads: threads)
        }
    }

    @Test("texts: every slice plan gives each sequence its own features", arguments: [1, 2, 3])
    func slicedTexts(threads: Int) throws {
        let fixture = ModelFixture(name: "fashionclip-f32")
        let text = try #require(try fixture.load(towers: .text).textTower)
        let sequences = try fixture.sequences(try fixture.expected())
        // 7 sequences of each length the fixture has, so every length group is sliced.
        let batch = (0..<7).flatMap { round in sequences.map { ids in round % 2 == 0 ? ids : ids.reversed() } }
        for batching in [TextBatching.exactLength, .padded] {
            let features = try text.features(batch, batching: batching, recorder: nil, threads: threads)
            for (i, ids) in batch.enumerated() {
                let single = try text.features([ids], batching: batching)
                #expect(Array(features.row(i)) == single.values, "sequence \(i) of \(batch.count), \(threads) threads, \(batching)")
            }
        }
    }
}
