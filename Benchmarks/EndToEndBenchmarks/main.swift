// fashionclip-benchmarks: the end-to-end workloads of BENCHMARKS.md on a full-size model folder, one
// JSON line per run, for Scripts/bench/run.sh (which runs the same workloads through PyTorch and
// ONNX Runtime with Scripts/bench/peers.py, interleaved). Wall-clock items/s, median of repeats.
//
// Usage: fashionclip-benchmarks MODEL_DIR WORKLOAD [--seconds 8] [--images DIR] [--precision float32|int8|bf16]
//   WORKLOAD: image-b1 | image-b32 (preprocessed pixels: vision tower [b, 3, 224, 224] → [b, 512])
//             jpeg-b32 (JPEG files → decode → preprocess → embed, through FashionCLIPModel.embedImages)
//             text-b1 | text-b32 (≈ 8-token query → tokenize → text tower → [b, 512])
//             (any batch size as -bN, e.g. image-b4, for the batch sizes between)
//             load (FashionCLIPModel(folder:) both towers, warm page cache)
import CLIPNetwork
import FashionCLIP
import Foundation
import TensorKernels

#if canImport(Glibc)
import Glibc
#endif

/// The short query of the text workloads: 6 words → 8 tokens with BOS/EOS (as Scripts/bench/peers.py).
let query = "a red floral summer maxi dress"

func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// Resets the kernel's RSS high-water mark (`VmHWM`), so that `highWaterMegabytes` measures from here.
func resetHighWater() {
    try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
}

/// `VmHWM` of /proc/self/status: the peak resident set since the last `resetHighWater()`.
func highWaterMegabytes() -> Double? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
        let kb = Double(line.split(separator: " ").dropFirst().first ?? "")
    else { return nil }
    return kb / 1024
}

func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Items/s of `step` (which handles `items` items): one warm-up, then repeats for ≥ `seconds`; median.
/// The RSS high-water mark is reset first: `embed_rss_mb` is the peak while embedding (after loading).
func measure(items: Int, seconds: Double, _ step: () throws -> Void) rethrows -> Double {
    resetHighWater()
    try step()
    var times: [Double] = []
    let start = now()
    while now() - start < seconds || times.count < 3 {
        let t = now()
        try step()
        times.append(now() - t)
    }
    times.sort()
    return Double(items) / times[times.count / 2]
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    let value = arguments[index + 1]
    arguments.removeSubrange(index...index + 1)
    return value
}
let seconds = Double(option("--seconds") ?? "8") ?? 8
let imagesFolder = option("--images")
let precisionName = option("--precision") ?? "float32"
guard arguments.count == 2 else {
    fail("usage: fashionclip-benchmarks MODEL_DIR WORKLOAD [--seconds S] [--images DIR] [--precision P]")
}
let folder = URL(fileURLWithPath: arguments[0])
let workload = arguments[1]
guard let precision = ModelOptions.Precision(rawValue: precisionName) else { fail("unknown precision \(precisionName)") }
let batch = workload.split(separator: "-").last.flatMap { Int($0.dropFirst()) } ?? 1
/// `image`, `jpeg` or `text` for `KIND-bN`; the whole name for the other workloads.
let kind: String = {
    let parts = workload.split(separator: "-")
    guard parts.count == 2, ["image", "jpeg", "text"].contains(parts[0]), parts[1].hasPrefix("b"),
        let n = Int(parts[1].dropFirst()), n >= 1
    else { return workload }
    return String(parts[0])
}()

