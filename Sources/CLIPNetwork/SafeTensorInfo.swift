/// Where one tensor lives in a safetensors file, as its header declares (validated).
public struct SafeTensorInfo: Sendable, Equatable {
    /// The tensor's key, verbatim.
    public let name: String
    /// Element type.
    public let dtype: SafeTensorDType
    /// Dimensions (`[]` for a scalar).
    public let shape: [Int]
    /// Byte range inside the data section (the bytes after the header).
    public let dataOffsets: Range<Int>

    /// Product of `shape` (1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }
}
