/// Conversion to RGB, mirroring transformers 5.23 `image_transforms.convert_to_rgb` on a PIL image:
/// with transparency, `image.convert("RGBA")` then `Image.alpha_composite(white, image).convert("RGB")`;
/// without, Pillow's `image.convert("RGB")` (libImaging/Convert.c). Every formula below was checked
/// exhaustively against Pillow 13 (all 65,536 sample pairs).
extension DecodedImage {
    /// The RGB image the reference processor sees (`alpha: .compositeOnWhite`), or transformers 4.x's
    /// plain `convert("RGB")` (`alpha: .drop`).
    func rgbImage(alpha: ImageDecodingOptions.AlphaHandling) -> RGBImage {
        let count = width * height
        if mode == .rgb && (alpha == .drop || !hasTransparency) {
            return RGBImage(width: width, height: height, pixels: samples)
        }
        var out = [UInt8](repeating: 0, count: count * 3)
        if alpha == .compositeOnWhite && hasTransparency {
            let rgba = rgbaSamples()
            let table = AlphaComposite.onWhite
            for i in 0..<count {
                let a = Int(rgba[4 * i + 3]) << 8
                out[3 * i] = table[a | Int(rgba[4 * i])]
                out[3 * i + 1] = table[a | Int(rgba[4 * i + 1])]
                out[3 * i + 2] = table[a | Int(rgba[4 * i + 2])]
            }
            return RGBImage(width: width, height: height, pixels: out)
        }
        switch mode {
        case .rgb:
            break  // returned above
        case .bilevel, .gray:
            for i in 0..<count {
                let v = samples[i]
                out[3 * i] = v
                out[3 * i + 1] = v
                out[3 * i + 2] = v
            }
        case .grayAlpha:
            for i in 0..<count {
                let v = samples[2 * i]
                out[3 * i] = v
                out[3 * i + 1] = v
                out[3 * i + 2] = v
            }
        case .rgba:
            for i in 0..<count { for c in 0..<3 { out[3 * i + c] = samples[4 * i + c] } }
        case .gray16:
            // Pillow's I;16 → RGB clips at 255 (it does not scale).
            for i in 0..<count {
                let v = UInt8(min(wideSamples[i], 255))
                out[3 * i] = v
                out[3 * i + 1] = v
                out[3 * i + 2] = v
            }
        case .palette:
            for i in 0..<count {
                let entry = Int(samples[i]) * 3
                out[3 * i] = palette[entry]
                out[3 * i + 1] = palette[entry + 1]
                out[3 * i + 2] = palette[entry + 2]
            }
        case .cmyk:
            // Convert.c cmyk2rgb: nk = 255 - k; channel = clip8(nk - MULDIV255(c, nk)).
            for i in 0..<count {
                let nk = 255 - Int(samples[4 * i + 3])
                for c in 0..<3 {
                    let t = Int(samples[4 * i + c]) * nk + 128
                    let product = ((t >> 8) + t) >> 8
                    out[3 * i + c] = UInt8(clamping: nk - product)
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }

    /// Pillow's `convert("RGBA")`, `[height, width, 4]`. A tRNS colour is compared with the low byte
    /// of each stored value (Pillow casts it to 8 bits; for "1" any non-zero value means white).
    func rgbaSamples() -> [UInt8] {
        let count = width * height
        var out = [UInt8](repeating: 255, count: count * 4)
        switch mode {
        case .rgba:
            return samples
        case .grayAlpha:
            for i in 0..<count {
                let v = samples[2 * i]
                out[4 * i] = v
                out[4 * i + 1] = v
                out[4 * i + 2] = v
                out[4 * i + 3] = samples[2 * i + 1]
            }
        case .palette:
            let alpha = paletteAlpha ?? [UInt8](repeating: 255, count: 256)
            for i in 0..<count {
                let index = Int(samples[i])
                out[4 * i] = palette[3 * index]
                out[4 * i + 1] = palette[3 * index + 1]
                out[4 * i + 2] = palette[3 * index + 2]
                out[4 * i + 3] = alpha[index]
            }
        case .bilevel, .gray, .gray16:
            let key: UInt8? = transparentColor.map {
                mode == .bilevel ? ($0[0] != 0 ? 255 : 0) : UInt8(truncatingIfNeeded: $0[0])
            }
            for i in 0..<count {
                let v = mode == .gray16 ? UInt8(min(wideSamples[i], 255)) : samples[i]
                out[4 * i] = v
                out[4 * i + 1] = v
                out[4 * i + 2] = v
                if v == key { out[4 * i + 3] = 0 }
            }
        case .rgb:
            let key = transparentColor.map { $0.map { UInt8(truncatingIfNeeded: $0) } }
            for i in 0..<count {
                let r = samples[3 * i], g = samples[3 * i + 1], b = samples[3 * i + 2]
                out[4 * i] = r
                out[4 * i + 1] = g
                out[4 * i + 2] = b
                if let key, r == key[0], g == key[1], b == key[2] { out[4 * i + 3] = 0 }
            }
        case .cmyk:
            let rgb = rgbImage(alpha: .drop).pixels
            for i in 0..<count { for c in 0..<3 { out[4 * i + c] = rgb[3 * i + c] } }
        }
        return out
    }
}
