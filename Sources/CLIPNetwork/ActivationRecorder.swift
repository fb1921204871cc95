import TensorKernels

/// Collects named intermediate activations of a forward pass, for parity tests against transformers.
///
/// Names follow the reference modules: `text.embeddings`, `text.encoder.layers.{i}`,
/// `text.final_layer_norm`, `text.pooled`, `text.embeds`, `text.embeds_normalized`,
/// `vision.embeddings`, `vision.pre_layrnorm`, `vision.encoder.layers.{i}`, `vision.pooled`
/// (after `post_layernorm`), `vision.embeds`, `vision.embeds_normalized`, `logits_per_image`.
/// Values are matrices of the whole call: `[batch · tokens, hidden]` for per-token states,
/// `[batch, width]` for pooled ones. The towers take it as an optional and record through optional
/// chaining, so passing nil evaluates nothing.
package final class ActivationRecorder {
    /// Every recording in call order (a name recorded twice appears twice).
    package private(set) var entries: [(name: String, value: Matrix)] = []

    package init() {}

    /// Appends `value` under `name`.
    package func record(_ name: String, _ value: Matrix) {
        entries.append((name, value))
    }

    /// The latest value recorded under `name`.
    package subscript(name: String) -> Matrix? {
        entries.last { $0.name == name }?.value
    }

    /// Recorded names in first-recorded order, without repeats.
    package var names: [String] {
        var seen: Set<String> = []
        return entries.compactMap { seen.insert($0.name).inserted ? $0.name : nil }
    }
}
