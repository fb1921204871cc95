// Opt-in benchmark of the catalog scan: exact fp32 top-10 and int8 compressed top-10 (re-ranked) over a
// random [rows, dim] matrix of unit vectors, against the memory-bandwidth bound of reading the matrix.
// Usage: swift run -c release catalog-benchmarks [rows=1000000] [dim=512] [queries=20]
//        swift run -c release catalog-benchmarks store [rows=100000]   (SQLite write and open times)
//        swift run -c release catalog-benchmarks hnsw URL [rows=200000] [dim=512] [queries=200]
//          (PostgreSQL: ingest, HNSW build, latency and recall; URL from Scripts/postgres.sh start)
import EmbeddingCatalog
import Foundation
import TensorKernels

if CommandLine.arguments.dropFirst().first == "hnsw", CommandLine.arguments.count > 2 {
    let numbers = CommandLine.arguments.dropFirst(3).compactMap { Int($0) }
    try hnswBenchmark(
        url: CommandLine.arguments[2], rows: numbers.first ?? 200_000, dim: numbers.count > 1 ? numbers[1] : 512,
        queries: numbers.count > 2 ? numbers[2] : 200)
    exit(0)
}

if CommandLine.arguments.dropFirst().first == "store" {
    try storeBenchmark(rows: CommandLine.arguments.dropFirst(2).first.flatMap { Int($0) } ?? 100_000)
    exit(0)
}

let args = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let rows = args.count > 0 ? args[0] : 1_000_000
let dim = args.count > 1 ? args[1] : 512
let queries = args.count > 2 ? args[2] : 20
let boundGBps = 33.0  // PERFORMANCE.md: DRAM read, 2 threads

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// Unit rows from splitmix64 noise (uniform components, then normalised).
func randomUnitRows(_ n: Int, _ d: Int, seed: UInt64) -> [Float] {
    var out = [Float](repeating: 0, count: n * d)
    out.withUnsafeMutableBufferPointer { buffer in
        nonisolated(unsafe) let buf = buffer  // each part writes its own rows
        DispatchQueue.concurrentPerform(iterations: 16) { part in
            var state = seed &+ UInt64(part) &* 0x1234_5678_9ABC
            for r in (n * part / 16)..<(n * (part + 1) / 16) {
                var norm: Float = 0
                for j in 0..<d {
                    state &+= 0x9E37_79B9_7F4A_7C15
                    var z = state
                    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                    z ^= z >> 31
                    let x = Float(Double(z >> 40) / Double(1 << 24) * 2 - 1)
                    buf[r * d + j] = x
                    norm += x * x
                }
                let inv = 1 / norm.squareRoot()
                for j in 0..<d { buf[r * d + j] *= inv }
            }
        }
    }
    return out
}

print(
    "catalog scan benchmark: [\(rows) × \(dim)] fp32 = \(String(format: "%.2f", Double(rows * dim * 4) / 1e9)) GB, "
        + "\(queries) queries, top-10, kernels: \(CatalogSearcher.kernelISA), "
        + "\(ProcessInfo.processInfo.activeProcessorCount) processors")
var t0 = now()
let matrix = randomUnitRows(rows, dim, seed: 42)
let snapshot = CatalogSnapshot(
    identity: StoreIdentity(model: "bench", dimension: dim),
    ids: (0..<rows).map { String(format: "%08d", $0) }, imageVectors: matrix, textVectors: [],
    hasText: [Bool](repeating: false, count: rows), texts: [String?](repeating: nil, count: rows),
    metadata: [Metadata](repeating: [:], count: rows))
print(String(format: "setup: %.1f s", now() - t0))
t0 = now()
let searcher = CatalogSearcher(snapshot: snapshot, compressed: true)
print(String(format: "int8 quantisation: %.2f s", now() - t0))
let queryVectors = randomUnitRows(queries, dim, seed: 7)

func measure(_ mode: ScanMode) throws -> (best: Double, median: Double, results: [[String]]) {
    var times: [Double] = []
    var results: [[String]] = []
    for q in 0..<queries {
        let query = Array(queryVectors[q * dim..<(q + 1) * dim])
        let start = now()
        let hits = try searcher.search(vector: query, options: SearchOptions(topK: 10, mode: mode))
        times.append(now() - start)
        results.append(hits.map(\.id))
    }
    times.sort()
    return (times[0], times[times.count / 2], results)
}

_ = try measure(.exact)  // warm-up
var streams: [Double] = []
for _ in 0..<5 { streams.append(RowScan.streamReadSeconds(matrix)) }
streams.sort()
let exact = try measure(.exact)
for _ in 0..<5 { streams.append(RowScan.streamReadSeconds(matrix)) }
streams.sort()
let stream = streams[streams.count / 2]
let compressed = try measure(.compressed())
var found = 0
for (e, c) in zip(exact.results, compressed.results) { found += Set(e).intersection(c).count }
let fp32Bytes = Double(rows * dim * 4), int8Bytes = Double(rows * dim)
let boundSeconds = fp32Bytes / (boundGBps * 1e9)
print(
    String(
        format: "peer, plain stream read on the pool of the fp32 matrix: median %7.2f ms, %5.1f GB/s (this run's achievable bandwidth)",
        stream * 1e3, fp32Bytes / stream / 1e9))
print(String(format: "exact fp32 top-10 / stream read: %.2f×", exact.median / stream))
print(
    String(
        format: "exact fp32 top-10:      median %7.2f ms, best %7.2f ms, %5.1f GB/s; bound %.2f ms → %.2f× the bound",
        exact.median * 1e3, exact.best * 1e3, fp32Bytes / exact.median / 1e9, boundSeconds * 1e3, exact.median / boundSeconds))
print(
    String(
        format: "int8 + re-rank top-10:  median %7.2f ms, best %7.2f ms, %5.1f GB/s of int8; %.2f× faster than exact",
        compressed.median * 1e3, compressed.best * 1e3, int8Bytes / compressed.median / 1e9, exact.median / compressed.median))
print(String(format: "recall@10 of int8 + re-rank vs exact: %.4f (%d/%d)", Double(found) / Double(10 * queries), found, 10 * queries))
