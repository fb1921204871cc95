#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A floating-point tensor left in a weight file's read-only mapping, read on demand instead of
/// copied at load: what an embedding table needs, whose lookups touch a few rows of many, and what
/// a linear layer packs straight from the file (`LinearWeights.packing(mapped:…)`).
///
/// The text tower's token embedding is 49408 × 512 floats (101 MB, 40 % of the text tower) of
/// which a query reads a handful of rows. Kept in the mapping, it costs the pages those rows sit
/// on (from the page cache, shared with every process mapping the file) instead of 101 MB of
/// private memory, and loading skips the copy. Values read as `TensorBytes.floats` converts them:
/// `float32` as stored, `float16` and `bfloat16` widened exactly.
///
/// The file must stay as it is while the model is loaded: deleting or replacing it is harmless (the
/// mapping keeps the old file), but truncating or rewriting it in place changes or faults the reads,
/// as with any memory map. Hugging Face's cache never rewrites a downloaded file in place.
package struct MappedTensor: Sendable {
    /// How the elements are stored: `.float32`, `.float16` or `.bfloat16`.
    package typealias Element = TensorBytes.Element

    /// The mapping (kept alive by this value), as `MappedFile.map` returned it.
    let storage: Data
    /// Byte offset of element 0 from `storage.startIndex`.
    let offset: Int
    /// Number of elements.
    package let count: Int
    package let element: Element

    /// The `count` elements of `element` type at byte `offset` of `storage`, a `MappedFile.map`
    /// mapping (`releasePages` drops its pages: never pass bytes held in memory).
    /// - Precondition: `element` is `.float32`, `.float16` or `.bfloat16`, and the bytes lie inside
    ///   `storage` (the callers checked the headers).
    package init(storage: Data, offset: Int, count: Int, element: Element) {
        precondition([.float32, .float16, .bfloat16].contains(element), "MappedTensor: \(element) elements")
        precondition(
            offset >= 0 && count >= 0 && count * element.byteSize <= storage.count - offset,
            "MappedTensor: \(count) elements at byte \(offset) of \(storage.count)")
        self.storage = storage
        self.offset = offset
        self.count = count
        self.element = element
    }

    /// Elements `range` as `Float`.
    /// - Precondition: `range` lies within `0..<count`.
    package func floats(_ range: Range<Int>) -> [Float] {
        checkElements(range)
        return TensorBytes.floats(storage, offset: offset + range.lowerBound * element.byteSize, count: range.count, element: element)
    }

    /// Writes elements `range` as `Float` to `destination[index ..< index + range.count]`.
    /// - Precondition: `range` lies within `0..<count` and fits in `destination` from `index`.
    package func copy(_ range: Range<Int>, into destination: inout [Float], at index: Int) {
        checkElements(range)
        TensorBytes.copyFloats(
            storage, offset: offset + range.lowerBound * element.byteSize, count: range.count, element: element,
            into: &destination, at: index)
    }

    /// Whether the values can be read where they lie, with no copy: fp32 at a 4-byte aligned address
    /// (safetensors writers align every tensor to 8 bytes). `LinearWeights.packing(mapped:…)` and
    /// `firstNonFinite` then read the mapping itself.
    package var isAlignedFloat32: Bool {
        withFloats { _ in true } ?? false
    }

    /// Runs `body` on the values where they lie in the mapping when `isAlignedFloat32`; nil otherwise.
    func withFloats<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R? {
        guard element == .float32 else { return nil }
        return try storage.withUnsafeBytes { raw -> R? in
            guard let base = raw.baseAddress else { return count == 0 ? try body(UnsafeBufferPointer(start: nil, count: 0)) : nil }
            let start = base + offset
            guard Int(bitPattern: start) % MemoryLayout<Float>.alignment == 0 else { return nil }
            return try body(UnsafeBufferPointer(start: start.assumingMemoryBound(to: Float.self), count: count))
        }
    }

    /// Runs `body` on the values of every tensor of `tensors` where they lie (`withFloats`), in
    /// order; nil unless all of them are aligned fp32.
    static func withFloats<R>(_ tensors: ArraySlice<MappedTensor>, _ body: ([UnsafeBufferPointer<Float>]) throws -> R) rethrows -> R? {
        try withFloats(tensors, prefix: [], body)
    }

    private static func withFloats<R>(
        _ tensors: ArraySlice<MappedTensor>, prefix: [UnsafeBufferPointer<Float>],
        _ body: ([UnsafeBufferPointer<Float>]) throws -> R
    ) rethrows -> R? {
        guard let first = tensors.first else { return try body(prefix) }
        return try first.withFloats { buffer in try withFloats(tensors.dropFirst(), prefix: prefix + [buffer], body) } ?? nil
    }

    /// The index of the first NaN or infinity, nil when every element is finite. Reads the whole
    /// tensor (in place when `isAlignedFloat32`, else converted in blocks); the caller drops the
    /// pages again afterwards (`releasePages`).
    package func firstNonFinite() -> Int? {
        if let found = withFloats({ Kernels.firstNonFinite($0) }) { return found }
        let block = 16_384
        var buffer = [Float](repeating: 0, count: min(block, count))
        var start = 0
        while start < count {
            let end = min(start + block, count)
            if end - start < buffer.count { buffer.removeLast(buffer.count - (end - start)) }
            copy(start..<end, into: &buffer, at: 0)
            if let bad = Kernels.firstNonFinite(buffer) { return start + bad }
            start = end
        }
        return nil
    }

    /// Drops the tensor's pages from the resident set (they stay in the page cache and fault back
    /// in on the next read): after validation at load, only the rows later read become resident.
    package func releasePages() {
        MappedFile.releasePages(of: storage, bytes: offset..<offset + count * element.byteSize)
    }

    private func checkElements(_ range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "MappedTensor: elements \(range) of \(count)")
    }
}
