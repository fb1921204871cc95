import TensorKernels

/// An embedding matrix `[rows, width]` looked up a row at a time: the text tower's token embedding.
///
/// When the checkpoint is a mapped file (`MappedTensorSource`) the table stays in the mapping and
/// each lookup converts one row (`MappedTensor`): a text model then holds the rows its queries
/// touched, not the whole 49408-row table. Otherwise the rows are held in memory. Both give the
/// values `CLIPTensorSource.floats(_:)` would.
struct EmbeddingTable: Sendable {
    enum Storage: Sendable {
        case resident([Float])
        case mapped(MappedTensor)
    }

    let rows: Int
    let width: Int
    let storage: Storage

    /// `rows · width` values, row-major.
    init(rows: Int, width: Int, storage: Storage) {
        switch storage {
        case .resident(let values): precondition(values.count == rows * width, "EmbeddingTable: \(values.count) values for [\(rows), \(width)]")
        case .mapped(let tensor): precondition(tensor.count == rows * width, "EmbeddingTable: \(tensor.count) values for [\(rows), \(width)]")
        }
        self.rows = rows
        self.width = width
        self.storage = storage
    }

    /// Whether the table is read from the file's mapping.
    var isMapped: Bool {
        if case .mapped = storage { return true }
        return false
    }

    /// Writes row `index` to `destination[offset ..< offset + width]`.
    /// - Precondition: `0 <= index < rows` (token ids are validated before they get here), and the
    ///   row fits in `destination` from `offset`.
    func copyRow(_ index: Int, into destination: inout [Float], at offset: Int) {
        precondition(index >= 0 && index < rows, "EmbeddingTable: row \(index) of \(rows)")
        switch storage {
        case .resident(let values):
            destination.replaceSubrange(offset..<offset + width, with: values[index * width..<(index + 1) * width])
        case .mapped(let tensor):
            tensor.copy(index * width..<(index + 1) * width, into: &destination, at: offset)
        }
    }
}
