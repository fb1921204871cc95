import CKernels

/// The kernels with an explicit `KernelContext`: the public functions pass `.shared`; tests and
/// benchmarks force a path (`.avx2`, `.scalar`) or the calling thread alone (`pool: nil`).
extension Kernels {
    package static func linear(
        _ x: Matrix, _ w: LinearWeights, activation: Activation = .identity,
        context: KernelContext
    ) -> Matrix {
        precondition(x.columns == w.inFeatures, "linear: input [\(x.rows), \(x.columns)] for \(w.inFeatures) features")
        checkRange(x.rows, "linear rows")
        return Matrix(rows: x.rows, columns: w.outFeatures) { y in
            x.values.withUnsafeBufferPointer { a in
                withOptionalBuffer(w.bias) { bias in
                    if let panels = w.quantized {
                        int8Linear(
                            a.baseAddress!, rows: x.rows, w, panels, bias: bias, into: y,
                            activation: activation, accumulate: false, context: context)
                        return
                    }
                    if let panels = w.bfloat16 {
                        bfloat16Linear(
                            a.baseAddress!, rows: x.rows, w, panels, bias: bias, into: y,
                            activation: activation, accumulate: false, context: context)
                        return
                    }
                    ck_linear(
                        context.pool, context.cPath, CInt(x.rows), CInt(w.outFeatures), CInt(w.inFeatures),
                        a.baseAddress, x.columns, w.packed, bias, y, w.outFeatures, activation.cCode, 0)
                }
            }
        }
    }

    package static func linear(
        _ x: Matrix, _ w: LinearWeights, addingTo residual: inout Matrix,
        context: KernelContext
    ) {
        precondition(x.columns == w.inFeatures, "linear: input [\(x.rows), \(x.columns)] for \(w.inFeatures) features")
        precondition(
            residual.rows == x.rows && residual.columns == w.outFeatures,
            "linear: residual [\(residual.rows), \(residual.columns)] for output [\(x.rows), \(w.outFeatures)]")
        checkRange(x.rows, "linear rows")
        guard !residual.values.isEmpty else { return }
        residual.values.withUnsafeMutableBufferPointer { y in
            x.values.withUnsafeBufferPointer { a in
                withOptionalBuffer(w.bias) { bias in
                    if let panels = w.quantized {
                        int8Linear(
                            a.baseAddress!, rows: x.rows, w, panels, bias: bias, into: y.baseAddress!,
                            activation: .identity, accumulate: true, context: context)
                        return
                    }
                    if let panels = w.bfloat16 {
                        bfloat16Linear(
                            a.baseAddress!, rows: x.rows, w, panels, bias: bias, into: y.baseAddress!,
                            activation: .identity, accumulate: true, context: context)
                        return
                    }
                    ck_linear(
                        context.pool, context.cPath, CInt(x.rows), CInt(w.outFeatures), CInt(w.inFeatures),
                        a.baseAddress, x.columns, w.packed, bias, y.baseAddress, w.outFeatures,
                        Activation.identity.cCode, 1)
                }
            }
        }
    }

    package static func layerNorm(
        _ x: Matrix, weight: [Float], bias: [Float], epsilon: Float,
        context: KernelContext
    ) -> Matrix {
        precondition(
            weight.count == x.columns && bias.count == x.columns,
            "layerNorm: weight \(weight.count) and bias \(bias.count) for \(x.columns) columns")
        checkRange(x.rows, "layerNorm rows")
        checkRange(x.columns, "layerNorm columns")
        return Matrix(rows: x.rows, columns: x.columns) { y in
            x.values.withUnsafeBufferPointer { xs in
                weight.withUnsafeBufferPointer { w in
                    bias.withUnsafeBufferPointer { b in
                        ck_layer_norm(
                            context.pool, context.cPath, CInt(x.rows), CInt(x.columns), xs.baseAddress,
                            w.baseAddress, b.baseAddress, epsilon, y)
                    }
                }
            }
        }
    }

    package static func attention(
        qkv: Matrix, batch: Int, sequenceLength: Int, heads: Int, causal: Bool,
        context: KernelContext
    ) -> Matrix {
        precondition(
            batch >= 0 && sequenceLength >= 0 && heads > 0 && qkv.rows == batch * sequenceLength
                && qkv.columns % (3 * heads) == 0,
            "attention: qkv [\(qkv.rows), \(qkv.columns)] for batch \(batch) × seq \(sequenceLength), \(heads) heads")
        checkRange(qkv.rows, "attention rows")
        checkRange(qkv.columns, "attention columns")
        let hidden = qkv.columns / 3
        return Matrix(rows: qkv.rows, columns: hidden) { out in
            qkv.values.withUnsafeBufferPointer { q in
                ck_attention(
                    context.pool, context.cPath, CInt(batch), CInt(sequenceLength), CInt(heads),
                    CInt(hidden / heads), q.baseAddress, out, causal ? 1 : 0)
            }
        }
    }

