// Opt-in benchmark (FASHIONCLIP_BENCHMARKS=1 swift run -c release tokenizer-benchmarks --model DIR --titles FILE):
// texts/s of CLIPTokenizer on product titles — cold (first pass, empty piece cache), warm single-text
// `encode`, and `encodeBatch` — printed as one JSON object for Scripts/bench/tokenizer_peer.py.
import CLIPTokenization
import Foundation

func argument(_ name: String) -> String? {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}

guard let model = argument("--model"), let titlesPath = argument("--titles") else {
    FileHandle.standardError.write(Data("usage: tokenizer-benchmarks --model DIR --titles FILE [--seconds S]\n".utf8))
    exit(2)
}
let seconds = Double(argument("--seconds") ?? "1") ?? 1
let clock = ContinuousClock()

func secondsOf(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

var tokenizer: CLIPTokenizer!
let load = clock.measure { tokenizer = try! CLIPTokenizer(folder: URL(fileURLWithPath: model)) }
let titles = try UTF8Lines.split(Data(contentsOf: URL(fileURLWithPath: titlesPath)), source: titlesPath)

var checksum = 0
let cold = clock.measure { for title in titles { checksum &+= tokenizer.encode(title).count } }

/// Best texts/s over repeated passes for `seconds`.
@MainActor func rate(_ pass: () -> Int) -> Double {
    var best = 0.0
    let start = clock.now
    repeat {
        let elapsed = clock.measure { checksum &+= pass() }
        best = max(best, Double(titles.count) / secondsOf(elapsed))
    } while secondsOf(clock.now - start) < seconds
    return best
}

let single = rate { titles.reduce(0) { $0 + tokenizer.encode($1).count } }
let batch = rate { tokenizer.encodeBatch(titles, padding: .longest).ids.count }
let cpus = ProcessInfo.processInfo.activeProcessorCount
print(
    """
    {"texts": \(titles.count), "load_s": \(secondsOf(load)), "cold_texts_per_s": \(Double(titles.count) / secondsOf(cold)), \
    "single_texts_per_s": \(single), "batch_texts_per_s": \(batch), "cpus": \(cpus), "checksum": \(checksum % 1000)}
    """)
