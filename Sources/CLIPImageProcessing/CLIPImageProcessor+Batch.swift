import Foundation
import TensorKernels

/// Many files at once, decoded and resized on the shared pool's threads (`Kernels.forEachSlice`).
extension CLIPImageProcessor {
    /// Decodes, resizes and centre-crops the files at `urls` concurrently; results are in input
    /// order. Throws the error of the first failing file (in input order).
    public func resizedAndCropped(filesAt urls: [URL]) throws -> [RGBImage] {
        try eachResizedAndCropped(filesAt: urls).map { try $0.get() }
    }

    /// `resizedAndCropped(filesAt:)` with each file's own outcome, in input order: a bad file fails
    /// alone.
    public func eachResizedAndCropped(filesAt urls: [URL]) -> [Result<RGBImage, any Error>] {
        let results = SliceResults<Result<RGBImage, any Error>>(count: urls.count)
        Kernels.forEachSlice(urls.count) { index in
            results.store(Result { try resizedAndCropped(decode(fileAt: urls[index])) }, at: index)
        }
        return results.values.map { $0! }
    }
}
