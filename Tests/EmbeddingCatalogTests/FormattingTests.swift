import EmbeddingCatalog
import Foundation
import Testing

@Suite struct FormattingTests {
    @Test func progressLine() {
        let p = IndexProgress(completed: 50, total: 200, failed: 2, elapsed: 10)
        #expect(p.formatted(barWidth: 8) == "[##------] 50/200 indexed  5.0 rows/s  ETA 30s  2 failed")
        #expect(IndexProgress.duration(187) == "3m07s" && IndexProgress.duration(7500) == "2h05m")
    }

    @Test func resultTable() {
        let response = SearchResponse(results: [SearchResult(id: "a", score: 0.5, metadata: ["price": .number(9), "brand": .string("X")])])
        #expect(response.table() == "  1  0.5000  a  brand=X  price=9")
    }
}