    package static func attention(
        qkv: Matrix, batch: Int, sequenceLength: Int, heads: Int, causal: Bool,
        queryPositions: [Int], context: KernelContext
    ) -> Matrix {
        precondition(
            batch >= 0 && sequenceLength >= 0 && heads > 0 && qkv.rows == batch * sequenceLength
                && qkv.columns % (3 * heads) == 0 && queryPositions.count == batch
                && queryPositions.allSatisfy { (0..<sequenceLength).contains($0) },
            "attention: qkv [\(qkv.rows), \(qkv.columns)] for batch \(batch) × seq \(sequenceLength), \(heads) heads, "
                + "query positions \(queryPositions)")
        checkRange(qkv.rows, "attention rows")
        checkRange(qkv.columns, "attention columns")
        let hidden = qkv.columns / 3
        let positions = queryPositions.map { CInt($0) }
        return Matrix(rows: batch, columns: hidden) { out in
            qkv.values.withUnsafeBufferPointer { q in
                positions.withUnsafeBufferPointer { p in
                    ck_attention_rows(
                        context.pool, context.cPath, CInt(batch), CInt(sequenceLength), CInt(heads),
                        CInt(hidden / heads), q.baseAddress, p.baseAddress, out, causal ? 1 : 0)
                }
            }
        }
    }

    package static func softmaxRows(_ x: Matrix, context: KernelContext) -> Matrix {
        checkRange(x.rows, "softmaxRows rows")
        checkRange(x.columns, "softmaxRows columns")
        return Matrix(rows: x.rows, columns: x.columns) { y in
            x.values.withUnsafeBufferPointer { xs in
                ck_softmax_rows(context.pool, context.cPath, CInt(x.rows), CInt(x.columns), xs.baseAddress, y)
            }
        }
    }

    package static func l2NormalizeRows(_ x: Matrix, context: KernelContext) -> Matrix {
        checkRange(x.rows, "l2NormalizeRows rows")
        checkRange(x.columns, "l2NormalizeRows columns")
        return Matrix(rows: x.rows, columns: x.columns) { y in
            x.values.withUnsafeBufferPointer { xs in
                ck_l2_normalize_rows(context.pool, context.cPath, CInt(x.rows), CInt(x.columns), xs.baseAddress, y)
            }
        }
    }

    package static func matmulTransposed(_ a: Matrix, _ b: Matrix, context: KernelContext) -> Matrix {
        precondition(a.columns == b.columns, "matmulTransposed: [\(a.rows), \(a.columns)] · [\(b.rows), \(b.columns)]ᵀ")
        checkRange(a.rows, "matmulTransposed rows of a")
        checkRange(b.rows, "matmulTransposed rows of b")
        checkRange(a.columns, "matmulTransposed columns")
        return Matrix(rows: a.rows, columns: b.rows) { c in
            if a.columns == 0 {
                c.initialize(repeating: 0, count: a.rows * b.rows)
                return
            }
            a.values.withUnsafeBufferPointer { av in
                b.values.withUnsafeBufferPointer { bv in
                    ck_matmul_nt(
                        context.pool, context.cPath, CInt(a.rows), CInt(b.rows), CInt(a.columns),
                        av.baseAddress, a.columns, bv.baseAddress, b.columns, c, b.rows)
                }
            }
        }
    }

    private static func checkRange(_ value: Int, _ what: String) {
        precondition(value <= Int(Int32.max), "\(what): \(value) exceeds the kernels' 32-bit sizes")
    }

    private static func withOptionalBuffer<R>(_ array: [Float]?, _ body: (UnsafePointer<Float>?) -> R) -> R {
        guard let array else { return body(nil) }
        return array.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}

extension Kernels {
    /// `x`'s first `kc` columns packed into the GEMM's row tiles for `path` (`portable`: with the
    /// portable packer, the naive twin of the ISA's): what the micro-kernels read.
    package static func packedRowTiles(_ x: Matrix, kc: Int, path: KernelPath, portable: Bool) -> [Float] {
        precondition(kc >= 0 && kc <= x.columns, "packedRowTiles: \(kc) of \(x.columns) columns")
        return [Float](unsafeUninitializedCapacity: x.rows * kc) { buffer, initialized in
            x.values.withUnsafeBufferPointer { a in
                ck_pack_rows_for_test(
                    CInt(path.rawValue), portable ? 1 : 0, CInt(x.rows), CInt(kc), a.baseAddress, x.columns,
                    buffer.baseAddress)
            }
            initialized = x.rows * kc
        }
    }
}

extension Kernels {
    /// `weight` `[out, in]` quantised per output channel and packed as `LinearWeights(…, precision:
    /// .int8)` packs it, on the portable row quantiser (`portable`) or this CPU's best: the packed
    /// bytes and the scales.
    package static func int8PackedWeights(
        _ weight: [Float], outFeatures: Int, inFeatures: Int, portable: Bool,
        layout: Int8Layout = .pairs
    ) -> (bytes: [Int8], scales: [Float]) {
        precondition(weight.count == outFeatures * inFeatures, "int8PackedWeights: \(weight.count) for [\(outFeatures), \(inFeatures)]")
        var bytes = [Int8](repeating: 0, count: ck_q8_packed_bytes(layout.cLayout, CInt(outFeatures), CInt(inFeatures)))
        var scales = [Float](repeating: 0, count: outFeatures)
        weight.withUnsafeBufferPointer { w in
            ck_q8_pack_weights_for_test(
                portable ? 1 : 0, layout.cLayout, w.baseAddress, CInt(outFeatures), CInt(inFeatures),
                &bytes, &scales)
        }
        return (bytes, scales)
    }
}
