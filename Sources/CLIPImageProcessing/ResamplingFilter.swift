/// Pillow's resampling filters that the processor supports (libImaging/Resample.c).
public enum ResamplingFilter: Sendable, Equatable {
    /// `Image.BILINEAR` (2): triangle, support 1.
    case bilinear
    /// `Image.BICUBIC` (3): Keys cubic with a = −0.5, support 2. CLIP's filter.
    case bicubic

    /// The filter for Pillow's enum value, or nil for one we do not implement.
    public init?(pillowValue: Int) {
        switch pillowValue {
        case 2: self = .bilinear
        case 3: self = .bicubic
        default: return nil
        }
    }

    /// Half the width of the kernel at scale 1 (Pillow's `filter->support`).
    var support: Double {
        switch self {
        case .bilinear: return 1.0
        case .bicubic: return 2.0
        }
    }

    /// The kernel, written with Pillow's operation order so that every double rounds the same way.
    func weight(_ x: Double) -> Double {
        var x = x
        if x < 0.0 { x = -x }
        switch self {
        case .bilinear:
            return x < 1.0 ? 1.0 - x : 0.0
        case .bicubic:
            let a = -0.5
            if x < 1.0 { return ((a + 2.0) * x - (a + 3.0)) * x * x + 1 }
            if x < 2.0 { return (((x - 5) * x + 8) * x - 4) * a }
            return 0.0
        }
    }
}
