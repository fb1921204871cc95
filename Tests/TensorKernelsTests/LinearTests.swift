import TensorKernels
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `Kernels.linear` against `NaiveKernels.linear` on every available path, serial and threaded.
@Suite struct LinearTests {
    struct Shape: CustomStringConvertible, Sendable {
        let m: Int, k: Int, n: Int
        var description: String { "[\(m)×\(k)]·[\(k)×\(n)]" }
    }

    /// Awkward small shapes: every row-tile remainder and partial panels.
    static let smallShapes: [Shape] = [1, 7, 49, 50, 77].flatMap { m in
        [(1, 1), (7, 33), (64, 7), (33, 64), (1, 65), (769, 31), (7, 97)].map { Shape(m: m, k: $0.0, n: $0.1) }
    }

    /// Real CLIP sizes and the K-blocking (K > 768) and row-chunking (M = 1600) paths.
    static let largeShapes: [Shape] = [
        Shape(m: 50, k: 768, n: 3072), Shape(m: 50, k: 3072, n: 768), Shape(m: 1600, k: 768, n: 65),
        Shape(m: 1600, k: 769, n: 33), Shape(m: 14, k: 1537, n: 64)
    ]

    struct Case {
        let x: Matrix, weight: [Float], bias: [Float], w: LinearWeights, wNoBias: LinearWeights
        init(_ s: Shape, seed: UInt64) {
            x = randomMatrix(s.m, s.k, scale: 2, seed: seed)
            weight = randomValues(s.n * s.k, scale: 1 / Float(s.k).squareRoot(), seed: seed + 1)
            bias = randomValues(s.n, scale: 0.5, seed: seed + 2)
            w = LinearWeights(weight: weight, bias: bias, outFeatures: s.n, inFeatures: s.k)
            wNoBias = LinearWeights(weight: weight, bias: nil, outFeatures: s.n, inFeatures: s.k)
        }
    }

    /// fp32 accumulation over k terms against a Double oracle, relative to the output's scale.
    static func tolerance(_ k: Int) -> Float { 4e-6 * max(1, Float(k).squareRoot() / 8) }

    @Test(arguments: smallShapes)
    func smallShapesEveryPathAndActivation(_ s: Shape) {
        let c = Case(s, seed: UInt64(s.m * 1_000_003 + s.k * 1009 + s.n))
        for activation in Activation.allCases {
            let expected = NaiveKernels.linear(c.x, weight: c.weight, bias: c.bias, outFeatures: s.n, activation: activation)
            for context in availableContexts {
                let y = Kernels.linear(c.x, c.w, activation: activation, context: context)
                #expect(relativeError(y, expected) <= Self.tolerance(s.k), "\(s) \(activation) \(context.path)")
            }
        }
        let plain = NaiveKernels.linear(c.x, weight: c.weight, bias: nil, outFeatures: s.n)
        #expect(relativeError(Kernels.linear(c.x, c.wNoBias), plain) <= Self.tolerance(s.k), "\(s) without bias")
    }

    @Test(arguments: smallShapes.filter { $0.m == 7 || $0.m == 50 })
    func addingToResidual(_ s: Shape) {
        let c = Case(s, seed: UInt64(s.m + s.k + s.n))
        let start = randomMatrix(s.m, s.n, seed: 99)
        var expected = start
        NaiveKernels.linear(c.x, weight: c.weight, bias: c.bias, outFeatures: s.n, addingTo: &expected)
        for context in availableContexts {
            var residual = start
            Kernels.linear(c.x, c.w, addingTo: &residual, context: context)
            #expect(relativeError(residual, expected) <= Self.tolerance(s.k), "\(s) \(context.path)")
        }
    }

