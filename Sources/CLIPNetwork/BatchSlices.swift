/// How a tower splits a batch into slices that run through the whole network: first side by side,
/// one thread each, then one after another on the whole pool.
///
/// Side by side, each thread runs a whole slice with single-threaded kernels: no fork-join per
/// kernel, no cache lines crossing cores. That part takes the largest multiple of `threads` items
/// and cuts it into a multiple of `threads` slices of at most `maximumSize` items, sizes differing
/// by at most one (larger first), so the threads finish together. The items left over (fewer than
/// `threads`) would leave a thread idle, so they run after, each kernel split over the whole pool.
///
/// On 2 threads with at most 4 items a slice: 32 items are 8 slices of 4 side by side; 6 are 2
/// slices of 3; 5 are 2 slices of 2, then 1 item on the pool; 1 item is nil (one pass on the pool).
struct BatchSlices: Sendable {
    /// Every slice's items, in order.
    let ranges: [Range<Int>]
    /// The first `concurrentCount` slices run side by side (a multiple of the threads, or 0).
    let concurrentCount: Int

    /// Number of slices.
    var count: Int { ranges.count }

    /// The items of slice `index`.
    subscript(index: Int) -> Range<Int> { ranges[index] }

    /// nil when the batch is a single pass on the whole pool (nothing to split).
    /// - Parameters:
    ///   - items: the batch size.
    ///   - threads: the threads available (`Kernels.threadCount`).
    ///   - maximumSize: the most items one slice may hold (its activations' memory), nil for no limit.
    init?(count items: Int, threads: Int, maximumSize: Int?) {
        precondition(items >= 0 && threads >= 1, "BatchSlices: \(items) items on \(threads) threads")
        precondition(maximumSize.map { $0 >= 1 } ?? true, "BatchSlices: maximumSize must be at least 1")
        let limit = maximumSize ?? max(items, 1)
        let concurrentItems = threads > 1 ? items - items % threads : 0
        var ranges: [Range<Int>] = []
        if concurrentItems > 0 {
            let rounds = (concurrentItems + threads * limit - 1) / (threads * limit)
            ranges = Self.split(0..<concurrentItems, into: threads * rounds)
        }
        let concurrentCount = ranges.count
        let rest = concurrentItems..<items
        if !rest.isEmpty { ranges += Self.split(rest, into: (rest.count + limit - 1) / limit) }
        guard ranges.count > 1 else { return nil }
        self.ranges = ranges
        self.concurrentCount = concurrentCount
    }

    /// `range` cut into `parts` contiguous ranges whose sizes differ by at most one, larger first.
    private static func split(_ range: Range<Int>, into parts: Int) -> [Range<Int>] {
        let (base, extra) = range.count.quotientAndRemainder(dividingBy: parts)
        return (0..<parts).map { index in
            let start = range.lowerBound + index * base + min(index, extra)
            return start..<start + base + (index < extra ? 1 : 0)
        }
    }
}
