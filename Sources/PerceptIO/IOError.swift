/// Errors reading or writing model files and checkpoints. Each names the file and what is wrong.
public enum IOError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The file does not exist or cannot be read.
    case unreadable(path: String, reason: String)
    /// The file's bytes do not follow the format.
    case malformed(path: String, reason: String)
    /// The file is well formed but holds something this version cannot use.
    case unsupported(path: String, reason: String)
    /// A model cannot be written.
    case cannotSave(reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "\(path): cannot read: \(reason)"
        case let .malformed(path, reason): return "\(path): not a valid file: \(reason)"
        case let .unsupported(path, reason): return "\(path): unsupported: \(reason)"
        case let .cannotSave(reason): return "cannot save the model: \(reason)"
        }
    }
}
