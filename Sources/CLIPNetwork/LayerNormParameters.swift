import TensorKernels

/// The parameters of one `nn.LayerNorm`.
struct LayerNormParameters: Sendable {
    let weight: [Float]
    let bias: [Float]
    let epsilon: Float

    /// Normalises each row of `x` `[m, width]`.
    func callAsFunction(_ x: Matrix, context: KernelContext = .shared) -> Matrix {
        Kernels.layerNorm(x, weight: weight, bias: bias, epsilon: epsilon, context: context)
    }
}
