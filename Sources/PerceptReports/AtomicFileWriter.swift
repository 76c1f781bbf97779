import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so that a crash never leaves a half-written destination.
///
/// The content goes to a uniquely named temporary file in the destination's directory, which is
/// flushed to disk (`fsync`) and then renamed over the destination. A rename within one file
/// system is atomic, so readers see either the old file or the complete new one. Missing parent
/// directories are created first; an existing destination keeps its permission bits.
///
/// ```swift
/// try AtomicFileWriter.write(TrainingCurves.svg(history: history), to: "out/curves.svg")
/// ```
public enum AtomicFileWriter {
    /// Atomically replaces the file at `path` with `data`.
    ///
    /// - Throws: ``ReportError`` naming the directory or file that could not be created, written
    ///   or replaced. The temporary file is removed on failure.
    public static func write(_ data: Data, to path: String) throws(ReportError) {
        let directory = parentDirectory(of: path)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ReportError.cannotCreateDirectory(path: directory, reason: error.localizedDescription)
        }
        let fileName = (path as NSString).lastPathComponent
        let temporary =
            (directory as NSString).appendingPathComponent(
                ".\(fileName).tmp-\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))")

        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ReportError.cannotWrite(path: path, reason: lastErrorMessage())
        }
        var existing = stat()
        if stat(path, &existing) == 0 {
            _ = fchmod(descriptor, existing.st_mode & 0o7777)
        }
        if let reason = writeAll(data, to: descriptor) ?? (fsync(descriptor) == 0 ? nil : lastErrorMessage()) {
            close(descriptor)
            unlink(temporary)
            throw ReportError.cannotWrite(path: path, reason: reason)
        }
        guard close(descriptor) == 0 else {
            let reason = lastErrorMessage()
            unlink(temporary)
            throw ReportError.cannotWrite(path: path, reason: reason)
        }
        guard rename(temporary, path) == 0 else {
            let reason = lastErrorMessage()
            unlink(temporary)
            throw ReportError.cannotReplace(path: path, reason: reason)
        }
        syncDirectory(directory)
    }

    /// Atomically replaces the file at `path` with `text` encoded as UTF-8.
    public static func write(_ text: String, to path: String) throws(ReportError) {
        try write(Data(text.utf8), to: path)
    }

    /// Atomically replaces the file at the file URL `url` with `data`.
    public static func write(_ data: Data, to url: URL) throws(ReportError) {
        try write(data, to: url.path(percentEncoded: false))
    }

    /// Atomically replaces the file at the file URL `url` with `text` encoded as UTF-8.
    public static func write(_ text: String, to url: URL) throws(ReportError) {
        try write(Data(text.utf8), to: url.path(percentEncoded: false))
    }

    private static func parentDirectory(of path: String) -> String {
        let parent = (path as NSString).deletingLastPathComponent
        return parent.isEmpty ? "." : parent
    }

    /// Writes every byte, retrying short writes and interrupted calls; returns an error message or
    /// `nil` on success.
    private static func writeAll(_ data: Data, to descriptor: Int32) -> String? {
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> String? in
            guard var pointer = buffer.baseAddress else { return nil }
            var remaining = buffer.count
            while remaining > 0 {
                let written = systemWrite(descriptor, pointer, remaining)
                if written < 0 {
                    if errno == EINTR { continue }
                    return lastErrorMessage()
                }
                pointer += written
                remaining -= written
            }
            return nil
        }
    }

    /// Flushes the directory entry of the rename; best effort, as not every file system allows it.
    private static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    private static func lastErrorMessage() -> String {
        String(cString: strerror(errno))
    }
}

/// The C library's `write(2)`, out of reach of the `write` methods above.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(descriptor, buffer, count)
    #elseif canImport(Musl)
    Musl.write(descriptor, buffer, count)
    #else
    Darwin.write(descriptor, buffer, count)
    #endif
}
