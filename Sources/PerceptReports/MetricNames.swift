/// Conventions for metric names in a training history (Keras style: `loss`, `val_loss`, …).
enum MetricNames {
    /// The prefix that marks a validation metric.
    static let validationPrefix = "val_"
    /// A prefix some loggers use for the training counterpart.
    static let trainingPrefix = "train_"

    /// Splits a name into its base metric and whether it is a validation metric.
    static func split(_ name: String) -> (base: String, isValidation: Bool) {
        if name.hasPrefix(validationPrefix) && name.count > validationPrefix.count {
            return (String(name.dropFirst(validationPrefix.count)), true)
        }
        if name.hasPrefix(trainingPrefix) && name.count > trainingPrefix.count {
            return (String(name.dropFirst(trainingPrefix.count)), false)
        }
        return (name, false)
    }

    /// The order of base metrics: loss first, accuracy second, then the others alphabetically.
    static func baseRank(_ base: String) -> (Int, String) {
        switch base {
        case "loss": return (0, base)
        case "accuracy", "acc": return (1, base)
        default: return (2, base)
        }
    }

    /// Orders the names of an unordered history: every training metric (loss, accuracy, then the
    /// rest alphabetically), then the validation metrics in the same order.
    static func ordered(_ names: some Sequence<String>) -> [String] {
        names.sorted { left, right in
            let l = split(left)
            let r = split(right)
            if l.isValidation != r.isValidation { return !l.isValidation }
            let lRank = baseRank(l.base)
            let rRank = baseRank(r.base)
            if lRank != rRank { return lRank < rRank }
            return left < right
        }
    }

    /// A display form of a base metric name: underscores become spaces, first letter capitalised.
    static func humanized(_ base: String) -> String {
        let spaced = base.replacingOccurrences(of: "_", with: " ")
        guard let first = spaced.first else { return spaced }
        return first.uppercased() + spaced.dropFirst()
    }
}
