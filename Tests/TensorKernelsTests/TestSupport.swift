import TensorKernels

/// SplitMix64: deterministic test data without Foundation.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// `count` values uniform in `-scale ... scale`.
func randomValues(_ count: Int, scale: Float = 1, seed: UInt64) -> [Float] {
    var rng = SeededGenerator(seed: seed)
    return (0..<count).map { _ in Float.random(in: -scale...scale, using: &rng) }
}

func randomMatrix(_ rows: Int, _ columns: Int, scale: Float = 1, seed: UInt64) -> Matrix {
    Matrix(rows: rows, columns: columns, values: randomValues(rows * columns, scale: scale, seed: seed))
}

/// Largest absolute difference divided by the reference's largest magnitude (its scale).
func relativeError(_ actual: [Float], _ expected: [Float]) -> Float {
    precondition(actual.count == expected.count, "relativeError: \(actual.count) vs \(expected.count) values")
    var worst: Float = 0
    var scale: Float = 0
    for (a, e) in zip(actual, expected) {
        if !(abs(a - e) <= worst) { worst = a.isNaN ? .infinity : abs(a - e) }
        scale = max(scale, abs(e))
    }
    return worst / max(scale, Float.leastNormalMagnitude)
}

func relativeError(_ actual: Matrix, _ expected: Matrix) -> Float {
    precondition(
        actual.rows == expected.rows && actual.columns == expected.columns,
        "relativeError: [\(actual.rows), \(actual.columns)] vs [\(expected.rows), \(expected.columns)]")
    return relativeError(actual.values, expected.values)
}

/// Rows `indices` of `m` stacked into a new matrix.
func pickRows(_ m: Matrix, _ indices: [Int]) -> Matrix {
    Matrix(rows: indices.count, columns: m.columns, values: indices.flatMap { Array(m.row($0)) })
}

/// Rows to check against a naive twin: all of a small matrix, a spread sample of a large one.
func sampleRows(_ rows: Int, limit: Int = 8) -> [Int] {
    guard rows > limit else { return Array(0..<rows) }
    return (0..<limit).map { $0 * (rows - 1) / (limit - 1) }
}

/// The kernel contexts this CPU can run: every available path, serial and on the shared pool.
var availableContexts: [KernelContext] {
    KernelPath.allCases.filter(\.isAvailable).flatMap { path in
        [KernelContext(path: path, pool: KernelContext.shared.pool), KernelContext(path: path, pool: nil)]
    }
}
