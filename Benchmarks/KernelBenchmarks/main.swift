// Opt-in kernel benchmarks named after ViT-B/32 shapes (nothing runs them in tests):
//   swift build -c release --product kernel-benchmarks && .build/release/kernel-benchmarks [filter…]
// (--json: one JSON line per benchmark.) `peak.*` are the probes: the FMA peak (a register-only FMA
// loop, at the clock the cores really run) and the DRAM read bandwidth.
// Prints GFLOP/s (or GB/s for memory-bound scans) on 1 and 2 threads: the best and median of 7
// wall-clock runs, and the rate per CPU-second of the process (spinning workers included), which
// stays meaningful when other processes share the cores.
import TensorKernels

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Benchmark {
    let name: String
    let flops: Double
    let setUp: () -> () -> Void
}

func random(_ count: Int, seed: UInt64) -> [Float] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(Int32(truncatingIfNeeded: state >> 32)) / Float(Int32.max) * 0.5
    }
}

func matrix(_ rows: Int, _ columns: Int, seed: UInt64) -> Matrix {
    Matrix(rows: rows, columns: columns, values: random(rows * columns, seed: seed))
}

func linear(
    _ name: String, m: Int, k: Int, n: Int, activation: Activation = .identity, residual: Bool = false,
    precision: LinearWeights.Precision = .float32
) -> Benchmark {
    let suffix = precision == .float32 ? "" : " \(precision.rawValue)"
    return Benchmark(name: "\(name) [\(m)×\(k)]·[\(k)×\(n)]\(suffix)", flops: 2.0 * Double(m * k * n)) {
        let x = matrix(m, k, seed: 1)
        let w = LinearWeights(
            weight: random(n * k, seed: 2), bias: random(n, seed: 3), outFeatures: n, inFeatures: k,
            precision: precision)
        if residual {
            var r = matrix(m, n, seed: 4)
            return { Kernels.linear(x, w, addingTo: &r) }
        }
        return { _ = Kernels.linear(x, w, activation: activation) }
    }
}

/// The GEMMs of all 12 encoder layers (width `d`, MLP `f`) on `m` rows, each layer with its own
/// weights (ViT-B/32 vision: 340 MB, text: 151 MB, ≫ L3): at batch 1 every weight comes from DRAM
/// once per forward, as in the real network, where the single-GEMM benchmarks run with their weights
/// warm in L3.
func encoderGEMMs(_ name: String, m: Int, d: Int = 768, f: Int = 3072) -> Benchmark {
    Benchmark(name: "\(name) [\(m)×\(d)], 12 layers' weights", flops: 12 * 2.0 * Double(m * d * (3 * d + d + f + f))) {
        let layers = (0..<12).map { l in
            (
                LinearWeights(weight: random(3 * d * d, seed: 20 + 4 * UInt64(l)), bias: random(3 * d, seed: 3), outFeatures: 3 * d, inFeatures: d),
                LinearWeights(weight: random(d * d, seed: 21 + 4 * UInt64(l)), bias: random(d, seed: 3), outFeatures: d, inFeatures: d),
                LinearWeights(weight: random(f * d, seed: 22 + 4 * UInt64(l)), bias: random(f, seed: 3), outFeatures: f, inFeatures: d),
                LinearWeights(weight: random(d * f, seed: 23 + 4 * UInt64(l)), bias: random(d, seed: 3), outFeatures: d, inFeatures: f)
            )
        }
        var x = matrix(m, d, seed: 1)
        return {
            for (qkv, out, fc1, fc2) in layers {
                let q = Kernels.linear(x, qkv)
                Kernels.linear(Matrix(rows: m, columns: d, values: Array(q.values[0..<(m * d)])), out, addingTo: &x)
                let h = Kernels.linear(x, fc1, activation: .quickGELU)
                Kernels.linear(h, fc2, addingTo: &x)
            }
        }
    }
}

