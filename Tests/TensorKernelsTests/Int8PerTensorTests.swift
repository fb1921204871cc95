import TensorKernels
import Testing

/// int8 layers built from pre-quantized weights with per-tensor activations (`LinearWeights(quantized:…)`,
/// dynamic-int8 ONNX exports) against their naive twin, on every path: the same integers and
/// onnxruntime's order of float operations, so identity layers agree bit for bit.
@Suite struct Int8PerTensorTests {
    static let shapes: [LinearTests.Shape] =
        [1, 7, 49, 50, 77].flatMap { m in
            [(1, 1), (7, 33), (64, 7), (33, 64), (1, 65), (769, 31), (7, 97)].map { LinearTests.Shape(m: m, k: $0.0, n: $0.1) }
        } + [LinearTests.Shape(m: 50, k: 768, n: 3072), LinearTests.Shape(m: 130, k: 3072, n: 40)]

    /// Int8 values over the full range, −128 included.
    static func int8Values(_ count: Int, seed: UInt64) -> [Int8] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in Int8(truncatingIfNeeded: rng.next()) }
    }

    /// `[out, in]` → `[in, out]`.
    static func transposed(_ q: [Int8], out: Int, in k: Int) -> [Int8] {
        (0..<(k * out)).map { i in q[(i % out) * k + i / out] }
    }

    @Test(arguments: shapes)
    func matchesNaiveTwinOnEveryPath(_ s: LinearTests.Shape) {
        let seed = UInt64(s.m * 7919 + s.k * 31 + s.n)
        let x = randomMatrix(s.m, s.k, scale: 3, seed: seed)
        let q = Self.int8Values(s.n * s.k, seed: seed + 1)
        let perChannel = randomValues(s.n, scale: 0.01, seed: seed + 2).map { abs($0) + 1e-4 }
        let bias = randomValues(s.n, scale: 0.5, seed: seed + 3)
        // Debug builds run the C kernels unoptimised: the two large shapes try one scale kind, one
        // layout and one activation.
        let large = s.m * s.k * s.n > 1_000_000
        for scales in large ? [perChannel] : [[Float(0.0123)], perChannel] {
            // From an array (`[out, in]`) and from a buffer (`[in, out]`): both inits.
            let outIn = LinearWeights(quantized: q, scales: scales, bias: bias, outFeatures: s.n, inFeatures: s.k)
            let inOut = Self.transposed(q, out: s.n, in: s.k).withUnsafeBufferPointer {
                LinearWeights(quantized: $0, scales: scales, bias: bias, outFeatures: s.n, inFeatures: s.k, layout: .inOut)
            }
            #expect(outIn.precision == .int8 && outIn.activationQuantization == .perTensor)
            let rows = sampleRows(s.m)
            let product = NaiveKernels.int8Linear(x, quantized: q, scales: scales, bias: bias, outFeatures: s.n, rows: rows)
            let activations: [Activation] = large ? [.identity] : Activation.allCases
            for activation in activations {
                let twin = Matrix(rows: rows.count, columns: s.n, values: product.values.map { activation.apply($0) })
                for context in availableContexts {
                    for w in large ? [inOut] : [outIn, inOut] {
                        let y = pickRows(Kernels.linear(x, w, activation: activation, context: context), rows)
                        if activation == .identity {
                            #expect(y.values == twin.values, "\(s) \(scales.count) scales \(context.path): not bit-identical")
                        } else {
                            #expect(relativeError(y, twin) <= 2e-5, "\(s) \(activation) \(context.path)")
                        }
                    }
                }
            }
            let start = randomMatrix(s.m, s.n, seed: seed + 4)
            let expected = pickRows(start, rows).values.enumerated().map { $0.element + product.values[$0.offset] }
            for context in availableContexts {
                var residual = start
                Kernels.linear(x, inOut, addingTo: &residual, context: context)
                #expect(pickRows(residual, rows).values == expected, "\(s) residual \(context.path)")
            }
        }
    }

    /// Identity weights expose the quantised input itself: `y = (q − z) · scale` for inputs that are
    /// all negative, all positive, constant, zero (scale 1), on half-way points and with one outlier.
    static let edgeInputs: [(String, [Float])] = {
        let count = 150
        var inputs: [(String, [Float])] = []
        inputs.append(("all negative", (0..<count).map { i -> Float in -Float(i % 17) * 0.37 - 0.01 }))
        inputs.append(("all positive", (0..<count).map { i -> Float in Float(i % 23) * 1.9 + 0.5 }))
        inputs.append(("constant", [Float](repeating: 2.5, count: count)))
        inputs.append(("negative constant", [Float](repeating: -0.75, count: count)))
        inputs.append(("zero", [Float](repeating: 0, count: count)))
        inputs.append(("half-way", (0..<count).map { i -> Float in (Float(i % 51) - 25) * 0.5 }))
        inputs.append(("outlier", (0..<count).map { i -> Float in i == 77 ? 1000 : Float(i % 13) * 0.01 - 0.05 }))
        return inputs
    }()

    @Test(arguments: edgeInputs)
    func quantisesLikeDynamicQuantizeLinear(_ name: String, _ values: [Float]) {
        let k = 15
        let x = Matrix(rows: values.count / k, columns: k, values: values)
        let identity = (0..<(k * k)).map { Int8($0 / k == $0 % k ? 1 : 0) }
        let w = identity.withUnsafeBufferPointer {
            LinearWeights(quantized: $0, scales: [1], bias: nil, outFeatures: k, inFeatures: k)
        }
        let (centred, scale, zeroPoint) = NaiveKernels.dynamicQuantizeLinear(values)
        #expect((0...255).contains(zeroPoint) && scale > 0, "\(name): scale \(scale), zero point \(zeroPoint)")
        #expect(centred.allSatisfy { (-zeroPoint...(255 - zeroPoint)).contains($0) }, "\(name)")
        let expected = centred.map { Float($0) * scale }
        for context in availableContexts {
            #expect(Kernels.linear(x, w, context: context).values == expected, "\(name) \(context.path)")
        }
        if name == "zero" { #expect(scale == 1 && zeroPoint == 0) }
        if name == "all positive" { #expect(zeroPoint == 0) }
        if name == "all negative" || name == "negative constant" { #expect(zeroPoint == 255) }
    }

    /// The per-tensor scale spans every row of the call: splitting the rows changes the result.
    @Test func oneScaleForAllRows() {
        let x = Matrix(rows: 2, columns: 4, values: [0.02, -0.2, 0.3, 0.05, 10, -5, 2, 1])
        let identity: [Int8] = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]
        let w = identity.withUnsafeBufferPointer {
            LinearWeights(quantized: $0, scales: [1], bias: nil, outFeatures: 4, inFeatures: 4)
        }
        let together = Kernels.linear(x, w)
        let alone = Kernels.linear(Matrix(rows: 1, columns: 4, values: Array(x.values[0..<4])), w)
        #expect(Array(together.values[0..<4]) != alone.values)
        #expect(together.values[0] == 0, "0.02 is below half a step of 15 / 255")
    }
}
