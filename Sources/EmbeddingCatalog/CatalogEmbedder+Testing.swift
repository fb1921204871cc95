import Foundation

/// A stand-in model for tests and benchmarks: vectors are a pseudo-random function of the image bytes
/// or the text (so equal inputs give equal vectors), optionally slowed down per batch.
///
/// An image file whose bytes start with `BAD` fails with a decode error, as a broken JPEG would.
package struct DeterministicEmbedder: CatalogEmbedder {
    package let modelIdentifier: String
    package let dimension: Int
    /// Sleep per `embedImages` / `embedTexts` call, to make indexing slow enough to interrupt.
    package var delayPerBatch: Duration

    package struct DecodeError: Error, LocalizedError {
        package init() {}
        package var errorDescription: String? { "not an image (starts with BAD)" }
    }

    package init(modelIdentifier: String = "test-model", dimension: Int = 16, delayPerBatch: Duration = .zero) {
        self.modelIdentifier = modelIdentifier
        self.dimension = dimension
        self.delayPerBatch = delayPerBatch
    }

    package func embedImages(_ urls: [URL]) async throws -> [Result<[Float], Error>] {
        if delayPerBatch > .zero { try await Task.sleep(for: delayPerBatch) }
        return urls.map { url in
            Result {
                let data = try Data(contentsOf: url)
                if data.starts(with: Array("BAD".utf8)) { throw DecodeError() }
                return vector(seed: ContentHash.of(bytes: data))
            }
        }
    }

    package func embedTexts(_ texts: [String]) async throws -> [[Float]] {
        if delayPerBatch > .zero { try await Task.sleep(for: delayPerBatch) }
        return texts.map { vector(seed: ContentHash.of(text: $0) ^ 0x5151) }
    }

    /// The (unnormalised) vector for `seed`: splitmix64 draws mapped to -1 … 1.
    package func vector(seed: UInt64) -> [Float] {
        var state = seed
        return (0..<dimension).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return Float(Double(z >> 11) / Double(1 << 53) * 2 - 1)
        }
    }
}

/// A stand-in model whose image vector is the text vector of the text written inside the "image"
/// file, so search and evaluation outcomes are known in advance (a file "a photo of a dress" is
/// classified as "dress"). A file starting with `BAD` fails to decode.
package struct EchoEmbedder: CatalogEmbedder {
    let base = DeterministicEmbedder(dimension: 24)
    package var modelIdentifier: String { "echo" }
    package var dimension: Int { 24 }

    package init() {}

    package func embedImages(_ urls: [URL]) async throws -> [Result<[Float], Error>] {
        var out: [Result<[Float], Error>] = []
        for url in urls {
            let text = String(decoding: (try? Data(contentsOf: url)) ?? Data("BAD".utf8), as: UTF8.self)
            if text.hasPrefix("BAD") {
                out.append(.failure(DeterministicEmbedder.DecodeError()))
                continue
            }
            out.append(.success(try await base.embedTexts([text])[0]))
        }
        return out
    }

    package func embedTexts(_ texts: [String]) async throws -> [[Float]] { try await base.embedTexts(texts) }
}
