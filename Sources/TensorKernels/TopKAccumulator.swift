/// Keeps the `k` best (score, row) pairs seen: higher score first, then lower row (so ties resolve to
/// the smaller id when rows are ordered by id, as a catalog snapshot's are).
///
/// A binary heap whose root is the worst kept pair; most candidates are rejected by one comparison.
/// - Complexity: O(n log k) for n candidates, O(n) when few beat the k-th best.
package struct TopKAccumulator: Sendable {
    package let k: Int
    private(set) var scores: [Float] = []
    private(set) var rows: [Int32] = []

    package init(k: Int) {
        self.k = k
        scores.reserveCapacity(k)
        rows.reserveCapacity(k)
    }

    /// Whether (a, ra) ranks below (b, rb).
    @inline(__always)
    package static func worse(_ a: Float, _ ra: Int32, _ b: Float, _ rb: Int32) -> Bool {
        a < b || (a == b && ra > rb)
    }

    /// The score a candidate must beat (or tie with a smaller row) to enter; -∞ until full.
    @inline(__always)
    package var threshold: Float { scores.count < k ? -.infinity : scores[0] }

    @inline(__always)
    package mutating func consider(_ score: Float, _ row: Int32) {
        if scores.count < k {
            scores.append(score)
            rows.append(row)
            siftUp(scores.count - 1)
        } else if k > 0 && Self.worse(scores[0], rows[0], score, row) {
            scores[0] = score
            rows[0] = row
            siftDown(0)
        }
    }

    package mutating func merge(_ other: TopKAccumulator) {
        for i in other.scores.indices { consider(other.scores[i], other.rows[i]) }
    }

    /// Kept pairs, best first.
    package func sorted() -> [(score: Float, row: Int)] {
        zip(scores, rows).sorted { Self.worse($1.0, $1.1, $0.0, $0.1) }.map { ($0.0, Int($0.1)) }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.worse(scores[child], rows[child], scores[parent], rows[parent]) else { return }
            scores.swapAt(child, parent)
            rows.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        let n = scores.count
        while true {
            let left = 2 * parent + 1, right = left + 1
            var worst = parent
            if left < n && Self.worse(scores[left], rows[left], scores[worst], rows[worst]) { worst = left }
            if right < n && Self.worse(scores[right], rows[right], scores[worst], rows[worst]) { worst = right }
            if worst == parent { return }
            scores.swapAt(parent, worst)
            rows.swapAt(parent, worst)
            parent = worst
        }
    }
}