var result: [String: Any] = [
    "impl": precision == .float32 ? "ours" : "ours-\(precisionName)", "workload": workload,
    "threads": Kernels.threadCount, "isa": Kernels.instructionSet
]
do {
    switch kind {
    case "load":
        var times: [Double] = []
        for _ in 0..<3 {
            let t = now()
            _ = try FashionCLIPModel(folder: folder, options: ModelOptions(precision: precision))
            times.append(now() - t)
        }
        result["seconds"] = times.sorted()[1]
    case "image":
        // The vision tower FashionCLIPModel.embedImages runs, on pixels already preprocessed.
        let network = try CLIPDualEncoder(directory: folder, towers: .vision, precision: precision)
        // Seeded pixels in [-2, 2) (an LCG: no getrandom system call per value, which swamped profiles).
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let pixels = Matrix(
            rows: batch, columns: 3 * 224 * 224,
            values: (0..<(batch * 3 * 224 * 224)).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Float(state >> 40) / Float(1 << 24) * 4 - 2
            })
        result["items_per_s"] = try measure(items: batch, seconds: seconds) { _ = try network.imageEmbeddings(pixels) }
    case "jpeg":
        guard let imagesFolder else { fail("jpeg-b32 needs --images DIR") }
        let model = try FashionCLIPModel(folder: folder, options: ModelOptions(towers: .visionOnly, batchSize: batch, precision: precision))
        let names = try FileManager.default.contentsOfDirectory(atPath: imagesFolder).filter { $0.lowercased().hasSuffix(".jpg") }.sorted()
        guard !names.isEmpty else { fail("no .jpg files in \(imagesFolder)") }
        let files = (0..<batch).map { ImageInput.file(URL(fileURLWithPath: imagesFolder).appendingPathComponent(names[$0 % names.count])) }
        result["items_per_s"] = try measure(items: batch, seconds: seconds) {
            for item in model.embedImages(files) { _ = try item.get() }
        }
    case "text":
        let model = try FashionCLIPModel(folder: folder, options: ModelOptions(towers: .textOnly, precision: precision))
        let texts = [String](repeating: query, count: batch)
        result["tokens"] = try model.tokenize(query).ids.count
        result["items_per_s"] = try measure(items: batch, seconds: seconds) { _ = try model.embedTexts(texts) }
    case "int8-cosine", "bf16-cosine":
        // Accuracy of --precision int8 / bf16 on this model against fp32: the smallest cosine over the
        // JPEGs and some queries, and the largest change of a zero-shot probability (each image
        // against the queries as labels, softmax over exp(logit_scale) · cosine).
        guard let imagesFolder else { fail("\(workload) needs --images DIR") }
        let names = try FileManager.default.contentsOfDirectory(atPath: imagesFolder).filter { $0.hasSuffix(".jpg") }.sorted()
        let files = names.prefix(8).map { ImageInput.file(URL(fileURLWithPath: imagesFolder).appendingPathComponent($0)) }
        let texts = [query, "white leather sneakers", "a black wool coat with a belt", "striped cotton t-shirt for men"]
        let reference = try FashionCLIPModel(folder: folder)
        let lowered: ModelOptions.Precision = workload.hasPrefix("bf16") ? .bfloat16 : .int8
        let other = try FashionCLIPModel(folder: folder, options: ModelOptions(precision: lowered))
        func cosine(_ a: [Float], _ b: [Float]) -> Double {
            let dot = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let na = a.reduce(0.0) { $0 + Double($1) * Double($1) }, nb = b.reduce(0.0) { $0 + Double($1) * Double($1) }
            return dot / (na * nb).squareRoot()
        }
        let imagesA = try reference.embedImages(files).map { try $0.get() }
        let imagesB = try other.embedImages(files).map { try $0.get() }
        let textsA = try reference.embedTexts(texts), textsB = try other.embedTexts(texts)
        result["impl"] = "ours-\(lowered.rawValue)"
        result["image_cosine"] = zip(imagesA, imagesB).map(cosine).min()
        result["text_cosine"] = zip(textsA, textsB).map(cosine).min()
        let scale = Double(reference.logitScale ?? 100)
        func probabilities(_ images: [[Float]], _ texts: [[Float]]) -> [Double] {
            images.flatMap { image -> [Double] in
                let logits = texts.map { scale * cosine(image, $0) }
                let top = logits.max() ?? 0
                let e = logits.map { exp($0 - top) }
                let sum = e.reduce(0, +)
                return e.map { $0 / sum }
            }
        }
        result["zero_shot_max_difference"] = zip(probabilities(imagesA, textsA), probabilities(imagesB, textsB))
            .map { abs($0 - $1) }.max()
    default:
        fail("unknown workload \(workload)")
    }
} catch {
    fail("\(workload): \(error)")
}
result["peak_rss_mb"] = (peakRSSMegabytes() * 10).rounded() / 10
if result["items_per_s"] != nil, let embedding = highWaterMegabytes() { result["embed_rss_mb"] = (embedding * 10).rounded() / 10 }
let json = try! JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
