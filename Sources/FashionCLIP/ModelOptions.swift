import CLIPImageProcessing
import CLIPONNX
import TensorKernels

/// How `FashionCLIPModel` opens a folder and runs it.
public struct ModelOptions: Sendable {
    /// Which halves of the model to load.
    public enum Towers: Sendable, Equatable {
        /// Text and vision (the default).
        case all
        /// Only the text tower and tokenizer: half the memory for query-only services.
        case textOnly
        /// Only the vision tower and image processor.
        case visionOnly
    }

    /// How the encoder layers' weights are stored and multiplied: `.float32` (the reference), `.int8`
    /// (per-channel weights, dynamically quantised activations; ~¼ of the memory, cosine ≥ 0.999 to
    /// fp32; AVX-512 VNNI where present) or `.bfloat16` (bf16 weights and layer inputs, fp32 sums; ½
    /// the memory, cosine ≥ 0.9995; only on CPUs with AVX512_BF16, an error elsewhere).
    /// `Kernels.supportedPrecisions` lists what this CPU runs.
    public typealias Precision = LinearWeights.Precision

    /// An ONNX export's file variant: `.fp32` (`model.onnx`), `.fp16` (`model_fp16.onnx`) or `.int8`
    /// (`model_quantized.onnx`); `ONNXVariant(name: "int8")` parses the CLI's names.
    public typealias ONNXVariant = ONNXExport.Variant

    /// Which towers to load.
    public var towers: Towers
    /// Images run through the vision tower at most this many at a time (it runs them 4 at a time, the
    /// same results with less memory, unless a dynamic-int8 ONNX export ties images to their batch);
    /// texts in groups of this size times 8.
    public var batchSize: Int
    /// Decoding options: transparency handling, EXIF orientation, maximum pixel count.
    public var imageDecoding: ImageDecodingOptions
    /// 1 decodes and preprocesses each batch on one thread; any other value uses every core (the batch
    /// is still prepared one step ahead of the network either way).
    public var preprocessingThreads: Int
    /// Storage and arithmetic of the linear layers; nil (the default) runs the checkpoint as stored:
    /// `.float32` for safetensors and fp32/fp16 ONNX exports, `.int8` for dynamic-int8 ONNX exports
    /// (`*_quantized.onnx`, on the int8 kernels with onnxruntime's integers).
    public var precision: Precision?
    /// Which weights of the folder to load. Nil (the default): `model.safetensors`, or in a folder
    /// without it the first ONNX export present (fp32, fp16, then int8; see `ONNXExport`). A
    /// variant: that ONNX export (`model_quantized.onnx` for `.int8`…), even beside
    /// `model.safetensors`; a folder without it is an error naming the files looked for.
    public var onnxVariant: ONNXVariant?

    public init(
        towers: Towers = .all, batchSize: Int = 32,
        imageDecoding: ImageDecodingOptions = ImageDecodingOptions(), preprocessingThreads: Int = 0,
        precision: Precision? = nil, onnxVariant: ONNXVariant? = nil
    ) {
        precondition(batchSize > 0, "ModelOptions: batchSize must be positive")
        self.towers = towers
        self.batchSize = batchSize
        self.imageDecoding = imageDecoding
        self.preprocessingThreads = preprocessingThreads
        self.precision = precision
        self.onnxVariant = onnxVariant
    }
}
