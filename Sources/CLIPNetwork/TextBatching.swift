/// How the text tower batches sequences of different lengths. Both give the reference's pooled
/// output, because attention is causal: no token after the pooled one can change it.
public enum TextBatching: Sendable, Equatable, CaseIterable {
    /// Each sequence runs at its own full length, unpadded; sequences of equal length share a batch.
    /// The literal reading of `CLIPTextModel.forward` on one unpadded sequence.
    case exactLength
    /// Each sequence is cut after its pooled position (dropping any padding the caller added), padded
    /// to the longest of the call, and all run as one batch: fewer, larger matrix products for
    /// batches of mixed lengths.
    case padded
}
