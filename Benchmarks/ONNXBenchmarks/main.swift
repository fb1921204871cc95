// onnx-benchmarks: loading and running a full-size model from its ONNX exports against the same
// model from model.safetensors (one folder holding both, e.g. models/vit-b32-random), and the int8
// export against onnxruntime's int8 outputs.
//
// Usage: FASHIONCLIP_BENCHMARKS=1 swift run -c release onnx-benchmarks MODEL_DIR [--seconds 3] [--rounds 2]
//          [--only 0,1] [--reference FILE [--trace FILE]] [--load-only 1] [--skip-speed 1]
//   --reference: a safetensors file of onnxruntime outputs for the int8 split exports, one input per
//   run (`pixels.{i}` [1, 3, H, W] → `image.{i}` [1, d], `ids.{i}` [1, n] → `text.{i}` [1, d]; metadata
//   `images`, `texts`).
import CLIPNetwork
import CLIPONNX
import Foundation
import TensorKernels

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// Seconds of the fastest of `runs` calls of `body`.
func fastest<T>(_ runs: Int, _ body: () throws -> T) rethrows -> (T, Double) {
    var best = Double.infinity
    var value: T?
    for _ in 0..<runs {
        let start = now()
        value = try body()
        best = min(best, now() - start)
    }
    return (value!, best)
}

/// Items/s: one warm-up, then repeats for `seconds`; median.
func throughput(items: Int, seconds: Double, _ step: () throws -> Void) rethrows -> Double {
    try step()
    var times: [Double] = []
    let start = now()
    while now() - start < seconds || times.count < 3 {
        let t = now()
        try step()
        times.append(now() - t)
    }
    return Double(items) / times.sorted()[times.count / 2]
}

func cosine(_ a: [Float], _ b: [Float]) -> Double {
    let dot = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    let na = a.reduce(0.0) { $0 + Double($1) * Double($1) }, nb = b.reduce(0.0) { $0 + Double($1) * Double($1) }
    return dot / (na * nb).squareRoot()
}

var arguments = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    defer { arguments.removeSubrange(index...index + 1) }
    return arguments[index + 1]
}
let seconds = Double(option("--seconds") ?? "3") ?? 3
let referencePath = option("--reference")
let traceOption = option("--trace")
let skipSpeed = option("--skip-speed") != nil
let loadOnly = option("--load-only") != nil
let rounds = Int(option("--rounds") ?? "2") ?? 2
let kernelsOnly = option("--kernels") != nil
let only = option("--only").map { $0.split(separator: ",").compactMap { Int($0) } }
guard arguments.count == 1 else { fatalError("usage: onnx-benchmarks MODEL_DIR [--seconds S] [--reference FILE]") }
let folder = URL(fileURLWithPath: arguments[0])
guard let fp32Export = ONNXExport.find(in: folder, variant: .fp32), let int8Export = ONNXExport.find(in: folder, variant: .int8) else {
    fatalError("\(folder.path) needs fp32 and int8 ONNX exports")
}

if !skipSpeed {
    let (_, onnxLoad) = try fastest(3) { try fp32Export.loadNetwork() }
    let (_, int8Load) = try fastest(2) { try int8Export.loadNetwork() }
    let (_, safetensorsLoad) = try fastest(2) { try CLIPDualEncoder(directory: folder) }
    print(
        "load (both towers, warm cache): ONNX fp32 \(String(format: "%.2f", onnxLoad)) s, ONNX int8 \(String(format: "%.2f", int8Load)) s, safetensors \(String(format: "%.2f", safetensorsLoad)) s"
    )

    let allConfigurations: [(String, () throws -> CLIPDualEncoder)] =
        loadOnly
        ? []
        : [
            ("ONNX int8, int8 kernels", { try int8Export.loadNetwork(towers: .vision) }),
            ("safetensors --precision int8", { try CLIPDualEncoder(directory: folder, towers: .vision, precision: .int8) }),
            ("ONNX int8, fp32 kernels (simulated)", { try int8Export.loadNetwork(towers: .vision, precision: .float32) }),
            ("safetensors float32", { try CLIPDualEncoder(directory: folder, towers: .vision) })
        ]
    let configurations = only.map { indices in indices.map { allConfigurations[$0] } } ?? allConfigurations
    // Interleaved rounds (the configurations take turns), so that load from other processes spreads over all.
    let networks = try configurations.map { try $0.1() }
    for ((name, _), network) in zip(configurations, networks) {
        let layers = network.linearLayers
        let kinds = Dictionary(grouping: layers) {
            "\($0.weights.precision)\($0.weights.activationQuantization.map { "/\($0)" } ?? "")\($0.roundTripsInput ? "+round-trip" : "")"
        }
        print("\(name): " + kinds.map { "\($0.value.count) \($0.key)" }.sorted().joined(separator: ", ") + " linear layers")
    }
    var rates = [[Double]](repeating: [], count: 2 * networks.count)
    for _ in 0..<rounds {
        for (index, network) in networks.enumerated() {
            let size = network.configuration.vision.imageSize
            for (slot, batch) in [1, 8].enumerated() {
                var generator = SystemRandomNumberGenerator()
                let pixels = Matrix(
                    rows: batch, columns: 3 * size * size,
                    values: (0..<(batch * 3 * size * size)).map { _ in Float.random(in: -2...2, using: &generator) })
                rates[2 * index + slot].append(try throughput(items: batch, seconds: seconds) { _ = try network.imageEmbeddings(pixels) })
            }
        }
    }
    for (index, (name, _)) in configurations.enumerated() {
        let best = (0..<2).map { String(format: "%.1f", rates[2 * index + $0].max() ?? 0) }
        print("\(name): b1 \(best[0]) images/s, b8 \(best[1]) images/s (best of \(rounds) rounds)")
    }

}

