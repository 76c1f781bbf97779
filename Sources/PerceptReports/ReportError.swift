/// An error writing a report file; every case names the path involved.
public enum ReportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The parent directory could not be created.
    case cannotCreateDirectory(path: String, reason: String)
    /// The temporary file could not be created, written or flushed.
    case cannotWrite(path: String, reason: String)
    /// The temporary file could not be renamed over the destination.
    case cannotReplace(path: String, reason: String)

    /// The path the failed operation was about.
    public var path: String {
        switch self {
        case .cannotCreateDirectory(let path, _), .cannotWrite(let path, _), .cannotReplace(let path, _):
            return path
        }
    }

    /// A one-line explanation naming the path and the system's reason.
    public var description: String {
        switch self {
        case .cannotCreateDirectory(let path, let reason):
            return "cannot create directory '\(path)': \(reason)"
        case .cannotWrite(let path, let reason):
            return "cannot write '\(path)': \(reason)"
        case .cannotReplace(let path, let reason):
            return "cannot replace '\(path)': \(reason)"
        }
    }
}
