import Foundation

extension CatalogSearcher {
    /// fp32 scan of the selected rows; blends in text vectors when `weight > 0`.
    func exactScan(_ query: [Float], k: Int, weight w: Float,
                   selection: MatrixScan.Selection) -> [(score: Float, row: Int)] {
        let d = snapshot.identity.dimension
        let subset: [Int32]? = if case let .subset(rows) = selection { rows } else { nil }
        let mask: [Bool]? = if case let .mask(m) = selection { m } else { nil }
        let count = subset?.count ?? snapshot.count
        return snapshot.imageVectors.withUnsafeBufferPointer { images in
            snapshot.textVectors.withUnsafeBufferPointer { texts in
                query.withUnsafeBufferPointer { q in
                    (subset ?? []).withUnsafeBufferPointer { sub in
                        let subPointer = subset == nil ? nil : sub.baseAddress
                        let hasText = snapshot.hasText
                        return MatrixScan.topK(
                            count: count, k: k, elementsPerCandidate: w > 0 ? 2 * d : d,
                            row: { subPointer?[$0] ?? Int32($0) },
                            accept: mask.map { m in { m[$0] } },
                            score: { range, out in
                                MatrixScan.scoreF32(images.baseAddress!, dim: d, query: q.baseAddress!,
                                                    subset: subPointer, range: range, into: out)
                                guard w > 0 else { return }
                                let textScores = UnsafeMutablePointer<Float>.allocate(capacity: range.count)
                                defer { textScores.deallocate() }
                                MatrixScan.scoreF32(texts.baseAddress!, dim: d, query: q.baseAddress!,
                                                    subset: subPointer, range: range, into: textScores)
                                for i in 0..<range.count {
                                    let r = subPointer.map { Int($0[range.lowerBound + i]) } ?? range.lowerBound + i
                                    let t = hasText[r] ? textScores[i] : out[i]
                                    out[i] = (1 - w) * out[i] + w * t
                                }
                            })
                    }
                }
            }
        }
    }

    /// int8 scan of all rows (or a mask), returning `k` candidates by approximate score.
    func compressedScan(_ query: [Float], k: Int, weight w: Float, selection: MatrixScan.Selection,
                        images: QuantizedMatrix) -> [(score: Float, row: Int)] {
        let d = snapshot.identity.dimension
        let mask: [Bool]? = if case let .mask(m) = selection { m } else { nil }
        let (q16, qScale) = QuantizedMatrix.quantizeQuery(query)
        let texts = w > 0 ? quantizedTexts : nil
        let hasText = snapshot.hasText
        return images.values.withUnsafeBufferPointer { iv in
            images.scales.withUnsafeBufferPointer { isc in
                (texts?.values ?? []).withUnsafeBufferPointer { tv in
                    (texts?.scales ?? []).withUnsafeBufferPointer { tsc in
                        q16.withUnsafeBufferPointer { q in
                            MatrixScan.topK(
                                count: snapshot.count, k: k, elementsPerCandidate: (texts == nil ? d : 2 * d) / 4,
                                row: { Int32($0) }, accept: mask.map { m in { m[$0] } },
                                score: { range, out in
                                    MatrixScan.scoreI8(iv.baseAddress!, scales: isc.baseAddress!, dim: d,
                                                       query: q.baseAddress!, queryScale: qScale, range: range, into: out)
                                    guard texts != nil else { return }
                                    let textScores = UnsafeMutablePointer<Float>.allocate(capacity: range.count)
                                    defer { textScores.deallocate() }
                                    MatrixScan.scoreI8(tv.baseAddress!, scales: tsc.baseAddress!, dim: d,
                                                       query: q.baseAddress!, queryScale: qScale, range: range,
                                                       into: textScores)
                                    for i in 0..<range.count {
                                        let t = hasText[range.lowerBound + i] ? textScores[i] : out[i]
                                        out[i] = (1 - w) * out[i] + w * t
                                    }
                                })
                        }
                    }
                }
            }
        }
    }
}