    @Test(arguments: largeShapes)
    func largeShapesOnSampledRows(_ s: Shape) {
        let c = Case(s, seed: UInt64(s.m &* 31 &+ s.k &* 7 &+ s.n))
        let rows = sampleRows(s.m, limit: 4)
        let xs = pickRows(c.x, rows)
        let activation: Activation = s.n > 512 ? .gelu : .quickGELU
        let expected = NaiveKernels.linear(xs, weight: c.weight, bias: c.bias, outFeatures: s.n, activation: activation)
        let start = randomMatrix(s.m, s.n, seed: 5)
        var expectedSum = pickRows(start, rows)
        NaiveKernels.linear(xs, weight: c.weight, bias: c.bias, outFeatures: s.n, addingTo: &expectedSum)
        for path in KernelPath.allCases where path.isAvailable {
            let context = KernelContext(path: path, pool: KernelContext.shared.pool)
            let y = Kernels.linear(c.x, c.w, activation: activation, context: context)
            #expect(relativeError(pickRows(y, rows), expected) <= Self.tolerance(s.k), "\(s) \(path)")
            var residual = start
            Kernels.linear(c.x, c.w, addingTo: &residual, context: context)
            #expect(relativeError(pickRows(residual, rows), expectedSum) <= Self.tolerance(s.k), "\(s) addingTo \(path)")
        }
    }

    @Test func emptyBatchAndDefaultPath() {
        let w = LinearWeights(weight: randomValues(6, seed: 1), bias: [1, 2], outFeatures: 2, inFeatures: 3)
        #expect(Kernels.linear(Matrix(zeros: 0, columns: 3), w).values.isEmpty)
        let y = Kernels.linear(Matrix(rows: 1, columns: 3, values: [0, 0, 0]), w)
        #expect(y.values == [1, 2])
        #expect(w.byteCount == 32 * 3 * 4 + 2 * 4)
        let noInputs = LinearWeights(weight: [], bias: [3, 4, 5], outFeatures: 3, inFeatures: 0)
        #expect(Kernels.linear(Matrix(zeros: 2, columns: 0), noInputs).values == [3, 4, 5, 3, 4, 5])
        let noOutputs = LinearWeights(weight: [], bias: nil, outFeatures: 0, inFeatures: 4)
        #expect(Kernels.linear(Matrix(zeros: 2, columns: 4), noOutputs).values.isEmpty)
    }

    /// A NaN input stays NaN through every epilogue (no silent clamping).
    @Test func nanPropagatesThroughActivations() {
        let x = Matrix(rows: 3, columns: 1, values: [.nan, 1, -.infinity])
        let identity = LinearWeights(weight: [1], bias: nil, outFeatures: 1, inFeatures: 1)
        for activation in Activation.allCases {
            for path in KernelPath.allCases where path.isAvailable {
                let y = Kernels.linear(x, identity, activation: activation, context: KernelContext(path: path, pool: nil))
                #expect(y.values[0].isNaN, "\(activation) \(path)")
            }
        }
    }

    static func reference(_ activation: Activation, _ x: Double) -> Double {
        switch activation {
        case .identity: return x
        case .quickGELU: return x / (1 + exp(-1.702 * x))
        case .gelu: return 0.5 * x * erfc(-x * 0.70710678118654752)
        }
    }

    /// Exact erf GELU and quick GELU in the vector epilogues, far into both tails.
    @Test func activationsMatchLibmAcrossRange() {
        let inputs = (0..<2001).map { Float($0 - 1000) / 50 }  // -20 … 20
        let x = Matrix(rows: inputs.count, columns: 1, values: inputs)
        let identity = LinearWeights(weight: [1], bias: nil, outFeatures: 1, inFeatures: 1)
        for activation in Activation.allCases {
            for path in KernelPath.allCases where path.isAvailable {
                let y = Kernels.linear(x, identity, activation: activation, context: KernelContext(path: path, pool: nil))
                for (input, output) in zip(inputs, y.values) {
                    let expected = Self.reference(activation, Double(input))
                    let error = abs(Double(output) - expected)
                    // In the negative tails the result is ill-conditioned in x (relative error ~ x²·ulp).
                    let relative = 1e-6 + 2e-7 * Double(input * input)
                    #expect(error <= relative * abs(expected) + 1e-37, "\(activation) \(path) at \(input): \(output) vs \(expected)")
                }
            }
        }
    }
}
