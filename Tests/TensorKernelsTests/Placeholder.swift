import Testing
@testable import TensorKernels

@Test func TensorKernelsBuilds() {}
