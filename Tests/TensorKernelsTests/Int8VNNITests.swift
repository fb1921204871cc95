import CKernels
import CKernelsEmulation
import TensorKernels
import Testing

/// The VNNI quads layout (`vpdpbusd` on u8 activations, then Σ q·w − z·Σ w) against the AVX2 pairs
/// layout (`vpmaddwd` on centred int16): the same integers, so the same floats bit for bit on the same
/// epilogue, through every VNNI tile this machine can run — the native one where the CPU has VNNI,
/// the plain-C emulation of its instructions everywhere, and the portable twin. (The native path's
/// AVX-512 epilogue dequantises in the same order, so identity layers stay bit for bit; its vector
/// exp/erfc differ from the AVX2 ones by rounding, so activations are compared with a tolerance.)
@Suite struct Int8VNNITests {
    static let shapes: [LinearTests.Shape] =
        [1, 2, 5, 6, 7, 13, 50, 77].flatMap { m in
            [(1, 1), (3, 16), (5, 17), (7, 33), (64, 7), (33, 64), (1, 65), (769, 31), (7, 97), (96, 100)]
                .map { LinearTests.Shape(m: m, k: $0.0, n: $0.1) }
        } + [LinearTests.Shape(m: 50, k: 768, n: 2304), LinearTests.Shape(m: 130, k: 3072, n: 40)]

    /// The VNNI tiles to run (name, context): the native one only where this CPU has VNNI.
    static var vnniContexts: [(String, KernelContext)] {
        let epiloguePath: KernelPath = KernelPath.avx2.isAvailable ? .avx2 : .scalar
        var tiles: [(String, KernelContext)] = [
            ("emulated", KernelContext(path: epiloguePath, pool: KernelContext.shared.pool, vnniTile: ck_emulated_q8_vnni_tile)),
            ("portable", KernelContext(path: epiloguePath, pool: nil, vnniTile: ck_q8_vnni_portable_tile()))
        ]
        if Int8Layout.vnniAvailable {
            tiles.append(("native", KernelContext(path: .avx512, pool: KernelContext.shared.pool)))
            tiles.append(("native serial", KernelContext(path: .avx512, pool: nil)))
        }
        return tiles
    }

    /// The pairs result on the same epilogue path as the VNNI contexts (AVX2, or portable C).
    static var pairsContext: KernelContext {
        KernelContext(path: KernelPath.avx2.isAvailable ? .avx2 : .scalar, pool: nil)
    }

    @Test(arguments: shapes)
    func quadsGiveThePairsIntegersOnEveryTile(_ s: LinearTests.Shape) {
        let seed = UInt64(s.m * 4099 + s.k * 61 + s.n)
        let x = randomMatrix(s.m, s.k, scale: 2, seed: seed)
        let weight = randomValues(s.n * s.k, scale: 1 / Float(s.k).squareRoot(), seed: seed + 1)
        let bias = randomValues(s.n, scale: 0.5, seed: seed + 2)
        let pairs = LinearWeights(int8Weight: weight, bias: bias, outFeatures: s.n, inFeatures: s.k, int8Layout: .pairs)
        let quads = LinearWeights(int8Weight: weight, bias: bias, outFeatures: s.n, inFeatures: s.k, int8Layout: .quads)
        // Per-tensor weights over the full int8 range (−128 included), as an ONNX export stores them.
        let q = Int8PerTensorTests.int8Values(s.n * s.k, seed: seed + 3)
        let tensorPairs = LinearWeights(
            quantized: q, scales: [0.004], bias: bias, outFeatures: s.n, inFeatures: s.k,
            layout: .outIn, int8Layout: .pairs)
        let tensorQuads = LinearWeights(
            quantized: q, scales: [0.004], bias: bias, outFeatures: s.n, inFeatures: s.k,
            layout: .outIn, int8Layout: .quads)
        let large = s.m * s.k * s.n > 1_000_000
        for activation in large ? [Activation.identity] : Activation.allCases {
            for (p, qd) in [(pairs, quads), (tensorPairs, tensorQuads)] {
                let expected = Kernels.linear(x, p, activation: activation, context: Self.pairsContext)
                for (name, context) in Self.vnniContexts {
                    let y = Kernels.linear(x, qd, activation: activation, context: context)
                    if activation == .identity || context.path != .avx512 {
                        #expect(y.values == expected.values, "\(s) \(activation) \(name) tile: not the pairs result")
                    } else {
                        #expect(relativeError(y, expected) <= 1e-6, "\(s) \(activation) \(name) tile")
                    }
                }
                let scalarPairs = Kernels.linear(x, p, activation: activation, context: KernelContext(path: .scalar, pool: nil))
                let scalarQuads = Kernels.linear(x, qd, activation: activation, context: KernelContext(path: .scalar, pool: nil))
                #expect(scalarQuads.values == scalarPairs.values, "\(s) \(activation) portable quads vs pairs")
            }
        }
        // The residual form.
        let start = randomMatrix(s.m, s.n, seed: seed + 4)
        var expected = start
        Kernels.linear(x, tensorPairs, addingTo: &expected, context: Self.pairsContext)
        for (name, context) in Self.vnniContexts {
            var residual = start
            Kernels.linear(x, tensorQuads, addingTo: &residual, context: context)
            #expect(residual.values == expected.values, "\(s) residual \(name) tile")
        }
    }

