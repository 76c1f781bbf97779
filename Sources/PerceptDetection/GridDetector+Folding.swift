import PerceptNN
import PerceptTensor

extension GridDetector {
    /// The same detector with every batch normalization folded into the convolution before it,
    /// for inference and saving: at inference a batch normalization is the per-channel affine map
    /// `y = γ (x − μ) / √(σ² + ε) + β` with its running mean `μ` and variance `σ²`, so a
    /// convolution followed by it is one convolution with the kernel's output channel `o` scaled by
    /// `sₒ = γₒ / √(σₒ² + ε)` and the bias `bₒ sₒ + βₒ − μₒ sₒ`. An ``ActivationLayer`` right after
    /// the normalization becomes the convolution's activation. The outputs agree with the
    /// original's (in inference mode) up to rounding, and the network needs fewer passes.
    ///
    /// - Throws: ``ModelError/invalidArgument(name:reason:)`` for a layer other than ``Conv2D``,
    ///   ``MaxPool2D``, ``BatchNormalization`` (after a linear convolution) or ``ActivationLayer``.
    public func foldingBatchNormalization() throws -> GridDetector {
        guard let inputShape = network.inputShape else { throw ModelError.notBuilt }
        let old = network.layers
        var layers: [any Layer] = []
        // Each new convolution with the one it copies and the normalization folded into it.
        var copies: [(new: Conv2D, old: Conv2D, normalization: BatchNormalization?)] = []
        var index = 0
        while index < old.count {
            if let convolution = old[index] as? Conv2D {
                var normalization: BatchNormalization?
                var activation = convolution.activation
                var consumed = 1
                if convolution.activation == .linear, index + 1 < old.count, let next = old[index + 1] as? BatchNormalization {
                    normalization = next
                    consumed = 2
                    if index + 2 < old.count, let after = old[index + 2] as? ActivationLayer {
                        activation = after.activation
                        consumed = 3
                    }
                }
                let copy = Conv2D(
                    convolution.filters, kernelSize: (convolution.kernelSize.height, convolution.kernelSize.width),
                    strides: (convolution.strides.height, convolution.strides.width), padding: convolution.padding,
                    activation: activation, useBias: convolution.useBias || normalization != nil)
                layers.append(copy)
                copies.append((copy, convolution, normalization))
                index += consumed
            } else if let pooling = old[index] as? MaxPool2D {
                layers.append(MaxPool2D(poolSize: (pooling.poolSize.height, pooling.poolSize.width),
                                        strides: (pooling.strides.height, pooling.strides.width), padding: pooling.padding))
                index += 1
            } else if let activation = old[index] as? ActivationLayer {
                layers.append(ActivationLayer(activation.activation))
                index += 1
            } else {
                throw ModelError.invalidArgument(
                    name: "network", reason: "cannot fold \(old[index].name) (\(old[index].typeName)) into a convolution")
            }
        }
        let folded = Sequential(layers)
        try folded.build(inputShape: inputShape)
        for (new, convolution, normalization) in copies {
            guard let kernel = convolution.kernel, let newKernel = new.kernel else { throw ModelError.notBuilt }
            let filters = convolution.filters
            var bias = convolution.bias?.value.scalars ?? [Float](repeating: 0, count: filters)
            var scaled = kernel.value
            if let normalization {
                guard let gamma = normalization.gamma?.value.scalars, let beta = normalization.beta?.value.scalars,
                      let mean = normalization.movingMean?.scalars, let variance = normalization.movingVariance?.scalars
                else { throw ModelError.notBuilt }
                let scales = (0..<filters).map { gamma[$0] / (variance[$0] + normalization.epsilon).squareRoot() }
                scaled.withUnsafeMutableBufferPointer { k in
                    for i in 0..<k.count { k[i] *= scales[i % filters] }
                }
                for o in 0..<filters { bias[o] = bias[o] * scales[o] + beta[o] - mean[o] * scales[o] }
            }
            newKernel.value = scaled
            new.bias?.value = Tensor(shape: [filters], scalars: bias)
        }
        return try GridDetector(network: folded, settings: settings)
    }
}
