import PerceptAutograd
import PerceptTensor

/// The error function a model is trained to minimise, each averaged over the batch.
public enum Loss: String, Sendable, Codable, CaseIterable {
    /// Softmax cross-entropy taking the network's outputs as logits (the last layer stays linear).
    case crossEntropy = "cross-entropy"
    /// The seed's L2 difference loss, `½ Σ_k (y_k − t_k)²` against one-hot targets; pair it with a
    /// softmax (or linear) output layer.
    case squaredError = "squared-error"
    /// Binary cross-entropy taking one logit per sample (`[n, 1]`), labels 0 or 1.
    case binaryCrossEntropy = "binary-cross-entropy"

    /// The loss of a batch of network outputs against integer labels.
    public func callAsFunction(_ outputs: Variable, labels: [Int]) -> Variable {
        switch self {
        case .crossEntropy:
            return softmaxCrossEntropy(logits: outputs, labels: labels)
        case .squaredError:
            return PerceptAutograd.squaredError(predictions: outputs, targets: oneHot(labels, classes: outputs.shape[1]))
        case .binaryCrossEntropy:
            let targets = Tensor(shape: outputs.shape, scalars: labels.map(Float.init))
            return PerceptAutograd.binaryCrossEntropy(logits: outputs, targets: targets)
        }
    }

    /// Turns network outputs into what ``Sequential/predict(_:batchSize:)`` returns: class
    /// probabilities for the cross-entropies, the outputs as they are otherwise.
    public func probabilities(fromOutputs outputs: Tensor) -> Tensor {
        switch self {
        case .crossEntropy: return softmaxRows(outputs)
        case .squaredError: return outputs
        case .binaryCrossEntropy: return outputs.map { 1 / (1 + expf(-$0)) }
        }
    }

    /// The predicted class of each row of network outputs.
    public func predictedClasses(fromOutputs outputs: Tensor) -> [Int] {
        switch self {
        case .crossEntropy, .squaredError: return outputs.argmaxRows()
        case .binaryCrossEntropy: return outputs.scalars.map { $0 > 0 ? 1 : 0 }
        }
    }

    /// The number of classes a network with `outputUnits` outputs predicts under this loss.
    public func classCount(outputUnits: Int) -> Int {
        self == .binaryCrossEntropy ? 2 : outputUnits
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
