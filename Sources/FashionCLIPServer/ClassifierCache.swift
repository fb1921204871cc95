import FashionCLIP

/// Zero-shot classifiers by label set and templates, the most recently used kept.
///
/// A classifier embeds every `template × label` prompt when it is built; a client that classifies
/// image after image against the same labels (the search page, a tagging job) would otherwise pay
/// for those text embeddings on every request. The cache holds at most `capacity` classifiers
/// (each is `labels × dimension` floats) and forgets the least recently used first.
package actor ClassifierCache {
    private struct Key: Hashable {
        let labels: [String]
        let templates: [String]
    }

    private let capacity: Int
    private var classifiers: [Key: ZeroShotClassifier] = [:]
    /// Keys, least recently used first.
    private var order: [Key] = []

    package init(capacity: Int = 32) {
        precondition(capacity >= 1, "ClassifierCache: capacity \(capacity)")
        self.capacity = capacity
    }

    /// Classifiers held now.
    package var count: Int { classifiers.count }

    /// The classifier for `labels` and `templates`, built with `build` (off this actor, e.g. through
    /// the compute gate) when it is not held. Two requests that miss together both build it; the
    /// results are equal, and the second one stored wins.
    package func classifier(
        labels: [String], templates: [String],
        build: @Sendable () async throws -> ZeroShotClassifier
    ) async throws -> ZeroShotClassifier {
        let key = Key(labels: labels, templates: templates)
        if let held = classifiers[key] {
            touch(key)
            return held
        }
        let built = try await build()
        if classifiers.updateValue(built, forKey: key) == nil, classifiers.count > capacity {
            classifiers[order.removeFirst()] = nil
        }
        touch(key)
        return built
    }

    private func touch(_ key: Key) {
        order.removeAll { $0 == key }
        order.append(key)
    }
}
