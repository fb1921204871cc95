/// Pillow's `Image.alpha_composite` (libImaging/AlphaComposite.c) of a pixel over opaque white.
enum AlphaComposite {
    /// `onWhite[alpha << 8 | value]`: the composited channel value.
    static let onWhite: [UInt8] = {
        var table = [UInt8](repeating: 255, count: 65_536)
        let precisionBits = 7
        for alpha in 1..<256 {
            // dst = (255, 255, 255, 255): blend = 255 · (255 − a), outa255 = a · 255 + blend.
            let outa255 = alpha * 255 + 255 * (255 - alpha)
            let coef1 = alpha * 255 * 255 * (1 << precisionBits) / outa255
            let coef2 = 255 * (1 << precisionBits) - coef1
            for value in 0..<256 {
                let t = value * coef1 + 255 * coef2 + (0x80 << precisionBits)
                table[alpha << 8 | value] = UInt8((((t >> 8) + t) >> 8) >> precisionBits)
            }
        }
        return table
    }()
}
