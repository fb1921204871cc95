import CKernels

/// Element-wise activation applied in a GEMM epilogue.
public enum Activation: String, Sendable, CaseIterable {
    /// No activation.
    case identity
    /// `x · sigmoid(1.702 x)`: OpenAI CLIP's `quick_gelu`, transformers' default for CLIP.
    case quickGELU = "quick_gelu"
    /// Exact GELU, `0.5 x (1 + erf(x / √2))`: what LAION checkpoints name `gelu`.
    case gelu

    /// Applies the activation to one value (the reference definition used by the naive twins).
    @inlinable
    public func apply(_ x: Float) -> Float {
        switch self {
        case .identity: return x
        case .quickGELU: return x / (1 + expf(-1.702 * x))
        case .gelu: return 0.5 * x * (1 + erff(x * 0.70710678118654752))
        }
    }

    /// The code of the C epilogue.
    var cCode: CInt {
        switch self {
        case .identity: return CInt(CK_ACT_IDENTITY.rawValue)
        case .quickGELU: return CInt(CK_ACT_QUICK_GELU.rawValue)
        case .gelu: return CInt(CK_ACT_GELU.rawValue)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
