import CKernels
import CKernelsEmulation
import TensorKernels
import Testing

/// bf16 `Kernels.linear` (`LinearWeights.Precision.bfloat16`, AVX-512 `vdpbf16ps`) against its naive
/// twin — fp32 products of the bf16-rounded input and weights — through every bf16 tile this machine
/// can run: the native one where the CPU has AVX512_BF16, the plain-C emulation of its instructions
/// everywhere, and the portable twin; and against fp32 (bf16 rounding only).
@Suite struct BF16LinearTests {
    static let shapes: [LinearTests.Shape] =
        [1, 2, 5, 6, 7, 13, 50, 77].flatMap { m in
            [(1, 1), (2, 16), (3, 17), (7, 33), (64, 7), (33, 64), (1, 65), (769, 31), (7, 97), (96, 100)]
                .map { LinearTests.Shape(m: m, k: $0.0, n: $0.1) }
        } + [LinearTests.Shape(m: 50, k: 768, n: 2304), LinearTests.Shape(m: 130, k: 3072, n: 40)]

    /// The bf16 tiles to run (name, context): the native one only where this CPU has AVX512_BF16.
    static var tileContexts: [(String, KernelContext)] {
        let pool = KernelContext.shared.pool
        var tiles: [(String, KernelContext)] = [
            ("emulated", KernelContext(path: .best, pool: pool, bf16Tile: ck_emulated_bf16_tile)),
            ("portable", KernelContext(path: .scalar, pool: nil, bf16Tile: ck_bf16_portable_tile()))
        ]
        for context in availableContexts { tiles.append(("\(context.path)\(context.pool == nil ? " serial" : "")", context)) }
        return tiles
    }

    static func rounded(_ values: [Float]) -> [Float] { values.map(Kernels.roundedToBFloat16) }

    @Test(arguments: shapes)
    func matchesNaiveTwinOnEveryTile(_ s: LinearTests.Shape) {
        let seed = UInt64(s.m * 7877 + s.k * 13 + s.n)
        let x = randomMatrix(s.m, s.k, scale: 2, seed: seed)
        let weight = randomValues(s.n * s.k, scale: 1 / Float(s.k).squareRoot(), seed: seed + 1)
        let bias = randomValues(s.n, scale: 0.5, seed: seed + 2)
        let w = LinearWeights(weight: weight, bias: bias, outFeatures: s.n, inFeatures: s.k, precision: .bfloat16)
        #expect(w.precision == .bfloat16)
        let xb = Matrix(rows: s.m, columns: s.k, values: Self.rounded(x.values))
        let large = s.m * s.k * s.n > 1_000_000
        for activation in large ? [Activation.quickGELU] : Activation.allCases {
            let twin = NaiveKernels.linear(xb, weight: Self.rounded(weight), bias: bias, outFeatures: s.n, activation: activation)
            let float = NaiveKernels.linear(x, weight: weight, bias: bias, outFeatures: s.n, activation: activation)
            for (name, context) in Self.tileContexts {
                let y = Kernels.linear(x, w, activation: activation, context: context)
                #expect(relativeError(y, twin) <= 2e-5, "\(s) \(activation) \(name) tile")
                #expect(relativeError(y, float) <= 0.02, "\(s) \(activation) \(name) tile vs fp32")
            }
        }
        // The residual form.
        let start = randomMatrix(s.m, s.n, seed: seed + 3)
        let product = NaiveKernels.linear(xb, weight: Self.rounded(weight), bias: bias, outFeatures: s.n)
        let expected = Matrix(rows: s.m, columns: s.n, values: zip(start.values, product.values).map { $0 + $1 })
        for (name, context) in Self.tileContexts {
            var residual = start
            Kernels.linear(x, w, addingTo: &residual, context: context)
            #expect(relativeError(residual, expected) <= 2e-5, "\(s) residual \(name) tile")
        }
    }

    /// The emulated tile follows `vdpbf16ps` instruction by instruction; where the CPU has it, the
    /// native tile must give the same floats (a difference means the emulation or the tile is wrong).
    @Test func nativeTileEqualsItsEmulation() throws {
        guard let native = ck_bf16_native_tile() else {
            print("bf16 tiles tested: no native vdpbf16ps on this CPU; emulated and portable only")
            return
        }
        print("bf16 tiles tested: native vdpbf16ps, emulated, portable")
        let (m, k, n) = (77, 769, 100)
        let x = randomMatrix(m, k, scale: 3, seed: 5)
        let w = LinearWeights(
            weight: randomValues(n * k, seed: 6), bias: randomValues(n, seed: 7), outFeatures: n,
            inFeatures: k, precision: .bfloat16)
        let pool = KernelContext.shared.pool
        let a = Kernels.linear(x, w, context: KernelContext(path: .avx512, pool: pool, bf16Tile: native))
        let b = Kernels.linear(x, w, context: KernelContext(path: .avx512, pool: pool, bf16Tile: ck_emulated_bf16_tile))
        #expect(a.values == b.values)
    }

    /// Round to nearest even, as `vcvtneps2bf16`: ties go to the even significand, NaN stays NaN,
    /// infinities and signed zeros are kept, fp32 subnormals flush to a zero of their sign.
    @Test func roundsToNearestEven() {
        func bits(_ x: Float) -> UInt32 { Kernels.roundedToBFloat16(x).bitPattern }
        #expect(bits(Float(bitPattern: 0x3F80_8000)) == 0x3F80_0000)  // tie, even below
        #expect(bits(Float(bitPattern: 0x3F81_8000)) == 0x3F82_0000)  // tie, even above
        #expect(bits(Float(bitPattern: 0x3F80_8001)) == 0x3F81_0000)  // past the tie
        #expect(bits(1) == 0x3F80_0000 && bits(-2.5) == (-2.5 as Float).bitPattern)
        #expect(Kernels.roundedToBFloat16(.nan).isNaN && Kernels.roundedToBFloat16(.infinity) == .infinity)
        #expect(Kernels.roundedToBFloat16(-.infinity) == -.infinity)
        #expect(bits(-0.0) == 0x8000_0000 && bits(Float.greatestFiniteMagnitude) == 0x7F80_0000)
    }

    @Test func bf16WeightsTakeHalfTheMemory() {
        let weight = randomValues(768 * 3072, seed: 9)
        let f = LinearWeights(weight: weight, bias: nil, outFeatures: 3072, inFeatures: 768)
        let h = LinearWeights(weight: weight, bias: nil, outFeatures: 3072, inFeatures: 768, precision: .bfloat16)
        #expect(Double(h.byteCount) <= 0.51 * Double(f.byteCount))
    }

    /// `info` and the loaders offer bf16 only where the CPU runs it.
    @Test func supportedWhereTheCPUHasIt() {
        #expect(Kernels.supportedPrecisions.contains(.bfloat16) == (ck_bf16_native_tile() != nil))
        #expect(Kernels.instructionExtensions.contains("avx512_bf16") == (ck_bf16_native_tile() != nil))
    }
}