func attention(_ name: String, batch: Int, seq: Int, heads: Int, causal: Bool) -> Benchmark {
    let hidden = heads * 64
    return Benchmark(
        name: "\(name) [\(batch)×\(seq), \(heads)×64\(causal ? ", causal" : "")]",
        flops: 4.0 * Double(batch * heads * seq * seq * 64)
    ) {
        let qkv = matrix(batch * seq, 3 * hidden, seed: 5)
        return { _ = Kernels.attention(qkv: qkv, batch: batch, sequenceLength: seq, heads: heads, causal: causal) }
    }
}

/// The probes: the peaks of the widest fp32 FMA (`peak.fma`), of each dot-product instruction this
/// CPU has, and the DRAM read bandwidth, on the threads of the run (`Kernels.probe`).
let probes: [Benchmark] =
    [
        Benchmark(name: "peak.fma (register-only loop, widest fp32 FMA)", flops: Kernels.probeFMA(iterations: 4_000_000)) {
            { _ = Kernels.probeFMA(iterations: 4_000_000) }
        }
    ]
    + [
        (Kernels.Probe.fmaYMM, "peak.fma-ymm (vfmadd231ps ymm)"), (.fmaZMM, "peak.fma-zmm (vfmadd231ps zmm)"),
        (.bf16ZMM, "peak.bf16 (vdpbf16ps zmm)"), (.vnniZMM, "peak.vnni (vpdpbusd zmm, GOP/s)")
    ].filter { $0.0.isAvailable }.map { probe, name in
        Benchmark(name: name, flops: Kernels.probe(probe, iterations: 4_000_000)) { { _ = Kernels.probe(probe, iterations: 4_000_000) } }
    } + [
        Benchmark(name: "peak.dram-read [512 MiB] (GB/s)", flops: 512 * 1_048_576) {
            let values = [Float](repeating: 1, count: 128 * 1_048_576)
            return { _ = values.withUnsafeBufferPointer { Kernels.probeSum($0) } }
        }
    ]

let benchmarks: [Benchmark] =
    probes + [
        linear("vision.attn.qkv", m: 50, k: 768, n: 2304),
        linear("vision.attn.out", m: 50, k: 768, n: 768, residual: true),
        linear("vision.mlp.fc1", m: 50, k: 768, n: 3072, activation: .quickGELU),
        linear("vision.mlp.fc2", m: 50, k: 3072, n: 768, residual: true),
        linear("vision.mlp.fc1.gelu", m: 50, k: 768, n: 3072, activation: .gelu),
        linear("b32.vision.attn.qkv", m: 1600, k: 768, n: 2304),
        linear("b32.vision.mlp.fc1", m: 1600, k: 768, n: 3072, activation: .quickGELU),
        linear("b32.vision.mlp.fc2", m: 1600, k: 3072, n: 768, residual: true)
    ]
    + Kernels.supportedPrecisions.filter { $0 != .float32 }.flatMap { precision in
        [
            linear("vision.attn.qkv", m: 50, k: 768, n: 2304, precision: precision),
            linear("vision.mlp.fc1", m: 50, k: 768, n: 3072, activation: .quickGELU, precision: precision),
            linear("vision.mlp.fc2", m: 50, k: 3072, n: 768, residual: true, precision: precision),
            linear("b32.vision.mlp.fc1", m: 1600, k: 768, n: 3072, activation: .quickGELU, precision: precision)
        ]
    } + [
        encoderGEMMs("vision.encoder.b1", m: 50),
        // The shape batch 32 runs on 2 threads: slices of 4 images, one thread each (BatchSlices).
        encoderGEMMs("vision.encoder.b4", m: 200),
        encoderGEMMs("vision.encoder.b8", m: 400),
        encoderGEMMs("text.encoder.b1", m: 8, d: 512, f: 2048),
        linear("text.attn.qkv", m: 8, k: 512, n: 1536),
        linear("text.mlp.fc1", m: 8, k: 512, n: 2048, activation: .quickGELU),
        linear("text.mlp.fc2", m: 8, k: 2048, n: 512, residual: true),
        linear("b32.text77.mlp.fc1", m: 2464, k: 512, n: 2048, activation: .quickGELU),
        attention("vision.attention", batch: 1, seq: 50, heads: 12, causal: false),
        attention("b32.vision.attention", batch: 32, seq: 50, heads: 12, causal: false),
        attention("b32.text77.attention", batch: 32, seq: 77, heads: 8, causal: true),
        Benchmark(name: "b32.vision.layer_norm [1600×768] (GB/s)", flops: 2.0 * 1600 * 768 * 4) {
            let x = matrix(1600, 768, seed: 6)
            let w = random(768, seed: 7), b = random(768, seed: 8)
            return { _ = Kernels.layerNorm(x, weight: w, bias: b, epsilon: 1e-5) }
        },
        Benchmark(name: "catalog.scan [1×512]·[100000×512]ᵀ (GB/s)", flops: 100_000 * 512 * 4) {
            let q = matrix(1, 512, seed: 9), catalog = matrix(100_000, 512, seed: 10)
            return { _ = Kernels.matmulTransposed(q, catalog) }
        },
        Benchmark(name: "catalog.batch [32×512]·[10000×512]ᵀ", flops: 2.0 * 32 * 10_000 * 512) {
            let q = matrix(32, 512, seed: 11), catalog = matrix(10_000, 512, seed: 12)
            return { _ = Kernels.matmulTransposed(q, catalog) }
        }
    ]

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

func processCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// Best and median wall-clock rate over `runs` timed batches of ~0.1 s each, and the rate per
/// CPU-second of the process over all of them.
func measure(_ body: () -> Void, flops: Double, runs: Int = 7) -> (best: Double, median: Double, perCPU: Double) {
    let clock = ContinuousClock()
    body()
    var repeats = 1
    while true {
        let t = seconds(clock.measure { for _ in 0..<repeats { body() } })
        if t > 0.05 || repeats > 1 << 20 {
            repeats = max(1, Int(Double(repeats) * 0.1 / max(t, 1e-9)))
            break
        }
        repeats *= 4
    }
    var rates: [Double] = []
    let cpu0 = processCPUSeconds()
    for _ in 0..<runs {
        let t = seconds(clock.measure { for _ in 0..<repeats { body() } })
        rates.append(flops * Double(repeats) / t / 1e9)
    }
    let cpu = processCPUSeconds() - cpu0
    rates.sort()
    return (rates.last!, rates[rates.count / 2], flops * Double(repeats * runs) / cpu / 1e9)
}

// --json: one JSON line per benchmark (for Scripts/bench/run.sh) instead of the table.
let json = CommandLine.arguments.contains("--json")
let filters = CommandLine.arguments.dropFirst().filter { $0 != "--json" }
func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s : s + String(repeating: " ", count: width - s.count) }
func format(_ v: Double) -> String {
    let r = (v * 10).rounded() / 10
    return pad(String(r), 7)
}

var load = [Double](repeating: 0, count: 3)
_ = getloadavg(&load, 3)
if !json {
    print("kernels: \(Kernels.instructionSet), default threads \(Kernels.defaultThreadCount)")
    print("load average \(load.map { String(($0 * 100).rounded() / 100) }.joined(separator: " ")) (other processes share the cores)")
    print(pad("benchmark", 52) + "1 thread: best / median / per-CPU-s    2 threads: best / median / per-CPU-s")
}
for b in benchmarks where filters.isEmpty || filters.contains(where: { b.name.contains($0) }) {
    let body = b.setUp()
    var line = pad(b.name, 52)
    var fields = ["\"impl\": \"ours-kernels\"", "\"workload\": \"\(b.name.split(separator: " ")[0])\"", "\"isa\": \"\(Kernels.instructionSet)\""]
    for threads in [1, 2] {
        Kernels.threadCount = threads
        let r = measure(body, flops: b.flops)
        line += format(r.best) + "/ " + format(r.median) + "/ " + format(r.perCPU) + "      "
        fields.append("\"best_\(threads)\": \(r.best), \"median_\(threads)\": \(r.median)")
    }
    print(json ? "{" + fields.joined(separator: ", ") + "}" : line)
}
