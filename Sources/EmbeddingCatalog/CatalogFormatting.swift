import Foundation

extension IndexProgress {
    /// One status line for a progress bar: `[#####-----]  120/1000  12.0 rows/s  ETA 1m13s  2 failed`.
    public func formatted(barWidth: Int = 30) -> String {
        let fraction = total == 0 ? 1 : Double(completed) / Double(total)
        let filled = Int((fraction * Double(barWidth)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: max(0, barWidth - filled))
        let eta = estimatedRemaining.map(Self.duration) ?? "--"
        let verb = phase == .fingerprinting ? "checked" : "indexed"
        var line = "[\(bar)] \(completed)/\(total) \(verb)  \(String(format: "%.1f", rate)) rows/s  ETA \(eta)"
        if failed > 0 { line += "  \(failed) failed" }
        return line
    }

    /// `45s`, `3m07s`, `2h05m`.
    package static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" + String(format: "%02d", s % 60) + "s" }
        return "\(s / 3600)h" + String(format: "%02d", (s % 3600) / 60) + "m"
    }
}

extension SearchResponse {
    /// A plain-text listing: rank, score, id, then `key=value` metadata sorted by key.
    public func table() -> String {
        results.enumerated().map { rank, r in
            let meta = r.metadata.keys.sorted().map { "\($0)=\(r.metadata[$0]!)" }.joined(separator: "  ")
            return String(format: "%3d  %.4f  ", rank + 1, r.score) + r.id + (meta.isEmpty ? "" : "  " + meta)
        }.joined(separator: "\n")
    }
}
