// image-benchmarks: per-image time of decode, resize + crop, and the whole CLIP preprocessing, on one
// thread, in thread CPU time (robust on shared machines: time spent waiting for a core is not
// counted). Prints one JSON object per file (ms per image, best of several rounds) for
// Scripts/bench/image_peer.py, which runs Pillow + CLIPImageProcessorPil on the same files.
//
// Usage: image-benchmarks [--config preprocessor_config.json] [--seconds 1.0] FILE...
import CLIPImageProcessing
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// CPU time of the calling thread in nanoseconds.
func threadNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

func milliseconds(_ seconds: Double, _ body: () throws -> Void) rethrows -> Double {
    var best = Double.infinity
    let deadline = Date().addingTimeInterval(seconds)
    var rounds = 0
    repeat {
        let start = threadNanoseconds()
        var iterations = 0
        repeat {
            try body()
            iterations += 1
        } while threadNanoseconds() - start < 20_000_000
        let elapsed = Double(threadNanoseconds() - start) / 1e6
        best = min(best, elapsed / Double(iterations))
        rounds += 1
    } while Date() < deadline || rounds < 3
    return best
}

var arguments = Array(CommandLine.arguments.dropFirst())
var configuration = ImageProcessorConfiguration()
var seconds = 1.0
var only: String?
while let flag = arguments.first, flag.hasPrefix("--") {
    arguments.removeFirst()
    guard let value = arguments.first else { fatalError("\(flag) needs a value") }
    arguments.removeFirst()
    switch flag {
    case "--config": configuration = try ImageProcessorConfiguration(contentsOf: URL(fileURLWithPath: value))
    case "--seconds": seconds = Double(value) ?? 1.0
    case "--only": only = value  // decode | resize | preprocess | total (for profiling one step)
    default: fatalError("unknown option \(flag)")
    }
}
let processor = CLIPImageProcessor(configuration: configuration)
for path in arguments {
    let url = URL(fileURLWithPath: path)
    let data = try Data(contentsOf: url)
    let image = try processor.decode(data: data, source: path)
    func step(_ name: String, _ body: () throws -> Void) rethrows -> Double {
        only == nil || only == name ? try milliseconds(seconds, body) : .nan
    }
    let decode = try step("decode") { _ = try processor.decode(data: data, source: path) }
    let resize = step("resize") { _ = processor.resizedAndCropped(image) }
    let preprocess = step("preprocess") { _ = processor.preprocess(image) }
    let total = try step("total") { _ = processor.preprocess(try processor.decode(data: data, source: path)) }
    print(
        #"{"file": "\#(url.lastPathComponent)", "width": \#(image.width), "height": \#(image.height), "#
            + #""decode_ms": \#(decode), "resize_crop_ms": \#(resize), "preprocess_ms": \#(preprocess), "total_ms": \#(total)}"#)
}
