// image-benchmarks: per-image time of decode, resize + crop, and the whole CLIP preprocessing, on one
// thread. Prints one JSON object per file (ms per image, best of several rounds) for
// Scripts/bench/image_peer.py, which runs Pillow + CLIPImageProcessorPil on the same files.
//
// Usage: image-benchmarks [--config preprocessor_config.json] [--seconds 1.0] FILE...
import CLIPImageProcessing
import Foundation

func milliseconds(_ seconds: Double, _ body: () throws -> Void) rethrows -> Double {
    var best = Double.infinity
    let deadline = Date().addingTimeInterval(seconds)
    var rounds = 0
    repeat {
        let start = DispatchTime.now().uptimeNanoseconds
        var iterations = 0
        repeat {
            try body()
            iterations += 1
        } while DispatchTime.now().uptimeNanoseconds - start < 20_000_000
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        best = min(best, elapsed / Double(iterations))
        rounds += 1
    } while Date() < deadline || rounds < 3
    return best
}

var arguments = Array(CommandLine.arguments.dropFirst())
var configuration = ImageProcessorConfiguration()
var seconds = 1.0
while let flag = arguments.first, flag.hasPrefix("--") {
    arguments.removeFirst()
    guard let value = arguments.first else { fatalError("\(flag) needs a value") }
    arguments.removeFirst()
    switch flag {
    case "--config": configuration = try ImageProcessorConfiguration(contentsOf: URL(fileURLWithPath: value))
    case "--seconds": seconds = Double(value) ?? 1.0
    default: fatalError("unknown option \(flag)")
    }
}
let processor = CLIPImageProcessor(configuration: configuration)
for path in arguments {
    let url = URL(fileURLWithPath: path)
    let data = try Data(contentsOf: url)
    let image = try processor.decode(data: data, source: path)
    let decode = try milliseconds(seconds) { _ = try processor.decode(data: data, source: path) }
    let resize = milliseconds(seconds) { _ = processor.resizedAndCropped(image) }
    let preprocess = milliseconds(seconds) { _ = processor.preprocess(image) }
    let total = try milliseconds(seconds) { _ = processor.preprocess(try processor.decode(data: data, source: path)) }
    print(#"{"file": "\#(url.lastPathComponent)", "width": \#(image.width), "height": \#(image.height), "#
          + #""decode_ms": \#(decode), "resize_crop_ms": \#(resize), "preprocess_ms": \#(preprocess), "total_ms": \#(total)}"#)
}
