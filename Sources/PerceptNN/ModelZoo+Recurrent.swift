/// The recurrent architectures of the zoo.
extension ModelZoo {
    /// The recurrent text classifiers, by their command-line names.
    public enum RecurrentKind: String, Sendable, CaseIterable {
        case lstm, gru
        case simpleRNN = "simple-rnn"
        case bidirectionalLSTM = "bilstm"
        case stackedLSTM = "stacked-lstm"
    }

    /// A sentiment classifier over padded word indices:
    /// `Embedding(maskZero) → recurrent layer(s) → Dense(1)` (one logit, for the binary cross-entropy).
    ///
    /// - Parameters:
    ///   - vocabularySize: the number of word indices.
    ///   - embeddingSize: the length of each word vector.
    ///   - units: the state size of each recurrent layer (per direction).
    ///   - dropout: dropout on the inputs of each recurrent layer while training.
    ///   - truncation: truncated BPTT length, if any.
    public static func textClassifier(
        _ kind: RecurrentKind, vocabularySize: Int, embeddingSize: Int = 128, units: Int = 64, dropout: Float = 0,
        truncation: Int? = nil
    ) -> Sequential {
        var layers: [any Layer] = [Embedding(inputDimension: vocabularySize, outputDimension: embeddingSize, maskZero: true)]
        layers += recurrentStack(kind, units: units, dropout: dropout, truncation: truncation)
        layers.append(Dense(1))
        return Sequential(layers)
    }

    /// A classifier of sequences of feature vectors `[steps, features]` (MNIST images read row by
    /// row): recurrent layer(s) → `Dense(classes)` logits.
    public static func sequenceClassifier(
        _ kind: RecurrentKind, classes: Int, units: Int = 128, dropout: Float = 0, truncation: Int? = nil
    ) -> Sequential {
        Sequential(recurrentStack(kind, units: units, dropout: dropout, truncation: truncation) + [Dense(classes)])
    }

    static func recurrentStack(_ kind: RecurrentKind, units: Int, dropout: Float, truncation: Int?) -> [any Layer] {
        switch kind {
        case .lstm: [LSTM(units, dropout: dropout, truncation: truncation)]
        case .gru: [GRU(units, dropout: dropout, truncation: truncation)]
        case .simpleRNN: [SimpleRNN(units, dropout: dropout, truncation: truncation)]
        case .bidirectionalLSTM: [Bidirectional(LSTM(units, dropout: dropout, truncation: truncation))]
        case .stackedLSTM:
            [LSTM(units, returnSequences: true, dropout: dropout, truncation: truncation),
             LSTM(units, dropout: dropout, truncation: truncation)]
        }
    }
}