    /// u8 255 against −128 everywhere: the largest products and the largest zero-point correction
    /// (vpdpbusd wraps rather than saturates; the sums stay far inside int32).
    @Test func extremeValuesAreExact() {
        let k = 3072, n = 48, m = 7
        let x = Matrix(rows: m, columns: k, values: (0..<(m * k)).map { $0 % k == 0 ? -1 : ($0 % 3 == 0 ? 0 : 1000) })
        let q = (0..<(n * k)).map { Int8(($0 / k) % 2 == 0 ? -128 : 127) }
        let twin = NaiveKernels.int8Linear(x, quantized: q, scales: [1], bias: nil, outFeatures: n, rows: Array(0..<m))
        let quads = LinearWeights(
            quantized: q, scales: [1], bias: nil, outFeatures: n, inFeatures: k, layout: .outIn,
            int8Layout: .quads)
        for (name, context) in Self.vnniContexts {
            #expect(Kernels.linear(x, quads, context: context).values == twin.values, "\(name) tile")
        }
    }

    /// A fused layer (q | k | v packed side by side) in quads: each part's row sums land at its own
    /// channels, so the fused result equals the three layers' results side by side.
    @Test func fusedPartsKeepTheirRowSums() {
        let k = 40, parts = [32, 64, 21], m = 9
        let x = randomMatrix(m, k, seed: 77)
        let weights = parts.enumerated().map { randomValues($0.element * k, seed: 80 + UInt64($0.offset)) }
        let fused = weights.withUnsafeBufferPointers { buffers in
            LinearWeights(weightParts: buffers, outFeatures: parts, bias: nil, inFeatures: k, precision: .int8)
        }
        let alone = zip(weights, parts).map {
            Kernels.linear(
                x,
                LinearWeights(
                    int8Weight: $0.0, bias: nil, outFeatures: $0.1, inFeatures: k,
                    int8Layout: Int8Layout.best))
        }
        let y = Kernels.linear(x, fused)
        for r in 0..<m {
            let expected = alone.flatMap { Array($0.row(r)) }
            #expect(Array(y.row(r)) == expected, "row \(r)")
        }
    }

    /// Says which int8 tiles this machine ran natively (the test log shows what was covered).
    @Test func reportsTheTilesThatRan() {
        let native = Int8Layout.vnniAvailable ? "native VNNI (vpdpbusd)" : "no native VNNI on this CPU"
        print("int8 tiles tested: \(native), emulated VNNI, portable quads; pairs on \(Self.pairsContext.path); best layout \(Int8Layout.best)")
        #expect(Int8Layout.best == (Int8Layout.vnniAvailable ? .quads : .pairs))
    }
}

extension Array where Element == [Float] {
    /// Each array's buffer, for the duration of `body`.
    func withUnsafeBufferPointers<R>(_ body: ([UnsafeBufferPointer<Float>]) -> R) -> R {
        func nest(_ i: Int, _ acc: [UnsafeBufferPointer<Float>]) -> R {
            guard i < count else { return body(acc) }
            return self[i].withUnsafeBufferPointer { nest(i + 1, acc + [$0]) }
        }
        return nest(0, [])
    }
}
