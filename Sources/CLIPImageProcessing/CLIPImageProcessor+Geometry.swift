/// Sizes and crop windows, mirroring transformers 5.23 `image_transforms.get_resize_output_image_size`
/// and `center_crop`.
extension CLIPImageProcessor {
    /// The size after `resize`: shortest edge to `n`, long edge `int(n * long / short)` (truncation
    /// of the double quotient, as Python's `int(...)`).
    func resizedSize(width: Int, height: Int) -> (height: Int, width: Int) {
        switch configuration.resize {
        case nil:
            return (height, width)
        case .exact(let h, let w):
            return (h, w)
        case .shortestEdge(let size):
            let (short, long) = width <= height ? (width, height) : (height, width)
            let newLong = Int(Double(size * long) / Double(short))
            return width <= height ? (newLong, size) : (size, newLong)
        }
    }

    /// One axis of `center_crop`: which resized indices are kept and at which offset they land.
    /// A longer axis keeps `[(length − crop) // 2, + crop)`; a shorter one is kept whole and
    /// placed at `ceil((crop − length) / 2)` in a zero-filled output.
    static func cropAxis(length: Int, crop: Int) -> (source: Range<Int>, offset: Int) {
        if length >= crop {
            let start = (length - crop) / 2
            return (start..<start + crop, 0)
        }
        return (0..<length, (crop - length + 1) / 2)
    }
}