if let referencePath {
    let reference = try SafeTensorsFile(contentsOf: URL(fileURLWithPath: referencePath))
    for precision in [nil, LinearWeights.Precision.float32] {
        let network = try int8Export.loadNetwork(precision: precision)
        var cosines: [Double] = [], worst: Float = 0
        for i in 0..<(Int(reference.metadata["images"] ?? "0") ?? 0) {
            let pixels = try reference.floats("pixels.\(i)")
            let ours = Array(try network.imageFeatures(Matrix(rows: 1, columns: pixels.count, values: pixels)).row(0))
            let theirs = try reference.floats("image.\(i)")
            cosines.append(cosine(ours, theirs))
            worst = max(worst, zip(ours, theirs).map { abs($0 - $1) }.max()! / theirs.map(abs).max()!)
        }
        for i in 0..<(Int(reference.metadata["texts"] ?? "0") ?? 0) {
            let ours = Array(try network.textFeatures([try reference.integers("ids.\(i)")]).row(0))
            let theirs = try reference.floats("text.\(i)")
            cosines.append(cosine(ours, theirs))
            worst = max(worst, zip(ours, theirs).map { abs($0 - $1) }.max()! / theirs.map(abs).max()!)
        }
        print(
            "vs onnxruntime int8 (\(precision.map { "\($0) kernels" } ?? "int8 kernels")): min cosine \(cosines.min() ?? .nan), max |Δ| / max |ref| \(worst) over \(cosines.count) inputs"
        )
    }
}

// --trace FILE: per-layer relative error of the vision tower on the reference's first image against
// onnxruntime's intermediate outputs (`fp32/vision.encoder.layers.{i}`, `int8/…`), naming where they part.
if let tracePath = traceOption, let referencePath {
    let trace = try SafeTensorsFile(contentsOf: URL(fileURLWithPath: tracePath))
    let reference = try SafeTensorsFile(contentsOf: URL(fileURLWithPath: referencePath))
    let pixels = try reference.floats("pixels.0")
    for (tag, export) in [("fp32", fp32Export), ("int8", int8Export)] {
        let recorder = ActivationRecorder()
        _ = try export.loadNetwork(towers: .vision).visionTower!.features(Matrix(rows: 1, columns: pixels.count, values: pixels), recorder: recorder)
        var line = "\(tag) trace:"
        for name in ["vision.pre_layrnorm"] + (0..<12).map({ "vision.encoder.layers.\($0)" }) {
            guard let ours = recorder[name], let theirs = try? trace.floats("\(tag)/\(name)") else { continue }
            let error = zip(ours.values, theirs).map { abs($0 - $1) }.max()! / theirs.map(abs).max()!
            line += " \(name.split(separator: ".").last!) \(String(format: "%.1e", error))"
        }
        print(line)
    }
}

// --kernels 1: one int8 GEMM of each ViT-B/32 shape, per-row vs per-tensor activations.
if kernelsOnly {
    for (m, k, n) in [(50, 768, 2304), (50, 768, 3072), (50, 3072, 768), (400, 768, 3072)] {
        var generator = SystemRandomNumberGenerator()
        let x = Matrix(rows: m, columns: k, values: (0..<(m * k)).map { _ in Float.random(in: -2...2, using: &generator) })
        let weight = (0..<(n * k)).map { _ in Float.random(in: -0.05...0.05, using: &generator) }
        let perRow = LinearWeights(weight: weight, bias: nil, outFeatures: n, inFeatures: k, precision: .int8)
        let q = (0..<(n * k)).map { _ in Int8.random(in: -64...64, using: &generator) }
        let perTensor = q.withUnsafeBufferPointer { LinearWeights(quantized: $0, scales: [0.001], bias: nil, outFeatures: n, inFeatures: k, layout: .inOut) }
        let fp32 = LinearWeights(weight: weight, bias: nil, outFeatures: n, inFeatures: k)
        var line = "[\(m)×\(k)]·[\(k)×\(n)]:"
        for (name, w) in [("per-row", perRow), ("per-tensor", perTensor), ("fp32", fp32), ("per-row", perRow), ("per-tensor", perTensor)] {
            let rate = throughput(items: 1, seconds: 0.5) { _ = Kernels.linear(x, w) }
            line += " \(name) \(String(format: "%.0f", 1e6 / rate)) µs"
        }
        print(line)
    }
}
