import EmbeddingCatalog
import Foundation
import PostgresCatalog

/// `catalog-benchmarks hnsw URL [rows] [dim] [queries]`: a PostgreSQL store of `rows` clustered unit
/// vectors (1 000 random centres, each row a centre plus noise of half its norm: embeddings cluster,
/// uniform noise is the worst case the tests cover; `group`, the filtered key, independent of the
/// cluster, 10 % of the rows each), ingest rate, HNSW build time, then top-10
/// latency p50/p99 and recall@10 through the index at several ef_search, unfiltered and with a
/// 10 %-selective filter, against the in-process exact scan of the same rows. Leaves its tables
/// (`bench_…`) in the database: run it on a throwaway server (`Scripts/postgres.sh`).
func hnswBenchmark(url: String, rows: Int, dim: Int, queries: Int) throws {
    var location = try PostgresLocation(parsing: url)
    location.table = "bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
    let store = try PostgresVectorStore(address: location, identity: StoreIdentity(model: "bench", dimension: dim))
    let centres = randomUnitRows(1000, dim, seed: 11)
    let noise = randomUnitRows(rows + queries, dim, seed: 12)
    func row(_ i: Int) -> [Float] {
        let c = (i &* 2_654_435_761) % 1000
        let v = (0..<dim).map { centres[c * dim + $0] + 0.5 * noise[i * dim + $0] }
        let norm = v.map { $0 * $0 }.reduce(0, +).squareRoot()
        return v.map { $0 / norm }
    }
    var start = now()
    for batch in stride(from: 0, to: rows, by: 2000) {
        let updates = (batch..<min(batch + 2000, rows)).map { i in
            ItemUpdate(
                id: String(format: "p%07d", i), fingerprint: RowFingerprint(image: UInt64(i), text: nil, metadata: 0), text: nil,
                metadata: ["group": .string(String(i / 1000 % 10))], imageVector: row(i), textVector: .remove)
        }
        try store.commit(updates: updates, deletions: [])
    }
    let ingest = now() - start
    say(String(format: "hnsw: %d × %d into %@: ingest %.1f s (%.0f rows/s)", rows, dim, location.description, ingest, Double(rows) / ingest))
    start = now()
    try store.createHNSWIndex(HNSWParameters())
    let build = now() - start
    say(String(format: "hnsw: index (m 16, ef_construction 64) built in %.1f s", build))
    start = now()
    let snapshot = try store.loadSnapshot()
    let open = now() - start
    say(String(format: "hnsw: the store read into a snapshot (what serve and search --exact load) in %.2f s (%.0f rows/s)", open, Double(rows) / open))
    let exact = CatalogSearcher(snapshot: snapshot)
    let queryVectors = (0..<queries).map { row(rows + $0) }
    for filters in [[], [MetadataFilter(key: "group", op: .equal, value: "3")]] {
        let options = SearchOptions(filters: filters, topK: 10)
        var exactTimes: [Double] = []
        let truth = try queryVectors.map { q -> Set<String> in
            let t = now()
            let hits = try exact.search(vector: q, options: options)
            exactTimes.append(now() - t)
            return Set(hits.map(\.id))
        }
        say(
            String(
                format: "hnsw: exact in-process scan %@: p50 %.2f ms, p99 %.2f ms", "\(filters)", percentile(exactTimes, 0.5) * 1e3,
                percentile(exactTimes, 0.99) * 1e3))
        for ef in [40, 100, 200, 400, 800] {
            let searcher = try store.approximateSearcher(efSearch: ef)!
            var times: [Double] = []
            var found = 0
            for (q, expected) in zip(queryVectors, truth) {
                let t = now()
                let hits = try searcher.approximateSearch(vector: q, options: options, excluding: []) ?? exact.search(vector: q, options: options)
                times.append(now() - t)
                found += expected.intersection(hits.map(\.id)).count
            }
            let recall = Double(found) / Double(10 * queries)
            say(
                String(
                    format: "hnsw: ef_search %4d %@: recall@10 %.3f, p50 %.2f ms, p99 %.2f ms", ef, "\(filters)", recall,
                    percentile(times, 0.5) * 1e3, percentile(times, 0.99) * 1e3))
            say(
                "{\"bench\":\"hnsw\",\"rows\":\(rows),\"dim\":\(dim),\"ef_search\":\(ef),\"filtered\":\(!filters.isEmpty),"
                    + "\"recall\":\(recall),\"p50_ms\":\(percentile(times, 0.5) * 1e3),\"p99_ms\":\(percentile(times, 0.99) * 1e3),"
                    + "\"build_s\":\(build),\"ingest_rows_per_s\":\(Double(rows) / ingest),\"open_s\":\(open)}")
        }
    }
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

/// A line on stdout at once (print buffers when stdout is a file: a long run shows its progress).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
