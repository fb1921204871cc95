/// The merge loop for long pieces: a min-heap of `(rank, position)` over a doubly linked list,
/// O(n log n). Mirrors `tokenizers`' `Word::merge_all` (models/bpe/word.rs): lowest rank first,
/// leftmost on ties, stale heap entries skipped. Gives the same result as `mergeShort`.
extension BytePairModel {
    func mergeLong(_ symbols: inout [Int32]) {
        let n = symbols.count
        var prev: [Int32] = []
        prev.reserveCapacity(n)
        var next: [Int32] = []
        next.reserveCapacity(n)
        for i in 0..<n {
            prev.append(Int32(i) - 1)
            next.append(i + 1 < n ? Int32(i + 1) : -1)
        }
        var alive = [Bool](repeating: true, count: n)
        var heap = MinHeap()
        for i in 0..<n - 1 {
            let r = merges[Self.pairKey(symbols[i], symbols[i + 1])]
            if let r { heap.push(rank: r >> 32, position: i) }
        }
        while let (entryRank, pos) = heap.pop() {
            guard alive[pos], next[pos] >= 0 else { continue }
            let right = Int(next[pos])
            guard let current = merges[Self.pairKey(symbols[pos], symbols[right])],
                current >> 32 == entryRank
            else { continue }
            symbols[pos] = Int32(truncatingIfNeeded: current & 0xFFFF_FFFF)
            alive[right] = false
            next[pos] = next[right]
            if next[right] >= 0 { prev[Int(next[right])] = Int32(pos) }
            if prev[pos] >= 0 {
                let left = Int(prev[pos])
                if let r = merges[Self.pairKey(symbols[left], symbols[pos])] {
                    heap.push(rank: r >> 32, position: left)
                }
            }
            if next[pos] >= 0 {
                if let r = merges[Self.pairKey(symbols[pos], symbols[Int(next[pos])])] {
                    heap.push(rank: r >> 32, position: pos)
                }
            }
        }
        var write = 0
        for read in 0..<n where alive[read] {
            symbols[write] = symbols[read]
            write += 1
        }
        symbols.removeLast(n - write)
    }
}

/// Binary min-heap of `(rank, position)` packed as `rank << 32 | position`.
struct MinHeap {
    private var items: [UInt64] = []

    mutating func push(rank: UInt64, position: Int) {
        items.append(rank << 32 | UInt64(position))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if items[parent] <= items[child] { break }
            items.swapAt(parent, child)
            child = parent
        }
    }

    mutating func pop() -> (rank: UInt64, position: Int)? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                if left >= items.count { break }
                var smallest = left
                if left + 1 < items.count && items[left + 1] < items[left] { smallest = left + 1 }
                if items[parent] <= items[smallest] { break }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return (top >> 32, Int(top & 0xFFFF_FFFF))
    }
}
