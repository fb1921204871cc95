import CImageCodecs

/// An image as its file stores it, before conversion to RGB: the counterpart of a Pillow image
/// right after `Image.open(...).load()` (its `mode` and `info["transparency"]`).
struct DecodedImage: Sendable {
    /// Pillow's image modes that the decoders produce.
    enum Mode: Sendable, Equatable {
        case bilevel  // "1", samples 0 or 255
        case gray  // "L"
        case grayAlpha  // "LA"
        case rgb  // "RGB"
        case rgba  // "RGBA"
        case cmyk  // "CMYK", already inverted as Pillow's "CMYK;I" raw mode does
        case gray16  // "I;16", in `wideSamples`
        case palette  // "P", indices into `palette`
    }

    var mode: Mode
    var width: Int
    var height: Int
    /// Interleaved 8-bit samples, `[height, width, channels]` (empty for `.gray16`).
    var samples: [UInt8]
    /// `.gray16` samples, `[height, width]`.
    var wideSamples: [UInt16] = []
    /// `.palette`: 256 RGB entries (entries the file does not define are black).
    var palette: [UInt8] = []
    /// `.palette`: the tRNS alpha of each of the 256 entries (255 past the tRNS list), or nil without tRNS.
    var paletteAlpha: [UInt8]?
    /// PNG tRNS colour of a grey, bilevel or RGB image as stored (`info["transparency"]`).
    var transparentColor: [UInt16]?
    /// The TIFF-structured EXIF block, when asked for and present.
    var exif: [UInt8]?

    /// Whether transformers' `convert_to_rgb` sees transparency: an "A" band or `info["transparency"]`.
    var hasTransparency: Bool {
        switch mode {
        case .grayAlpha, .rgba: return true
        case .palette: return paletteAlpha != nil
        case .bilevel, .gray, .gray16, .rgb: return transparentColor != nil
        case .cmyk: return false
        }
    }
}

extension DecodedImage {
    /// Wraps the pixels `cic_read` wrote, with what `cic_open` learned from the headers.
    init(_ info: cic_image, samples: [UInt8], wideSamples: [UInt16]) {
        width = Int(info.width)
        height = Int(info.height)
        self.samples = samples
        self.wideSamples = wideSamples
        switch Int32(info.layout) {
        case Int32(CIC_LAYOUT_BILEVEL): mode = .bilevel
        case Int32(CIC_LAYOUT_GRAY8): mode = .gray
        case Int32(CIC_LAYOUT_GRAYALPHA8): mode = .grayAlpha
        case Int32(CIC_LAYOUT_RGB8): mode = .rgb
        case Int32(CIC_LAYOUT_RGBA8): mode = .rgba
        case Int32(CIC_LAYOUT_CMYK8): mode = .cmyk
        case Int32(CIC_LAYOUT_GRAY16): mode = .gray16
        default: mode = .palette
        }
        if mode == .palette {
            var entries = [UInt8](repeating: 0, count: 256 * 3)
            withUnsafeBytes(of: info.palette) { raw in
                for i in 0..<(Int(info.palette_count) * 3) { entries[i] = raw[i] }
            }
            palette = entries
            if info.palette_alpha_count > 0 {
                var alpha = [UInt8](repeating: 255, count: 256)
                withUnsafeBytes(of: info.palette_alpha) { raw in
                    for i in 0..<Int(info.palette_alpha_count) { alpha[i] = raw[i] }
                }
                paletteAlpha = alpha
            }
        }
        if info.has_transparent_color != 0 {
            let c = info.transparent_color
            transparentColor = mode == .rgb ? [c.0, c.1, c.2] : [c.0]
        }
        if let exif = info.exif, info.exif_bytes > 0 {
            self.exif = Array(UnsafeBufferPointer(start: exif, count: info.exif_bytes))
        }
    }
}
