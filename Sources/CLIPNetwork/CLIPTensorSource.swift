import TensorKernels

/// Where `CLIPDualEncoder` reads its weights from: named tensors with Hugging Face keys
/// (`text_model.encoder.layers.0.self_attn.q_proj.weight`), PyTorch layouts and shapes.
///
/// `SafeTensorsFile` is one; CLIPONNX maps an ONNX graph's initializers onto the same keys.
public protocol CLIPTensorSource {
    /// Every key the source holds (loading is strict: each must be used, skipped or ignorable).
    var tensorKeys: [String] { get }
    /// The shape of `key`, or nil when the source does not hold it.
    func shape(of key: String) -> [Int]?
    /// The values of `key` as `Float`, row-major in its shape.
    func floats(_ key: String) throws -> [Float]
    /// Whether a dual-encoder checkpoint must hold `logit_scale` (true by default). Sources that
    /// cannot carry it, such as split ONNX text/vision exports, return false: the model then has no
    /// logit scale, as a one-tower checkpoint.
    var requiresLogitScale: Bool { get }
    /// The `weight` of a linear layer or of the patch convolution (`key`, shape `shape(of: key)`) as
    /// the source stores it, when that differs from `floats(key)` in PyTorch's layout: transposed
    /// (ONNX `MatMul`), int8, or behind a dynamic quantization of its input. Nil by default.
    func storedLinearWeight(_ key: String) throws -> StoredLinearWeight?
}

extension CLIPTensorSource {
    public var requiresLogitScale: Bool { true }
    public func storedLinearWeight(_ key: String) throws -> StoredLinearWeight? { nil }
}

extension SafeTensorsFile: CLIPTensorSource, MappedTensorSource {
    public var tensorKeys: [String] { Array(tensors.keys) }
    public func shape(of key: String) -> [Int]? { tensors[key]?.shape }
}

/// A `CLIPTensorSource` that can hand out tensors still in its file's mapping.
package protocol MappedTensorSource {
    /// `key` in the mapping, or nil when it is not mapped (held in memory, external data, or a
    /// dtype other than F32/F16/BF16): the caller then reads it with `floats(_:)`.
    func mappedTensor(_ key: String) throws -> MappedTensor?
}
