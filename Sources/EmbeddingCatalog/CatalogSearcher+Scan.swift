import TensorKernels

extension CatalogSearcher {
    /// fp32 scan of the selected rows; blends in text vectors when `weight > 0`.
    func exactScan(_ query: [Float], k: Int, weight w: Float, selection: RowScan.Selection) -> [(score: Float, row: Int)] {
        RowScan.topK(k, of: exactRows, query: query, textWeight: w, selection: selection)
    }

    /// int8 scan of all rows (or a mask), returning `k` candidates by approximate score.
    func compressedScan(
        _ query: [Float], k: Int, weight w: Float, selection: RowScan.Selection,
        images: QuantizedMatrix
    ) -> [(score: Float, row: Int)] {
        let mask: [Bool]? = if case let .mask(m) = selection { m } else { nil }
        let (q8, qScale) = QuantizedMatrix.quantizeQuery(query)
        let texts = w > 0 ? quantizedTexts : nil
        let rows = RowScan.Int8Rows(
            images: (images.values, images.scales), texts: texts.map { ($0.values, $0.scales) },
            hasText: snapshot.hasText, dimension: snapshot.identity.dimension)
        return RowScan.topK(k, of: rows, query: q8, queryScale: qScale, textWeight: w, mask: mask)
    }

    /// The snapshot's matrices as the scan reads them (arrays share storage: no copy).
    var exactRows: RowScan.Float32Rows {
        RowScan.Float32Rows(
            images: snapshot.imageVectors, texts: snapshot.textVectors.isEmpty ? nil : snapshot.textVectors,
            hasText: snapshot.hasText, dimension: snapshot.identity.dimension)
    }
}
