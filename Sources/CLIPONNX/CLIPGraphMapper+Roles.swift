extension CLIPGraphMapper {
    /// Maps the constant inputs of one node by its operator and module scope.
    mutating func map(_ node: ONNXNode) throws {
        // Pass-through nodes of constants (fp16 `Cast`s, `DequantizeLinear`) are mapped at their consumer.
        if ["Cast", "CastLike", "Identity", "DequantizeLinear"].contains(node.opType),
            let output = node.outputs.first, constant(output, axis: 0) != nil
        {
            return
        }
        let scope = Self.modulePath(of: node)
        noteActivation(node, scope: scope)
        let weightAxis = ["MatMul", "MatMulInteger", "Gemm"].contains(node.opType) ? 1 : 0
        for (index, input) in node.inputs.enumerated() where !input.isEmpty {
            guard let expression = constant(input, axis: weightAxis) else { continue }
            if let key = try role(of: expression, input: index, in: node, scope: scope) {
                try record(key, expression, node: node)
            } else if try needsKey(expression, name: input) {
                if let key = Self.keyFromName(input) {
                    try record(key, expression, node: node)
                } else {
                    throw ONNXError.unrecognizedGraph(
                        path: model.url.path, node: node.label, opType: node.opType, opset: model.defaultOpset,
                        reason: "its input \(index) \"\(input)\" is a constant \(expression.shape) that is not a CLIP weight"
                            + (scope.isEmpty ? " (the node name carries no module scope such as /text_model/…)" : " in scope \(scope)"))
                }
            }
        }
    }

    /// The checkpoint key of constant input `index` of `node`, from its role; nil when the role
    /// does not name one.
    private func role(of e: ONNXWeightExpression, input index: Int, in node: ONNXNode, scope: String) throws -> String? {
        // CLIPModel.forward: logits_per_text = text · imageᵀ · logit_scale.exp(); with the Exp
        // constant-folded, the scale is a scalar input of the root-level Mul.
        if scope.isEmpty, node.opType == "Mul", e.shape.reduce(1, *) == 1, isFloatingPoint(e),
            node.outputs.contains(where: { $0 == "logits_per_text" || $0 == "logits_per_image" })
        {
            return "logit_scale"
        }
        guard !scope.isEmpty, isFloatingPoint(e) else { return nil }
        let last = scope.split(separator: ".").last.map(String.init) ?? ""
        let isNorm = last.contains("norm") || last.contains("layrnorm")
        switch (node.opType, index) {
        case ("MatMul", 1), ("MatMulInteger", 1):
            try expectRank(e, 2, node)
            return scope + ".weight"
        case ("Gemm", 1):
            try expectRank(e, 2, node)
            return scope + ".weight"
        case ("Gemm", 2):
            return scope + ".bias"
        case ("Add", _) where e.shape.count == 1 && e.shape[0] > 1:
            return scope + ".bias"
        case ("Add", _) where scope.hasSuffix("vision_model.embeddings") && e.shape.count >= 2:
            return scope + ".position_embedding.weight"
        case ("Mul", _) where isNorm && e.shape.count == 1 && e.shape[0] > 1:
            return scope + ".weight"
        case ("LayerNormalization", 1):
            return scope + ".weight"
        case ("LayerNormalization", 2):
            return scope + ".bias"
        case ("Gather", 0):
            try expectRank(e, 2, node)
            return scope + ".weight"
        case ("Conv", 1), ("ConvInteger", 1):
            try expectRank(e, 4, node)
            try checkPatchConvolution(node, kernel: Array(e.shape[2...]))
            return scope + ".weight"
        case ("Conv", 2):
            return scope + ".bias"
        default:
            return nil
        }
    }

    /// Whether an unexplained constant must be a weight: float tensors with more than one element
    /// (scalars are epsilons, scales and mask values; integers are shapes, axes and indices).
    private func needsKey(_ e: ONNXWeightExpression, name: String) throws -> Bool {
        if quantizationParameters.contains(name) { return false }
        if Self.keyFromName(name) == "logit_scale" { return true }
        guard isFloatingPoint(e), e.shape.reduce(1, *) > 1 else { return false }
        return !(try isMask(e))
    }

    /// Constant attention masks (older exports fold the causal mask): every value 0, 1, or a large
    /// negative fill (`-inf`, `finfo.min`, fp16's `-10000`).
    private func isMask(_ e: ONNXWeightExpression) throws -> Bool {
        guard e.shape.reduce(1, *) <= 1 << 16, Self.keyFromName(e.sourceName) == nil else { return false }
        return try e.evaluate(in: model).allSatisfy { $0 == 0 || $0 == 1 || $0 <= -1e4 }
    }

    private func isFloatingPoint(_ e: ONNXWeightExpression) -> Bool {
        switch e {
        case .tensor(let t): return t.dataType.isFloatingPoint
        case .dequantized: return true
        case .transposed(let inner), .reshaped(let inner, _), .logarithm(let inner): return isFloatingPoint(inner)
        }
    }

    private func expectRank(_ e: ONNXWeightExpression, _ rank: Int, _ node: ONNXNode) throws {
        guard e.shape.count == rank else {
            throw ONNXError.initializerShape(
                path: model.url.path, tensor: e.sourceName, node: node.label,
                expected: "rank \(rank) for \(node.opType)", found: e.shape)
        }
    }

    /// CLIP's patch embedding: stride = kernel, no padding, one group, no dilation.
    private func checkPatchConvolution(_ node: ONNXNode, kernel: [Int]) throws {
        let strides = node.ints("strides") ?? [1, 1]
        let pads = node.ints("pads") ?? [0, 0, 0, 0]
        let dilations = node.ints("dilations") ?? [1, 1]
        let autoPad = node.attributes["auto_pad"]
        guard strides == kernel, pads.allSatisfy({ $0 == 0 }), dilations.allSatisfy({ $0 == 1 }),
            node.int("group", default: 1) == 1, autoPad == nil || autoPad?.int == nil
        else {
            throw ONNXError.unrecognizedGraph(
                path: model.url.path, node: node.label, opType: node.opType, opset: model.defaultOpset,
                reason:
                    "expected a patch convolution (strides = kernel \(kernel), no padding, group 1); found strides \(strides), pads \(pads), dilations \(dilations)"
            )
        }
    }

    /// Records `key`; the same key from two different constants is an error.
    private mutating func record(_ key: String, _ e: ONNXWeightExpression, node: ONNXNode) throws {
        var expression = e
        let storesTransposed = ["MatMul", "MatMulInteger"].contains(node.opType) || (node.opType == "Gemm" && node.int("transB", default: 0) == 0)
        if storesTransposed && key.hasSuffix(".weight") && e.shape.count == 2 {
            expression = .transposed(e)
        }
        if key == "logit_scale", node.opType == "Mul" {
            expression = .logarithm(.reshaped(e, []))
        }
        if key.hasSuffix("position_embedding.weight"), e.shape.count == 3, e.shape[0] == 1 {
            expression = .reshaped(e, Array(e.shape[1...]))
        }
        if let existing = weights[key] {
            guard existing.expression.sourceName == expression.sourceName else {
                throw ONNXError.duplicateWeight(path: model.url.path, key: key, first: existing.expression.sourceName, second: expression.sourceName)
            }
            return
        }
        var mapped = Mapped(expression: expression, node: node.label)
        mapped.quantizesInput =
            ["MatMulInteger", "ConvInteger"].contains(node.opType) && node.inputs.first.flatMap { producers[$0] }?.opType == "DynamicQuantizeLinear"
        weights[key] = mapped
    }

    /// Notes the activation of MLP scopes: `Sigmoid` (x · σ(1.702x)) is quick_gelu, `Erf`/`Gelu` gelu,
    /// `Tanh` the tanh approximation.
    private mutating func noteActivation(_ node: ONNXNode, scope: String) {
        let parts = scope.split(separator: ".")
        guard parts.contains("mlp"), let tower = parts.first else { return }
        let name: String
        switch node.opType {
        case "Sigmoid": name = "quick_gelu"
        case "Erf": name = "gelu"
        case "Gelu": name = (node.attributes["approximate"]?.string ?? "none") == "none" ? "gelu" : "gelu_tanh"
        case "Tanh": name = "gelu_tanh"
        default: return
        }
        activations[String(tower)] = name
    }
}
