/// Ready-made architectures, reachable by name from the library and the command line.
public enum ModelZoo {
    /// A multilayer perceptron: `Flatten → Dense(h₁, relu) → … → Dense(classes)`.
    ///
    /// - Parameters:
    ///   - hidden: the widths of the hidden layers (the seed's network is `[256, 256]`).
    ///   - classes: the number of outputs.
    ///   - loss: the output layer is linear (logits) for cross-entropy and softmax for squared
    ///     error, so that its outputs can be compared with one-hot targets.
    ///   - dropout: an optional dropout rate after each hidden layer.
    public static func mlp(hidden: [Int] = [256, 256], classes: Int = 10, loss: Loss = .crossEntropy,
                           dropout: Float = 0) -> Sequential {
        var layers: [any Layer] = [Flatten()]
        for width in hidden {
            layers.append(Dense(width, activation: .relu))
            if dropout > 0 { layers.append(Dropout(dropout)) }
        }
        layers.append(Dense(classes, activation: loss == .squaredError ? .softmax : .linear))
        return Sequential(layers)
    }
}
