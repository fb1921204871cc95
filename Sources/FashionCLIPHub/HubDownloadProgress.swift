import Foundation

/// A progress report from `HubDownloader`, sent after every received chunk and at each file boundary.
///
/// Bytes of files already in the cache count as done as soon as they are checked, so `overallBytes`
/// reaches `overallTotal` at the end of every successful download.
public struct HubDownloadProgress: Sendable, Equatable {
    /// What is happening to `file`.
    public enum Phase: Sendable, Equatable {
        /// Receiving bytes (possibly resuming from a partial file).
        case downloading
        /// The blob was already in the cache; nothing is transferred.
        case cached
        /// The file is complete, verified and linked into the snapshot.
        case finished
    }

    /// Repo-relative path, e.g. `model.safetensors` or `onnx/model.onnx`.
    public let file: String
    public let phase: Phase
    /// 0-based index of `file` among `fileCount` selected files.
    public let fileIndex: Int
    public let fileCount: Int
    /// Bytes of `file` on disk so far (including a resumed prefix).
    public let fileBytes: Int64
    /// Size of `file` announced by the Hub, nil if unknown.
    public let fileTotal: Int64?
    /// Bytes of all selected files done so far.
    public let overallBytes: Int64
    /// Size of all selected files, nil if any size is unknown.
    public let overallTotal: Int64?
}
