import Foundation
import TensorKernels

/// A floating-point tensor left in a weight file's read-only mapping, read on demand instead of
/// copied at load: what an embedding table needs, whose lookups touch a few rows of many.
///
/// The text tower's token embedding is 49408 × 512 floats (101 MB, 40 % of the text tower) of
/// which a query reads a handful of rows. Kept in the mapping, it costs the pages those rows sit
/// on (from the page cache, shared with every process mapping the file) instead of 101 MB of
/// private memory, and loading skips the copy. Values read as `SafeTensorsFile.floats(_:)` converts
/// them: `F32` as stored, `F16` and `BF16` widened exactly.
///
/// The file must stay as it is while the model is loaded: deleting or replacing it is harmless (the
/// mapping keeps the old file), but truncating or rewriting it in place changes or faults the reads,
/// as with any memory map. Hugging Face's cache never rewrites a downloaded file in place.
package struct MappedTensor: Sendable {
    /// How the elements are stored.
    package enum Element: Sendable {
        case float32, float16, bfloat16

        var byteSize: Int { self == .float32 ? 4 : 2 }
    }

    /// The mapping (kept alive by this value), as `MappedFile.map` returned it.
    let storage: Data
    /// Byte offset of element 0 from `storage.startIndex`.
    let offset: Int
    /// Number of elements.
    package let count: Int
    package let element: Element

    /// The `count` elements of `element` type at byte `offset` of `storage`, a `MappedFile.map`
    /// mapping. - Precondition: the bytes lie inside `storage` (the callers checked the headers).
    package init(storage: Data, offset: Int, count: Int, element: Element) {
        precondition(offset >= 0 && count >= 0 && offset + count * element.byteSize <= storage.count,
                     "MappedTensor: \(count) elements at byte \(offset) of \(storage.count)")
        self.storage = storage
        self.offset = offset
        self.count = count
        self.element = element
    }

    /// Writes elements `range` as `Float` to `destination`.
    /// - Precondition: `range` lies within `0..<count`.
    package func copy(_ range: Range<Int>, into destination: UnsafeMutablePointer<Float>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "MappedTensor: elements \(range) of \(count)")
        storage.withUnsafeBytes { raw in
            let base = offset + range.lowerBound * element.byteSize
            switch element {
            case .float32:
                UnsafeMutableRawPointer(destination).copyMemory(from: raw.baseAddress! + base, byteCount: range.count * 4)
            case .float16:
                for i in 0..<range.count {
                    destination[i] = SafeTensorsFile.floatFromHalf(raw.loadUnaligned(fromByteOffset: base + 2 * i, as: UInt16.self).littleEndian)
                }
            case .bfloat16:
                for i in 0..<range.count {
                    let bits = raw.loadUnaligned(fromByteOffset: base + 2 * i, as: UInt16.self).littleEndian
                    destination[i] = Float(bitPattern: UInt32(bits) << 16)
                }
            }
        }
    }

    /// Runs `body` on the values where they lie in the mapping, when they are fp32 at a 4-byte
    /// aligned address (safetensors writers align every tensor to 8 bytes): no copy, for packing
    /// straight from the file. Nil for F16/BF16 or a misaligned tensor (then `copy` them).
    package func withFloats<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R? {
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
    package static func withFloats<R>(_ tensors: ArraySlice<MappedTensor>, _ body: ([UnsafeBufferPointer<Float>]) throws -> R) rethrows -> R? {
        try withFloats(tensors, prefix: [], body)
    }

    private static func withFloats<R>(_ tensors: ArraySlice<MappedTensor>, prefix: [UnsafeBufferPointer<Float>],
                                      _ body: ([UnsafeBufferPointer<Float>]) throws -> R) rethrows -> R? {
        guard let first = tensors.first else { return try body(prefix) }
        return try first.withFloats { buffer in try withFloats(tensors.dropFirst(), prefix: prefix + [buffer], body) } ?? nil
    }

    /// The index of the first NaN or infinity, nil when every element is finite. Reads the whole
    /// tensor in blocks; the pages are dropped again afterwards (`releasePages`).
    package func firstNonFinite() -> Int? {
        if let found = withFloats({ Kernels.firstNonFinite($0) }) { return found }
        let block = 16_384
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: block) { buffer in
            var start = 0
            while start < count {
                let end = min(start + block, count)
                copy(start ..< end, into: buffer.baseAddress!)
                if let bad = Kernels.firstNonFinite(UnsafeBufferPointer(rebasing: buffer[0 ..< end - start])) { return start + bad }
                start = end
            }
            return nil
        }
    }

    /// Drops the tensor's pages from the resident set (they stay in the page cache and fault back
    /// in on the next read): after validation at load, only the rows later read become resident.
    package func releasePages() {
        MappedFile.releasePages(of: storage, bytes: offset ..< offset + count * element.byteSize)
    }
}

/// A `CLIPTensorSource` that can hand out tensors still in its file's mapping.
package protocol MappedTensorSource {
    /// `key` in the mapping, or nil when it is not mapped (held in memory, external data, or a
    /// dtype other than F32/F16/BF16): the caller then reads it with `floats(_:)`.
    func mappedTensor(_ key: String) throws -> MappedTensor?
}
