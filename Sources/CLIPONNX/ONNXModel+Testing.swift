extension ONNXModel {
    /// Test hook: runs the CLIP graph recognition alone and returns every mapped checkpoint key
    /// with its shape and values.
    package func clipWeights() throws -> [String: (shape: [Int], values: [Float])] {
        var mapper = CLIPGraphMapper(model: self)
        try mapper.run()
        return try mapper.weights.mapValues { ($0.expression.shape, try $0.expression.evaluate(in: self)) }
    }

    /// Test hook: `ONNXExport`'s check of the graph inputs' element types.
    package func checkCLIPInputs() throws { try ONNXExport.checkInputs(self) }
}
